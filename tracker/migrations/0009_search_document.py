"""PostgreSQL keeps a stored search document per commitment: quote, summary and the question's title.

The expression index of 0004 could only cover the commitment's own text, so a search that also looked
at the question title OR-ed a join into the query and PostgreSQL had to collect every match before it
could show the newest 25. A stored column, maintained by triggers (the title lives in another table,
which a generated column cannot read), lets the planner either walk the date index and test each row
cheaply (a common word) or fetch the few matches from the GIN index (a rare one), with statistics to
choose. SQLite has no text search and keeps searching the columns directly.
"""

import re

from django.conf import settings
from django.db import migrations

FUNCTIONS = """
CREATE FUNCTION tracker_search_document(title text, quote text, summary text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT setweight(to_tsvector('{config}'::regconfig, coalesce(title, '')), 'B')
        || setweight(to_tsvector('{config}'::regconfig, coalesce(quote, '') || ' ' || coalesce(summary, '')), 'A')
$$;

CREATE FUNCTION tracker_commitment_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tracker_search_document(
        (SELECT title FROM tracker_question WHERE id = NEW.question_id), NEW.quote, NEW.summary);
    RETURN NEW;
END $$;

CREATE FUNCTION tracker_question_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tracker_commitment SET search_document = tracker_search_document(NEW.title, quote, summary)
        WHERE question_id = NEW.id;
    RETURN NULL;
END $$;
"""

FORWARD = """
ALTER TABLE tracker_commitment ADD COLUMN search_document tsvector;
{functions}
CREATE TRIGGER commitment_search_document BEFORE INSERT OR UPDATE OF quote, summary, question_id
    ON tracker_commitment FOR EACH ROW EXECUTE FUNCTION tracker_commitment_search_document();
CREATE TRIGGER question_search_document AFTER UPDATE OF title ON tracker_question
    FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION tracker_question_search_document();
UPDATE tracker_commitment AS c SET search_document = tracker_search_document(q.title, c.quote, c.summary)
    FROM tracker_question AS q WHERE q.id = c.question_id;
CREATE INDEX commitment_search_document ON tracker_commitment USING gin (search_document);
DROP INDEX IF EXISTS commitment_search_nl;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS question_search_document ON tracker_question;
DROP TRIGGER IF EXISTS commitment_search_document ON tracker_commitment;
DROP FUNCTION IF EXISTS tracker_question_search_document();
DROP FUNCTION IF EXISTS tracker_commitment_search_document();
DROP FUNCTION IF EXISTS tracker_search_document(text, text, text);
ALTER TABLE tracker_commitment DROP COLUMN IF EXISTS search_document;
CREATE INDEX commitment_search_nl ON tracker_commitment USING gin (
    to_tsvector('{config}'::regconfig, COALESCE(quote, '') || ' ' || COALESCE(summary, '')));
"""


def config() -> str:
    name = settings.TRACKER_SEARCH_CONFIG
    if not re.fullmatch(r"[a-z_]+", name):
        raise ValueError(f"TRACKER_SEARCH_CONFIG is not a text search configuration name: {name!r}")
    return name


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        functions = FUNCTIONS.format(config=config())
        schema_editor.execute(FORWARD.format(functions=functions))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD.format(config=config()))


class Migration(migrations.Migration):
    dependencies = [("tracker", "0008_cache_and_promiser_indexes")]

    operations = [migrations.RunPython(forward, backward)]
