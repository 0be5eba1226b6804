"""The list walks an index in the order it shows and stops after one page: no sort of every match.

SQLite only: it is the database whose planner chose otherwise (PostgreSQL's plans are checked on a
100,000-commitment register by benchmarks/bench_pages.py). Statistics are gathered first (ANALYZE),
as a database that has been running a while has them.
"""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from tests.factories import build_register
from tracker.models import Commitment, CommitmentTally, Committee, Person
from tracker.public.filters import CommitmentFilter
from tracker.public.views import public_commitments
from tracker.register import figures

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner; PostgreSQL has its own"),
]


def plan(query: str) -> str:
    sql, params = CommitmentFilter(QueryDict(query), queryset=public_commitments()).qs[:25].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


@pytest.fixture
def analysed():
    made = build_register(300, prefix="plan")
    for n, status in enumerate(["fulfilled", "lapsed", "partially_fulfilled"]):
        done = datetime.date(2024, 1, 1) if status == "fulfilled" else None
        Commitment.objects.filter(pk__in=[c.pk for c in made[n::4]]).update(status=status, fulfilled_on=done)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.mark.parametrize("query", ["", "status=open", "status=fulfilled", "status=open&status=lapsed", "sort=due"])
def test_a_page_of_the_list_is_read_in_order_without_sorting_the_matches(analysed, query):
    assert "TEMP B-TREE FOR ORDER BY" not in plan(query), plan(query)


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[-1] for row in cursor.fetchall())


@pytest.mark.parametrize("scope", ["committee", "person"])
def test_a_scorecard_reads_its_tally_rows_and_the_deadlines_ahead_by_index(analysed, scope):
    """The committee and person pages' figures: the scope's few tally rows, and the pending commitments
    whose deadline is still ahead found from the due-date index, never a walk through the scope's history."""
    where = (
        {"committee": Committee.objects.get(slug="plan")}
        if scope == "committee"
        else {"person": Person.objects.get(slug="plan-persoon-7")}
    )
    tally = explain(CommitmentTally.rows.filter(**where).exclude(n=0).values_list("status", "n"))
    assert tally.startswith("SEARCH tracker_commitmenttally USING INDEX") and f"({scope}_id=?" in tally, tally
    ahead = explain(figures.deadlines_ahead(on=datetime.date(2021, 1, 1), **where).order_by().values("pk"))
    first = ahead.splitlines()[0]
    assert first.startswith("SEARCH tracker_commitment USING") and "due_date>?" in first, ahead
    assert "SCAN" not in ahead, ahead


def test_a_committee_page_reads_its_latest_sittings_in_order(analysed):
    """Not every sitting of the committee collected and sorted: the committee's index, newest first."""
    from tracker.public.views import _latest_sittings

    committee = Committee.objects.get(slug="plan")
    with CaptureQueriesContext(connection) as queries:
        _latest_sittings(committee, 50)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + queries.captured_queries[0]["sql"])
        first = "\n".join(row[-1] for row in cursor.fetchall())
    assert "USING INDEX session_committee_recent" in first and "TEMP B-TREE" not in first, first
