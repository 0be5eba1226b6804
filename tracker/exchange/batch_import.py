"""Batch transcript import: many files (or a ZIP) become one ImportBatch, each file one task.

The file's bytes are stored in the database, so a worker on any machine can read them; the task
carries only the file's id. Each file is imported by the single-file service (importing.
transcript_import) in its own transaction, together with the row that records its outcome: a file
is imported whole and marked done, or not at all and marked failed with the reason. A retried task
finds the file done and does nothing.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.exchange import importing
from tracker.exchange.base import RefusedWhole
from tracker.extraction import TranscriptError, decode_transcript
from tracker.models import Committee, ImportBatch, ImportBatchFile

# One file: the same cap as the single import (TRACKER_MAX_BYTES; a PDF has its own).
MAX_FILE_BYTES = settings.TRACKER_MAX_BYTES["transcript"]
# A batch (all its files together, a ZIP's after decompression): a legislature of transcripts fits.
MAX_BATCH_FILES = 2_000
MAX_BATCH_BYTES = 200_000_000
TRANSCRIPT_SUFFIXES = (".txt", ".htm", ".html", ".xml", ".pdf")

ATTEMPTS = 3
State = ImportBatchFile.State
FINISHED = [State.DONE, State.UNCHANGED, State.FAILED]


class BatchRefused(RefusedWhole):
    """The upload as a whole cannot be taken (a ZIP with a dangerous member, too many files…). Nothing was saved."""


@dataclass
class Upload:
    """One file to import: its name as given and its bytes (None with `error` when it could not be read)."""

    name: str
    data: bytes | None
    error: str = ""


def max_file_bytes(name: str) -> int:
    """The largest file of this name one import takes: a PDF report carries fonts and page images."""
    limits = settings.TRACKER_MAX_BYTES
    return (
        max(limits["transcript"], limits["transcript_pdf"]) if name.lower().endswith(".pdf") else limits["transcript"]
    )


def _dutch_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _unsafe_member_name(name: str) -> bool:
    # Nothing is extracted to disk, but a name that climbs out of the archive is a sign of a crafted
    # file and would show a misleading name to the clerk: refuse it.
    if name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return True
    if len(name) > 1 and name[1] == ":":
        return True
    return ".." in name.split("/")


def read_zip(fileobj, *, name: str) -> list[Upload]:
    """The transcripts in a ZIP file, read with caps on the number of members and on their real
    (decompressed) sizes; the sizes the archive declares are not trusted."""
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BatchRefused(_("%(name)s is not a valid ZIP file.") % {"name": name}) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_BATCH_FILES:
            raise BatchRefused(
                _("%(name)s holds %(n)s files; at most %(max)s are allowed in one batch.")
                % {"name": name, "n": _dutch_int(len(members)), "max": _dutch_int(MAX_BATCH_FILES)}
            )
        uploads, total = [], 0
        for member in members:
            if member.filename.startswith("__MACOSX/"):
                continue  # the resource forks macOS adds to every archive; never a transcript
            data = _read_member(archive, member, zip_name=name, budget=MAX_BATCH_BYTES - total)
            total += len(data)
            uploads.append(Upload(name=member.filename, data=data))
    if not uploads:
        raise BatchRefused(_("%(name)s holds no transcripts (.txt, .html, .xml or .pdf files).") % {"name": name})
    return uploads


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, zip_name: str, budget: int) -> bytes:
    where = {"zip": zip_name, "member": member.filename}
    if _unsafe_member_name(member.filename):
        raise BatchRefused(
            _("%(zip)s: the member “%(member)s” has an unsafe path (absolute or with “..”); nothing was imported.")
            % where
        )
    if not member.filename.lower().endswith(TRANSCRIPT_SUFFIXES):
        raise BatchRefused(
            _(
                "%(zip)s: “%(member)s” is not a transcript; only .txt, .html, .xml and .pdf files are allowed. "
                "Nothing was imported."
            )
            % where
        )
    limit = max_file_bytes(member.filename)
    cap = min(limit, budget)
    try:
        with archive.open(member) as fh:
            data = fh.read(cap + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
        # RuntimeError: encrypted; NotImplementedError: an unknown compression method.
        raise BatchRefused(_("%(zip)s: “%(member)s” cannot be read; nothing was imported.") % where) from None
    if len(data) > cap:
        if cap < limit:
            raise BatchRefused(
                _("%(zip)s unpacks to more than %(max)s bytes; split it into smaller batches. Nothing was imported.")
                % {"zip": zip_name, "max": _dutch_int(MAX_BATCH_BYTES)}
            )
        raise BatchRefused(
            _("%(zip)s: “%(member)s” is too large (more than %(max)s bytes unpacked); nothing was imported.")
            % {**where, "max": _dutch_int(limit)}
        )
    return data


def transcript_batch_start(
    *, files: list[Upload], committee: Committee | None = None, by=None, name: str = "", enqueue: bool = True
) -> ImportBatch:
    """Save the files as a batch and, once that is committed, enqueue one import task per file.

    A file that could not be read (its Upload has an error) is recorded as failed straight away, so
    the batch reports it next to the others. `enqueue=False` leaves the files for the caller to run
    in-process (the command line without --queue).
    """
    if not files:
        raise BatchRefused(_("Choose at least one transcript file."))
    if len(files) > MAX_BATCH_FILES:
        raise BatchRefused(
            _("%(n)s files; at most %(max)s are allowed in one batch.")
            % {"n": _dutch_int(len(files)), "max": _dutch_int(MAX_BATCH_FILES)}
        )
    if sum(len(f.data or b"") for f in files) > MAX_BATCH_BYTES:
        raise BatchRefused(
            _("The files together are larger than %(max)s bytes; split them into smaller batches.")
            % {"max": _dutch_int(MAX_BATCH_BYTES)}
        )
    now = timezone.now()
    with transaction.atomic():
        default_name = ngettext("%(n)d file", "%(n)d files", len(files)) % {"n": len(files)}
        batch = ImportBatch.objects.create(name=(name or default_name)[:255], committee=committee, started_by=by)
        rows = ImportBatchFile.objects.bulk_create(
            ImportBatchFile(
                batch=batch,
                position=n,
                name=f.name[:255],
                data=b"" if f.error else f.data,
                state=State.FAILED if f.error else State.QUEUED,
                error=f.error,
                finished=now if f.error else None,
            )
            for n, f in enumerate(files, start=1)
        )
        if enqueue:
            ids = [row.pk for row in rows if row.state == State.QUEUED]
            transaction.on_commit(lambda: _enqueue(ids))
    return batch


def _enqueue(ids: list[int]) -> None:
    # One commit for all of them: with the database backend, a thousand tasks cost one fsync, not a
    # thousand, and the workers see the whole batch at once.
    with transaction.atomic():
        for file_id in ids:
            import_batch_file.enqueue(file_id)


@task()
def import_batch_file(file_id: int) -> str:
    """Import one file of a batch; returns its final state. Safe to run again."""
    return batch_file_run(file_id=file_id)


def batch_file_run(*, file_id: int) -> str:
    """Import the file and record the outcome in the same transaction (so 'done' means 'imported').

    Two workers importing at the same moment can collide on a unique key (the same sitting, or a
    person or committee both transcripts introduce); the loser waits for the winner's commit, so a
    fresh attempt finds the winner's rows and uses them.
    """
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return _run_once(file_id)
        except (importing.ImportRefused, TranscriptError) as exc:
            return _record_failure(file_id, str(exc))
        except (IntegrityError, OperationalError) as exc:
            if not _collision(exc):
                _record_failure(file_id, _unexpected(exc))
                raise
            if attempt == ATTEMPTS:
                return _record_failure(file_id, _("The sitting was imported at the same time by another file."))
        except Exception as exc:
            _record_failure(file_id, _unexpected(exc))
            raise
    raise AssertionError("unreachable")


def _collision(exc: Exception) -> bool:
    """A unique key taken by a concurrent import, or PostgreSQL breaking a deadlock between two."""
    return isinstance(exc, IntegrityError) or getattr(exc.__cause__, "sqlstate", None) == "40P01"


def _unexpected(exc: Exception) -> str:
    return _("Unexpected error (%(kind)s): %(error)s") % {"kind": type(exc).__name__, "error": exc}


def _run_once(file_id: int) -> str:
    with transaction.atomic():
        row = (
            ImportBatchFile.objects.select_for_update(of=("self",))
            .select_related("batch__committee", "batch__started_by")
            .get(pk=file_id)
        )
        if row.state in (State.DONE, State.UNCHANGED):
            return row.state
        text, warnings = decode_transcript(
            bytes(row.data),
            filename=row.name,
            max_bytes=settings.TRACKER_MAX_BYTES["transcript"],
            pdf_max_bytes=settings.TRACKER_MAX_BYTES["transcript_pdf"],
        )
        report = importing.transcript_import(text=text, committee=row.batch.committee, by=row.batch.started_by)
        row.state = State.UNCHANGED if report.unchanged else State.DONE
        row.session = report.session
        row.proposals = len(report.candidates)
        row.warnings = "\n".join([*warnings, *report.warnings])
        row.error = ""
        row.finished = timezone.now()
        row.data = b""  # the sitting keeps the text; a failed file keeps its bytes for another try
        row.save(update_fields=["state", "session", "proposals", "warnings", "error", "finished", "data"])
        return row.state


def _record_failure(file_id: int, reason: str) -> str:
    # Never overwrite a success: a stray rerun that fails must not hide an imported file.
    ImportBatchFile.objects.filter(pk=file_id).exclude(state__in=[State.DONE, State.UNCHANGED]).update(
        state=State.FAILED, error=reason, finished=timezone.now()
    )
    return State.FAILED


def batch_progress(batch: ImportBatch) -> dict:
    """The batch's figures in one query: files done / total, per state, proposals, first and last finish."""
    figures = batch.files.aggregate(
        total=Count("id"),
        queued=Count("id", filter=Q(state=State.QUEUED)),
        imported=Count("id", filter=Q(state=State.DONE)),
        unchanged=Count("id", filter=Q(state=State.UNCHANGED)),
        failed=Count("id", filter=Q(state=State.FAILED)),
        proposals=Sum("proposals", default=0),
        first_finished=Min("finished"),
        last_finished=Max("finished"),
    )
    figures["finished"] = figures["total"] - figures["queued"]
    figures["percent"] = round(100 * figures["finished"] / figures["total"]) if figures["total"] else 100
    figures["complete"] = figures["queued"] == 0
    elapsed = (figures["last_finished"] - batch.created).total_seconds() if figures["last_finished"] else 0
    figures["elapsed"] = elapsed
    figures["per_minute"] = round(60 * figures["finished"] / elapsed) if elapsed > 0 else None
    return figures


def batch_annotations() -> dict:
    """The same counts as annotations, for the list of batches (one query for the whole page)."""
    return {
        "total_files": Count("files"),
        "finished_files": Count("files", filter=~Q(files__state=State.QUEUED)),
        "failed_files": Count("files", filter=Q(files__state=State.FAILED)),
        "proposal_count": Sum("files__proposals", default=0),
    }
