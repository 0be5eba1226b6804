import time

from django.core.management.base import BaseCommand, CommandError

from tracker.demo import demo_data_generate


class Command(BaseCommand):
    help = "Add realistic demo volumes (e.g. 100,000 commitments over 20,000 sittings with 1,000,000 speeches)."

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, default=100_000)
        parser.add_argument("--speeches-per-session", type=int, default=50)

    def handle(self, *args, commitments, speeches_per_session, **options):
        if commitments < 1:
            raise CommandError("--commitments moet minstens 1 zijn.")
        if speeches_per_session < 4:
            # Every fourth speech is the minister's, and each commitment quotes one.
            raise CommandError("--speeches-per-session moet minstens 4 zijn (elke vierde spreekbeurt is de minister).")
        start = time.perf_counter()
        n = demo_data_generate(commitments=commitments, speeches_per_session=speeches_per_session)
        self.stdout.write(f"{n:,} toezeggingen aangemaakt in {time.perf_counter() - start:.1f} s.")
