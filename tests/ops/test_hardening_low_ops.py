"""Issue 16, low: plain-HTTP /healthz, the language cookie's flags, Vary: Cookie, the demo clerk under DEBUG=0
and JSON log lines with a time zone and the stack asked for."""

import datetime
import io
import json
import logging
import textwrap

import pytest
from django.contrib.auth import authenticate
from django.core import checks
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.runners import PRODUCTION, manage
from tracker.management.commands.demo_clerk import PASSWORD, USERNAME
from tracker.ops.runtime import JsonFormatter


def run_with_production_settings(code: str) -> str:
    """Run `code` in `manage.py shell` with DEBUG off and production variables; its standard output."""
    result = manage("shell", "--no-imports", "-c", textwrap.dedent(code), env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    return result.stdout


# (a) /healthz over plain HTTP.


@pytest.mark.django_db
@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_healthz_is_answered_not_redirected_while_other_pages_are(client):
    assert client.get(reverse("tracker:list")).status_code == 301  # the redirect is really on
    response = client.get("/healthz")
    assert response.status_code == 200, response.headers.get("Location")
    assert response.json()["status"] == "ok"


def test_plain_http_healthz_with_production_settings_is_not_a_redirect():
    # An in-memory database without tables: the probe says 503 ("migrations"), but answers over plain HTTP.
    out = run_with_production_settings(
        """
        from django.test import Client
        client = Client(HTTP_HOST="toezeggingen.example.be")
        print(client.get("/healthz").status_code, client.get("/toezeggingen/").status_code)
        """
    )
    health, page = out.split()
    assert health in {"200", "503"}
    assert page == "301"


# (b) The language cookie.


def test_language_cookie_is_secure_samesite_and_http_only_with_production_settings():
    out = run_with_production_settings(
        """
        from django.test import Client
        client = Client(HTTP_HOST="toezeggingen.example.be")
        response = client.post("/i18n/setlang/", {"language": "en", "next": "/toezeggingen/"}, secure=True)
        print(response.status_code)
        print(response.cookies["django_language"].output())
        """
    )
    status, cookie = out.strip().splitlines()
    assert status == "302"
    assert "django_language=en" in cookie
    assert "Secure" in cookie and "SameSite=Lax" in cookie and "HttpOnly" in cookie


@pytest.mark.django_db
def test_language_cookie_is_samesite_and_http_only_in_development_too(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/toezeggingen/"})
    morsel = response.cookies["django_language"]
    assert morsel.value == "en"
    assert morsel["samesite"] == "Lax" and morsel["httponly"]
    assert not morsel["secure"]  # development runs over plain http on localhost


# (c) Vary: Cookie.


def vary(response) -> set[str]:
    return {part.strip().lower() for part in response.headers.get("Vary", "").split(",")}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["tracker:list", "tracker:feed", "tracker:deadlines"])
def test_public_pages_vary_on_the_cookie_that_picks_their_language(client, seed, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "cookie" in vary(response)


# (d) The development demo clerk.


@pytest.fixture
def demo_clerk(db, settings):
    settings.DEBUG = True
    call_command("demo_clerk", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=USERNAME)


def log_in(username, password):
    return authenticate(RequestFactory().post("/account/login/"), username=username, password=password)


def test_demo_clerk_logs_in_under_debug(demo_clerk, settings):
    settings.DEBUG = True
    assert log_in(USERNAME, PASSWORD) == demo_clerk


def test_demo_clerk_is_refused_when_debug_is_off(demo_clerk, settings, client):
    settings.DEBUG = False
    assert log_in(USERNAME, PASSWORD) is None
    response = client.post(reverse("login"), {"username": USERNAME, "password": PASSWORD})
    assert response.status_code == 200  # the form again, with its error: not a redirect into the site
    assert "_auth_user_id" not in client.session


def test_demo_account_with_a_password_of_its_own_still_logs_in_when_debug_is_off(demo_clerk, settings):
    demo_clerk.set_password("een-eigen-lang-wachtwoord-2026")
    demo_clerk.save()
    settings.DEBUG = False
    assert log_in(USERNAME, "een-eigen-lang-wachtwoord-2026") == demo_clerk


def deploy_warnings() -> list[str]:
    return [m.id for m in checks.run_checks(include_deployment_checks=True, tags=[checks.Tags.security])]


def test_deploy_check_warns_while_the_demo_clerk_exists(demo_clerk):
    assert "tracker.W002" in deploy_warnings()
    demo_clerk.set_password("een-eigen-lang-wachtwoord-2026")
    demo_clerk.save()
    assert "tracker.W002" not in deploy_warnings()


@pytest.mark.django_db
def test_deploy_check_is_silent_without_the_demo_clerk():
    assert "tracker.W002" not in deploy_warnings()


# (e) JSON log lines.


def log_line(**kwargs) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("tracker.test_low_ops")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("iets", **kwargs)
    finally:
        log.removeHandler(handler)
        log.propagate = True
    return json.loads(stream.getvalue())


def test_json_log_time_carries_its_time_zone():
    before = datetime.datetime.now(datetime.UTC)
    stamp = datetime.datetime.fromisoformat(log_line()["time"])
    assert stamp.tzinfo is not None and stamp.utcoffset() is not None
    assert abs((stamp - before).total_seconds()) < 5  # the same instant, wherever the collector is


def test_json_log_keeps_the_stack_asked_for():
    line = log_line(stack_info=True)
    assert "Stack (most recent call last)" in line["stack"]
    assert "test_json_log_keeps_the_stack_asked_for" in line["stack"]
    assert "stack" not in log_line()
