"""Transcript import into the database: sessions, speeches, persons, candidates; idempotent, all or nothing."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tracker.exchange.importing import ImportRefused, transcript_import
from tracker.extraction import TranscriptError
from tracker.models import Commitment, CommitmentEvent, Committee, Person, Question, Session, Speech

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"
MODELS = [Committee, Person, Session, Question, Speech, Commitment, CommitmentEvent]


@pytest.fixture(autouse=True)
def rules_threshold(settings):
    """Pin the proposals to what the rules find (probability >= 0.5), so these tests of importing and
    reviewing do not change with every retraining; the trained default is tested below and in
    tests/extraction/test_learning.py."""
    settings.TRACKER_CANDIDATE_THRESHOLD = 0.5


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Commissie voor Economie", slug="economie")


def test_seed_import_creates_speeches_persons_and_two_candidates(committee):
    report = transcript_import(text=SEED.read_text(encoding="utf-8"), committee="economie", by=None)
    assert (report.items, report.speeches) == (1, 13)
    assert sorted(report.persons_created) == ["Claes", "Hilde Crevits", "Vandromme"]
    session = Session.objects.get()
    assert session.date is None and session.committee == committee
    assert "videoconferentie" in session.note
    question = Question.objects.get()
    assert question.kind == "vraag_om_uitleg"
    assert [p.full_name for p in question.asked_by.all()] == ["Vandromme"]
    assert question.addressed_to.full_name == "Hilde Crevits"
    roles = list(Speech.objects.order_by("sequence").values_list("speaker_role", flat=True))
    assert roles == [
        "chair",
        "member",
        "chair",
        "minister",
        "chair",
        "member",
        "chair",
        "member",
        "chair",
        "minister",
        "chair",
        "member",
        "chair",
    ]
    candidates = list(Commitment.objects.order_by("source_speech__sequence"))
    assert [c.status for c in candidates] == ["candidate", "candidate"]
    assert {c.origin for c in candidates} == {"extracted"}
    send, hearing = candidates
    assert send.kind == "send_document" and send.promised_by.full_name == "Hilde Crevits"
    assert "bezorgen" in send.quote and send.quote in send.source_speech.text
    assert hearing.source_speech.speaker_role == "chair" and hearing.promised_by is None
    assert hearing.kind == "hearing"
    assert all(0 <= c.confidence <= 1 for c in candidates)
    assert all(c.events.get().kind == "created" for c in candidates)


def test_reimporting_the_same_text_creates_nothing(committee):
    text = SEED.read_text(encoding="utf-8")
    transcript_import(text=text, committee="economie", by=None)
    before = counts()
    report = transcript_import(text=text, committee="economie", by=None)
    assert report.unchanged
    assert counts() == before


def test_changed_text_of_the_same_sitting_is_refused_unless_replaced(committee):
    text = SEED.read_text(encoding="utf-8")
    transcript_import(text=text, committee="economie", by=None)
    before = counts()
    changed = text.replace("Dank u wel voor de goede voorbeelden.", "Dank u wel voor de vele voorbeelden.")
    with pytest.raises(ImportRefused, match="al in het register"):
        transcript_import(text=changed, committee="economie", by=None)
    assert counts() == before
    report = transcript_import(text=changed, committee="economie", by=None, replace=True)
    assert report.replaced
    assert Session.objects.get().source_text == changed
    assert counts() == before


def test_replacing_is_refused_once_a_commitment_was_reviewed(committee, clerk):
    from tracker.register.workflow import commitment_register

    text = SEED.read_text(encoding="utf-8")
    report = transcript_import(text=text, committee="economie", by=None)
    commitment_register(report.candidates[0], by=clerk)
    changed = text.replace("Dat klinkt alvast veelbelovend.", "Dat klinkt veelbelovend.")
    with pytest.raises(ImportRefused, match="beoordeeld"):
        transcript_import(text=changed, committee="economie", by=None, replace=True)
    assert Session.objects.get().source_text == text


def test_persons_are_matched_by_normalised_name(committee):
    Person.objects.create(full_name="Hilde Crevits", surname="Crevits", slug="hilde-crevits", party="CD&V")
    Person.objects.create(full_name="Katrien Vandromme", surname="Vandromme", slug="katrien-vandromme")
    report = transcript_import(text=SEED.read_text(encoding="utf-8"), committee="economie", by=None)
    assert report.persons_created == ["Claes"]
    assert Person.objects.count() == 3
    assert Speech.objects.filter(speaker__slug="katrien-vandromme").count() == 3


def test_dry_run_writes_nothing_but_reports_the_counts(committee):
    report = transcript_import(text=SEED.read_text(encoding="utf-8"), committee="economie", by=None, dry_run=True)
    assert (report.speeches, len(report.candidates)) == (13, 2)
    assert counts() == {**{m.__name__: 0 for m in MODELS}, "Committee": 1}


def test_pasted_text_with_a_nul_character_is_refused_and_writes_nothing(committee):
    """Text that skipped the file decoder: PostgreSQL cannot store NUL, so it is refused up front."""
    text = SEED.read_text(encoding="utf-8").replace("Dat doen we zeker.", "Dat doen we zeker.\x00")
    with pytest.raises(TranscriptError, match="NUL"):
        transcript_import(text=text, committee="economie", by=None)
    assert counts() == {**{m.__name__: 0 for m in MODELS}, "Committee": 1}


def test_transcript_without_committee_is_refused(db):
    with pytest.raises(ImportRefused, match="commissie"):
        transcript_import(text=SEED.read_text(encoding="utf-8"), by=None)
    assert Session.objects.count() == 0


def test_import_transcript_command_prints_counts_and_candidates(committee, capsys):
    call_command("import_transcript", str(SEED), "--committee", "economie", "--date", "2021-03-02")
    out = capsys.readouterr().out
    assert "tussenkomsten: 13" in out
    assert "voorgestelde toezeggingen: 2" in out
    assert "Hilde Crevits" in out
    assert Session.objects.get().date.isoformat() == "2021-03-02"
    call_command("import_transcript", str(SEED), "--committee", "economie")
    assert "ongewijzigd" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "leeg"),
        (b"\x00\x01\x02binary\x00" * 50, "binair"),
        (b"Dit is gewoon een tekst zonder sprekers.\n\nNog een alinea.", "sprekers"),
    ],
)
def test_import_transcript_bad_input_is_a_clear_error_and_writes_nothing(committee, tmp_path, content, message):
    path = tmp_path / "slecht.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as excinfo:
        call_command("import_transcript", str(path), "--committee", "economie")
    assert "slecht.txt" in str(excinfo.value)
    assert Session.objects.count() == 0


def test_import_transcript_refuses_a_huge_file_quickly(committee, tmp_path):
    path = tmp_path / "groot.txt"
    path.write_bytes(b"Mevrouw X heeft het woord.\n\n" + b"a" * 10_000_000)
    with pytest.raises(CommandError, match="te groot"):
        call_command("import_transcript", str(path), "--committee", "economie")
    assert Session.objects.count() == 0


def test_import_transcript_unknown_committee_and_bad_date(tmp_path):
    with pytest.raises(CommandError, match="(?i)onbekend"):
        call_command("import_transcript", str(SEED), "--committee", "bestaat-niet")
    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        call_command("import_transcript", str(SEED), "--committee", "x", "--date", "2 maart")
    assert Session.objects.count() == 0


def test_non_utf8_transcript_falls_back_to_cp1252_and_says_so(committee, tmp_path, capsys):
    path = tmp_path / "cp1252.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    call_command("import_transcript", str(path), "--committee", "economie")
    captured = capsys.readouterr()
    assert "cp1252" in captured.err.lower() or "windows-1252" in captured.err.lower()
    assert "’" in Speech.objects.get(sequence=2).text  # the curly apostrophe survived the fallback


def test_extract_commitments_json_contract_on_the_seed(capsys):
    call_command("extract_commitments", str(SEED), "--format", "json")
    document = json.loads(capsys.readouterr().out)
    [file] = document["files"]
    assert file["file"] == str(SEED)
    assert len(file["speeches"]) == 13
    assert set(file["speeches"][0]) >= {"index", "speaker", "role", "text"}
    candidates = file["candidates"]
    assert len(candidates) == 2
    for c in candidates:
        assert set(c) >= {
            "speech_index",
            "speaker",
            "role",
            "quote",
            "start",
            "end",
            "kind",
            "promised_to",
            "due_text",
            "due_date",
            "confidence",
            "rule",
        }
        text = file["speeches"][c["speech_index"]]["text"]
        assert text[c["start"] : c["end"]] == c["quote"]
        assert 0 <= c["confidence"] <= 1
    send, hearing = sorted(candidates, key=lambda c: c["speech_index"])
    assert (send["kind"], send["role"], send["speaker"]) == ("send_document", "minister", "Hilde Crevits")
    assert (hearing["kind"], hearing["role"]) == ("hearing", "chair")
    assert "opgeleverd" in hearing["due_text"]
    assert all(file["speeches"][c["speech_index"]]["role"] != "member" for c in candidates)


def test_extract_commitments_writes_nothing(db, capsys):
    call_command("extract_commitments", str(SEED), "--format", "json")
    assert counts() == {m.__name__: 0 for m in MODELS}


@pytest.mark.parametrize("threshold", [None, 0.0])
def test_the_trained_threshold_proposes_more_and_the_seed_commitments_first(committee, settings, threshold):
    """Recall first: at the trained threshold (or none at all) the queue holds more than the two real
    commitments, and the scorer puts those two on top."""
    settings.TRACKER_CANDIDATE_THRESHOLD = threshold
    transcript_import(text=SEED.read_text(encoding="utf-8"), committee="economie", by=None)
    ranked = list(Commitment.objects.order_by("-confidence"))
    assert len(ranked) > 2
    assert {c.kind for c in ranked[:2]} == {"send_document", "hearing"}
    assert ranked[1].confidence > ranked[2].confidence
