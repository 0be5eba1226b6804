"""Short-lived caching of the expensive public figures (counts, scorecards, feeds, exports).

Keys include the register's version — the latest `updated` of any commitment, one indexed lookup —
so a status change, deadline change, edit or new commitment is visible at once; the timeout bounds
staleness for writes that bypass `updated` (QuerySet.update, raw loads).
"""

import datetime
import hashlib
import zlib
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Model
from django.utils import timezone, translation

from tracker.models import Commitment

TIMEOUT = 60


def register_version() -> str:
    latest = Commitment.objects.aggregate(v=Max("updated"))["v"]
    return latest.isoformat() if latest else "empty"


def request_version(request) -> str:
    """The register version, read once per request: the validators (ETag) and the cached body of a download
    then speak of the same register, and a cached answer costs this one query."""
    if not hasattr(request, "_register_version"):
        request._register_version = register_version()
    return request._register_version


def _key(parts, version: str, *, language: bool = True) -> str:
    raw = repr(
        (version, timezone.localdate().isoformat(), translation.get_language() if language else None, *parts)
    ).encode()
    return "tz:" + hashlib.sha256(raw).hexdigest()


def cached(*parts, compute, version: str | None = None):
    """The value for these key parts at this register version, day and language, computed once per TIMEOUT.

    The language is part of the key because cached values hold translated labels (charts, calendar name).
    """
    key = _key(parts, version or register_version())
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def canonical_selection(filterset, *, without: set[str] = frozenset()) -> str:
    """The selection of a valid filter written one way, as a query string: only the filter's own parameters,
    each value as the filter understood it (`overdue=true` is `overdue=1`, a date in ISO form, a repeated
    status once), sorted, empty and default values left out. Two addresses that select the same
    commitments in the same order share it, and so share one cached download; made-up parameters cannot
    fill the cache with copies. `without`: parameters the output does not depend on. Call only for a valid
    (or unbound) filter."""
    if not filterset.is_bound:
        return ""
    data = filterset.form.cleaned_data
    pairs = []
    for name in sorted(set(data) - without):
        value = data[name]
        if name == "sort" and value == ("due" if data.get("overdue") else "made"):
            continue  # the order the list takes without a sort (CommitmentFilter.ordering)
        pairs.extend((name, text) for text in _canonical_values(value, filterset.filters[name]))
    return urlencode(pairs)


def _canonical_values(value, field) -> list[str]:
    if value in (None, "", False) or value == []:
        return []
    if value is True:
        return ["1"]
    if isinstance(value, Model):
        return [str(getattr(value, field.extra.get("to_field_name") or "pk"))]
    if isinstance(value, datetime.date):
        return [value.isoformat()]
    if isinstance(value, (list, tuple, set)):
        return sorted({str(v) for v in value})
    return [str(value).strip()]


def cached_download(
    *parts, version: str, language: bool, produce: Callable[[], Iterable[str | bytes]]
) -> Iterator[bytes]:
    """The body of a public download, as chunks: from the cache when this selection was sent complete at this
    register version and day, else `produce()` — called now, so a database error is the view's — sent
    chunk by chunk and stored once the last chunk is out.

    Stored compressed (text downloads shrink several times), and only when the compressed body fits
    TRACKER_DOWNLOAD_CACHE_MAX_BYTES: a large download still streams, in the memory of one chunk, and never
    floods the cache. A download broken off (the client went away, the database failed) is not stored.
    `language`: whether the body holds translated labels (the calendar and feed do; CSV and JSON do not,
    so one entry serves both languages).
    """
    key = _key(("download", *parts), version, language=language)
    blob = cache.get(key)
    if blob is not None:
        return _inflated(blob)
    return _stored_once_sent(key, produce())


def _inflated(blob: bytes) -> Iterator[bytes]:
    unpacker = zlib.decompressobj()
    for start in range(0, len(blob), 1 << 16):
        if chunk := unpacker.decompress(blob[start : start + (1 << 16)]):
            yield chunk
    if rest := unpacker.flush():
        yield rest


def _stored_once_sent(key: str, chunks: Iterable[str | bytes]) -> Iterator[bytes]:
    limit = settings.TRACKER_DOWNLOAD_CACHE_MAX_BYTES
    packer = zlib.compressobj(6) if limit else None
    packed: list[bytes] = []
    size = 0
    for chunk in chunks:
        data = chunk.encode() if isinstance(chunk, str) else chunk
        if packer is not None:
            packed.append(packer.compress(data))
            size += len(packed[-1])
            if size > limit:
                packer, packed = None, []  # too large to keep: stream the rest without copying it
        yield data
    if packer is not None:
        packed.append(packer.flush())
        if size + len(packed[-1]) <= limit:
            cache.set(key, b"".join(packed), TIMEOUT)
