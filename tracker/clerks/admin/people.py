"""Committees and persons: who sits where, who promises and who asks."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

# Refused rows shown one message each after a confirmation; the preview shows them all.
from tracker.clerks.admin.base import (
    SpreadsheetMixin,
)
from tracker.exchange.spreadsheets import PersonResource
from tracker.models import (
    Committee,
    Person,
)


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(SpreadsheetMixin, admin.ModelAdmin):
    resource_classes = [PersonResource]
    list_display = ["full_name", "honorific", "party", "slug"]
    list_filter = ["honorific", "party"]
    search_fields = ["full_name", "surname", "first_name", "party", "slug"]
    prepopulated_fields = {"slug": ["full_name"]}
    fieldsets = [
        (None, {"fields": ["full_name", "surname", "honorific", "party", "slug"]}),
        (
            _("Name parts"),
            {
                "fields": ["title", "initials", "first_name", "suffix"],
                "description": _("As the sources state them (open data fills these in); the export gives them again."),
            },
        ),
        (None, {"fields": ["tk_id", "user"]}),
    ]
