"""Forms for the clerks' workflow screens: each asks exactly what its step needs."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker.models import CommitmentKind, Committee, Person
from tracker.register.workflow import Step


class VersionMixin(forms.Form):
    """The commitment's 'updated' stamp as the clerk saw it, so a concurrent change is detected."""

    version = forms.CharField(widget=forms.HiddenInput)

    def clean_version(self):
        try:
            return datetime.datetime.fromisoformat(self.cleaned_data["version"])
        except ValueError:
            raise forms.ValidationError(_("Reload the page.")) from None


class TransitionForm(VersionMixin):
    note = forms.CharField(label=_("Reason or explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    fulfilled_on = forms.DateField(
        label=_("Fulfilled on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence_title = forms.CharField(label=_("Document (title or number)"), max_length=500, required=False)
    evidence_url = forms.URLField(label=_("Document URL"), max_length=500, required=False, assume_scheme="https")

    def __init__(self, *args, step: Step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if not (step.needs_evidence or step.needs_fulfilled_on):
            del self.fields["evidence_title"], self.fields["evidence_url"]
        if not step.needs_fulfilled_on:
            del self.fields["fulfilled_on"]
        else:
            self.fields["fulfilled_on"].required = True
            self.fields["fulfilled_on"].initial = timezone.localdate()
        self.fields["note"].required = step.needs_note

    def inputs(self) -> dict:
        """The keyword arguments of workflow.transition() that this step asked for."""
        data = self.cleaned_data
        return {
            "note": data.get("note", ""),
            "fulfilled_on": data.get("fulfilled_on"),
            "evidence_title": data.get("evidence_title", ""),
            "evidence_url": data.get("evidence_url", ""),
        }


class BulkTransitionForm(TransitionForm):
    version = None  # bulk changes lock each row; there is no single version to compare


class DueDateForm(VersionMixin):
    due_date = forms.DateField(label=_("New deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(VersionMixin):
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The clerk's sentence: 'De minister zegt de commissie toe …'."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CommitmentKind.choices)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to apply the standard deadline."),
    )
    promised_to = forms.ModelMultipleChoiceField(
        label=_("Promised to"),
        queryset=Person.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when you reject."),
    )

    def clean(self):
        data = super().clean()
        if "reject" in self.data and not (data.get("note") or "").strip():
            self.add_error("note", _("Give the reason for rejecting."))
        return data


class RejectForm(forms.Form):
    note = forms.CharField(label=_("Reason for rejecting"), widget=forms.Textarea(attrs={"rows": 3}))


class TranscriptImportForm(forms.Form):
    file = forms.FileField(
        label=_("Transcript file (.txt, .html, .xml or .pdf)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.htm,.html,.xml,.pdf"}),
        help_text=_(
            "Text or a saved web page, official Handelingen XML, a ParlaMint TEI file or a PDF report; "
            "the form is recognised from the content."
        ),
    )
    text = forms.CharField(label=_("…or paste the text"), widget=forms.Textarea(attrs={"rows": 12}), required=False)
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.all(), required=False)
    date = forms.DateField(
        label=_("Date of the sitting"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Only when the transcript does not give it."),
    )
    url = forms.URLField(label=_("Published at (URL)"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or paste the text of the transcript."))
        return data


class RappelForm(forms.Form):
    on = forms.DateField(label=_("Cut-off date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    minister = forms.ModelChoiceField(
        label=_("Minister"),
        required=False,
        queryset=Person.objects.filter(commitments_made__isnull=False).distinct(),
    )
