from django.core.management.base import BaseCommand, CommandError

from tracker.extraction import TranscriptError
from tracker.importing import ImportRefused, transcript_import

from ._common import EscapedOutputCommand, parse_date, parse_url, read_transcript


class Command(EscapedOutputCommand, BaseCommand):
    help = "Import a transcript: sitting, agenda items, speeches and proposed commitments (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")
        parser.add_argument("--committee", metavar="SLUG", help="The committee the sitting belongs to.")
        parser.add_argument("--date", type=parse_date, help="Date of the sitting (JJJJ-MM-DD), if the text lacks it.")
        parser.add_argument("--url", type=parse_url, default="", help="Where the transcript was published.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; write nothing.")
        parser.add_argument("--replace", action="store_true", help="Replace an earlier, different text of the sitting.")

    def handle(self, *args, file, committee, date, url, dry_run, replace, **options):
        text, warnings = read_transcript(file)
        try:
            report = transcript_import(
                text=text, committee=committee, by=None, date=date, url=url, dry_run=dry_run, replace=replace
            )
        except (ImportRefused, TranscriptError) as exc:
            raise CommandError(f"{file}: {exc} Er werd niets ingelezen.") from None
        for warning in [*warnings, *report.warnings]:
            self.stderr.write(f"{file}: waarschuwing: {warning}")
        if report.unchanged:
            self.stdout.write(f"{file}: ongewijzigd, al ingelezen als “{report.session}”. Niets gewijzigd.")
            return
        prefix = "Proefdraai (niets opgeslagen)" if dry_run else ("Vervangen" if report.replaced else "Ingelezen")
        self.stdout.write(f"{prefix}: {file}")
        slug = report.session.slug
        self.stdout.write(f"  vergadering: {slug} (publiek zodra een griffier ze nakijkt of een voorstel registreert)")
        if report.committee_created:
            self.stdout.write(f"  nieuwe commissie: {report.committee_created}")
        self.stdout.write(f"  agendapunten: {report.items}")
        self.stdout.write(f"  tussenkomsten: {report.speeches}")
        self.stdout.write(
            f"  personen: {len(report.persons_created)} nieuw"
            + (f" ({', '.join(report.persons_created)})" if report.persons_created else "")
            + f", {len(set(report.persons_matched))} herkend"
        )
        self.stdout.write(f"  voorgestelde toezeggingen: {len(report.candidates)}")
        for c in report.candidates:
            who = c.promiser_name
            self.stdout.write(f"    {c.reference} [{c.kind}] {who}: {c.quote}")
