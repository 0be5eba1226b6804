"""A transcript a clerk uploads or pastes, read and shown before anything is saved.

Kept out of the admin so the decoding caps and the preview can be tested without a request."""

from django.conf import settings
from django.utils.translation import gettext

from tracker.exchange import importing
from tracker.extraction import TranscriptError, decode_transcript, parse_transcript
from tracker.models import QuestionKind
from tracker.public.presentation import highlight

MAX_UPLOAD_BYTES = settings.TRACKER_MAX_BYTES["transcript"]


def transcript_text(*, upload=None, text: str = "") -> tuple[str, list[str]]:
    """The transcript's text and the decoder's warnings, from an uploaded file or else the pasted text.

    Raises TranscriptError for a file over its cap (a PDF may be larger) or one that cannot be read."""
    if upload:
        pdf_cap = settings.TRACKER_MAX_BYTES["transcript_pdf"]
        cap = max(MAX_UPLOAD_BYTES, pdf_cap) if upload.name.lower().endswith(".pdf") else MAX_UPLOAD_BYTES
        if upload.size > cap:
            raise TranscriptError(
                gettext("%(name)s is too large (%(size)d bytes; at most %(max)d).")
                % {"name": upload.name, "size": upload.size, "max": cap}
            )
        return decode_transcript(upload.read(), filename=upload.name, max_bytes=MAX_UPLOAD_BYTES, pdf_max_bytes=pdf_cap)
    return decode_transcript(text.encode("utf-8"), filename=gettext("pasted text"), max_bytes=MAX_UPLOAD_BYTES)


def preview_transcript(*, text: str, reference_date=None) -> dict:
    """Parsed speeches with the proposed commitments marked in them; nothing is saved.

    Refuses (ImportRefused) what the import would refuse before writing: too many new persons."""
    parsed = parse_transcript(text)
    importing.persons_check(parsed)
    candidates = importing.detect(parsed, reference_date=reference_date or parsed.header.date)
    by_speech: dict[int, list] = {}
    for c in candidates:
        by_speech.setdefault(c.speech_index, []).append(c)
    items = []
    for item in parsed.items:
        speeches = []
        for speech in item.speeches:
            marked = sorted(by_speech.get(speech.index, []), key=lambda c: c.start)
            speeches.append({"speech": speech, "html": highlight(speech.text, marked), "candidates": marked})
        kind = QuestionKind(item.kind).label if item.kind in QuestionKind.values else item.kind
        items.append({"item": item, "kind": kind, "speeches": speeches})
    return {
        "header": parsed.header,
        "items": items,
        "candidates": candidates,
        "warnings": list(parsed.warnings),
        "notes": [*parsed.notes, *(n for item in parsed.items for n in item.notes)],
    }


def preview_context(*, text: str, warnings: list[str], reference_date=None) -> dict:
    """What the import page shows under the form: the preview, every warning (decoder's first), the text."""
    preview = preview_transcript(text=text, reference_date=reference_date)
    return {"preview": preview, "warnings": [*warnings, *preview["warnings"]], "text": text}
