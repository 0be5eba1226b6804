"""SQLite keeps a full-text index (FTS5) of every commitment: quote, summary and the question's title.

SQLite has no Dutch stemming, but without an index a search for a rare word read every commitment
(LIKE over the whole register). This creates the index table; tracker.public.sqlite_search fills it and
keeps it current with triggers that it re-creates after every migration run (SQLite rebuilds tables
for schema changes, which would drop triggers made here). PostgreSQL needs nothing here.
"""

from django.db import migrations

from tracker.public import sqlite_search


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {sqlite_search.TABLE} USING fts5(document, tokenize='unicode61 remove_diacritics 2')"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        sqlite_search.drop_triggers(schema_editor.connection)
        schema_editor.execute(f"DROP TABLE IF EXISTS {sqlite_search.TABLE}")


class Migration(migrations.Migration):
    dependencies = [("tracker", "0010_reference_upper_index")]

    operations = [migrations.RunPython(forward, backward)]
