"""Operations: health check, request ids, security headers on every URL, Dutch error pages, lockout."""

import json
import logging

import pytest
from django.db import DatabaseError
from django.test import override_settings
from django.urls import get_resolver, reverse

from tracker.ops.runtime import JsonFormatter

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


def test_healthz_reports_a_failing_database_with_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("tracker.ops.runtime.connection.cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_every_response_has_a_request_id_and_keeps_a_sane_incoming_one(client):
    assert len(client.get("/toezeggingen/").headers["X-Request-ID"]) == 32
    assert client.get("/toezeggingen/", headers={"X-Request-ID": "abc-12345678"}).headers["X-Request-ID"] == (
        "abc-12345678"
    )
    assert client.get("/toezeggingen/", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"] != "<script>"


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("tracker.requests", logging.INFO, __file__, 1, "request", (), None)
    record.status = 200
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request" and line["status"] == 200 and "request_id" in line


def _concrete_urls():
    """Every URL pattern with example arguments, so new patterns cannot escape the header check."""
    examples = {"reference": "TZ-2026-0001", "slug": "hilde-crevits", "token": "00000000-0000-4000-8000-000000000000"}
    urls = []
    for pattern in get_resolver().url_patterns:
        route = str(pattern.pattern)
        if route.startswith("admin/") or route.startswith("i18n/"):
            continue
        if hasattr(pattern, "url_patterns"):
            for sub in pattern.url_patterns:
                urls.append(
                    reverse(
                        f"{pattern.namespace}:{sub.name}" if pattern.namespace else sub.name,
                        kwargs={k: examples[k] for k in sub.pattern.converters},
                    )
                )
        elif pattern.name:
            urls.append(reverse(pattern.name, kwargs={k: examples[k] for k in pattern.pattern.converters}))
    return urls + ["/admin/", "/admin/login/", "/bestaat-niet/"]


def test_security_headers_on_every_url(client, seed):
    urls = _concrete_urls()
    assert len(urls) >= 14
    for url in urls:
        response = client.get(url)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy, url
        assert "unsafe-eval" not in policy and "'unsafe-inline'" not in policy, url
        assert response.headers["X-Content-Type-Options"] == "nosniff", url
        assert response.headers["Referrer-Policy"] == "same-origin", url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_not_found_page_is_dutch_and_reveals_nothing(client, settings):
    settings.DEBUG = False
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Pagina niet gevonden" in body and 'lang="nl"' in body
    assert "Traceback" not in body and "urlpatterns" not in body


@override_settings(DEBUG=False)
def test_server_error_page_is_dutch(client):
    client.raise_request_exception = False
    from django.urls import path

    from config import urls as root

    def boom(request):
        raise RuntimeError("geheim detail")

    root.urlpatterns.append(path("__boom__", boom))
    try:
        from django.urls import clear_url_caches

        clear_url_caches()
        response = client.get("/__boom__")
    finally:
        root.urlpatterns.pop()
        clear_url_caches()
    assert response.status_code == 500
    body = response.content.decode()
    assert "Er ging iets mis" in body and "geheim detail" not in body


def test_repeated_failed_logins_lock_the_account_out(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("lid", password="juist-wachtwoord-123")
    for _ in range(3):
        client.post(reverse("login"), {"username": "lid", "password": "fout"})
    response = client.post(reverse("login"), {"username": "lid", "password": "juist-wachtwoord-123"})
    assert response.status_code == 429
    assert "Te veel mislukte aanmeldpogingen" in response.content.decode()


def test_admin_can_require_a_second_factor(tmp_path):
    """With ADMIN_REQUIRE_2FA on, a clerk with a password but no verified TOTP device stays outside."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = """
import django, os
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from django.test import Client
user = get_user_model().objects.create_superuser("griffier", password="x")
client = Client(SERVER_NAME="localhost")
client.force_login(user)
response = client.get("/admin/")
login = client.get("/admin/login/").content.decode()
print(response.status_code, response.headers.get("Location", ""), "otp_token" in login)
"""
    env = {
        **os.environ,
        "ADMIN_REQUIRE_2FA": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status, location, has_otp_field = result.stdout.strip().splitlines()[-1].split(" ")
    assert status == "302" and location.startswith("/admin/login/") and has_otp_field == "True"


def test_csrf_failure_page_is_dutch(seed):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), {"language": "en"})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
