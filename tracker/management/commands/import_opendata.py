from django.core.management.base import BaseCommand

from tracker.opendata import OpendataRefused, opendata_import, read_opendata_file

from ._common import refused, write_import_report


class Command(BaseCommand):
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
            data = read_opendata_file(file)
            report = opendata_import(data=data, filename=file, dry_run=dry_run, overwrite=overwrite)
        except OpendataRefused as exc:
            raise refused(exc.errors) from None
        write_import_report(self, report, dry_run=dry_run)
