"""Deployment checks of the register's own settings (`manage.py check --deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks


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
