from django.core.management.base import BaseCommand, CommandError

from tracker import tasks
from tracker.reminders import reminders_send


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
        verb = "zou krijgen" if dry_run else "kreeg"
        for email, references in report.sent:
            self.stdout.write(f"{email} {verb} een herinnering over {len(references)}: {', '.join(references)}")
        if report.skipped_without_recipient:
            self.stderr.write("Geen griffier met e-mailadres voor: " + ", ".join(report.skipped_without_recipient))
        if not report.sent and not report.failed:
            self.stdout.write("Geen nieuwe herinneringen.")
        if report.failed:
            raise CommandError(
                "Verzenden mislukt (volgende run probeert opnieuw): "
                + "; ".join(f"{email}: {error}" for email, error in report.failed)
            )
