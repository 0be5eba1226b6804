from django.core.management.base import BaseCommand

from tracker import opendata
from tracker.opendata import OpendataError, OpendataRefused, opendata_import

from ._common import EscapedOutputCommand, InputTooLarge, read_capped, refused, write_import_report


def read_file(path: str) -> bytes:
    """The bytes of the file, read with a cap rather than trusting its size on disk: a pipe or
    /dev/zero reports size 0 and would otherwise be read until memory runs out."""
    limit = opendata.MAX_OPENDATA_BYTES
    try:
        return read_capped(path, max_bytes=limit)
    except InputTooLarge:
        message = (
            f"het bestand is te groot (meer dan {limit:,} bytes); de grens is {limit:,} bytes ({limit / 2**20:g} MB)."
        ).replace(",", ".")
    except FileNotFoundError:
        message = "bestand niet gevonden."
    except IsADirectoryError:
        message = "dit is een map, geen bestand."
    except OSError as exc:
        message = f"kan het bestand niet lezen ({exc.strerror})."
    raise OpendataRefused([OpendataError(path, message)])


# Names, letters and references from the file reach the terminal: printed escaped, as for transcripts.
class Command(EscapedOutputCommand, BaseCommand):
    help = (
        "Import Tweede Kamer open data ('toezegging' elements, tkData v1.0): validated against the schema, "
        "written in one transaction or not at all; idempotent by number."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but write nothing.")
        parser.add_argument(
            "--overwrite", action="store_true", help="Also overwrite commitments that clerks have edited by hand."
        )

    def handle(self, *args, file, dry_run, overwrite, **options):
        try:
            data = read_file(file)
            report = opendata_import(data=data, filename=file, dry_run=dry_run, overwrite=overwrite)
        except OpendataRefused as exc:
            raise refused(exc.errors) from None
        write_import_report(self, report, dry_run=dry_run)
