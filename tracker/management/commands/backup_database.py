from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.exchange.backup import BackupError, backup_database


class Command(BaseCommand):
    help = "Back up the whole database (SQLite file copy or pg_dump), history included."

    def add_arguments(self, parser):
        parser.add_argument("target", help="Path without extension; .sqlite3 or .pgdump is added.")

    def handle(self, *args, target, **options):
        try:
            path = backup_database(target=Path(target))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Backup written: %(path)s") % {"path": path})
