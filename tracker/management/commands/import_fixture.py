from django.core.management.base import BaseCommand, CommandError

from tracker.fixtures_import import FixtureRefused, fixture_import

# Enough to see what is wrong without drowning the terminal; the rest is counted.
MAX_ERRORS_SHOWN = 200


class Command(BaseCommand):
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
            shown = [str(e) for e in exc.errors[:MAX_ERRORS_SHOWN]]
            if len(exc.errors) > MAX_ERRORS_SHOWN:
                shown.append(f"… en nog {len(exc.errors) - MAX_ERRORS_SHOWN} fout(en).")
            raise CommandError(
                f"{len(exc.errors)} fout(en) gevonden; er werd niets ingelezen.\n" + "\n".join(shown)
            ) from None
        for warning in report.warnings:
            self.stderr.write(f"waarschuwing: {warning}")
        if dry_run:
            self.stdout.write("Proefdraai: er wordt niets opgeslagen.")
        for line in report.lines():
            self.stdout.write(line)
