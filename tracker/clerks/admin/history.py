"""The history of every commitment, read-only: what happened, when, by whom, with what evidence."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tracker.clerks.admin.base import ReadOnlyAdminMixin
from tracker.models import (
    CommitmentEvent,
)

# Refused rows shown one message each after a confirmation; the preview shows them all.


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
