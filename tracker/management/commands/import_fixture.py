from django.core.management.base import BaseCommand

from tracker.exchange.fixtures_import import FixtureRefused, fixture_import

from ._common import EscapedOutputCommand, refused, write_import_report


class Command(EscapedOutputCommand, BaseCommand):
    help = (
        "Import JSON fixtures with natural keys (committees, persons, sessions, questions, speeches, "
        "commitments, history, links): everything is checked first and written in one transaction, or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, but write nothing.")
        parser.add_argument(
            "--overwrite", action="store_true", help="Also overwrite commitments that clerks have edited by hand."
        )

    def handle(self, *args, paths, dry_run, overwrite, **options):
        try:
            report = fixture_import(paths=paths, dry_run=dry_run, overwrite=overwrite)
        except FixtureRefused as exc:
            raise refused(exc.errors) from None
        write_import_report(self, report, dry_run=dry_run)
