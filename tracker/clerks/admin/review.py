"""The review queue: proposals the detector made, registered or rejected by a clerk."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Refused rows shown one message each after a confirmation; the preview shows them all.
from tracker.clerks.admin.base import (
    Done,
    StatusPermissionMixin,
    admin_page,
    apply_to_all,
    bulk_page,
    run_operation,
)
from tracker.clerks.forms import (
    RejectForm,
    ReviewForm,
)
from tracker.models import (
    ReviewItem,
    Status,
)
from tracker.public.presentation import quote_in_context
from tracker.register import workflow


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
