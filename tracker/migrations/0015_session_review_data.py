"""Every sitting already in the register was public, so all of them count as reviewed (by nobody in
particular): the register's pages stay as they were. Their slug was the import's identity of the
sitting; it is kept as that identity, so re-importing one of them is still recognised. Clerks get the
permission to mark sittings reviewed.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
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
        ("tracker", "0014_session_review"),
    ]

    operations = [
        migrations.RunPython(mark_existing, migrations.RunPython.noop),
        migrations.RunPython(grant, revoke),
    ]
