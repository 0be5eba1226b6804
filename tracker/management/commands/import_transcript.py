import glob
import os
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from tracker.exchange import batch_import
from tracker.exchange.importing import ImportRefused, transcript_import
from tracker.extraction import TranscriptError
from tracker.models import Committee, ImportBatchFile

from ._common import EscapedOutputCommand, parse_date, parse_url, read_transcript, read_transcript_bytes

State = ImportBatchFile.State
POLL_SECONDS = 0.5


def expand(patterns: list[str]) -> list[str]:
    """The files named, with a quoted pattern (DIR/*) expanded as the shell would; a name that
    exists as given is taken literally, so a file called 'a*b.txt' still works."""
    paths = []
    for pattern in patterns:
        matches = sorted(glob.glob(pattern)) if glob.has_magic(pattern) and not os.path.exists(pattern) else []
        paths.extend(matches or [pattern])
    return paths


class Command(EscapedOutputCommand, BaseCommand):
    help = (
        "Import transcripts: sitting, agenda items, speeches and proposed commitments, each file all or nothing. "
        "Several files (DIR/*) are imported one by one in this process and recorded as a batch in the admin; "
        "with --queue the workers (manage.py db_worker) import them as tasks."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", metavar="FILE", nargs="+")
        parser.add_argument("--committee", metavar="SLUG", help="The committee the sitting belongs to.")
        parser.add_argument("--date", type=parse_date, help="Date of the sitting (JJJJ-MM-DD), if the text lacks it.")
        parser.add_argument("--url", type=parse_url, default="", help="Where the transcript was published.")
        parser.add_argument(
            "--persons",
            metavar="LISTPERSON.xml",
            help="ParlaMint TEI: the corpus's person list, which names each speaker, party and role at the date.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Show what would be imported; write nothing.")
        parser.add_argument("--replace", action="store_true", help="Replace an earlier, different text of the sitting.")
        parser.add_argument(
            "--queue", action="store_true", help="Hand the files to the task workers instead of importing them here."
        )
        parser.add_argument(
            "--no-wait",
            action="store_false",
            dest="wait",
            help="With --queue: return at once instead of following the progress.",
        )

    def handle(self, *args, files, committee, date, url, persons, dry_run, replace, queue, wait, **options):
        paths = expand(files)
        if len(paths) == 1 and not queue:
            return self.import_one(
                paths[0], committee=committee, date=date, url=url, persons=persons, dry_run=dry_run, replace=replace
            )
        if date or url or persons or dry_run or replace:
            raise CommandError(
                "--date, --url, --persons, --dry-run en --replace gelden voor één bestand; "
                "lees de bestanden die ze nodig hebben apart in. Er werd niets ingelezen."
            )
        self.import_many(paths, committee=committee, queue=queue, wait=wait)

    def import_one(self, file, *, committee, date, url, persons, dry_run, replace):
        text, warnings = read_transcript(file, persons=persons)
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

    def import_many(self, paths, *, committee, queue, wait):
        if committee:
            try:
                committee = Committee.objects.get(slug=committee)
            except Committee.DoesNotExist:
                raise CommandError(f"Onbekende commissie “{committee}”. Er werd niets ingelezen.") from None
        uploads = []
        for path in paths:
            try:
                uploads.append(batch_import.Upload(name=path, data=read_transcript_bytes(path)))
            except CommandError as exc:
                uploads.append(batch_import.Upload(name=path, data=None, error=str(exc)))
        try:
            batch = batch_import.transcript_batch_start(files=uploads, committee=committee or None, enqueue=queue)
        except batch_import.BatchRefused as exc:
            raise CommandError(f"{exc} Er werd niets ingelezen.") from None
        self.progress = Progress(self.stderr, total=len(uploads))
        files = batch.files.defer("data").order_by("position")
        if queue:
            self.stdout.write(
                f"Batch {batch.pk}: {len(uploads)} bestanden in de wachtrij; "
                "de workers (manage.py db_worker) lezen ze in."
            )
            if not wait:
                return
            self.follow(files)
        else:
            for row in files:
                if row.state == State.QUEUED:
                    batch_import.batch_file_run(file_id=row.pk)
                self.report_file(files.select_related("session").get(pk=row.pk))
        self.summarise(batch)

    def follow(self, files):
        """Print each file as a worker finishes it, until none is waiting."""
        reported: set[int] = set()
        while True:
            done = list(files.exclude(state=State.QUEUED).exclude(pk__in=reported).select_related("session"))
            for row in sorted(done, key=lambda r: (r.finished, r.position)):
                reported.add(row.pk)
                self.report_file(row)
            if not files.filter(state=State.QUEUED).exists():
                return
            time.sleep(POLL_SECONDS)

    def report_file(self, row):
        self.progress.clear()
        for warning in filter(None, row.warnings.splitlines()):
            self.stderr.write(f"{row.name}: waarschuwing: {warning}")
        if row.state == State.DONE:
            self.stdout.write(f"Ingelezen: {row.name} ({row.proposals} voorgestelde toezeggingen)")
        elif row.state == State.UNCHANGED:
            self.stdout.write(f"{row.name}: ongewijzigd, al ingelezen als “{row.session}”.")
        else:
            self.stdout.write(f"{row.name}: MISLUKT: {row.error} Er werd niets van ingelezen.")
        self.progress.step()

    def summarise(self, batch):
        self.progress.clear()
        figures = batch_import.batch_progress(batch)
        self.stdout.write(
            f"{figures['total']} bestanden: {figures['imported']} ingelezen, {figures['unchanged']} ongewijzigd, "
            f"{figures['failed']} mislukt; {figures['proposals']} voorgestelde toezeggingen (batch {batch.pk})."
        )
        if figures["failed"]:
            raise CommandError(
                f"{figures['failed']} van de {figures['total']} bestanden werden niet ingelezen (zie hierboven); "
                "de andere wel."
            )


class Progress:
    """A counter and bar on stderr, redrawn in place; only on a terminal, so logs and pipes stay clean."""

    WIDTH = 30

    def __init__(self, stderr, *, total: int):
        stream = getattr(stderr, "_out", sys.stderr)
        self.stream = stream if stream.isatty() else None
        self.total, self.done = total, 0

    def step(self):
        self.done += 1
        if self.stream:
            filled = self.WIDTH * self.done // max(self.total, 1)
            bar = "#" * filled + "-" * (self.WIDTH - filled)
            self.stream.write(f"\r[{bar}] {self.done}/{self.total}")
            self.stream.flush()

    def clear(self):
        if self.stream:
            self.stream.write("\r" + " " * (self.WIDTH + 25) + "\r")
            self.stream.flush()
