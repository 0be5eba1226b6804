"""SQLite keeps a full-text index (FTS5) of every commitment: quote, summary and the question's title.

SQLite has no Dutch stemming, but without an index a search for a rare word read every commitment
(LIKE over the whole register). Triggers keep the index current, as migration 0009 does for
PostgreSQL's stored search document; PostgreSQL needs nothing here.
"""

from django.db import migrations

DOCUMENT = (
    "coalesce({c}.quote, '') || ' ' || coalesce({c}.summary, '') || ' ' || "
    "coalesce((SELECT title FROM tracker_question WHERE id = {c}.question_id), '')"
)

FORWARD = [
    "CREATE VIRTUAL TABLE tracker_commitment_search USING fts5(document, tokenize='unicode61 remove_diacritics 2')",
    f"""CREATE TRIGGER commitment_search_insert AFTER INSERT ON tracker_commitment BEGIN
        INSERT INTO tracker_commitment_search(rowid, document) VALUES (new.id, {DOCUMENT.format(c="new")});
    END""",
    f"""CREATE TRIGGER commitment_search_update AFTER UPDATE OF quote, summary, question_id ON tracker_commitment
    BEGIN
        DELETE FROM tracker_commitment_search WHERE rowid = old.id;
        INSERT INTO tracker_commitment_search(rowid, document) VALUES (new.id, {DOCUMENT.format(c="new")});
    END""",
    """CREATE TRIGGER commitment_search_delete AFTER DELETE ON tracker_commitment BEGIN
        DELETE FROM tracker_commitment_search WHERE rowid = old.id;
    END""",
    f"""CREATE TRIGGER question_search_update AFTER UPDATE OF title ON tracker_question BEGIN
        DELETE FROM tracker_commitment_search
            WHERE rowid IN (SELECT id FROM tracker_commitment WHERE question_id = new.id);
        INSERT INTO tracker_commitment_search(rowid, document)
            SELECT c.id, {DOCUMENT.format(c="c")} FROM tracker_commitment AS c WHERE c.question_id = new.id;
    END""",
    f"""INSERT INTO tracker_commitment_search(rowid, document)
        SELECT c.id, {DOCUMENT.format(c="c")} FROM tracker_commitment AS c""",
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS question_search_update",
    "DROP TRIGGER IF EXISTS commitment_search_delete",
    "DROP TRIGGER IF EXISTS commitment_search_update",
    "DROP TRIGGER IF EXISTS commitment_search_insert",
    "DROP TABLE IF EXISTS tracker_commitment_search",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("tracker", "0010_reference_upper_index")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
