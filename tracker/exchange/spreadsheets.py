"""Spreadsheet (CSV/XLSX) import and export of commitments and persons for the admin (django-import-export).

Status and fulfilment date are exported but never imported: status only moves through the workflow.
New commitments from a spreadsheet arrive as proposals in the review queue; every created or
changed commitment gets a history event. A registered commitment's quote is never changed here, and
its deadline only by a clerk with the status permission, through the workflow. Sheets are read within
limits (a small XLSX can unpack to gigabytes), and exported cells can neither run as formulas nor
carry control characters.
"""

import contextlib
import io
import os
import re
import tempfile
import time
import zipfile

import tablib
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.results import RowResult
from import_export.tmp_storages import TempFolderStorage
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget, Widget

from tracker.clerks.rappel import csv_safe
from tracker.exchange.base import Counts, Problem, RefusedWhole
from tracker.models import Commitment, Origin, Person, Question, Status
from tracker.register import history, workflow

MAX_SPREADSHEET_BYTES = settings.TRACKER_MAX_BYTES["spreadsheet"]
# What a sheet may unfold into. The upload limit counts compressed bytes, and an XLSX of a few
# hundred KB can hold shared strings of hundreds of MB; these bound the memory of reading a sheet
# and the size of the preview page, which shows every row.
MAX_XLSX_UNCOMPRESSED_BYTES = 30_000_000
MAX_XLSX_MEMBERS = 1_000
MAX_SPREADSHEET_ROWS = 2_000
MAX_SPREADSHEET_CELLS = 100_000
MAX_SPREADSHEET_CHARS = 2_000_000
MAX_CELL_CHARS = 20_000
# An uploaded sheet waits here between its preview and the confirmation; a preview nobody confirms
# is removed once it is this old (checked on every import).
PREVIEW_DIR_NAME = "toezeggingen-spreadsheets"
PREVIEW_MAX_AGE_SECONDS = 3600

# Control characters other than tab and newline, and the XML non-characters U+FFFE/U+FFFF: a form
# feed (common in text copied from PDFs) makes an XLSX that spreadsheet programs refuse to open.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


class SpreadsheetRefused(RefusedWhole, ValueError):
    """A sheet that is not read at all; the message is meant for the clerk."""


def cell_clean(value):
    """A value as it may go into an exported cell: no control characters, and no text that a
    spreadsheet would run as a formula (neutralised exactly as the public CSV does)."""
    if not isinstance(value, str):
        return value
    text = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return csv_safe(text)


def cell_unescape(value):
    """Undo the neutralisation of cell_clean on import, so an exported sheet reads back unchanged."""
    if isinstance(value, str) and value.startswith("'") and csv_safe(value[1:]) != value[1:]:
        return value[1:]
    return value


def xlsx_check(data: bytes) -> None:
    """Refuse an XLSX whose members would unpack beyond the limit, before any XML is parsed.

    The declared sizes can be trusted as a bound: Python's zipfile stops at a member's declared size
    (and then fails its checksum), so a member that lies about its size yields no more than it declares.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise SpreadsheetRefused(_("This is not a valid XLSX file.")) from None
    if len(members) > MAX_XLSX_MEMBERS:
        raise SpreadsheetRefused(_("This XLSX file holds too many parts (%d).") % len(members))
    unpacked = sum(m.file_size for m in members)
    if unpacked > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise SpreadsheetRefused(
            _("This XLSX file unpacks to %(size)s bytes; at most %(max)s are read. Split the sheet.")
            % {
                "size": number_format(unpacked, force_grouping=True),
                "max": number_format(MAX_XLSX_UNCOMPRESSED_BYTES, force_grouping=True),
            }
        )


class _SheetLimits:
    """Counts a sheet's rows, cells and characters while it is read, and stops at the first excess."""

    def __init__(self):
        self.rows = self.cells = self.chars = 0

    def row(self, values) -> list:
        self.rows += 1
        self.cells += len(values)
        if self.rows > MAX_SPREADSHEET_ROWS + 1:  # + the header
            raise SpreadsheetRefused(
                _("The sheet has more than %d rows. Split it into smaller sheets.") % MAX_SPREADSHEET_ROWS
            )
        if self.cells > MAX_SPREADSHEET_CELLS:
            raise SpreadsheetRefused(
                _("The sheet has more than %d cells (empty ones included). Remove unused columns and rows.")
                % MAX_SPREADSHEET_CELLS
            )
        for value in values:
            if isinstance(value, str):
                if len(value) > MAX_CELL_CHARS:
                    raise SpreadsheetRefused(
                        _("Row %(row)d holds a cell of %(n)d characters; at most %(max)d.")
                        % {"row": self.rows, "n": len(value), "max": MAX_CELL_CHARS}
                    )
                self.chars += len(value)
        if self.chars > MAX_SPREADSHEET_CHARS:
            raise SpreadsheetRefused(
                _("The sheet holds more than %d characters of text. Split it into smaller sheets.")
                % MAX_SPREADSHEET_CHARS
            )
        return list(values)


class LimitedCSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(in_stream, **kwargs)
        limits = _SheetLimits()
        limits.row(dataset.headers or [])
        for row in dataset:
            limits.row(row)
        return dataset


class LimitedXLSX(base_formats.XLSX):
    """The first sheet, read as import-export does, but within the limits: checked before openpyxl
    opens the archive, and counted cell by cell while it reads (a sheet whose dimension claims a
    million rows yields empty cells without end)."""

    def create_dataset(self, in_stream):
        import openpyxl

        xlsx_check(in_stream)
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        try:
            limits = _SheetLimits()
            rows = book.active.iter_rows(values_only=True)
            dataset = tablib.Dataset()
            dataset.headers = limits.row(next(rows, ()))
            for row in rows:
                dataset.append(limits.row(row))
            return dataset
        finally:
            book.close()


FORMATS = [LimitedCSV, LimitedXLSX]


def preview_dir() -> str:
    path = os.path.join(tempfile.gettempdir(), PREVIEW_DIR_NAME)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


class PreviewStorage(TempFolderStorage):
    """An uploaded sheet between preview and confirmation, in a directory of its own, so that what a
    preview leaves behind can be found and removed."""

    def _open(self, mode="r"):
        if not self.name:
            handle, path = tempfile.mkstemp(dir=preview_dir(), suffix=".sheet")
            self.name = os.path.basename(path)
            return os.fdopen(handle, "wb")  # the upload is written as bytes, whatever its format
        return open(self.get_full_path(), mode, encoding=self.encoding)

    def get_full_path(self):
        return os.path.join(preview_dir(), os.path.basename(self.name))


def preview_remove(*, name: str) -> None:
    """Remove one preview's file (a name from a form: only the base name counts)."""
    name = os.path.basename(name or "")
    if name:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(preview_dir(), name))


def previews_expire(*, max_age: float | None = None) -> int:
    """Remove the files of previews nobody confirmed in time; returns how many."""
    limit = time.time() - (PREVIEW_MAX_AGE_SECONDS if max_age is None else max_age)
    removed = 0
    with os.scandir(preview_dir()) as entries:
        for entry in entries:
            try:
                if entry.is_file() and entry.stat().st_mtime < limit:
                    os.remove(entry.path)
                    removed += 1
            except FileNotFoundError:
                pass  # another worker removed it first
    return removed


class SpreadsheetImportForm(ImportForm):
    """Refuses what is too large or not a spreadsheet before anything is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_SPREADSHEET_BYTES:
            raise forms.ValidationError(
                _("%(name)s is too large (%(size)s bytes; at most %(max)s).")
                % {"name": upload.name, "size": f"{upload.size:,}", "max": f"{MAX_SPREADSHEET_BYTES:,}"}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("%(name)s: only CSV and XLSX files can be imported.") % {"name": upload.name})
        head = upload.read(4)
        upload.seek(0)
        if upload.name.lower().endswith(".xlsx") and head != b"PK\x03\x04":
            raise forms.ValidationError(_("%(name)s is not a valid XLSX file.") % {"name": upload.name})
        if upload.name.lower().endswith(".csv") and b"\x00" in upload.read(4096):
            upload.seek(0)
            raise forms.ValidationError(_("%(name)s is binary, not CSV text.") % {"name": upload.name})
        upload.seek(0)
        if upload.name.lower().endswith(".xlsx"):
            # Before the upload is stored for the preview: a bomb is refused without being unpacked.
            try:
                xlsx_check(upload.read())
            except SpreadsheetRefused as exc:
                raise forms.ValidationError(f"{upload.name}: {exc}") from None
            finally:
                upload.seek(0)
        return upload


class QuestionWidget(Widget):
    """A question as 'session-slug/position', the natural key a clerk can read in a spreadsheet."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        slug, _slash, position = str(value).strip().rpartition("/")
        if not slug or not position.isdigit():
            raise ValueError(
                _("'%(value)s': expected 'sitting-key/number', e.g. 'commissie-2021-03-02/1'.") % {"value": value}
            )
        try:
            return Question.objects.get(session__slug=slug, position=int(position))
        except Question.DoesNotExist:
            raise ValueError(
                _("'%(value)s': no agenda item %(position)s in sitting '%(slug)s'.")
                % {"value": value, "position": position, "slug": slug}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.session.slug}/{value.position}" if value else ""


class SafeCellsMixin:
    """Every exported cell is cleaned (CSV and XLSX alike); imported cells lose that neutralisation again."""

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return [cell_clean(v) for v in super().export_resource(instance, selected_fields=selected_fields, **kwargs)]

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            row[key] = cell_unescape(value)
        super().before_import_row(row, **kwargs)


def _same_text(a, b) -> bool:
    """Equal once exported: a quote that only went through an export and back is not a change."""
    return cell_clean(a or "") == cell_clean(b or "")


class CommitmentResource(SafeCellsMixin, resources.ModelResource):
    question = fields.Field(attribute="question", column_name="question", widget=QuestionWidget())
    promised_by = fields.Field(
        attribute="promised_by", column_name="promised_by", widget=ForeignKeyWidget(Person, field="slug")
    )
    promised_to = fields.Field(
        attribute="promised_to", column_name="promised_to", widget=ManyToManyWidget(Person, field="slug", separator=",")
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    fulfilled_on = fields.Field(attribute="fulfilled_on", column_name="fulfilled_on", readonly=True)

    class Meta:
        model = Commitment
        import_id_fields = ["reference"]
        fields = [
            "reference",
            "question",
            "quote",
            "summary",
            "kind",
            "status",
            "promised_by",
            "promised_by_function",
            "ministry",
            "promised_to",
            "to_committee",
            "due_date",
            "due_text",
            "fulfilled_on",
        ]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def import_instance(self, instance, row, **kwargs):
        """A sheet changes no registered quote, and a deadline only for who may change status.

        A proposal (still to be reviewed) may be corrected freely: registering it is the step that
        publishes, and that takes the status permission. A registered commitment's verbatim quote is
        what was said and stays as it is; its deadline moves through the workflow, with its history event.
        """
        before = (instance.status, instance.quote, instance.due_date) if instance.pk else None
        # The stored values of the fields a sheet may change, for the edit event's "field: old → new".
        instance._sheet_before = _recorded_values(instance) if instance.pk else None
        super().import_instance(instance, row, **kwargs)
        instance._sheet_due_change = None  # (new deadline,) when the workflow is to apply one
        if before is None or before[0] == Status.CANDIDATE:
            return
        status, quote, due_date = before
        errors = {}
        if not _same_text(instance.quote, quote):
            errors["quote"] = _("%s is registered: its verbatim quote cannot be changed through a spreadsheet.") % (
                instance.reference
            )
        instance.quote = quote
        if instance.due_date != due_date:
            if not workflow.can_change_status(self.user):
                errors["due_date"] = _(
                    "%s: only a clerk who may change the status of commitments can change its deadline."
                ) % (instance.reference)
            elif status not in (Status.OPEN, Status.PARTIALLY_FULFILLED):
                errors["due_date"] = _("%s: only an open commitment's deadline can be changed.") % (instance.reference)
            else:
                instance._sheet_due_change = (instance.due_date,)
            instance.due_date = due_date
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if getattr(instance, "_sheet_due_change", None):
            return False  # the deadline is put back until the workflow changes it, after the save
        return super().skip_row(instance, original, row, import_validation_errors=import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.origin = Origin.IMPORTED
            if not instance.reference:
                raise ValidationError({"reference": _("A new commitment needs a reference.")})

    def save_m2m(self, instance, row, **kwargs):
        # The history after the row's people are saved too: promised_to is one of the fields it shows.
        super().save_m2m(instance, row, **kwargs)
        before = getattr(instance, "_sheet_before", None)
        # The notes are stored history, read in the register's language: Dutch whatever the clerk's language.
        if before is None:
            history.record(
                history.created(instance, status=instance.status, by=self.user, note="Ingelezen uit een spreadsheet.")
            )
        else:
            # A registered commitment's deadline is back at its old value here: due_date_change records it.
            changes = history.changes_between(before, _recorded_values(instance))
            history.record(
                history.edited(instance, by=self.user, changes=changes, note="Bijgewerkt via een spreadsheet.")
            )
        change = getattr(instance, "_sheet_due_change", None)
        if change:
            try:
                workflow.due_date_change(
                    instance, by=self.user, due_date=change[0], note=_("Deadline changed through a spreadsheet.")
                )
            except workflow.TransitionError as exc:
                raise ValidationError({"due_date": f"{instance.reference}: {exc}"}) from None


# The commitment fields a sheet can change, as the history shows them (promised_to as person slugs).
_RECORDED_FIELDS = ("question", "quote", "summary", "kind", "promised_by", "promised_by_function", "ministry")
_RECORDED_FIELDS += ("to_committee", "due_date", "due_text")


def _recorded_values(commitment: Commitment) -> dict:
    values = {name: getattr(commitment, name) for name in _RECORDED_FIELDS}
    values["promised_to"] = sorted(p.slug for p in commitment.promised_to.all()) if commitment.pk else []
    return values


class PersonResource(SafeCellsMixin, resources.ModelResource):
    class Meta:
        model = Person
        import_id_fields = ["slug"]
        fields = ["slug", "full_name", "surname", "honorific", "party"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True


def result_report(result, *, file: str) -> tuple[Counts, list[Problem]]:
    """An import-export Result in the words every import uses: its counts and its problems, each with its row.

    The resources never delete rows, so import-export's "deleted" has no count here; a row it skips is
    one the sheet leaves unchanged."""
    totals = result.totals
    counts = Counts(
        created=totals[RowResult.IMPORT_TYPE_NEW],
        updated=totals[RowResult.IMPORT_TYPE_UPDATE],
        unchanged=totals[RowResult.IMPORT_TYPE_SKIP],
        refused=totals[RowResult.IMPORT_TYPE_INVALID] + totals[RowResult.IMPORT_TYPE_ERROR],
    )
    problems = [Problem(file=file, message=str(e.error)) for e in result.base_errors]
    for row in result.invalid_rows:
        record = _("row %(number)s") % {"number": row.number}
        for name, messages in row.field_specific_errors.items():
            problems.append(Problem(file=file, record=record, field=name, message=" ".join(messages)))
        problems.extend(Problem(file=file, record=record, message=m) for m in row.non_field_specific_errors)
    for number, errors in result.row_errors():
        record = _("row %(number)s") % {"number": number}
        problems.extend(Problem(file=file, record=record, message=str(e.error)) for e in errors)
    return counts, problems
