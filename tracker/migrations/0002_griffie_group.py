"""The clerks' group "Griffie" with exactly the permissions clerks need."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Griffie"
PERMISSIONS = {
    "committee": ["view", "add", "change"],
    "person": ["view", "add", "change"],
    "session": ["view", "add", "change"],
    "question": ["view", "add", "change"],
    "speech": ["view", "add", "change", "delete"],
    "commitment": ["view", "add", "change"],
    "commitmentevent": ["view"],
    "commitmentlink": ["view", "add", "change", "delete"],
    "reviewitem": ["view", "change"],
    "reminder": ["view"],
}
EXTRA = ["change_commitment_status"]


def codenames():
    return [f"{action}_{model}" for model, actions in PERMISSIONS.items() for action in actions] + EXTRA


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the group needs them now.
    app_config = apps.get_app_config("tracker")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames()))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
