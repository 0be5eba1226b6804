from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.exchange.backup import BackupError, restore_database


class Command(BaseCommand):
    help = "Restore the whole database from a backup made by backup_database (replaces the current content)."

    def add_arguments(self, parser):
        parser.add_argument("source")

    def handle(self, *args, source, **options):
        try:
            restore_database(source=Path(source))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Restored from %(source)s.") % {"source": source})
