"""SQLite's full-text index of commitments (FTS5): quote, summary and the question's title.

Migration 0011 creates the index table; the triggers that keep it current live here, because SQLite
rebuilds a table for most schema changes (Django copies it to a new table, drops the old one and
renames the copy). That drops the triggers on the commitment table and makes the one on the question
table fail the rename. So before a migration run with work to do the triggers are dropped, and after
every run they are put back, with the index rebuilt from the tables, when they are missing.
PostgreSQL keeps its stored search document with its own triggers (migration 0009) and needs none of this.
"""

# ruff: noqa: S608, S611 - every statement here is built from this module's constants, never from input;
# the search words reach SQLite as parameters.

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

TABLE = "tracker_commitment_search"
# Below this many matches a word is rare: look the matches up; from it on, walk the order's index.
COMMON = 500
_MATCHES = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s"
TRIGGERS = (
    "commitment_search_insert",
    "commitment_search_update",
    "commitment_search_delete",
    "question_search_update",
)

_DOCUMENT = (
    "coalesce({c}.quote, '') || ' ' || coalesce({c}.summary, '') || ' ' || "
    "coalesce((SELECT title FROM tracker_question WHERE id = {c}.question_id), '')"
)
_CREATE = [
    f"""CREATE TRIGGER commitment_search_insert AFTER INSERT ON tracker_commitment BEGIN
        INSERT INTO {TABLE}(rowid, document) VALUES (new.id, {_DOCUMENT.format(c="new")});
    END""",
    f"""CREATE TRIGGER commitment_search_update AFTER UPDATE OF quote, summary, question_id ON tracker_commitment
    BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id;
        INSERT INTO {TABLE}(rowid, document) VALUES (new.id, {_DOCUMENT.format(c="new")});
    END""",
    f"""CREATE TRIGGER commitment_search_delete AFTER DELETE ON tracker_commitment BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER question_search_update AFTER UPDATE OF title ON tracker_question BEGIN
        DELETE FROM {TABLE} WHERE rowid IN (SELECT id FROM tracker_commitment WHERE question_id = new.id);
        INSERT INTO {TABLE}(rowid, document)
            SELECT c.id, {_DOCUMENT.format(c="c")} FROM tracker_commitment AS c WHERE c.question_id = new.id;
    END""",
]
_REBUILD = [
    f"DELETE FROM {TABLE}",
    f"INSERT INTO {TABLE}(rowid, document) SELECT c.id, {_DOCUMENT.format(c='c')} FROM tracker_commitment AS c",
]


def matching(match: str) -> Q:
    """Commitments whose text matches the FTS5 query, in the query shape that suits how many do.

    SQLite keeps no statistics on its text index, so it always looks the matches up and sorts them
    all: fine for a rare word, slow for one in every tenth commitment. Counting up to COMMON matches
    costs one indexed query; for a common word the unary + then makes SQLite walk the index of the
    requested order and test each row against the matches, stopping after one page.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({_MATCHES} LIMIT %s)", [match, COMMON])
        common = cursor.fetchone()[0] >= COMMON
    if not common:
        return Q(pk__in=RawSQL(_MATCHES, [match]))
    return Q(RawSQL(f'+"tracker_commitment"."id" IN ({_MATCHES})', [match], output_field=BooleanField()))


def _names(cursor, kind: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {row[0] for row in cursor.fetchall()}


def drop_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install(connection) -> bool:
    """Create missing triggers and rebuild the index; False when the index table does not exist yet."""
    with connection.cursor() as cursor:
        if TABLE not in _names(cursor, "table"):
            return False
        if set(TRIGGERS) <= _names(cursor, "trigger"):
            return True
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        for statement in _CREATE + _REBUILD:
            cursor.execute(statement)
    return True


def before_migrate(sender, *, using, plan=None, **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite" and plan:
        drop_triggers(connection)


def after_migrate(sender, *, using, **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        install(connection)
