"""The public list's filters. Parameter names are a contract: links, feeds and exports share them."""

import re
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.expressions import Col, Expression
from django.db.models.functions import Upper
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from tracker.models import (
    INTERNAL_STATUSES,
    PENDING_STATUSES,
    Commitment,
    CommitmentKind,
    Committee,
    Person,
    Status,
    parliamentary_year_validator,
)
from tracker.public import sqlite_search

WORD = re.compile(r"\w+")
PUBLIC_STATUS_CHOICES = [(s.value, s.label) for s in Status if s not in INTERNAL_STATUSES]
SORTS = {
    # Orders on the commitment's own indexed columns, so a page never sorts the whole register.
    "made": (_("most recent first"), ["-created", "-pk"]),
    "due": (_("deadline"), [("due_date", "asc_nulls_last"), "reference"]),
    "open_longest": (_("open longest"), ["created", "pk"]),
}


# The search document column is added by migration 0009, not declared on the model (a GIN-indexed tsvector
# kept by triggers); this field only names it for SearchDocument.
_SEARCH_DOCUMENT = SearchVectorField()
_SEARCH_DOCUMENT.set_attributes_from_name("search_document")


class SearchDocument(Expression):
    """The commitment's stored search document, under whatever alias the query gives the commitment table.

    A raw "tracker_commitment"."search_document" broke as soon as the selection became a subquery (the feed's
    EXISTS, where Django renames the table U0): it resolves to a column of the query's own base table,
    which Django relabels along with every other column."""

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return Col(query.get_initial_alias(), _SEARCH_DOCUMENT, output_field=SearchVectorField())


class OverdueCheckbox(forms.CheckboxInput):
    """`overdue=1` switches the filter on; `overdue=0` or any other value leaves it off (CheckboxInput alone
    reads every non-empty value but "false" as checked)."""

    def value_from_datadict(self, data, files, name):
        return data.get(name) in CommitmentFilter.OVERDUE_ON


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", max_length=200)
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=PUBLIC_STATUS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        # A column of the commitment itself: no join can repeat rows, and DISTINCT would make the
        # database sort every match before it can return the first page.
        distinct=False,
    )
    committee = django_filters.ModelChoiceFilter(
        label=_("Committee"),
        method="in_sessions",
        to_field_name="slug",
        queryset=Committee.objects.order_by("name"),
        empty_label=_("all committees"),
    )
    minister = django_filters.ModelChoiceFilter(
        label=_("Minister"),
        method="by_minister",
        to_field_name="slug",
        help_text=_("What the minister promised, and what the committee itself promised on the minister's items."),
        # One index probe per person instead of a join over the whole register.
        queryset=Person.objects.filter(Exists(Commitment.objects.public().filter(promised_by=OuterRef("pk")))).order_by(
            "surname", "full_name"
        ),
        empty_label=_("all ministers"),
    )
    member = django_filters.ModelChoiceFilter(
        label=_("Member (asked or promised to)"),
        method="by_member",
        to_field_name="slug",
        # A person only an unreviewed sitting knows is not public: the filter does not know them either.
        queryset=Person.objects.public(),
        widget=forms.TextInput,
        help_text=_("The member's identifier, as in the address of their page."),
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CommitmentKind.choices, empty_label=_("all kinds"))
    OVERDUE_ON = ("1", "true", "on")
    overdue = django_filters.BooleanFilter(
        label=_("Only overdue"), method="only_overdue", widget=OverdueCheckbox(attrs={"value": "1"})
    )
    due_from = django_filters.DateFilter(
        label=_("Deadline from"),
        field_name="due_date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_to = django_filters.DateFilter(
        label=_("Deadline to"), field_name="due_date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )
    year = django_filters.CharFilter(
        label=_("Parliamentary year"),
        method="in_sessions",
        field_name="parliamentary_year",
        max_length=9,
        validators=[parliamentary_year_validator],
        widget=forms.TextInput(attrs={"placeholder": "2020-2021", "pattern": r"\d{4}-\d{4}"}),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort"), choices=[(k, v[0]) for k, v in SORTS.items()], method="sort_by", empty_label=None
    )

    class Meta:
        model = Commitment
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # References are typed in any case; UPPER(reference) is indexed (migration 0010).
        by_reference = Q(reference_upper=value.upper())
        queryset = queryset.alias(reference_upper=Upper("reference"))
        if connection.vendor == "postgresql":
            query = SearchQuery(value, config=settings.TRACKER_SEARCH_CONFIG, search_type="websearch")
            # The stored document (quote, summary and question title, migration 0009) is one GIN-indexed
            # column, so PostgreSQL can estimate how many rows match and pick its plan accordingly.
            return queryset.alias(document=SearchDocument()).filter(Q(document=query) | by_reference)
        # SQLite: the FTS5 index (tracker/public/sqlite_search.py), without stemming: every word must begin a
        # word of the quote, summary or question title ("wachtlijst" also finds "wachtlijsten").
        words = WORD.findall(value)[:10]
        if not words:
            return queryset.filter(by_reference)
        return queryset.filter(sqlite_search.matching(" AND ".join(f'"{word}"*' for word in words)) | by_reference)

    def __init__(self, *args, counting: bool = False, **kwargs):
        # Counting (no order, no limit but the cap) goes faster through a join, from the committee's
        # sittings to their commitments; a page of the list through EXISTS along the order's index.
        self.counting = counting
        super().__init__(*args, **kwargs)

    def in_sessions(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        if self.counting:
            return queryset.filter(**{f"question__session__{name}": value})
        return queryset.in_sessions(**{name: value})

    def by_minister(self, queryset, name, person):
        return queryset if person is None else queryset.by_minister(person)

    def by_member(self, queryset, name, person):
        if person is None:
            return queryset
        return queryset.concerning_member(person)

    def only_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def _pending_only(self) -> bool:
        # "Open longest" is about what is still pending; a fulfilled one has stopped waiting. A status
        # chosen explicitly still wins.
        data = self.form.cleaned_data
        return data.get("sort") == "open_longest" and not data.get("status")

    def sort_by(self, queryset, name, value):
        return queryset.pending() if self._pending_only() else queryset

    def shown_statuses(self) -> set[str] | None:
        """The statuses the list shows: those asked for, the pending ones for "open longest", else None (all)."""
        if not self.is_bound or not self.is_valid():
            return None
        if self.form.cleaned_data.get("status"):
            return set(self.form.cleaned_data["status"])
        return set(PENDING_STATUSES) if self._pending_only() else None

    def ordering(self):
        key = self.form.cleaned_data.get("sort") if self.is_bound and self.form.is_valid() else None
        if not key and self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("overdue"):
            key = "due"  # the overdue list reads best longest-overdue first, and walks the deadline index
        return [F(o[0]).asc(nulls_last=True) if isinstance(o, tuple) else o for o in SORTS[key or "made"][1]]

    @property
    def qs(self):
        return super().qs.order_by(*self.ordering())


def selection_key(data) -> str:
    """The filter part of a query string, written one way (no sort, page or empty values; keys and values in
    order), so the same selection followed from two URLs is stored, and found, once."""
    names = set(CommitmentFilter.base_filters) - {"sort"}
    pairs = sorted((key, value) for key in data for value in data.getlist(key) if key in names and value.strip())
    return urlencode(pairs)


def describe_selections(queries: list[str]) -> list[str]:
    """Each followed selection in words, e.g. "Minister: Hilde Crevits · Status: openstaand, vervallen",
    with the names of all of them looked up in two queries."""
    parsed = [QueryDict(query) for query in queries]
    wanted = {key: {v for d in parsed for v in d.getlist(key)} for key in ("minister", "member", "committee")}
    people = dict(
        Person.objects.public().filter(slug__in=wanted["minister"] | wanted["member"]).values_list("slug", "full_name")
    )
    committees = dict(Committee.objects.filter(slug__in=wanted["committee"]).values_list("slug", "name"))
    names = {
        "status": dict(PUBLIC_STATUS_CHOICES),
        "kind": dict(CommitmentKind.choices),
        "minister": people,
        "member": people,
        "committee": committees,
    }
    descriptions = []
    for data in parsed:
        parts = []
        for name, field in CommitmentFilter.base_filters.items():
            values = [v for v in data.getlist(name) if v.strip()]
            if not values or name == "sort":
                continue
            if name == "overdue":
                parts.append(str(field.label))
                continue
            shown = [str(names.get(name, {}).get(v, v)) for v in values]
            if name == "q":
                shown = [f"“{v}”" for v in shown]
            parts.append(f"{field.label}: {', '.join(shown)}")
        descriptions.append(" · ".join(parts))
    return descriptions
