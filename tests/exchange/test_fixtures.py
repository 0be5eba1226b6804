"""The seed fixture: what it holds, that it loads idempotently, and that natural keys round-trip."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from tracker.models import Commitment, CommitmentEvent, Committee, Person, Question, Session, Speech

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPT = ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"
MODELS = [Committee, Person, Session, Question, Speech, Commitment, CommitmentEvent]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_seed_loads_and_loading_twice_creates_no_duplicates(seed):
    first = counts()
    assert first == {
        "Committee": 1,
        "Person": 3,
        "Session": 1,
        "Question": 1,
        "Speech": 13,
        "Commitment": 2,
        "CommitmentEvent": 2,
    }
    call_command("loaddata", "fixtures/seed.json", verbosity=0)
    assert counts() == first


def test_seed_speeches_follow_the_transcript(seed):
    text = TRANSCRIPT.read_text(encoding="utf-8")
    session = Session.objects.get()
    assert session.date is None  # the transcript gives no date
    assert session.source_text == text
    speeches = list(Speech.objects.select_related("speaker").order_by("sequence"))
    roles = [s.speaker_role for s in speeches]
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
    assert [s.speaker.slug if s.speaker else None for s in speeches if s.speaker_role != "chair"] == [
        "vandromme",
        "hilde-crevits",
        "vandromme",
        "claes",
        "hilde-crevits",
        "vandromme",
    ]
    assert speeches[3].speaker_label == "Minister Hilde Crevits"
    assert speeches[-1].text == "Dat doen we zeker."
    for speech in speeches:
        for paragraph in speech.text.split("\n\n"):
            assert paragraph in text
        assert "U bent hier" not in speech.text
        assert "Vergadering bijwonen" not in speech.text
        assert "afgehandeld" not in speech.text


def test_seed_commitments_quote_their_speech_verbatim(seed):
    a, b = Commitment.objects.select_related("source_speech", "promised_by").order_by("reference")
    assert (a.status, b.status) == ("open", "open")
    assert a.kind == "send_document" and a.promised_by.slug == "hilde-crevits"
    assert "Blended business models" in a.quote and "bezorgen" in a.quote
    assert b.kind == "hearing" and b.promised_by is None and b.source_speech.speaker_role == "chair"
    assert b.due_text == "zodra die studie is opgeleverd"
    for c in (a, b):
        assert c.quote in c.source_speech.text
    assert not Commitment.objects.filter(quote__icontains="acht voorbeelden").exists()


def _dump():
    out = io.StringIO()
    call_command(
        "dumpdata",
        "tracker",
        natural_foreign=True,
        natural_primary=True,
        indent=1,
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_natural_key_round_trip_into_an_empty_database(seed, tmp_path):
    before = _dump()
    dump_file = tmp_path / "dump.json"
    dump_file.write_text(json.dumps(before), encoding="utf-8")
    for model in reversed(MODELS):
        model.objects.all().delete()
    assert sum(counts().values()) == 0
    call_command("loaddata", str(dump_file), verbosity=0)
    assert _dump() == before
