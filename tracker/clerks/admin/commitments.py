"""Commitments: the list, the status workflow (single and bulk), deadlines and the rappel."""

import functools

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.clerks import rappel
from tracker.clerks.admin import records as admin_records

# Refused rows shown one message each after a confirmation; the preview shows them all.
from tracker.clerks.admin.base import (
    Done,
    SpreadsheetMixin,
    StatusPermissionMixin,
    admin_page,
    apply_to_all,
    bulk_page,
    run_operation,
)
from tracker.clerks.forms import (
    BulkTransitionForm,
    DueDateForm,
    RappelForm,
    TransitionForm,
)
from tracker.exchange.spreadsheets import CommitmentResource
from tracker.models import (
    Commitment,
    CommitmentEvent,
    CommitmentLink,
    Status,
)
from tracker.public.presentation import quote_in_context
from tracker.register import rules, services, workflow


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
            *(
                path(
                    f"import/{slug}/",
                    self.admin_site.admin_view(
                        functools.partial(admin_records.records_import_view, self, kind_slug=slug)
                    ),
                    name=f"tracker_commitment_import_{slug}",
                )
                for slug in admin_records.KINDS
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "record_imports": admin_records.import_links(request.user)}
        return super().changelist_view(request, extra_context)

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
