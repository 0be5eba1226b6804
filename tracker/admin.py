"""Clerk screens. Every list runs a fixed number of queries (list_select_related, no per-row lookups)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from . import admin_batch, importing, rappel, rules, services, spreadsheets, workflow
from .admin_base import Done, ReadOnlyAdminMixin, admin_page, apply_to_all, bulk_page, run_operation
from .extraction import TranscriptError
from .forms import (
    BulkTransitionForm,
    DueDateForm,
    RappelForm,
    RejectForm,
    ReviewForm,
    TranscriptImportForm,
    TransitionForm,
)
from .models import (
    Commitment,
    CommitmentEvent,
    CommitmentLink,
    Committee,
    Person,
    Question,
    ReviewItem,
    Session,
    Speech,
    Status,
)
from .presentation import quote_in_context
from .spreadsheets import CommitmentResource, PersonResource, SpreadsheetImportForm
from .transcript_preview import MAX_UPLOAD_BYTES, preview_context, transcript_text

__all__ = ["MAX_UPLOAD_BYTES"]  # the transcript cap's old home; tests pin it against the settings


admin.site.site_header = _("Commitments register — clerks")
admin.site.site_title = _("Commitments register")
admin.site.index_title = _("Administration")


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class SpreadsheetMixin(ImportExportMixin):
    """Spreadsheet import and export within limits, and no uploaded sheet left behind on disk."""

    import_form_class = SpreadsheetImportForm
    formats = spreadsheets.FORMATS
    tmp_storage_class = spreadsheets.PreviewStorage

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        spreadsheets.previews_expire()
        response = None
        try:
            response = super().import_action(request, **kwargs)
        finally:
            # A preview that cannot be confirmed (unreadable, too large, rows in error) keeps nothing;
            # one that can waits for its confirmation, or for previews_expire.
            # The upload object is the one in request.FILES: import-export notes the stored name on it.
            context = getattr(response, "context_data", None) or {}
            if not context.get("confirm_form"):
                upload = request.FILES.get("import_file")
                spreadsheets.preview_remove(name=getattr(upload, "tmp_storage_name", ""))
        return response

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = request.POST.get("import_file_name", "") if request.method == "POST" else ""
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            refusal = gettext("The preview has expired or was already imported; read the file in again.")
        except spreadsheets.SpreadsheetRefused as exc:
            refusal = str(exc)
        finally:
            spreadsheets.preview_remove(name=name)
        # Back to the upload form: nothing was imported, the clerk reads the file in again.
        self.message_user(request, refusal, messages.ERROR)
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing also when a row turns invalid only at confirmation (the register changed since
        # the preview): import-export would otherwise keep the other rows.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, spreadsheets.SpreadsheetRefused):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file", gettext("The file could not be read as the chosen format (%s).") % type(e).__name__
            )


@admin.register(Person)
class PersonAdmin(SpreadsheetMixin, admin.ModelAdmin):
    resource_classes = [PersonResource]
    list_display = ["full_name", "honorific", "party", "slug"]
    list_filter = ["honorific", "party"]
    search_fields = ["full_name", "surname", "party", "slug"]
    prepopulated_fields = {"slug": ["full_name"]}


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


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        # "30" stays the parameter (the dashboard links to it); the window is TRACKER_DUE_SOON_DAYS.
        return [("1", _("overdue")), ("30", _("due within %(days)d days") % {"days": rules.due_soon_days()})]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.overdue()
        if self.value() == "30":
            return queryset.due_within()
        return queryset


class CommitmentEventInline(admin.TabularInline):
    """The history is append-only: shown, never edited."""

    model = CommitmentEvent
    fields = ["at", "actor", "kind", "from_status", "to_status", "note", "evidence_title", "evidence_url"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "pk"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CommitmentLinkInline(admin.TabularInline):
    model = CommitmentLink
    fk_name = "source"
    autocomplete_fields = ["target"]
    extra = 0


def _field_value(instance, name):
    field = instance._meta.get_field(name)
    if field.many_to_many:
        return sorted(str(p) for p in getattr(instance, name).all()) if instance.pk else []
    return getattr(instance, name)


class CommitmentAdminForm(forms.ModelForm):
    """Adds the version the clerk loaded, so that of two clerks editing at once the second is told."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Commitment
        fields = "__all__"  # noqa: DJ007 - the admin narrows the fields through its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.updated.isoformat()
            self.before = {name: _field_value(self.instance, name) for name in self.fields if name != "version"}

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            # The admin saves inside a transaction: the row stays locked until this edit is stored.
            current = Commitment.objects.select_for_update().get(pk=self.instance.pk)
            if data.get("version") != current.updated.isoformat():
                raise forms.ValidationError(_("Changed by someone else, reload the page."))
        return data


def _apply_bulk_transition(modeladmin, request, queryset, *, to_status=None):
    """Intermediate page of the bulk status action: asks the step's inputs, then changes all or none."""
    if not workflow.can_change_status(request.user):
        raise PermissionDenied
    to_status = to_status or request.POST.get("to_status", "")
    statuses = set(queryset.values_list("status", flat=True))
    steps = [workflow.TRANSITIONS.get((status, to_status)) for status in statuses]
    if not to_status or None in steps:
        modeladmin.message_user(
            request,
            gettext("All selected commitments must be able to go to the chosen status; select them per status."),
            messages.ERROR,
        )
        return None
    step = steps[0]
    form = BulkTransitionForm(request.POST if "apply" in request.POST else None, step=step)
    if form.is_valid():
        apply_to_all(
            modeladmin,
            request,
            queryset.select_related("question__session"),
            lambda commitment: workflow.transition(commitment, to_status, by=request.user, **form.inputs()),
            success=lambda count: (
                gettext("%(n)d commitments are now “%(status)s”.") % {"n": count, "status": Status(to_status).label}
            ),
        )
        return None
    title = gettext("Change status: %s") % step.label
    action = request.POST.get("action")
    return bulk_page(
        modeladmin, request, title=title, form=form, queryset=queryset, action=action, step=step, to_status=to_status
    )


def _status_action(to_status):
    def action(modeladmin, request, queryset):
        return _apply_bulk_transition(modeladmin, request, queryset, to_status=to_status)

    action.__name__ = f"to_{to_status}"
    action.short_description = _("Change status to “%s”…") % Status(to_status).label
    action.allowed_permissions = ("change_status",)
    return action


class StatusPermissionMixin:
    def has_change_status_permission(self, request):
        return workflow.can_change_status(request.user)


OPEN_DATA_FIELDS = ["tk_activity_number", "tk_activity_id", "promised_to_party", "tk_party_id", "tk_id"]


@admin.register(Commitment)
class CommitmentAdmin(SpreadsheetMixin, StatusPermissionMixin, admin.ModelAdmin):
    resource_classes = [CommitmentResource]
    list_display = [
        "reference",
        "status",
        "quote_short",
        "promised_by",
        "committee",
        "due_date",
        "overdue_flag",
        "origin",
    ]
    list_filter = [
        "status",
        OverdueFilter,
        "kind",
        "origin",
        "question__session__committee",
        ("promised_by", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["promised_by", "question__session__committee"]
    search_fields = ["reference", "quote", "summary", "question__title", "promised_by__full_name"]
    date_hierarchy = "created"
    autocomplete_fields = ["question", "source_speech", "promised_by", "promised_to"]
    readonly_fields = [
        "reference",
        "fulfilled_on",
        "origin",
        "confidence",
        "created",
        "updated",
        "due_is_default",
        *OPEN_DATA_FIELDS,
    ]
    inlines = [CommitmentLinkInline, CommitmentEventInline]
    actions = [_status_action(s) for s in (Status.PARTIALLY_FULFILLED, Status.FULFILLED, Status.LAPSED, Status.OPEN)]
    change_form_template = "admin/tracker/commitment/change_form.html"
    change_list_template = "admin/tracker/commitment/change_list.html"
    form = CommitmentAdminForm
    fieldsets = [
        (None, {"fields": ["version", "reference", "status", "question", "source_speech", "quote", "summary", "kind"]}),
        (_("Who"), {"fields": ["promised_by", "promised_by_function", "ministry", "promised_to", "to_committee"]}),
        (_("Deadline"), {"fields": ["due_date", "due_is_default", "due_text", "fulfilled_on"]}),
        (_("Provenance"), {"fields": ["origin", "confidence", "created", "updated"]}),
        # Set by the open-data import only: the source debate and party, and the ids that match it again.
        (_("Tweede Kamer open data"), {"fields": OPEN_DATA_FIELDS}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Status and deadline move only through the workflow once a commitment exists, so that
        # every change is an event with a reason.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "status", "due_date"] if obj is not None else fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            # A commitment entered by hand starts as proposed, or directly as open (published) for a
            # clerk who may change status: without that permission only the review can publish it.
            statuses = [Status.CANDIDATE, *([Status.OPEN] if workflow.can_change_status(request.user) else [])]
            kwargs["choices"] = [(s.value, s.label) for s in statuses]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and obj.status != Status.CANDIDATE and not workflow.can_change_status(request.user):
            raise PermissionDenied
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.commitment_create(commitment=obj, by=request.user)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            # Every edit is history: compare what the clerk saw with what is stored now.
            fields = [f for f in form.changed_data if f != "version"]
            after = {f: _field_value(form.instance, f) for f in fields}
            services.commitment_record_edit(commitment=form.instance, by=request.user, before=form.before, after=after)

    def get_urls(self):
        return [
            path(
                "<int:pk>/status/<str:to_status>/",
                self.admin_site.admin_view(self.transition_view),
                name="tracker_commitment_transition",
            ),
            path(
                "<int:pk>/deadline/", self.admin_site.admin_view(self.due_date_view), name="tracker_commitment_deadline"
            ),
            path("rappel/", self.admin_site.admin_view(self.rappel_view), name="tracker_commitment_rappel"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["status_steps"] = (
                [(to, step) for to, step in workflow.allowed_steps(obj.status).items()]
                if workflow.can_change_status(request.user)
                else []
            )
            extra_context["can_change_deadline"] = workflow.can_change_status(request.user) and obj.status in (
                Status.OPEN,
                Status.PARTIALLY_FULFILLED,
            )
            if obj.source_speech_id:
                extra_context["quote_context"] = quote_in_context(obj.source_speech.text, obj.quote)
        return super().change_view(request, object_id, form_url, extra_context)

    def rappel_view(self, request):
        """Print-friendly (A4) and CSV overview per minister of open and overdue commitments on a cut-off date."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = RappelForm(request.GET or None)
        on, minister = timezone.localdate(), None
        if form.is_valid():
            on = form.cleaned_data["on"] or on
            minister = form.cleaned_data["minister"]
        groups = rappel.rappel_groups(on=on, minister=minister)
        if request.GET.get("format") == "csv":
            response = HttpResponse(rappel.rappel_csv(groups), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="rappel-{on.isoformat()}.csv"'
            return response
        return admin_page(
            self,
            request,
            "admin/tracker/rappel.html",
            title=gettext("Rappel of commitments on %s") % formats.date_format(on, "j F Y"),
            form=form,
            groups=groups,
            on=on,
            can_answer=workflow.can_change_status(request.user),
        )

    def _workflow_object(self, request, pk):
        if not (workflow.can_change_status(request.user) and self.has_view_or_change_permission(request)):
            raise PermissionDenied
        return get_object_or_404(Commitment.objects.select_related("question__session"), pk=pk)

    def transition_view(self, request, pk, to_status):
        commitment = self._workflow_object(request, pk)
        step = workflow.TRANSITIONS.get((commitment.status, to_status))
        if step is None:
            raise Http404(gettext("This status change is not possible."))
        form = TransitionForm(request.POST or None, step=step, initial={"version": commitment.updated.isoformat()})

        def perform(data):
            commitment.updated = data["version"]
            workflow.transition(commitment, to_status, by=request.user, **form.inputs())
            return Done(
                reverse("admin:tracker_commitment_change", args=[commitment.pk]),
                gettext("%(ref)s is now “%(status)s”.")
                % {"ref": commitment.reference, "status": Status(to_status).label},
            )

        title = gettext("%(ref)s: %(step)s") % {"ref": commitment.reference, "step": step.label}
        return self._workflow_operation(request, commitment, form, perform, title)

    def due_date_view(self, request, pk):
        commitment = self._workflow_object(request, pk)
        form = DueDateForm(
            request.POST or None,
            initial={
                "version": commitment.updated.isoformat(),
                "due_date": commitment.due_date,
                "note": request.GET.get("note", ""),
            },
        )

        def perform(data):
            commitment.updated = data["version"]
            workflow.due_date_change(commitment, by=request.user, due_date=data["due_date"], note=data["note"])
            return Done(
                reverse("admin:tracker_commitment_change", args=[commitment.pk]),
                gettext("The deadline of %s was changed.") % commitment.reference,
            )

        title = gettext("%s: change the deadline") % commitment.reference
        return self._workflow_operation(request, commitment, form, perform, title)

    def _workflow_operation(self, request, commitment, form, perform, title):
        def page():
            # Only the page reads the speech: a successful change redirects without loading it.
            speech = commitment.source_speech if commitment.source_speech_id else None
            quote = quote_in_context(speech.text, commitment.quote) if speech else None
            return admin_page(
                self,
                request,
                "admin/tracker/workflow_form.html",
                title=title,
                form=form,
                commitment=commitment,
                quote_context=quote,
            )

        return run_operation(self, request, form=form, perform=perform, page=page)

    @admin.display(description=_("quote"))
    def quote_short(self, obj):
        return Truncator(obj.quote).chars(90)

    @admin.display(description=_("committee"), ordering="question__session__committee__name")
    def committee(self, obj):
        return obj.question.session.committee

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_flag(self, obj):
        return obj.is_overdue()


@admin.register(ReviewItem)
class ReviewItemAdmin(StatusPermissionMixin, admin.ModelAdmin):
    """Te beoordelen: each proposal with its quote in context, registered or rejected in one step."""

    list_display = ["reference", "context", "promised_by", "kind", "confidence", "question"]
    list_display_links = ["reference"]
    list_filter = ["kind", "question__session__committee", "origin"]
    list_select_related = ["promised_by", "source_speech", "question"]
    search_fields = ["reference", "quote", "question__title"]
    # Most likely first: the scorer's probability; a clerk with little time reads the top of the queue.
    ordering = [F("confidence").desc(nulls_last=True), "question__session", "source_speech__sequence", "pk"]
    actions = ["register_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("quote in its speech"))
    def context(self, obj):
        if obj.source_speech_id:
            return quote_in_context(obj.source_speech.text, obj.quote, sentences=1)
        return obj.quote

    @admin.action(description=_("Register the selected proposals"), permissions=["change_status"])
    def register_selected(self, request, queryset):
        apply_to_all(
            self,
            request,
            list(queryset.select_related("question__session")),
            lambda item: workflow.commitment_register(item, by=request.user),
            success=lambda count: gettext("%d proposals registered.") % count,
        )

    @admin.action(description=_("Reject the selected proposals…"), permissions=["change_status"])
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            apply_to_all(
                self,
                request,
                queryset,
                lambda item: workflow.transition(
                    item, Status.REJECTED, by=request.user, note=form.cleaned_data["note"]
                ),
                success=lambda count: gettext("Proposals rejected."),
            )
            return None
        return bulk_page(
            self, request, title=gettext("Reject proposals"), form=form, queryset=queryset, action="reject_selected"
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = get_object_or_404(
            ReviewItem.objects.select_related("source_speech", "question__session", "promised_by"), pk=object_id
        )
        # This view replaces the admin's own, so it makes the admin's check itself: a proposal's quote,
        # speaker and deadline are for staff who may see proposals.
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        can_decide = workflow.can_change_status(request.user)
        if request.method == "POST" and not can_decide:
            raise PermissionDenied
        form = ReviewForm(
            request.POST or None,
            initial={
                "version": item.updated.isoformat(),
                "summary": item.summary,
                "kind": item.kind,
                "due_date": item.due_date,
                "promised_to": list(item.promised_to.all()),
            },
        )
        quote = quote_in_context(item.source_speech.text, item.quote, sentences=3) if item.source_speech_id else None
        return run_operation(
            self,
            request,
            form=form,
            perform=lambda data: self._review_decide(request, item, data),
            page=lambda: admin_page(
                self,
                request,
                "admin/tracker/review_form.html",
                title=gettext("Review %s") % item.reference,
                item=item,
                form=form,
                can_decide=can_decide,
                quote_context=quote,
            ),
        )

    def _review_decide(self, request, item, data) -> Done:
        item.updated = data["version"]
        if "reject" in request.POST:
            workflow.transition(item, Status.REJECTED, by=request.user, note=data["note"])
            done = gettext("%s was rejected.") % item.reference
        else:
            workflow.commitment_register(
                item,
                by=request.user,
                summary=data["summary"],
                kind=data["kind"],
                due_date=data["due_date"],
                promised_to=data["promised_to"],
                note=data["note"],
            )
            done = gettext("%s was registered.") % item.reference
        return Done(reverse("admin:tracker_reviewitem_changelist"), done)


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "commitment", "kind", "from_status", "to_status", "actor", "evidence_link"]
    list_filter = ["kind", "to_status"]
    list_select_related = ["commitment", "actor"]
    search_fields = ["commitment__reference", "note", "evidence_title"]
    date_hierarchy = "at"

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        if obj.evidence_url:
            return format_html(
                '<a href="{}" rel="noopener">{}</a>', obj.evidence_url, obj.evidence_title or obj.evidence_url
            )
        return obj.evidence_title


# Background work: notification e-mails and the task queue, in a module of their own.
from . import admin_tasks  # noqa: E402, F401

# Letters and their proposed matches (issue #15), in a module of their own.
from .letters import admin as letters_admin  # noqa: E402, F401
