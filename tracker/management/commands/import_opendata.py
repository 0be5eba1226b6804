from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.exchange import opendata
from tracker.exchange.opendata import (
    OpendataError,
    OpendataRefused,
    opendata_import,
    opendata_import_pages,
    opendata_pages,
)
from tracker.exchange.opendata.reading import too_large

from ._common import EscapedOutputCommand, InputTooLarge, read_capped, refused, write_import_report


def read_file(path: str) -> bytes:
    """The bytes of the file, read with a cap rather than trusting its size on disk: a pipe or
    /dev/zero reports size 0 and would otherwise be read until memory runs out."""
    limit = opendata.MAX_OPENDATA_BYTES
    try:
        return read_capped(path, max_bytes=limit)
    except InputTooLarge:
        message = too_large(limit, more_than=True)
    except FileNotFoundError:
        message = _("file not found.")
    except IsADirectoryError:
        message = _("this is a directory, not a file.")
    except OSError as exc:
        message = _("cannot read the file (%(reason)s).") % {"reason": exc.strerror}
    raise OpendataRefused([OpendataError(path, message)])


# Names, letters and references from the file reach the terminal: printed escaped, as for transcripts.
class Command(EscapedOutputCommand, BaseCommand):
    help = (
        "Import Tweede Kamer open data ('toezegging' elements, tkData v1.0): a record file, our own export, or "
        "SyncFeed pages (one or more files, or a directory of pages imported in name order). Validated against "
        "the schema; idempotent by number. Record files are all or nothing; on a feed page an invalid record is "
        "refused on its own unless --strict."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="Files, or directories of SyncFeed pages.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but write nothing.")
        parser.add_argument(
            "--overwrite", action="store_true", help="Also overwrite commitments that clerks have edited by hand."
        )
        parser.add_argument(
            "--strict", action="store_true", help="All records of all files or nothing, also for SyncFeed pages."
        )

    def handle(self, *args, files, dry_run, overwrite, strict, **options):
        pages = opendata_pages(files)
        if not pages:
            raise CommandError(
                _("%(files)s: a directory without .xml files (SyncFeed pages).") % {"files": ", ".join(files)}
            )
        try:
            if len(pages) == 1 and not strict:
                data = read_file(str(pages[0]))
                report = opendata_import(data=data, filename=str(pages[0]), dry_run=dry_run, overwrite=overwrite)
            else:
                report = opendata_import_pages(
                    pages=pages, read=read_file, dry_run=dry_run, overwrite=overwrite, strict=strict
                )
        except OpendataRefused as exc:
            raise refused(exc.errors) from None
        write_import_report(self, report, dry_run=dry_run)
        if report.refused:
            # The rest was imported; the exit status still tells a script that something was left out.
            n = len(report.refused)
            raise CommandError(
                ngettext(
                    "%(n)s commitment or file refused; the rest was imported.",
                    "%(n)s commitments or files refused; the rest was imported.",
                    n,
                )
                % {"n": n}
            )
