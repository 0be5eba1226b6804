"""Sittings become public when a clerk has reviewed them; imports recognise a sitting by its own key.

Every sitting already in the register was public, so all of them count as reviewed (by nobody in
particular): the register's pages stay as they were. Their slug was the import's identity of the
sitting; it is kept as that identity, so re-importing one of them is still recognised.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.db.models import F
from django.utils import timezone


def mark_existing(apps, schema_editor):
    Session = apps.get_model("tracker", "Session")
    Session.objects.filter(reviewed_at__isnull=True).update(reviewed_at=timezone.now())
    Session.objects.exclude(source_sha256="").update(source_key=F("slug"))


def grant(apps, schema_editor):
    """Clerks may mark sittings reviewed; the permission exists so others can be kept out."""
    app_config = apps.get_app_config("tracker")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Griffie")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="tracker", codename="review_session"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Griffie"):
        group.permissions.remove(*group.permissions.filter(codename="review_session"))


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
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
