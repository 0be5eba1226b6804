"""Spreadsheet (CSV/XLSX) import and export of commitments and persons for the admin (django-import-export).

Status and fulfilment date are exported but never imported: status only moves through the workflow.
New commitments from a spreadsheet arrive as proposals in the review queue; every created or
changed commitment gets a history event.
"""

from django import forms
from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget, Widget

from .models import Commitment, CommitmentEvent, EventKind, Origin, Person, Question

MAX_SPREADSHEET_BYTES = 5_000_000
FORMATS = [base_formats.CSV, base_formats.XLSX]


class SpreadsheetImportForm(ImportForm):
    """Refuses what is too large or not a spreadsheet before anything is read."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_SPREADSHEET_BYTES:
            raise forms.ValidationError(
                f"{upload.name} is te groot ({upload.size:,} bytes; hoogstens {MAX_SPREADSHEET_BYTES:,})."
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(f"{upload.name}: alleen CSV- en XLSX-bestanden kunnen worden ingelezen.")
        head = upload.read(4)
        upload.seek(0)
        if upload.name.lower().endswith(".xlsx") and head != b"PK\x03\x04":
            raise forms.ValidationError(f"{upload.name} is geen geldig XLSX-bestand.")
        if upload.name.lower().endswith(".csv") and b"\x00" in upload.read(4096):
            upload.seek(0)
            raise forms.ValidationError(f"{upload.name} is binair, geen CSV-tekst.")
        upload.seek(0)
        return upload


class QuestionWidget(Widget):
    """A question as 'session-slug/position', the natural key a clerk can read in a spreadsheet."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        slug, _, position = str(value).strip().rpartition("/")
        if not slug or not position.isdigit():
            raise ValueError(f"'{value}': verwacht 'vergadering-sleutel/volgnummer', bv. 'commissie-2021-03-02/1'.")
        try:
            return Question.objects.get(session__slug=slug, position=int(position))
        except Question.DoesNotExist:
            raise ValueError(f"'{value}': geen agendapunt {position} in vergadering '{slug}'.") from None

    def render(self, value, obj=None, **kwargs):
        return f"{value.session.slug}/{value.position}" if value else ""


class CommitmentResource(resources.ModelResource):
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

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.origin = Origin.IMPORTED
            if not instance.reference:
                raise ValidationError({"reference": "Een nieuwe toezegging heeft een kenmerk nodig."})

    def after_save_instance(self, instance, row, **kwargs):
        new = kwargs.get("new", instance.events.count() == 0)
        CommitmentEvent.objects.create(
            commitment=instance,
            actor=self.user,
            kind=EventKind.CREATED if new else EventKind.EDIT,
            to_status=instance.status if new else "",
            note="Ingelezen uit een spreadsheet." if new else "Bijgewerkt via een spreadsheet.",
        )


class PersonResource(resources.ModelResource):
    class Meta:
        model = Person
        import_id_fields = ["slug"]
        fields = ["slug", "full_name", "surname", "honorific", "party"]
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
