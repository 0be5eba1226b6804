"""Shared argument handling for the thin import commands."""

import argparse
import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, OutputWrapper
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from tracker.extraction import TranscriptError, decode_transcript
from tracker.extraction.sources.xml import parse_xml

MAX_TRANSCRIPT_BYTES = settings.TRACKER_MAX_BYTES["transcript"]

# Session.source_url's max_length.
MAX_URL_LENGTH = 500


class InputTooLarge(Exception):
    pass


def read_capped(path: str, *, max_bytes: int) -> bytes:
    """At most max_bytes of the file, or InputTooLarge. stat() cannot be trusted for this: a pipe or
    /dev/zero reports size 0, so read one byte past the limit instead and never more."""
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLarge
    return data


def read_transcript(path: str, *, persons: str | None = None) -> tuple[str, list[str]]:
    """Read and decode a transcript file, turning every problem into a clear CommandError. persons is
    the path of a ParlaMint corpus's listPerson file, which resolves a TEI sitting's speakers."""
    data = read_transcript_bytes(path)
    person_list = read_person_list(persons) if persons else None
    try:
        return decode_transcript(
            data,
            filename=path,
            max_bytes=MAX_TRANSCRIPT_BYTES,
            pdf_max_bytes=settings.TRACKER_MAX_BYTES["transcript_pdf"],
            person_list=person_list,
        )
    except TranscriptError as exc:
        raise CommandError(str(exc)) from None


def read_person_list(path: str) -> bytes:
    """The bytes of a ParlaMint listPerson file, or a clear CommandError. A whole corpus's list is
    larger than a sitting (ParlaMint-NL's is 335 kB, the largest a few MB), hence the open-data cap."""
    cap = settings.TRACKER_MAX_BYTES["opendata"]
    try:
        data = read_capped(path, max_bytes=cap)
    except InputTooLarge:
        raise CommandError(
            _("%(file)s: the file is too large (more than %(limit)s bytes).")
            % {"file": path, "limit": f"{cap:,}".replace(",", ".")}
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise CommandError(
            f"--persons {path}: personenlijst niet leesbaar ({reason}). Er werd niets ingelezen."
        ) from None
    # Checked here, not only when decoding, so a fault names the list rather than the sitting.
    try:
        root = parse_xml(data, filename=f"--persons {path}", what="TEI-personenlijst")
    except TranscriptError as exc:
        raise CommandError(f"{exc} Er werd niets ingelezen.") from None
    if next(root.iter("{*}person"), None) is None:
        raise CommandError(
            f"--persons {path}: geen ParlaMint-personenlijst (geen <person>-elementen). Er werd niets ingelezen."
        )
    return data


def read_transcript_bytes(path: str) -> bytes:
    """The bytes of a transcript file, or a clear CommandError. A PDF report may be larger than text (fonts,
    page images): it has a cap of its own."""
    pdf_cap = settings.TRACKER_MAX_BYTES["transcript_pdf"]
    cap = max(MAX_TRANSCRIPT_BYTES, pdf_cap) if path.lower().endswith(".pdf") else MAX_TRANSCRIPT_BYTES
    try:
        return read_capped(path, max_bytes=cap)
    except InputTooLarge:
        raise CommandError(
            _("%(file)s: the file is too large (more than %(limit)s bytes).")
            % {"file": path, "limit": f"{cap:,}".replace(",", ".")}
        ) from None
    except FileNotFoundError:
        raise CommandError(_("%(file)s: file not found.") % {"file": path}) from None
    except IsADirectoryError:
        raise CommandError(_("%(file)s: this is a directory, not a file.") % {"file": path}) from None
    except OSError as exc:
        raise CommandError(
            _("%(file)s: cannot read the file (%(reason)s).") % {"file": path, "reason": exc.strerror}
        ) from None


# The argument types raise ArgumentTypeError, not CommandError: argparse turns it into "argument --x: …"
# (a usage error on the command line, a CommandError under call_command); a CommandError raised while
# parsing escapes run_from_argv as a traceback.


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'%(value)s' is not a date in the form YYYY-MM-DD.") % {"value": escape_controls(value)}
        ) from None


def parse_url(value: str) -> str:
    """An http(s) address for --url: the session links to it on public pages, so javascript:, data:
    and the like are refused here with a message instead of a validation traceback at save time."""
    if value == "":
        return value
    try:
        if len(value) > MAX_URL_LENGTH:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise argparse.ArgumentTypeError(
            _(
                "'%(value)s' is not a valid web address; give an address starting with http:// or https:// "
                "(at most %(max)s characters)."
            )
            % {"value": escape_controls(value[:200]), "max": MAX_URL_LENGTH}
        ) from None
    return value


# Enough to see what is wrong without drowning the terminal; the rest is counted.
MAX_ERRORS_SHOWN = 200


def refused(errors) -> CommandError:
    """All errors of a refused import as one message (the first MAX_ERRORS_SHOWN of them)."""
    shown = [str(e) for e in errors[:MAX_ERRORS_SHOWN]]
    if len(errors) > MAX_ERRORS_SHOWN:
        shown.append(_("… and %(count)s more error(s).") % {"count": len(errors) - MAX_ERRORS_SHOWN})
    found = _("%(count)s error(s) found; nothing was imported.") % {"count": len(errors)}
    return CommandError(found + "\n" + "\n".join(shown))


def write_import_report(command, report, *, dry_run: bool) -> None:
    for warning in report.warnings:
        command.stderr.write(_("warning: %(warning)s") % {"warning": warning})
    if dry_run:
        command.stdout.write(_("Dry run: nothing is saved."))
    for line in report.lines():
        command.stdout.write(line)


# C0/C1 control characters (ESC starts terminal escape sequences; CSI is U+009B) and the bidirectional
# overrides that reorder what a reader sees. Newline and tab are layout and pass.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """Text with control characters shown as \\uXXXX, so a transcript cannot drive the terminal. The JSON
    form keeps JSON output valid and decodes back to the same character."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _EscapingOutput:
    """A command's OutputWrapper that escapes each message before the wrapper adds its own colours."""

    def __init__(self, wrapped: OutputWrapper):
        self._wrapped = wrapped

    def write(self, msg="", style_func=None, ending=None):
        self._wrapped.write(escape_controls(msg), style_func=style_func, ending=ending)

    @property
    def style_func(self):
        return self._wrapped.style_func

    @style_func.setter
    def style_func(self, value):
        self._wrapped.style_func = value

    def __getattr__(self, name):
        return getattr(self._wrapped, name)


class EscapedOutputCommand:
    """Mixin for commands that print text from imported files: everything they write to stdout and
    stderr (CommandError messages on the command line included) goes through escape_controls."""

    def execute(self, *args, **options):
        for name in ("stdout", "stderr"):
            # Taken out of options, so BaseCommand.execute does not put a plain wrapper back.
            given = options.pop(name, None)
            wrapper = OutputWrapper(given) if given else getattr(self, name)
            if not isinstance(wrapper, _EscapingOutput):
                wrapper = _EscapingOutput(wrapper)
            setattr(self, name, wrapper)
        return super().execute(*args, **options)
