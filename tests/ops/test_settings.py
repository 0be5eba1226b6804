"""Settings from the environment: refuse to run unsafely, pass Django's deployment checks, migrations current."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq2!vR9@pL4$wZ8^mN1&bT6*cY3(hJ5)fG0-dS2+aQ9=eU7~iO4",
    "ALLOWED_HOSTS": "toezeggingen.example.be",
    "DATABASE_URL": "sqlite:///:memory:",
    "SMTP_HOST": "smtp.example.be",
    "SITE_URL": "https://toezeggingen.example.be",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = manage("check", env={"DEBUG": "0", "ALLOWED_HOSTS": "example.be"})
    assert result.returncode != 0
    assert "SECRET_KEY ontbreekt" in result.stderr


def test_deploy_check_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_when_e_mail_links_would_point_at_localhost():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, "SITE_URL": ""})
    assert result.returncode != 0
    assert "tracker.W001" in result.stderr and "SITE_URL" in result.stderr


@pytest.mark.django_db
def test_no_model_changes_without_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("value", ["abc", "1.5", "-0.1"])
def test_a_candidate_threshold_outside_0_to_1_is_refused(value):
    result = manage("check", env={"TRACKER_CANDIDATE_THRESHOLD": value})
    assert result.returncode != 0
    assert "TRACKER_CANDIDATE_THRESHOLD" in result.stderr and "Traceback" not in result.stderr.splitlines()[-1]


def test_the_candidate_threshold_comes_from_the_environment():
    code = "from django.conf import settings; print(settings.TRACKER_CANDIDATE_THRESHOLD)"
    result = manage("shell", "--no-imports", "-c", code, env={"TRACKER_CANDIDATE_THRESHOLD": "0.4"})
    assert result.returncode == 0 and result.stdout.strip().splitlines()[-1] == "0.4"
    result = manage("shell", "--no-imports", "-c", code, env={})
    assert result.stdout.strip().splitlines()[-1] == "None"
