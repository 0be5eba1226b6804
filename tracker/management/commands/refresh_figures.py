from django.core.management.base import BaseCommand, CommandError

from tracker.register import figures


class Command(BaseCommand):
    help = (
        "Recount the committee and person figures (the tally the database triggers keep) and reinstall the "
        "triggers; with --check only compare them with a recount."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Compare only; fail when the figures differ.")

    def handle(self, *args, check, **options):
        if check:
            wrong = figures.differences()
            for line in wrong:
                self.stderr.write(line)
            if wrong:
                raise CommandError(f"{len(wrong)} cijfers wijken af van een nieuwe telling; herstel: refresh_figures.")
            self.stdout.write("De cijfers kloppen met een nieuwe telling.")
            return
        if not figures.install(force=True):
            raise CommandError("De tabel met cijfers bestaat nog niet: voer eerst migrate uit.")
        self.stdout.write("Cijfers opnieuw geteld en triggers opnieuw geplaatst.")
