import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.ops.demo import demo_data_generate


class Command(BaseCommand):
    help = "Add realistic demo volumes (e.g. 100,000 commitments over 20,000 sittings with 1,000,000 speeches)."

    def add_arguments(self, parser):
        parser.add_argument("--commitments", type=int, default=100_000)
        parser.add_argument("--speeches-per-session", type=int, default=50)

    def handle(self, *args, commitments, speeches_per_session, **options):
        if commitments < 1:
            raise CommandError(_("--commitments must be at least 1."))
        if speeches_per_session < 4:
            # Every fourth speech is the minister's, and each commitment quotes one.
            raise CommandError(_("--speeches-per-session must be at least 4 (every fourth speech is the minister's)."))
        start = time.perf_counter()
        n = demo_data_generate(commitments=commitments, speeches_per_session=speeches_per_session)
        self.stdout.write(
            _("%(count)s commitments created in %(seconds)s s.")
            % {"count": f"{n:,}", "seconds": f"{time.perf_counter() - start:.1f}"}
        )
