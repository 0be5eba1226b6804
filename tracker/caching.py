"""Short-lived caching of the expensive public figures (counts, scorecards, feeds, exports).

Keys include the register's version — the latest `updated` of any commitment, one indexed lookup —
so a status change, deadline change, edit or new commitment is visible at once; the timeout bounds
staleness for writes that bypass `updated` (QuerySet.update, raw loads).
"""

import hashlib

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone, translation

from .models import Commitment

TIMEOUT = 60


def register_version() -> str:
    latest = Commitment.objects.aggregate(v=Max("updated"))["v"]
    return latest.isoformat() if latest else "empty"


def cached(*parts, compute, version: str | None = None):
    """The value for these key parts at this register version, day and language, computed once per TIMEOUT.

    The language is part of the key because cached values hold translated labels (charts, calendar name).
    """
    version = version or register_version()
    raw = repr((version, timezone.localdate().isoformat(), translation.get_language(), *parts)).encode()
    key = "tz:" + hashlib.sha256(raw).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
