"""The search indexes stay current through writes of every kind and through schema migrations."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from tests.factories import build_register
from tracker.models import Commitment
from tracker.public import sqlite_search

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")


def found(client, word):
    return client.get(reverse("tracker:list"), {"q": word}).content.decode()


def test_bulk_writes_reach_the_index(client):
    """bulk_create and QuerySet.update bypass save(); the database keeps the index, not Python."""
    made = build_register(3, prefix="bulk")  # bulk_create
    Commitment.objects.filter(pk=made[0].pk).update(quote="Ik zal de fietssnelwegen evalueren.")
    assert made[0].reference in found(client, "fietssnelwegen")
    assert made[1].reference in found(client, "bezorgen") and made[0].reference not in found(client, "bezorgen")


@sqlite_only
def test_triggers_come_back_after_a_migration_run_and_the_index_is_rebuilt(client):
    """SQLite rebuilds tables for schema changes, dropping triggers: the post-migrate hook restores them."""
    sqlite_search.before_migrate(None, using="default", plan=[("a migration", False)])
    made = build_register(1, prefix="tijdens")[0]  # written while the triggers are gone
    assert made.reference not in found(client, "bezorgen")
    sqlite_search.after_migrate(None, using="default")
    cache.clear()  # the count for this search was cached at the same register version a moment ago
    assert made.reference in found(client, "bezorgen")
    later = build_register(1, prefix="later")[0]
    assert later.reference in found(client, "bezorgen")


@sqlite_only
def test_a_migration_run_without_work_keeps_the_triggers(client):
    sqlite_search.before_migrate(None, using="default", plan=[])
    made = build_register(1, prefix="nu")[0]
    assert made.reference in found(client, "bezorgen")
