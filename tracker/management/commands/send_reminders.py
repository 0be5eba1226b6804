from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.ops import tasks
from tracker.register.reminders import reminders_send


class Command(BaseCommand):
    help = "E-mail the responsible clerks about commitments due soon or overdue (each reminder once)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show who would be reminded; send nothing.")
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Leave the sending to a worker (a task, retried with back-off when mail fails); return at once.",
        )

    def handle(self, *args, dry_run, queue, **options):
        if queue and not dry_run:
            result = tasks.send_reminders.enqueue()
            self.stdout.write(f"Herinneringen in de wachtrij gezet (taak {result.id}).")
            return
        report = reminders_send(dry_run=dry_run)
        message = (
            _("%(email)s would get a reminder about %(count)s: %(references)s")
            if dry_run
            else _("%(email)s got a reminder about %(count)s: %(references)s")
        )
        for email, references in report.sent:
            self.stdout.write(message % {"email": email, "count": len(references), "references": ", ".join(references)})
        if report.skipped_without_recipient:
            self.stderr.write(
                _("No clerk with an e-mail address for: %(references)s")
                % {"references": ", ".join(report.skipped_without_recipient)}
            )
        if not report.sent and not report.failed:
            self.stdout.write(_("No new reminders."))
        if report.failed:
            raise CommandError(
                _("Sending failed (the next run tries again): %(failures)s")
                % {"failures": "; ".join(f"{email}: {error}" for email, error in report.failed)}
            )
