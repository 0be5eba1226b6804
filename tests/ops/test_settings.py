"""Settings from the environment: refuse to run unsafely, pass Django's deployment checks, migrations current."""

import pytest
from django.core.management import call_command

from tests.runners import PRODUCTION, manage


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
