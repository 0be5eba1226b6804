"""Sittings, their agenda items and speeches; the transcript import and the review of a sitting."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.clerks.admin import batch as admin_batch
from tracker.clerks.admin.base import Done, admin_page, run_operation
from tracker.clerks.forms import (
    TranscriptImportForm,
)
from tracker.exchange import importing
from tracker.exchange.transcript_preview import preview_context, transcript_text
from tracker.extraction import TranscriptError
from tracker.models import (
    Commitment,
    Question,
    Session,
    Speech,
)
from tracker.register import services

# Refused rows shown one message each after a confirmation; the preview shows them all.


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "kind", "number", "title", "addressed_to"]
    autocomplete_fields = ["addressed_to"]
    show_change_link = True
    extra = 0


class ReviewedFilter(admin.SimpleListFilter):
    title = _("reviewed")
    parameter_name = "reviewed"

    def lookups(self, request, model_admin):
        return [("1", _("reviewed (public)")), ("0", _("not yet reviewed"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(reviewed_at__isnull=self.value() == "0")
        return queryset


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "date", "parliamentary_year", "kind", "reviewed"]
    list_filter = [ReviewedFilter, "kind", "committee", "parliamentary_year"]
    list_select_related = ["committee"]
    search_fields = ["title", "slug", "note"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["source_sha256", "reviewed_at", "reviewed_by"]
    inlines = [QuestionInline]
    actions = ["review_selected"]
    change_list_template = "admin/tracker/session/change_list.html"
    change_form_template = "admin/tracker/session/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "committee", "kind", "date", "parliamentary_year", "note"]}),
        (_("Review"), {"fields": ["reviewed_at", "reviewed_by"]}),
        (_("Source"), {"fields": ["source_url", "source_sha256", "source_text"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("reviewed"), boolean=True, ordering="reviewed_at")
    def reviewed(self, obj):
        return obj.is_reviewed

    def has_review_permission(self, request):
        return services.can_review_sessions(request.user)

    @admin.action(description=_("Mark the selected sittings reviewed (public)"), permissions=["review"])
    def review_selected(self, request, queryset):
        reviewed = services.session_review(sessions=queryset, by=request.user)
        self.message_user(
            request, gettext("%d sittings marked reviewed: they are public now.") % len(reviewed), messages.SUCCESS
        )

    def review_view(self, request, pk):
        """The button on a sitting: POST only, for clerks who may both see the sitting and publish it."""
        if request.method != "POST":
            return redirect(reverse("admin:tracker_session_change", args=[pk]))
        session = get_object_or_404(Session, pk=pk)
        if not (self.has_view_or_change_permission(request, session) and self.has_review_permission(request)):
            raise PermissionDenied
        if services.session_review(sessions=Session.objects.filter(pk=pk), by=request.user):
            self.message_user(
                request, gettext("“%s” is marked reviewed: it is public now.") % session, messages.SUCCESS
            )
        else:
            self.message_user(request, gettext("“%s” was already reviewed.") % session, messages.WARNING)
        return redirect(reverse("admin:tracker_session_change", args=[pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_review": self.has_review_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change and self.has_review_permission(request):
            # A sitting a clerk enters by hand is one they have looked at; imports arrive unreviewed.
            obj.reviewed_at, obj.reviewed_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="tracker_session_import"),
            path("<int:pk>/review/", self.admin_site.admin_view(self.review_view), name="tracker_session_review"),
            path(
                "import/batch/",
                self.admin_site.admin_view(lambda request: admin_batch.batch_upload_view(self, request)),
                name="tracker_session_batch_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Upload or paste a transcript, preview the speeches and proposals, then confirm the import."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = TranscriptImportForm(request.POST or None, request.FILES or None)
        shown = {}

        def perform(data):
            text, warnings = transcript_text(upload=data.get("file"), text=data["text"])
            if "confirm" in request.POST:
                return self._transcript_import(request, data, text)
            shown.update(preview_context(text=text, warnings=warnings, reference_date=data["date"]))
            return None

        return run_operation(
            self,
            request,
            form=form,
            perform=perform,
            errors=(TranscriptError, importing.ImportRefused),
            page=lambda: admin_page(
                self,
                request,
                "admin/tracker/session/import.html",
                title=gettext("Import a transcript"),
                form=form,
                **shown,
            ),
        )

    def _transcript_import(self, request, data, text) -> Done:
        report = importing.transcript_import(
            text=text,
            committee=data["committee"],
            by=request.user,
            date=data["date"],
            url=data["url"],
            replace="replace" in request.POST,
        )
        if report.unchanged:
            return Done(
                reverse("admin:tracker_session_change", args=[report.session.pk]),
                gettext("This transcript was already imported."),
                messages.WARNING,
            )
        return Done(
            reverse("admin:tracker_reviewitem_changelist") + f"?question__session__id__exact={report.session.pk}",
            gettext("Imported: %(items)d items, %(speeches)d speeches, %(candidates)d proposals to review.")
            % {"items": report.items, "speeches": report.speeches, "candidates": len(report.candidates)},
            more=(
                (
                    gettext(
                        "The sitting is not public until a clerk marks it reviewed or registers one of its proposals."
                    ),
                    messages.INFO,
                ),
            ),
        )


class SpeechInline(admin.StackedInline):
    model = Speech
    fields = [("sequence", "speaker_role"), ("speaker_label", "speaker"), "text"]
    autocomplete_fields = ["speaker"]
    show_change_link = True
    extra = 0


class CommitmentInline(admin.TabularInline):
    """Read-only overview; commitments are changed on their own screen, where the workflow lives."""

    model = Commitment
    fields = ["reference", "status", "kind", "quote_short", "due_date"]
    readonly_fields = fields
    show_change_link = True
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("quote"))
    def quote_short(self, obj):
        return Truncator(obj.quote).chars(160)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "kind", "session", "addressed_to", "speech_count"]
    list_filter = ["kind", "session__committee"]
    list_select_related = ["session", "addressed_to"]
    search_fields = ["title", "number", "session__title"]
    autocomplete_fields = ["session", "asked_by", "addressed_to"]
    inlines = [SpeechInline, CommitmentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(speech_count=Count("speeches", distinct=True))

    @admin.display(description=_("speeches"), ordering="speech_count")
    def speech_count(self, obj):
        return obj.speech_count


@admin.register(Speech)
class SpeechAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker_role", "speaker", "question", "text_short"]
    list_filter = ["speaker_role", "question__session__committee"]
    list_select_related = ["speaker", "question"]
    search_fields = ["text", "speaker_label", "question__title"]
    autocomplete_fields = ["question", "speaker"]

    @admin.display(description=_("text"))
    def text_short(self, obj):
        return Truncator(obj.text).chars(100)
