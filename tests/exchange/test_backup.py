"""Backup and restore: dumpdata with natural keys of the register and its users restores identically.

Backup:   python manage.py dumpdata tracker auth.group auth.user --natural-foreign --natural-primary -o backup.json
Restore:  python manage.py migrate && python manage.py loaddata backup.json   (into an empty database)
"""

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from tests.factories import build_history, comparable_dump
from tracker.models import (
    Commitment,
    CommitmentEvent,
    CommitmentLink,
    Committee,
    Person,
    Question,
    Reminder,
    Session,
    Speech,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ["tracker", "auth.group", "auth.user"]
TRACKER = [Reminder, CommitmentLink, CommitmentEvent, Commitment, Speech, Question, Session, Committee, Person]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def backup() -> str:
    out = io.StringIO()
    call_command("dumpdata", *BACKUP, natural_foreign=True, natural_primary=True, indent=1, stdout=out)
    return out.getvalue()


@pytest.fixture
def register(seed, clerk):
    build_history(clerk)
    User.objects.create_user("lid", email="lid@example.org", password="pw-not-used", first_name="Lid")
    Group.objects.create(name="Leden")
    Reminder.objects.create(
        commitment=Commitment.objects.get(reference="TZ-2026-0005"),
        kind="overdue",
        due_date=datetime.date(2021, 6, 30),
        recipients="clerk@example.org",
    )


def test_backup_holds_history_and_users(register):
    data = json.loads(backup())
    models = {obj["model"] for obj in data}
    assert {"tracker.commitmentevent", "tracker.reminder", "auth.user", "auth.group"} <= models
    actors = [obj["fields"]["actor"] for obj in data if obj["model"] == "tracker.commitmentevent"]
    assert ["clerk"] in actors  # users by natural key, not by id


def test_restore_into_an_emptied_database_is_identical(register, tmp_path):
    before = backup()
    path = tmp_path / "backup.json"
    path.write_text(before, encoding="utf-8")
    for model in TRACKER:
        model.objects.all().delete()
    User.objects.all().delete()
    Group.objects.all().delete()
    assert not Commitment.objects.exists() and not CommitmentEvent.objects.exists()
    call_command("loaddata", str(path), verbosity=0)
    assert comparable_dump(backup()) == comparable_dump(before)


def test_restore_into_a_freshly_migrated_database_is_identical(register, tmp_path):
    before = backup()
    path = tmp_path / "backup.json"
    path.write_text(before, encoding="utf-8")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hersteld.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    # One process for the three commands: a Django start-up costs more than the restore itself.
    script = (
        "import sys, django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
        "call_command('loaddata', sys.argv[1], verbosity=0)\n"
        f"call_command('dumpdata', *{BACKUP!r}, natural_foreign=True, natural_primary=True, indent=1)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(comparable_dump(result.stdout)) == json.loads(comparable_dump(before))
