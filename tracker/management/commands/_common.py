"""Shared argument handling for the thin import commands."""

import datetime
from pathlib import Path

from django.core.management.base import CommandError

from tracker.extraction import TranscriptError, decode_transcript

MAX_TRANSCRIPT_BYTES = 5_000_000


def read_transcript(path: str) -> tuple[str, list[str]]:
    """Read and decode a transcript file, turning every problem into a clear CommandError."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_TRANSCRIPT_BYTES:
            raise CommandError(f"{path}: het bestand is te groot ({size:,} bytes; hoogstens {MAX_TRANSCRIPT_BYTES:,}).")
        data = file.read_bytes()
    except FileNotFoundError:
        raise CommandError(f"{path}: bestand niet gevonden.") from None
    except IsADirectoryError:
        raise CommandError(f"{path}: dit is een map, geen bestand.") from None
    except OSError as exc:
        raise CommandError(f"{path}: kan het bestand niet lezen ({exc.strerror}).") from None
    try:
        return decode_transcript(data, filename=path, max_bytes=MAX_TRANSCRIPT_BYTES)
    except TranscriptError as exc:
        raise CommandError(str(exc)) from None


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date: '{value}' is geen datum in de vorm JJJJ-MM-DD.") from None


# Enough to see what is wrong without drowning the terminal; the rest is counted.
MAX_ERRORS_SHOWN = 200


def refused(errors) -> CommandError:
    """All errors of a refused import as one message (the first MAX_ERRORS_SHOWN of them)."""
    shown = [str(e) for e in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        shown.append(f"… en nog {len(errors) - MAX_ERRORS_SHOWN} fout(en).")
    return CommandError(f"{len(errors)} fout(en) gevonden; er werd niets ingelezen.\n" + "\n".join(shown))


def write_import_report(command, report, *, dry_run: bool) -> None:
    for warning in report.warnings:
        command.stderr.write(f"waarschuwing: {warning}")
    if dry_run:
        command.stdout.write("Proefdraai: er wordt niets opgeslagen.")
    for line in report.lines():
        command.stdout.write(line)
