"""Deployment checks of the register's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.security, deploy=True)
def site_url_check(app_configs, **kwargs):
    """E-mails to followers carry absolute links; on a server they must point at the public site."""
    url = urlsplit(settings.TRACKER_SITE_URL)
    if url.scheme != "https" or url.hostname in (None, "localhost", "127.0.0.1", "::1"):
        return [
            checks.Warning(
                f"SITE_URL is {settings.TRACKER_SITE_URL!r}: links in e-mails (status changes, unsubscribe) "
                "would not reach the public site.",
                hint="Set SITE_URL to the site's public https address, e.g. https://toezeggingen.example.be.",
                id="tracker.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def demo_clerk_check(app_configs, **kwargs):
    """A database carried over from development may hold the demo clerk, whose password is in the README."""
    from tracker.management.commands.demo_clerk import USERNAME, demo_clerks

    try:
        found = demo_clerks()
    except DatabaseError:
        return []  # no database (yet) to look in, e.g. a check before the first migrate
    if found:
        return [
            checks.Warning(
                f"The demo clerk account {USERNAME!r} (password from the README) exists in this database. "
                "Its logins are refused while DEBUG is off, but it should not be there.",
                hint=f"Delete the user {USERNAME!r} in the admin, or give it a password of its own.",
                id="tracker.W002",
            )
        ]
    return []
