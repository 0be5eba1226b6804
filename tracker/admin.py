"""Clerk screens. Every list runs a fixed number of queries (list_select_related, no per-row lookups)."""

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Commitment,
    CommitmentEvent,
    Committee,
    Person,
    Question,
    Session,
    Speech,
    Status,
)

admin.site.site_header = _("Commitments register — clerks")
admin.site.site_title = _("Commitments register")
admin.site.index_title = _("Administration")


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
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


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "date", "parliamentary_year", "kind"]
    list_filter = ["kind", "committee", "parliamentary_year"]
    list_select_related = ["committee"]
    search_fields = ["title", "slug", "note"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["source_sha256"]
    inlines = [QuestionInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "committee", "kind", "date", "parliamentary_year", "note"]}),
        (_("Source"), {"fields": ["source_url", "source_sha256", "source_text"], "classes": ["collapse"]}),
    ]


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
        return [("1", _("overdue")), ("30", _("due within 30 days"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.overdue()
        if self.value() == "30":
            return queryset.due_within(days=30)
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


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
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
    readonly_fields = ["reference", "fulfilled_on", "origin", "confidence", "created", "updated"]
    inlines = [CommitmentEventInline]
    fieldsets = [
        (None, {"fields": ["reference", "status", "question", "source_speech", "quote", "summary", "kind"]}),
        (_("Who"), {"fields": ["promised_by", "promised_by_function", "promised_to", "to_committee"]}),
        (_("Deadline"), {"fields": ["due_date", "due_text", "fulfilled_on"]}),
        (_("Provenance"), {"fields": ["origin", "confidence", "created", "updated"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Status moves only through the workflow, never as a plain field once a commitment exists.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "status"] if obj is not None else fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            # A commitment entered by hand starts as proposed or directly as open.
            kwargs["choices"] = [(s.value, s.label) for s in (Status.CANDIDATE, Status.OPEN)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            services.commitment_create(commitment=obj, by=request.user)

    @admin.display(description=_("quote"))
    def quote_short(self, obj):
        return Truncator(obj.quote).chars(90)

    @admin.display(description=_("committee"), ordering="question__session__committee__name")
    def committee(self, obj):
        return obj.question.session.committee

    @admin.display(description=_("overdue"), boolean=True)
    def overdue_flag(self, obj):
        return obj.is_overdue(on=timezone.localdate())


@admin.register(CommitmentEvent)
class CommitmentEventAdmin(admin.ModelAdmin):
    list_display = ["at", "commitment", "kind", "from_status", "to_status", "actor", "evidence_link"]
    list_filter = ["kind", "to_status"]
    list_select_related = ["commitment", "actor"]
    search_fields = ["commitment__reference", "note", "evidence_title"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        if obj.evidence_url:
            return format_html(
                '<a href="{}" rel="noopener">{}</a>', obj.evidence_url, obj.evidence_title or obj.evidence_url
            )
        return obj.evidence_title
