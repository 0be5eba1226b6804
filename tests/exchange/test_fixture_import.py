"""import_fixture: JSON fixtures with natural keys, validated whole, written whole or not at all."""

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import MODELS, build_history, counts, dump
from tracker.exchange.fixtures import read as fixtures_read
from tracker.exchange.fixtures_import import FixtureRefused, fixture_import
from tracker.models import (
    Commitment,
    CommitmentEvent,
    Person,
)
from tracker.register.workflow import due_date_change, transition

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seed.json"
SEED_OBJECTS = 23


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The clerk fixture hashes a password; the default hasher costs a second per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(*paths, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_fixture", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def write(tmp_path, objects, name="fixture.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(objects, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def seed_objects() -> list:
    return json.loads(SEED.read_text(encoding="utf-8"))


# --- the happy path ---------------------------------------------------------------------------------


def test_seed_imports_like_loaddata(db):
    out, _ = run(SEED)
    assert f"Totaal: {SEED_OBJECTS} aangemaakt, 0 bijgewerkt, 0 ongewijzigd" in out
    assert "toezeggingen (tracker.commitment): 2 aangemaakt, 0 bijgewerkt, 0 ongewijzigd" in out
    imported = dump()
    for model in reversed(MODELS):
        model.objects.all().delete()
    call_command("loaddata", str(SEED), verbosity=0)
    assert dump() == imported


def test_rerun_changes_nothing_and_says_so(db):
    run(SEED)
    before, before_dump = counts(), dump()
    out, _ = run(SEED)
    assert f"Totaal: 0 aangemaakt, 0 bijgewerkt, {SEED_OBJECTS} ongewijzigd" in out
    assert "tussenkomsten (tracker.speech): 0 aangemaakt, 0 bijgewerkt, 13 ongewijzigd" in out
    assert "Niets gewijzigd." in out
    assert counts() == before and dump() == before_dump


def test_loaddata_still_works_and_agrees_with_the_importer(seed):
    out, _ = run(SEED)
    assert f"Totaal: 0 aangemaakt, 0 bijgewerkt, {SEED_OBJECTS} ongewijzigd" in out


def test_dry_run_writes_nothing(db):
    out, _ = run(SEED, dry_run=True)
    assert "Proefdraai" in out
    assert f"Totaal: {SEED_OBJECTS} aangemaakt" in out
    assert sum(counts().values()) == 0


def test_update_by_natural_key_changes_only_the_given_fields(seed, tmp_path):
    path = write(
        tmp_path,
        [
            {"model": "tracker.person", "fields": {"slug": "claes", "party": "CD&V"}},
            {"model": "tracker.commitment", "fields": {"reference": "TZ-2026-0001", "summary": "Nieuwe samenvatting."}},
        ],
    )
    before = Commitment.objects.get(reference="TZ-2026-0001")
    out, _ = run(path)
    assert "Totaal: 0 aangemaakt, 2 bijgewerkt, 0 ongewijzigd" in out
    after = Commitment.objects.get(reference="TZ-2026-0001")
    assert after.summary == "Nieuwe samenvatting."
    assert (after.quote, after.status, after.created) == (before.quote, before.status, before.created)
    assert Person.objects.get(slug="claes").party == "CD&V"
    event = after.events.get(kind="edit")
    assert event.actor is None and "Nieuwe samenvatting." in event.note and "fixture.json" in event.note
    # The import's own (system) event does not lock the commitment against the next import.
    write(tmp_path, [{"model": "tracker.commitment", "fields": {"reference": "TZ-2026-0001", "summary": "Derde."}}])
    out, _ = run(path)
    assert "1 bijgewerkt" in out and Commitment.objects.get(reference="TZ-2026-0001").summary == "Derde."


def test_status_change_by_import_is_recorded_as_a_transition(seed, tmp_path):
    fields = {"reference": "TZ-2026-0002", "status": "fulfilled", "fulfilled_on": "2021-05-01"}
    run(write(tmp_path, [{"model": "tracker.commitment", "fields": fields}]))
    c = Commitment.objects.get(reference="TZ-2026-0002")
    assert (c.status, c.fulfilled_on) == ("fulfilled", datetime.date(2021, 5, 1))
    event = c.events.get(kind="transition")
    assert (event.from_status, event.to_status, event.actor) == ("open", "fulfilled", None)


def test_hand_edited_commitment_is_locked_unless_overwrite(seed, clerk, tmp_path):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    due_date_change(c, by=clerk, due_date=datetime.date(2021, 9, 1), note="Op vraag van de minister.")
    objects = [
        {"model": "tracker.person", "fields": {"slug": "claes", "party": "Groen"}},
        {
            "model": "tracker.commitment",
            "fields": {"reference": "TZ-2026-0001", "summary": "Overschreven?", "due_date": "2021-12-31"},
        },
    ]
    path = write(tmp_path, objects)
    out, _ = run(path)
    assert "0 aangemaakt, 0 bijgewerkt, 0 ongewijzigd, 1 met de hand bewerkt en niet overschreven" in out
    assert "TZ-2026-0001: niet overschreven (" in out
    assert "door clerk" in out and "--overwrite" in out
    c.refresh_from_db()
    assert c.summary != "Overschreven?" and c.due_date == datetime.date(2021, 9, 1)
    assert Person.objects.get(slug="claes").party == "Groen"  # other models are not locked

    out, _ = run(path, overwrite=True)
    assert "toezeggingen (tracker.commitment): 0 aangemaakt, 1 bijgewerkt" in out
    c.refresh_from_db()
    assert c.summary == "Overschreven?" and c.due_date == datetime.date(2021, 12, 31)


def test_a_clerks_status_change_locks_too_but_creation_does_not(seed, clerk, tmp_path):
    c = Commitment.objects.get(reference="TZ-2026-0002")
    CommitmentEvent.objects.create(commitment=c, kind="created", actor=clerk, to_status="open")
    path = write(tmp_path, [{"model": "tracker.commitment", "fields": {"reference": "TZ-2026-0002", "kind": "other"}}])
    assert "1 bijgewerkt" in run(path)[0]
    c.refresh_from_db()
    transition(c, "lapsed", by=clerk, note="De POM heeft de studie niet geactualiseerd.")
    path = write(
        tmp_path, [{"model": "tracker.commitment", "fields": {"reference": "TZ-2026-0002", "kind": "hearing"}}]
    )
    out, _ = run(path)
    assert "1 met de hand bewerkt en niet overschreven" in out
    assert Commitment.objects.get(reference="TZ-2026-0002").kind == "other"


def test_new_commitments_are_imported_unless_the_fixture_says_otherwise(seed, tmp_path):
    base = {"question": ["vergadering-maatwerkbedrijven", 1], "quote": "Dat doen we zeker.", "status": "open"}
    path = write(
        tmp_path,
        [
            {"model": "tracker.commitment", "fields": {"reference": "TZ-2026-0010", **base}},
            {"model": "tracker.commitment", "fields": {"reference": "TZ-2026-0011", "origin": "manual", **base}},
            {
                "model": "tracker.commitmentevent",
                "fields": {
                    "uid": "0b5e8a43-0000-4000-8000-000000000011",
                    "commitment": ["TZ-2026-0011"],
                    "kind": "created",
                    "to_status": "open",
                    "at": "2026-11-26T12:00:00Z",
                },
            },
        ],
    )
    out, _ = run(path)
    assert "Historiek: 1 gebeurtenis(sen) van de import zelf toegevoegd." in out
    assert Commitment.objects.get(reference="TZ-2026-0010").origin == "imported"
    assert Commitment.objects.get(reference="TZ-2026-0011").origin == "manual"
    # A created event is added where the fixture has none, never twice.
    assert Commitment.objects.get(reference="TZ-2026-0010").events.get().kind == "created"
    assert Commitment.objects.get(reference="TZ-2026-0011").events.count() == 1


def test_objects_may_refer_to_objects_later_in_the_files(db, tmp_path):
    objects = seed_objects()
    first = write(tmp_path, list(reversed(objects[5:])), "b.json")
    second = write(tmp_path, objects[:5], "a.json")
    out, _ = run(first, second)
    assert f"Totaal: {SEED_OBJECTS} aangemaakt" in out


def test_json_round_trip_into_an_empty_database(seed, clerk, tmp_path):
    build_history(clerk)
    before = dump()
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    for model in reversed(MODELS):
        model.objects.all().delete()
    out, _ = run(path)
    assert "0 bijgewerkt, 0 ongewijzigd" in out
    assert dump() == before
    assert "0 aangemaakt, 0 bijgewerkt" in run(path)[0]


def test_bom_is_accepted_and_reported(db, tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes())
    out, err = run(path)
    assert "BOM" in err and f"Totaal: {SEED_OBJECTS} aangemaakt" in out


# --- bad input: a clear message, non-zero exit, nothing written ------------------------------------


def _commitment(**fields):
    base = {
        "reference": "TZ-2026-0099",
        "question": ["vergadering-maatwerkbedrijven", 1],
        "quote": "Ik zal het bezorgen.",
        "status": "open",
    }
    return {"model": "tracker.commitment", "fields": {**base, **fields}}


def _session(**fields):
    return {
        "model": "tracker.session",
        "fields": {"slug": "s-2021", "committee": ["economie-werk-sociale-economie"], "title": "Vergadering", **fields},
    }


BAD_OBJECTS = {
    "unknown model": ([{"model": "tracker.minister", "fields": {}}], ["object 1", "onbekend model “tracker.minister”"]),
    "missing target": (
        [_session(committee=["bestaat-niet"])],
        ['(tracker.session ["s-2021"])', "veld “committee”", '["bestaat-niet"]', "niet in de database"],
    ),
    "impossible date": ([_session(date="31-02-2021")], ["veld “date”", "31-02-2021"]),
    "impossible iso date": ([_session(date="2021-02-31")], ["veld “date”", "2021-02-31"]),
    "position as a word": (
        [{"model": "tracker.question", "fields": {"session": ["vergadering-maatwerkbedrijven"], "position": "een"}}],
        ["tracker.question", "veld “position”", "een"],
    ),
    "title as a number": ([_session(title=2021)], ["veld “title”", "verwacht tekst"]),
    "fulfilled without date": ([_commitment(status="fulfilled")], ["veld “fulfilled_on”", "datum van nakoming"]),
    "unknown status": ([_commitment(status="done")], ["veld “status”", "done"]),
    "fulfilment date with an open status": (
        [_commitment(fulfilled_on="2021-03-01")],
        ["veld “fulfilled_on”", "alleen bij status “fulfilled”"],
    ),
    "fulfilled before the session": (
        [
            _session(date="2021-03-10"),
            _commitment(question=["s-2021", 1], status="fulfilled", fulfilled_on="2021-03-01"),
        ]
        + [{"model": "tracker.question", "fields": {"session": ["s-2021"], "position": 1, "title": "Vraag"}}],
        ["veld “fulfilled_on”", "vóór de vergadering (2021-03-10)"],
    ),
    "fulfilled in the future": (
        [_commitment(status="fulfilled", fulfilled_on="2999-01-01")],
        ["veld “fulfilled_on”", "toekomst"],
    ),
    "speech of another item": (
        [_commitment(source_speech=["vergadering-maatwerkbedrijven", 2, 1])],
        ["veld “source_speech”", "hoort niet bij het agendapunt"],
    ),
    "missing quote for a new commitment": (
        [
            {
                "model": "tracker.commitment",
                "fields": {"reference": "TZ-9", "question": ["vergadering-maatwerkbedrijven", 1]},
            }
        ],
        ["veld “quote”", "verplicht"],
    ),
    "unknown field": ([_session(minister="Crevits")], ["veld “minister”", "onbekend veld"]),
    "reference is not a natural key": ([_session(committee=1)], ["veld “committee”", "als lijst"]),
    "changed history": (
        [
            {
                "model": "tracker.commitmentevent",
                "fields": {"uid": "5eed0000-0000-4000-8000-000000000001", "note": "Anders geschreven."},
            }
        ],
        ["veld “uid”", "andere inhoud", "note"],
    ),
    "self link": (
        [
            {
                "model": "tracker.commitmentlink",
                "fields": {"source": ["TZ-2026-0001"], "kind": "repeats", "target": ["TZ-2026-0001"]},
            }
        ],
        ["veld “target”", "naar zichzelf"],
    ),
    "not an object": (["tracker.session"], ["object 1", "verwacht een object"]),
}


@pytest.mark.parametrize("case", BAD_OBJECTS, ids=list(BAD_OBJECTS))
def test_invalid_objects_are_refused_with_a_clear_message_and_nothing_is_written(seed, tmp_path, case):
    objects, expected = BAD_OBJECTS[case]
    path = write(tmp_path, objects, "bad.json")
    before, before_dump = counts(), dump()
    with pytest.raises(CommandError) as info:
        run(path)
    message = str(info.value)
    assert "er werd niets ingelezen" in message and str(path) in message
    for part in expected:
        assert part in message
    assert counts() == before and dump() == before_dump


BAD_FILES = {
    "malformed json": (
        b'[\n {"model": "tracker.person",\n  "fields": {"slug": "x" "full_name": "X"}}\n]',
        "regel 3, kolom",
    ),
    "not a list": (b'{"model": "tracker.person", "fields": {}}', "verwacht een JSON-lijst"),
    "empty": (b"", "leeg"),
    "utf-16": ('[{"model": "tracker.person"}]'.encode("utf-16"), "UTF-8"),
    "latin-1": ('[{"model": "tracker.person", "fields": {"slug": "é"}}]'.encode("latin-1"), "geen geldige UTF-8"),
    "NaN": (b'[{"model": "tracker.commitment", "fields": {"confidence": NaN}}]', "NaN"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=list(BAD_FILES))
def test_unreadable_files_are_refused(seed, tmp_path, case):
    data, expected = BAD_FILES[case]
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    before = counts()
    with pytest.raises(CommandError) as info:
        run(SEED, path)
    assert expected in str(info.value) and str(path) in str(info.value)
    assert counts() == before


def test_huge_file_is_refused_by_size_before_reading(seed, tmp_path, monkeypatch):
    monkeypatch.setattr(fixtures_read, "MAX_FIXTURE_BYTES", 1000)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file that is too big"))
    before = counts()
    with pytest.raises(CommandError) as info:
        run(SEED)
    assert "te groot" in str(info.value) and "1.000 bytes" in str(info.value)
    assert counts() == before


def test_missing_file(db):
    with pytest.raises(CommandError, match="niet gevonden"):
        run("bestaat/niet.json")


def test_duplicate_natural_keys_across_files(db, tmp_path):
    a = write(tmp_path, seed_objects(), "a.json")
    b = write(tmp_path, seed_objects()[:1], "b.json")
    with pytest.raises(FixtureRefused) as info:
        fixture_import(paths=[a, b])
    assert [str(e) for e in info.value.errors] == [
        f'{b}, regel 2, object 1 (tracker.committee ["economie-werk-sociale-economie"]): '
        f"dubbele natuurlijke sleutel: al gedefinieerd in {a}, object 1."
    ]
    assert sum(counts().values()) == 0


def test_all_errors_are_reported_together_with_lines(seed, tmp_path):
    objects = [_session(date="31-02-2021"), _commitment(status="done"), {"model": "tracker.foo", "fields": {}}]
    path = write(tmp_path, objects)
    with pytest.raises(FixtureRefused) as info:
        fixture_import(paths=[path])
    errors = info.value.errors
    assert [(e.index, e.line, e.model, e.field) for e in errors] == [
        (1, 2, "tracker.session", "date"),
        (2, 13, "tracker.commitment", "status"),
        (3, 25, "", ""),
    ]


def test_command_exits_non_zero_without_traceback(tmp_path):
    path = tmp_path / "kapot.json"
    path.write_text("[{", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_fixture", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{path}: geen geldige JSON op regel 1, kolom 3" in result.stderr
