"""Tweede Kamer open data: schema-valid export of public commitments, and an all-or-nothing import."""

import datetime
import io
import re
import uuid

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from tests.factories import TK_COUNT, TK_FILE, build_history, counts, document, dump, toezegging
from tests.runners import import_command
from tracker.exchange import opendata
from tracker.exchange.opendata import TK_NS, OpendataRefused, opendata_export, opendata_import, toezegging_schema
from tracker.models import Commitment, CommitmentEvent, CommitmentLink, Committee, Person, Question, Session, Speech
from tracker.register.workflow import due_date_change

pytestmark = pytest.mark.django_db

TK = f"{{{TK_NS}}}"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def history(seed, clerk):
    build_history(clerk)


def parse(data: bytes) -> list:
    root = etree.fromstring(data)
    assert root.tag == "toezeggingen"  # our own container, outside the Tweede Kamer namespace
    return list(root)


def assert_schema_valid(elements) -> None:
    schema = toezegging_schema()
    for el in elements:
        assert schema.validate(el), schema.error_log


def by_number(elements) -> dict:
    return {el.findtext(f"{TK}nummer"): el for el in elements}


# --- export -----------------------------------------------------------------------------------------


def test_export_is_schema_valid_and_maps_the_fields(history):
    Commitment.objects.filter(reference="TZ-2026-0005").update(ministry="Werk en Sociale Economie")
    elements = parse(opendata_export(commitments=Commitment.objects.all()))
    assert_schema_valid(elements)
    items = by_number(elements)
    assert sorted(items) == ["TZ-2026-0001", "TZ-2026-0002", "TZ-2026-0005", "TZ-2026-0006"]
    fulfilled = items["TZ-2026-0001"]
    assert fulfilled.get("id") == str(uuid.uuid5(opendata.ID_NAMESPACE, "toezegging:TZ-2026-0001"))
    assert fulfilled.get(f"{TK}verwijderd") == "false" and fulfilled.get(f"{TK}bijgewerkt").endswith("Z")
    assert fulfilled.findtext(f"{TK}status") == "Voldaan"
    assert fulfilled.findtext(f"{TK}datumNakoming") == "2021-03-01T00:00:00"
    assert fulfilled.findtext(f"{TK}kamerbriefNakoming") == "Brief van 1 maart 2021 met de lijsten"
    assert fulfilled.findtext(f"{TK}naam") == "Hilde Crevits" and fulfilled.findtext(f"{TK}achternaam") == "Crevits"
    assert fulfilled.findtext(f"{TK}functie") == "Vlaams minister bevoegd voor Sociale Economie"
    assert fulfilled.findtext(f"{TK}tekst").startswith("De minister bezorgt")  # the summary
    assert fulfilled.find(f"{TK}ministerie") is None  # unknown: left out
    person = fulfilled.find(f"{TK}toegezegdAanPersoon")
    assert person.findtext(f"{TK}annotatie") == "Vandromme"
    assert fulfilled.find(f"{TK}toegezegdAanFractie").findtext(f"{TK}annotatie") == "CD&V"
    assert items["TZ-2026-0005"].findtext(f"{TK}status") == "Deels Voldaan"
    assert items["TZ-2026-0005"].findtext(f"{TK}ministerie") == "Werk en Sociale Economie"  # schema-valid order
    assert items["TZ-2026-0005"].findtext(f"{TK}tekst") == "Ik zal dat bekijken (5)."  # no summary: the quote
    supplement = items["TZ-2026-0005"].find(f"{TK}isAanvullingOp")
    assert supplement.get("ref") == fulfilled.get("id") and supplement.get(f"{TK}bijgewerkt")
    lapsed = items["TZ-2026-0006"]
    assert lapsed.findtext(f"{TK}status") == "Vervallen"
    assert lapsed.find(f"{TK}isHerhalingVan") is None  # its target is a candidate: not public
    assert items["TZ-2026-0002"].findtext(f"{TK}status") == "Openstaand"
    assert items["TZ-2026-0002"].find(f"{TK}naam") is None  # the chair is no person in the register


def test_candidates_and_rejected_are_never_exported_even_when_passed_in(history):
    internal = list(Commitment.objects.filter(status__in=["candidate", "rejected"]))
    assert len(internal) == 2
    assert parse(opendata_export(commitments=internal)) == []
    assert parse(opendata_export(commitments=Commitment.objects.filter(status="candidate"))) == []
    data = opendata_export(commitments=Commitment.objects.all())
    assert b"TZ-2026-0003" not in data and b"TZ-2026-0004" not in data


def test_export_is_stable(history):
    assert opendata_export(commitments=Commitment.objects.all()) == opendata_export(
        commitments=list(Commitment.objects.all())
    )


def test_export_drops_characters_xml_cannot_carry(seed):
    Commitment.objects.filter(reference="TZ-2026-0001").update(summary="Pagina\x0c twee")
    elements = parse(opendata_export(commitments=Commitment.objects.all()))
    assert_schema_valid(elements)
    assert by_number(elements)["TZ-2026-0001"].findtext(f"{TK}tekst") == "Pagina twee"


def test_export_command_filters_and_writes_to_stdout_or_a_file(history, tmp_path):
    out = io.StringIO()
    call_command("export_opendata", stdout=out)
    assert sorted(by_number(parse(out.getvalue().encode()))) == [
        "TZ-2026-0001",
        "TZ-2026-0002",
        "TZ-2026-0005",
        "TZ-2026-0006",
    ]
    out = io.StringIO()
    call_command("export_opendata", "--status", "open", "--status", "lapsed", stdout=out)
    assert sorted(by_number(parse(out.getvalue().encode()))) == ["TZ-2026-0002", "TZ-2026-0006"]
    target = tmp_path / "export.xml"
    call_command(
        "export_opendata",
        "--minister",
        "hilde-crevits",
        "--committee",
        "economie-werk-sociale-economie",
        "-o",
        str(target),
        stderr=io.StringIO(),
    )
    assert sorted(by_number(parse(target.read_bytes()))) == ["TZ-2026-0001", "TZ-2026-0005", "TZ-2026-0006"]
    with pytest.raises(CommandError, match="niet-openbare status candidate"):
        call_command("export_opendata", "--status", "candidate", stdout=io.StringIO())
    with pytest.raises(CommandError, match="geen commissie"):
        call_command("export_opendata", "--committee", "bestaat-niet", stdout=io.StringIO())
    with pytest.raises(CommandError, match="geen persoon"):
        call_command("export_opendata", "--minister", "bestaat-niet", stdout=io.StringIO())


# --- import -----------------------------------------------------------------------------------------


def test_import_accepts_the_registers_own_statuses_and_files_under_a_container(db, tmp_path):
    output = import_command(tmp_path, TK_FILE)
    assert f"Toezeggingen: {TK_COUNT} aangemaakt, 0 bijgewerkt, 0 ongewijzigd" in output
    assert "Status “Afgedaan” (1×) gelezen als “Voldaan”" in output
    assert "Status “Deels Afgedaan” (1×) gelezen als “Deels Voldaan”" in output
    assert "ministerie" not in output  # stored, so nothing to report
    statuses = dict(Commitment.objects.values_list("reference", "status"))
    assert statuses == {
        "TZ202412-116": "open",
        "TZ202412-117": "fulfilled",
        "TZ202412-118": "partially_fulfilled",
        "TZ202412-119": "lapsed",
    }
    done = Commitment.objects.get(reference="TZ202412-117")
    assert done.fulfilled_on == datetime.date(2025, 1, 20)
    assert done.quote == "De minister zegt toe de Kamer te informeren." and done.origin == "imported"
    assert done.created == datetime.datetime(2024, 12, 4, 9, 30, tzinfo=datetime.UTC)
    assert done.events.get().evidence_title == "Kamerbrief 36 600 IX, nr. 12"
    assert done.promised_by.full_name == "E. Heinen" and done.promised_by.surname == "Heinen"
    assert done.promised_by_function == "minister van Financiën" and done.ministry == "Financiën"
    question = Question.objects.get()
    assert (question.session.slug, question.position, question.title) == (
        "tweede-kamer-opendata",
        1,
        "Toezeggingen uit open data",
    )
    assert question.session.committee.slug == "tweede-kamer"
    assert Person.objects.count() == 1


def test_reimport_changes_nothing(db, tmp_path):
    import_command(tmp_path, TK_FILE)
    before, before_dump = counts(), dump()
    output = import_command(tmp_path, TK_FILE)
    assert f"Toezeggingen: 0 aangemaakt, 0 bijgewerkt, {TK_COUNT} ongewijzigd" in output
    assert "Niets gewijzigd." in output
    assert counts() == before and dump() == before_dump


def test_dry_run_writes_nothing(db, tmp_path):
    output = import_command(tmp_path, TK_FILE, "--dry-run")
    assert f"{TK_COUNT} aangemaakt" in output and "Proefdraai" in output
    assert sum(counts().values()) == 0


def test_update_by_number_records_the_transition(db, tmp_path):
    import_command(tmp_path, TK_FILE)
    fulfilled = document(
        toezegging(
            "TZ202412-116",
            status="Voldaan",
            extra="<tk:datumNakoming>2025-02-01T00:00:00</tk:datumNakoming>"
            "<tk:kamerbriefNakoming>Kamerbrief 2025-0042</tk:kamerbriefNakoming>",
        )
    )
    output = import_command(tmp_path, fulfilled)
    assert "0 aangemaakt, 1 bijgewerkt, 0 ongewijzigd" in output
    c = Commitment.objects.get(reference="TZ202412-116")
    assert (c.status, c.fulfilled_on) == ("fulfilled", datetime.date(2025, 2, 1))
    event = c.events.get(kind="transition")
    assert (event.from_status, event.to_status, event.evidence_title) == ("open", "fulfilled", "Kamerbrief 2025-0042")
    assert by_number(parse(opendata_export(commitments=[c])))["TZ202412-116"].findtext(f"{TK}kamerbriefNakoming") == (
        "Kamerbrief 2025-0042"
    )


def test_hand_edited_commitments_are_not_overwritten(db, clerk, tmp_path):
    import_command(tmp_path, TK_FILE)
    c = Commitment.objects.get(reference="TZ202412-116")
    due_date_change(c, by=clerk, due_date=datetime.date(2025, 6, 1), note="Uitstel gevraagd.")
    changed = document(toezegging("TZ202412-116", status="Vervallen"))
    output = import_command(tmp_path, changed)
    assert "1 met de hand bewerkt en niet overschreven" in output and "TZ202412-116: niet overschreven" in output
    assert Commitment.objects.get(reference="TZ202412-116").status == "open"
    import_command(tmp_path, changed, "--overwrite")
    assert Commitment.objects.get(reference="TZ202412-116").status == "lapsed"


def test_open_data_round_trip_reproduces_the_commitments(history):
    Commitment.objects.filter(reference="TZ-2026-0001").update(ministry="Werk en Sociale Economie")
    first = opendata_export(commitments=Commitment.objects.all())
    assert b"<tk:ministerie>Werk en Sociale Economie</tk:ministerie>" in first
    for model in (CommitmentLink, CommitmentEvent, Commitment, Speech, Question, Session, Committee, Person):
        model.objects.all().delete()
    report = opendata_import(data=first, filename="export.xml")
    assert sorted(report.created) == ["TZ-2026-0001", "TZ-2026-0002", "TZ-2026-0005", "TZ-2026-0006"]
    assert report.links_created == 1
    second = opendata_export(commitments=Commitment.objects.all())

    def without_timestamps(data: bytes) -> bytes:
        return re.sub(rb' tk:bijgewerkt="[^"]+"', b"", data)

    assert without_timestamps(second) == without_timestamps(first)
    again = opendata_import(data=second, filename="export.xml")
    assert (again.created, again.updated, len(again.unchanged)) == ([], [], 4)


def test_reimporting_our_own_export_keeps_quotes_and_creates_no_container(history):
    before = dump()
    report = opendata_import(data=opendata_export(commitments=Commitment.objects.all()), filename="export.xml")
    assert (report.created, report.updated, report.locked) == ([], [], [])
    assert len(report.unchanged) == 4
    assert dump() == before


BAD_XML = {
    "malformed": (b'<?xml version="1.0"?>\n<root>\n<tk:toezegging>\n</root>', ["geen geldige XML op regel"]),
    "empty": (b"", ["leeg"]),
    "no toezegging elements": (b"<root><iets/></root>", ["onverwacht element <iets>"]),
    "wrong namespace": (b"<toezegging/>", ["geen toezegging-elementen", "<toezegging>"]),
    "unknown status": (
        document(toezegging("TZ1"), toezegging("TZ2", status="Afgerond")),
        ["regel 4, toezegging 2 (TZ2)", "voldoet niet aan het schema", "Afgerond"],
    ),
    "missing required attribute": (
        document(toezegging("TZ1").replace(' tk:verwijderd="false"', "")),
        ["toezegging 1 (TZ1)", "verwijderd"],
    ),
    "empty text": (document(toezegging("TZ1", text="")), ["toezegging 1 (TZ1)", "veld “tekst”"]),
    "fulfilled without date": (document(toezegging("TZ1", status="Voldaan")), ["veld “datumNakoming”"]),
    "fulfilled in the future": (
        document(toezegging("TZ1", status="Voldaan", extra="<tk:datumNakoming>2999-01-01T00:00:00</tk:datumNakoming>")),
        ["veld “datumNakoming”", "toekomst"],
    ),
    "missing status": (document(toezegging("TZ1", status=None)), ["veld “status”", "ontbreekt"]),
    "missing number": (document(toezegging("TZ1").replace("<tk:nummer>TZ1</tk:nummer>", "")), ["veld “nummer”"]),
    "empty number": (document(toezegging("")), ["tk:nummer", "minLength"]),
    "duplicate number": (document(toezegging("TZ1"), toezegging("TZ1")), ["toezegging 2 (TZ1)", "dubbel nummer"]),
    "number too long": (document(toezegging("TZ" + "9" * 40)), ["veld “nummer”", "langer dan 30"]),
    "entities": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>',
        ["DOCTYPE"],
    ),
}


@pytest.mark.parametrize("case", BAD_XML, ids=list(BAD_XML))
def test_bad_open_data_is_refused_and_nothing_is_written(seed, tmp_path, case):
    data, expected = BAD_XML[case]
    before, before_dump = counts(), dump()
    with pytest.raises(CommandError) as info:
        import_command(tmp_path, data)
    message = str(info.value)
    assert "er werd niets ingelezen" in message and "toezeggingen.xml" in message
    for part in expected:
        assert part in message
    assert counts() == before and dump() == before_dump


def test_valid_elements_are_not_written_when_another_is_invalid(db):
    data = document(toezegging("TZ1"), toezegging("TZ2", status="Voldaan"))
    with pytest.raises(OpendataRefused) as info:
        opendata_import(data=data, filename="x.xml")
    assert [(e.record, e.field) for e in info.value.errors] == [("toezegging 2 (TZ2)", "datumNakoming")]
    assert sum(counts().values()) == 0


def test_huge_open_data_file_is_refused_by_size(db, tmp_path, monkeypatch):
    monkeypatch.setattr(opendata, "MAX_OPENDATA_BYTES", 100)
    with pytest.raises(CommandError, match="te groot .*de grens is 100 bytes"):
        import_command(tmp_path, TK_FILE)
    assert sum(counts().values()) == 0


def test_deleted_entities_are_skipped_and_reported(db):
    data = document(toezegging("TZ1").replace('tk:verwijderd="false"', 'tk:verwijderd="true"'))
    report = opendata_import(data=data, filename="x.xml")
    assert report.skipped == ["TZ1"] and not Commitment.objects.exists()
    assert "verwijderd in de bron" in report.warnings[0]
