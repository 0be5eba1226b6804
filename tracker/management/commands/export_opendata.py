import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tracker.exchange.opendata import opendata_export, opendata_export_records
from tracker.models import INTERNAL_STATUSES, Commitment, Committee, Person, Status

PUBLIC_STATUSES = [s for s in Status.values if s not in INTERNAL_STATUSES]


class Command(BaseCommand):
    help = (
        "Export public commitments as Tweede Kamer open data (tkData v1.0 'toezegging' elements in a "
        "<toezeggingen> container). Candidates and rejected commitments are never exported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--status", action="append", metavar="S", help=f"Only these statuses ({', '.join(PUBLIC_STATUSES)})."
        )
        parser.add_argument("--committee", metavar="SLUG", help="Only commitments made in this committee.")
        parser.add_argument("--minister", metavar="SLUG", help="Only commitments made by this person.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")
        parser.add_argument(
            "--split",
            metavar="DIR",
            help="Write one file per commitment into DIR (created if needed), each a whole document valid "
            "against the official schema; import_opendata DIR reads them back.",
        )

    def handle(self, *args, status, committee, minister, output, split, **options):
        commitments = Commitment.objects.public()
        if status:
            wrong = [s for s in status if s not in PUBLIC_STATUSES]
            if wrong:
                raise CommandError(
                    _("--status: unknown or non-public status %(wrong)s; choose from %(allowed)s.")
                    % {"wrong": ", ".join(wrong), "allowed": ", ".join(PUBLIC_STATUSES)}
                )
            commitments = commitments.filter(status__in=status)
        if committee:
            if not Committee.objects.filter(slug=committee).exists():
                raise CommandError(_("--committee: no committee with slug “%(slug)s”.") % {"slug": committee})
            commitments = commitments.filter(question__session__committee__slug=committee)
        if minister:
            if not Person.objects.filter(slug=minister).exists():
                raise CommandError(_("--minister: no person with slug “%(slug)s”.") % {"slug": minister})
            commitments = commitments.filter(promised_by__slug=minister)
        if split:
            self._split(commitments, Path(split))
            return
        data = opendata_export(commitments=commitments)
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as exc:
                raise CommandError(
                    _("%(file)s: cannot write (%(reason)s).") % {"file": output, "reason": exc.strerror}
                ) from None
            self.stderr.write(
                _("%(count)s commitment(s) written to %(file)s.") % {"count": commitments.count(), "file": output}
            )
        elif getattr(self.stdout, "_out", None) is sys.stdout and hasattr(sys.stdout, "buffer"):
            # The bytes as they are: the XML says UTF-8, whatever the terminal's encoding.
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            self.stdout.write(data.decode("utf-8"), ending="")

    def _split(self, commitments, directory: Path) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
            count = 0
            for name, data in opendata_export_records(commitments=commitments):
                (directory / name).write_bytes(data)
                count += 1
        except OSError as exc:
            raise CommandError(f"{directory}: kan niet schrijven ({exc.strerror}).") from None
        self.stderr.write(f"{count} toezegging(en) geschreven naar {directory}, één bestand per toezegging.")
