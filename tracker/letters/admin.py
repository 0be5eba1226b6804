"""The letters in the admin: import one (preview, then confirm), and review its proposed matches beside it.

Confirming a match is a status change of the commitment (workflow.transition, the letter as evidence), so
it needs the same permission as the commitment admin's status buttons (StatusPermissionMixin).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.clerks.admin.base import Done, StatusPermissionMixin, admin_page, run_operation
from tracker.models import Status
from tracker.register.workflow import TransitionError

from . import matching, reading, services
from .models import Document, LetterMatch, MatchState

DECISIONS = {
    "fulfil": Status.FULFILLED,
    "partially_fulfil": Status.PARTIALLY_FULFILLED,
}


class LetterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Letter file (.txt, .html, .pdf or kamerstuk .xml)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.htm,.html,.xml,.pdf"}),
    )
    text = forms.CharField(label=_("…or paste the text"), widget=forms.Textarea(attrs={"rows": 12}), required=False)
    title = forms.CharField(
        label=_("Title"), required=False, max_length=500, help_text=_("Only when the file lacks it.")
    )
    number = forms.CharField(label=_("Number"), required=False, max_length=100)
    date = forms.DateField(
        label=_("Date of the letter"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sender = forms.CharField(label=_("Sender"), required=False, max_length=255)
    url = forms.URLField(label=_("Published at (URL)"), required=False, assume_scheme="https", max_length=500)

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Upload a file or paste the text of the letter."))
        return data


class MatchInline(admin.TabularInline):
    model = LetterMatch
    fields = ["commitment", "score", "state", "decided_by", "decided_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(StatusPermissionMixin, admin.ModelAdmin):
    list_display = ["title", "number", "date", "sender", "proposed"]
    search_fields = ["title", "number", "sender"]
    date_hierarchy = "date"
    readonly_fields = ["sha256", "imported_by", "created", "text"]
    fields = ["title", "number", "date", "sender", "source_url", "text", "sha256", "imported_by", "created"]
    change_list_template = "admin/tracker/document/change_list.html"
    change_form_template = "admin/tracker/document/change_form.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(proposed_count=Count("matches", filter=Q(matches__state=MatchState.PROPOSED)))
        )

    @admin.display(description=_("proposals to review"), ordering="proposed_count")
    def proposed(self, obj):
        return obj.proposed_count

    def has_add_permission(self, request):
        # Letters come in through the import (it fingerprints and matches them), never the bare form.
        return False

    def has_import_permission(self, request):
        return request.user.has_perm("tracker.add_document")

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="tracker_document_import"),
            path(
                "<int:pk>/matches/<int:match_id>/<str:decision>/",
                self.admin_site.admin_view(self.decide_view),
                name="tracker_document_decide",
            ),
            path("<int:pk>/rematch/", self.admin_site.admin_view(self.rematch_view), name="tracker_document_rematch"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        matches = list(
            LetterMatch.objects.filter(document_id=object_id)
            .select_related("commitment__promised_by", "commitment__question__session", "decided_by")
            .order_by("-score", "pk")
        )
        extra_context = {
            **(extra_context or {}),
            "matches": matches,
            "can_decide": self.has_change_status_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def import_view(self, request):
        """Upload or paste a letter, preview what it is read as and what it would be matched to, then confirm."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = LetterImportForm(request.POST or None, request.FILES or None)
        shown = {}

        def perform(data):
            upload = data.get("file")
            if upload and upload.size > reading.MAX_PDF_BYTES:
                raise services.TranscriptError(
                    gettext("%(name)s is too large (%(size)d bytes; at most %(max)d).")
                    % {"name": upload.name, "size": upload.size, "max": reading.MAX_PDF_BYTES}
                )
            letter = services.letter_read(
                data=upload.read() if upload else None, text=data["text"], filename=upload.name if upload else ""
            )
            overrides = {k: data[k] for k in ("title", "number", "date", "sender") if data.get(k)}
            report = services.letter_import(
                letter=letter, by=request.user, url=data["url"], dry_run="confirm" not in request.POST, **overrides
            )
            if report.unchanged:
                return Done(
                    reverse("admin:tracker_document_change", args=[report.document.pk]),
                    gettext("This letter was already imported."),
                    messages.WARNING,
                )
            if "confirm" in request.POST:
                return Done(
                    reverse("admin:tracker_document_change", args=[report.document.pk]),
                    gettext("Letter imported: %(n)d proposed commitments to review.") % {"n": len(report.proposals)},
                )
            found = matching.passages(services.letter_of(report.document))
            shown.update(report=report, letter=report.document, passages=found)
            return None

        return run_operation(
            self,
            request,
            form=form,
            perform=perform,
            errors=(services.TranscriptError, services.LetterRefused),
            page=lambda: admin_page(
                self,
                request,
                "admin/tracker/document/import.html",
                title=gettext("Import a letter"),
                form=form,
                **shown,
            ),
        )

    def _decidable(self, request, pk, match_id) -> LetterMatch:
        if not (self.has_change_status_permission(request) and self.has_view_permission(request)):
            raise PermissionDenied
        return get_object_or_404(
            LetterMatch.objects.select_related("document", "commitment__question__session"), pk=match_id, document_id=pk
        )

    def decide_view(self, request, pk, match_id, decision):
        """One click: the letter fulfils (or partly fulfils) the commitment, or it does not (remembered)."""
        if request.method != "POST":
            return redirect(reverse("admin:tracker_document_change", args=[pk]))
        match = self._decidable(request, pk, match_id)
        try:
            if decision == "reject":
                services.match_reject(match=match, by=request.user)
                text = gettext("%(ref)s will not be proposed for this letter again.")
            elif decision in DECISIONS:
                services.match_confirm(match=match, to_status=DECISIONS[decision], by=request.user)
                text = gettext("%(ref)s is now “%(status)s”, with this letter as the evidence.")
            else:
                raise PermissionDenied
        except TransitionError as exc:
            self.message_user(request, gettext("Nothing was changed: %s") % exc, messages.ERROR)
        else:
            status = Status(match.commitment.status).label
            self.message_user(request, text % {"ref": match.commitment.reference, "status": status}, messages.SUCCESS)
        return redirect(reverse("admin:tracker_document_change", args=[pk]))

    def rematch_view(self, request, pk):
        """Match the letter again (commitments registered since); decided pairs stay as they are."""
        if request.method != "POST":
            return redirect(reverse("admin:tracker_document_change", args=[pk]))
        if not self.has_change_permission(request):
            raise PermissionDenied
        document = get_object_or_404(Document, pk=pk)
        proposals = services.letter_match(document=document)
        self.message_user(request, gettext("%(n)d proposed commitments.") % {"n": len(proposals)}, messages.SUCCESS)
        return redirect(reverse("admin:tracker_document_change", args=[pk]))
