from django.core.management.base import BaseCommand, CommandError

from tracker.opendata import OpendataRefused, opendata_import, read_opendata_file

MAX_ERRORS_SHOWN = 200


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
