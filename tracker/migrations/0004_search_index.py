"""Full-text search index for PostgreSQL (Dutch configuration); SQLite searches without one."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX = "commitment_search_nl"


def index():
    return GinIndex(SearchVector("quote", "summary", config="dutch"), name=INDEX)


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("tracker", "Commitment"), index())


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("tracker", "Commitment"), index())


class Migration(migrations.Migration):
    dependencies = [("tracker", "0003_follows_and_member_accounts")]

    operations = [migrations.RunPython(add, remove)]
