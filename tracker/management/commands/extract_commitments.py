import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.exchange.importing import detect
from tracker.extraction import TranscriptError, parse_transcript

from ._common import EscapedOutputCommand, parse_date, read_transcript


def transcript_json(path: str, text: str, warnings: list[str], reference_date) -> dict:
    parsed = parse_transcript(text)
    speeches = parsed.speeches
    return {
        "file": path,
        "warnings": [*warnings, *parsed.warnings],
        "header": {
            "date": parsed.header.date.isoformat() if parsed.header.date else None,
            "committee": parsed.header.committee,
            "number": parsed.header.number,
            "asker": parsed.header.asker,
            "minister": parsed.header.minister,
        },
        "speeches": [
            {
                "index": s.index,
                "item": s.item_position,
                "speaker": s.name or s.label,
                "label": s.label,
                "role": s.role,
                "text": s.text,
            }
            for s in speeches
        ],
        "candidates": [
            {
                "speech_index": c.speech_index,
                "speaker": c.speaker or speeches[c.speech_index].label,
                "role": c.role,
                "quote": c.quote,
                "start": c.start,
                "end": c.end,
                "kind": c.kind,
                "promiser": c.promiser,
                "promised_to": list(c.promised_to),
                "to_committee": c.to_committee,
                "due_text": c.due_text,
                "due_date": c.due_date.isoformat() if c.due_date else None,
                "event_bound": c.event_bound,
                "confidence": round(c.confidence, 3),
                "rule": c.rule,
                "request_speech_index": c.request_speech_index,
                "request_quote": c.request_quote,
            }
            for c in detect(parsed, reference_date=reference_date)
        ],
    }


class Command(EscapedOutputCommand, BaseCommand):
    help = "Propose commitments in transcript files without writing to the database."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--date", type=parse_date, help="Reference date for relative deadlines (JJJJ-MM-DD).")

    def handle(self, *args, files, format, date, **options):
        documents, errors = [], []
        for path in files:
            try:
                text, warnings = read_transcript(path)
                documents.append(transcript_json(path, text, warnings, date))
            except (CommandError, TranscriptError) as exc:
                errors.append(str(exc))
        if format == "json":
            self.stdout.write(json.dumps({"files": documents}, ensure_ascii=False, indent=2))
        else:
            for doc in documents:
                self.stdout.write(
                    _("%(file)s: %(speeches)s speeches, %(candidates)s proposed commitments")
                    % {"file": doc["file"], "speeches": len(doc["speeches"]), "candidates": len(doc["candidates"])}
                )
                for c in doc["candidates"]:
                    self.stdout.write(f"  [{c['kind']}] {c['speaker']} ({c['confidence']:.2f}): {c['quote']}")
        if errors:
            raise CommandError("\n".join(errors))
