"""Sittings become public when a clerk has reviewed them; imports recognise a sitting by its own key.

The existing sittings are marked reviewed in 0015: on PostgreSQL, rows updated in this migration's
transaction would stop its deferred index creation ("pending trigger events").
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0013_commitment_status_recent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="session",
            options={
                "ordering": [models.OrderBy(models.F("date"), descending=True, nulls_last=True), "title"],
                "permissions": [("review_session", "Can mark a sitting reviewed (published)")],
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
            },
        ),
        migrations.AddField(
            model_name="session",
            name="reviewed_at",
            field=models.DateTimeField(
                blank=True,
                help_text=(
                    "When a clerk checked the imported sitting. Until then the sitting, its speeches and the persons "
                    "it introduced are not public. Registering one of its proposals also marks it reviewed."
                ),
                null=True,
                verbose_name="reviewed at",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                help_text="The clerk who marked the sitting reviewed; empty for sittings reviewed before this was kept.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reviewed by",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="source_key",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                help_text=(
                    "Recognises another text of a sitting that was already imported (its address, or committee, "
                    "date and first item)."
                ),
                max_length=150,
                verbose_name="source identity",
            ),
        ),
    ]
