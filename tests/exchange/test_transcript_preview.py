"""The transcript import page's reading and preview, without a request: caps, decoding, marked proposals."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tracker.exchange import transcript_preview
from tracker.exchange.transcript_preview import preview_context, preview_transcript, transcript_text
from tracker.extraction import TranscriptError
from tracker.models import Session

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"
PDF = ROOT / "tests" / "samples" / "pdf" / "vlaams-parlement-03.pdf"


@pytest.fixture(autouse=True)
def rules_threshold(settings):
    # The proposals the rules find, not the trained scorer's: the count below must not move with retraining.
    settings.TRACKER_CANDIDATE_THRESHOLD = 0.5


def test_pasted_text_is_read_when_no_file_is_given():
    text, warnings = transcript_text(text=SEED.read_text(encoding="utf-8"))
    assert "maatwerkbedrijven" in text.lower()
    assert isinstance(warnings, list)


def test_an_upload_wins_over_pasted_text():
    upload = SimpleUploadedFile("zitting.txt", SEED.read_bytes())
    text, _ = transcript_text(upload=upload, text="Geen sprekers hier.")
    assert "maatwerkbedrijven" in text.lower()


def test_a_text_file_over_the_cap_is_refused_naming_file_size_and_cap(monkeypatch):
    monkeypatch.setattr(transcript_preview, "MAX_UPLOAD_BYTES", 100)
    upload = SimpleUploadedFile("groot.txt", b"x" * 101)
    with pytest.raises(TranscriptError) as refused:
        transcript_text(upload=upload)
    assert all(part in str(refused.value) for part in ("groot.txt", "101", "100"))


def test_a_pdf_may_be_as_large_as_the_pdf_cap(monkeypatch, settings):
    size = PDF.stat().st_size
    monkeypatch.setattr(transcript_preview, "MAX_UPLOAD_BYTES", size - 1)
    settings.TRACKER_MAX_BYTES = {**settings.TRACKER_MAX_BYTES, "transcript_pdf": size}
    text, _ = transcript_text(upload=SimpleUploadedFile("zitting.PDF", PDF.read_bytes()))
    assert text.strip()
    settings.TRACKER_MAX_BYTES = {**settings.TRACKER_MAX_BYTES, "transcript_pdf": size - 1}
    with pytest.raises(TranscriptError, match="zitting.PDF"):
        transcript_text(upload=SimpleUploadedFile("zitting.PDF", PDF.read_bytes()))


def test_preview_marks_the_proposals_in_their_speeches_and_saves_nothing():
    preview = preview_transcript(text=SEED.read_text(encoding="utf-8"))
    assert len(preview["candidates"]) == 2
    speeches = [speech for item in preview["items"] for speech in item["speeches"]]
    assert sum(str(speech["html"]).count("<mark>") for speech in speeches) == 2
    assert sum(len(speech["candidates"]) for speech in speeches) == 2
    assert Session.objects.count() == 0


def test_preview_refuses_text_without_speakers():
    with pytest.raises(TranscriptError):
        preview_transcript(text="Geen sprekers hier.\n\nOok niet hier.")


def test_preview_context_puts_the_decoder_warnings_first():
    text = SEED.read_text(encoding="utf-8")
    context = preview_context(text=text, warnings=["uit de decoder"])
    assert context["text"] == text
    assert context["warnings"][0] == "uit de decoder"
    assert context["warnings"][1:] == context["preview"]["warnings"]
