from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.letters import services
from tracker.letters.models import reason_text

from ._common import EscapedOutputCommand, InputTooLarge, parse_date, parse_url, read_capped


class Command(EscapedOutputCommand, BaseCommand):
    help = (
        "Import ministers' letters (text, HTML, PDF or kamerstuk XML) and propose the open commitments each "
        "fulfils. All files or none; a letter already imported (same text) is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", metavar="FILE", nargs="+")
        parser.add_argument("--date", type=parse_date, help="Date of the letter (YYYY-MM-DD), if the file lacks it.")
        parser.add_argument("--url", type=parse_url, default="", help="Where the letter was published.")
        parser.add_argument("--title", default="", help="Title, if the file's first line is not it.")
        parser.add_argument("--number", default="", help="Number, e.g. 'kamerstuk 31322, nr. 123'.")
        parser.add_argument("--sender", default="", help="Sender as signed, if the file lacks the signature.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; write nothing.")

    def handle(self, *args, files, dry_run, url, **options):
        data = []
        for path in files:
            try:
                data.append((path, read_capped(path, max_bytes=settings.TRACKER_MAX_BYTES["transcript_pdf"])))
            except InputTooLarge:
                raise CommandError(
                    _("%(file)s: the file is too large. Nothing was imported.") % {"file": path}
                ) from None
            except OSError as exc:
                raise CommandError(
                    _("%(file)s: cannot be read (%(reason)s). Nothing was imported.")
                    % {"file": path, "reason": exc.strerror or exc}
                ) from None
        overrides = {k: options[k] for k in ("date", "title", "number", "sender") if options[k]}
        try:
            reports = services.letters_import_files(files=data, url=url, dry_run=dry_run, **overrides)
        except services.LetterRefused as exc:
            raise CommandError(_("%(reason)s Nothing was imported.") % {"reason": exc}) from None
        for path, report in reports:
            self.report(path, report)

    def report(self, path, report):
        for warning in report.warnings:
            self.stderr.write(_("%(file)s: warning: %(warning)s") % {"file": path, "warning": warning})
        if report.unchanged:
            self.stdout.write(
                _("%(file)s: unchanged, already imported as “%(letter)s”.") % {"file": path, "letter": report.document}
            )
            return
        head = _("Dry run (nothing saved)") if report.dry_run else _("Imported")
        self.stdout.write(f"{head}: {path}: {report.document}")
        self.stdout.write(
            _("  date: %(date)s; sender: %(sender)s")
            % {"date": report.document.date, "sender": report.document.sender or "—"}
        )
        self.stdout.write(_("  proposed commitments: %(n)d") % {"n": len(report.proposals)})
        for match in report.proposals:
            self.stdout.write(f"    {match.commitment.reference} ({match.score:.2f}): {match.commitment.quote[:100]}")
            for reason in match.reasons:
                self.stdout.write(f"      - {reason_text(reason)}")
