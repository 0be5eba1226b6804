"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Playwright cannot download a browser of its own here, so the tests use the system Chromium
(`apt-get install chromium`, done by .ci/run). When it is missing the tests fail with a clear
message; they are never skipped, so a green suite always means the browser tests ran.
"""

import os
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

from tracker.models import Person

from .pages import CHROMIUM, CHROMIUM_ARGS, MEMBER_PASSWORD, MEMBER_SLUG, MEMBER_USERNAME, MISSING_CHROMIUM, populate


def pytest_configure(config):
    # Also belongs in pyproject.toml's `markers` list; registered here so --strict-markers accepts it meanwhile.
    config.addinivalue_line("markers", "browser: end-to-end tests in a real Chromium (needs /usr/bin/chromium)")


@pytest.fixture(scope="package", autouse=True)
def database_restored_afterwards(django_db_setup, django_db_blocker):
    """Put back, after the last browser test, what the database held before the first one.

    Live-server tests are transactional: each ends with a flush, which also wipes what the data migrations
    created (the "Griffie" group, ...). Later transactional tests elsewhere in the suite (pytest-django runs
    them after the ordinary ones, so after these) expect that data, as on a freshly migrated database.
    """
    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(snapshot)
        with connection.cursor() as cursor:  # PostgreSQL: sequences past the restored rows (as loaddata does)
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                cursor.execute(sql)


@pytest.fixture(scope="package")
def browser(database_restored_afterwards):
    """One Chromium for all browser tests (package scope: started once, stopped after the last of them)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(MISSING_CHROMIUM, pytrace=False)
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as mp:
        # Playwright's sync API runs an asyncio event loop in this (the test) thread for as long as it is
        # started, so Django's async-safety check sees a "running event loop" and refuses every ORM call
        # made here (test data, the transactional flush) with SynchronousOnlyOperation. Nothing runs
        # concurrently in this thread -- the loop only drives the browser between our calls -- so the
        # check is switched off, for the browser tests only and only while Playwright runs. The package
        # scope (rather than session) matters: the loop is stopped before the rest of the suite runs.
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


@dataclass
class Journal:
    """What the browser reported while a test ran: console messages, CSP violations, failed requests."""

    console: list[tuple[str, str, str]] = field(default_factory=list)
    csp_events: list[dict] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        found = [
            f"console {kind} on {url}: {text}" for kind, text, url in self.console if "Content Security Policy" in text
        ]
        found += [
            f"securitypolicyviolation on {e.get('documentURI')}: {e.get('effectiveDirective')} "
            f"blocked {e.get('blockedURI')!r} ({e.get('sourceFile')}:{e.get('lineNumber')})"
            for e in self.csp_events
        ]
        return found

    def clear(self):
        self.console.clear()
        self.csp_events.clear()
        self.bad_responses.clear()


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => window.__tzReportCsp({
  documentURI: e.documentURI, effectiveDirective: e.effectiveDirective, blockedURI: e.blockedURI,
  sourceFile: e.sourceFile, lineNumber: e.lineNumber,
}));
"""


@pytest.fixture
def journal():
    return Journal()


@pytest.fixture
def page(browser, live_server, journal):
    """A fresh browser context per test, as a Flemish visitor (Accept-Language nl-BE) on a laptop screen."""
    context = browser.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    context.expose_function("__tzReportCsp", lambda event: journal.csp_events.append(event))
    context.add_init_script(CSP_LISTENER)
    tab = context.new_page()
    tab.on("console", lambda m: journal.console.append((m.type, m.text, tab.url)))

    def on_response(response):
        if response.status >= 400:
            journal.bad_responses.append(f"{response.status} {response.url}")

    tab.on("response", on_response)
    yield tab
    context.close()


@pytest.fixture
def register(live_server):
    return populate()


@pytest.fixture
def member(register, django_user_model, settings):
    """A member's login, linked to the person Vandromme (who asked the seed question)."""
    # A fast hasher for this throw-away password: PBKDF2 costs ~0.6 s per hash, twice per login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(MEMBER_USERNAME, password=MEMBER_PASSWORD)
    Person.objects.filter(slug=MEMBER_SLUG).update(user=user)
    return user
