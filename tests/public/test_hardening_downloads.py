"""Issue 16, low: public downloads (calendar, feed, CSV, JSON) cached per canonical selection at the register
version, and limited per real client behind the proxy (429 with Retry-After); clerks are not limited."""

import csv
import datetime
import io
import json
import time
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from urllib.parse import urlencode

import django_ratelimit.core
import icalendar
import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import QueryDict
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import build_register
from tests.runners import settings_from_file
from tracker.models import Commitment, Status
from tracker.public import caching, views
from tracker.public.filters import CommitmentFilter
from tracker.register.workflow import transition

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LIST = reverse("tracker:list")
DOWNLOADS = {
    "csv": (LIST, [("format", "csv")]),
    "json": (LIST, [("format", "json")]),
    "ics": (reverse("tracker:deadlines"), []),
    "feed": (reverse("tracker:feed"), []),
}
PROXY = "127.0.0.1"  # REMOTE_ADDR behind the TLS proxy: the proxy itself
VISITOR, NEIGHBOUR = "81.82.83.84", "91.92.93.94"


def get(client, name, pairs=(), **extra):
    url, base = DOWNLOADS[name]
    return client.get(url + "?" + urlencode([*base, *pairs]), **extra)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def references(name, data: bytes) -> set[str]:
    """The commitments a download names, read as its client reads it."""
    if name == "csv":
        return {row["reference"] for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")}
    if name == "json":
        return {record["reference"] for record in json.loads(data)["commitments"]}
    if name == "ics":
        return {str(e["uid"]).split("@")[0] for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    root = ET.fromstring(data)  # noqa: S314 - our own feed, not untrusted input
    return {e.findtext(f"{ATOM}title").split(":")[0] for e in root.findall(f"{ATOM}entry")}


def records(name, data: bytes) -> dict[str, dict]:
    """The CSV's or JSON's records by reference."""
    if name == "csv":
        rows = csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
    else:
        rows = json.loads(data)["commitments"]
    return {row["reference"]: row for row in rows}


class CacheSpy:
    """The download cache with every stored key noted: how many entries a run of requests made."""

    def __init__(self, real):
        self.real, self.stored = real, []

    def get(self, key, *args, **kwargs):
        return self.real.get(key, *args, **kwargs)

    def set(self, key, *args, **kwargs):
        self.stored.append(key)
        return self.real.set(key, *args, **kwargs)


@pytest.fixture
def spy(monkeypatch):
    spy = CacheSpy(caching.cache)
    monkeypatch.setattr(caching, "cache", spy)
    return spy


@pytest.fixture
def register(db, clerk):
    """Three open commitments with a deadline in committee "dl" (two with a feed entry), one candidate and one
    rejected one beside them in the same committee: internal, never public."""
    commitments = build_register(5, prefix="dl")
    for c in commitments[:2]:
        transition(c, Status.PARTIALLY_FULFILLED, by=clerk, note="Eerste deel", evidence_title="Brief 1")
    Commitment.objects.filter(reference__in=["TZ-dl-0004", "TZ-dl-0005"]).update(status=Status.CANDIDATE)
    transition(Commitment.objects.get(reference="TZ-dl-0005"), Status.REJECTED, by=clerk, note="Geen toezegging")
    return commitments


def fulfil(reference, *, by):
    return transition(
        Commitment.objects.get(reference=reference),
        Status.FULFILLED,
        by=by,
        note="Brief ontvangen",
        evidence_title="Brief aan de commissie",
        fulfilled_on=datetime.date(2026, 1, 15),
    )


PUBLIC = {"TZ-dl-0001", "TZ-dl-0002", "TZ-dl-0003"}
INTERNAL = {"TZ-dl-0004", "TZ-dl-0005"}

# One selection, spelled two ways: parameters in another order, a status repeated, unknown and empty
# parameters, `overdue=0` (off) and the default sort spelled out.
SPELLED = [
    ("status", "open"),
    ("utm_source", "nieuwsbrief"),
    ("committee", "dl"),
    ("status", "partially_fulfilled"),
    ("q", "   "),
    ("status", "open"),
    ("overdue", "0"),
    ("sort", "made"),
]
PLAIN = [("committee", "dl"), ("status", "partially_fulfilled"), ("status", "open")]


# Caching per canonical selection.


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_the_same_selection_in_another_spelling_is_one_cache_entry_served_without_work(
    client, register, spy, django_assert_max_num_queries, name
):
    with CaptureQueriesContext(connection) as made:
        first = body(get(client, name, SPELLED))
    assert len(spy.stored) == 1
    assert len(made) > 2
    # From the cache: the committee looked up to validate the filter, and the register version.
    with django_assert_max_num_queries(2):
        second = body(get(client, name, list(reversed(PLAIN))))
    assert len(spy.stored) == 1, "the second spelling made a cache entry of its own"
    assert second == first
    expected = PUBLIC if name != "feed" else {"TZ-dl-0001", "TZ-dl-0002"}
    assert references(name, second) == expected


def test_the_canonical_selection_reads_values_as_the_filter_does():
    def canonical(query: str) -> str:
        filterset = CommitmentFilter(QueryDict(query), queryset=Commitment.objects.public())
        assert filterset.is_valid(), filterset.errors
        return caching.canonical_selection(filterset)

    assert canonical("overdue=on&kind=hearing&kind=hearing&x=1") == canonical("kind=hearing&overdue=1") != ""
    assert canonical("overdue=1&sort=due") == canonical("overdue=true") == "overdue=1"  # due: overdue's default
    assert canonical("q=+lijst+&due_from=2021-01-01") == "due_from=2021-01-01&q=lijst"
    assert canonical("sort=made") == canonical("page=3&format=csv") == ""
    # What changes the rows or their order stays apart.
    assert canonical("sort=due") != canonical("") != canonical("sort=open_longest")
    assert canonical("status=open") != canonical("status=open&status=lapsed")


def test_downloads_without_translated_text_share_one_entry_across_languages(client, register, spy):
    for name in ("csv", "json", "ics"):
        body(get(client, name, PLAIN))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english_csv = body(get(client, "csv", PLAIN))
    english_ics = body(get(client, "ics", PLAIN))
    assert len(spy.stored) == 4  # csv, json, and the calendar once per language
    assert records("csv", english_csv).keys() == PUBLIC
    assert str(icalendar.Calendar.from_ical(english_ics)["x-wr-calname"]) == "Deadlines of commitments"


def test_a_download_too_large_to_keep_or_broken_off_is_never_stored(client, register, spy, settings):
    settings.TRACKER_DOWNLOAD_CACHE_MAX_BYTES = 50
    whole = body(get(client, "csv", PLAIN))
    assert references("csv", whole) == PUBLIC
    assert spy.stored == []  # the compressed CSV is over 50 bytes: streamed, complete, not kept
    settings.TRACKER_DOWNLOAD_CACHE_MAX_BYTES = 1_000_000
    # The client goes away after the first chunk: the server closes the response. Called as the server does
    # (the test client would close the rest itself), minus closing the test's database connection.
    broken = views.commitment_list(RequestFactory().get(LIST + "?" + urlencode([("format", "json"), *PLAIN])))
    next(iter(broken.streaming_content))
    request_finished.disconnect(close_old_connections)
    try:
        broken.close()
    finally:
        request_finished.connect(close_old_connections)
    assert spy.stored == []
    with CaptureQueriesContext(connection) as made:
        assert references("json", body(get(client, "json", PLAIN))) == PUBLIC
    assert len(made) > 2 and len(spy.stored) == 1


# A change shows at once; internal items never.


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_a_change_to_a_public_commitment_shows_in_the_next_download(client, register, clerk, name):
    before = body(get(client, name, PLAIN))
    assert "TZ-dl-0003" in references(name, before) or name == "feed"
    assert b"Ik zal u de lijst 2 bezorgen" in before or name == "feed"

    fulfilled = fulfil("TZ-dl-0003", by=clerk)
    edited = Commitment.objects.get(reference="TZ-dl-0002")
    edited.summary = "Bijgewerkte samenvatting"
    edited.save()
    after = body(get(client, name, [("committee", "dl")]))  # all statuses: the fulfilled one is still in it
    if name == "feed":
        assert "TZ-dl-0003: voldaan" in after.decode()
    elif name == "ics":  # the calendar holds pending deadlines only: the fulfilled one has left it
        assert references(name, after) == PUBLIC - {fulfilled.reference}
        assert "Bijgewerkte samenvatting" in after.decode()
    else:
        rows = records(name, after)
        assert rows["TZ-dl-0003"]["status"] == "fulfilled"
        assert rows["TZ-dl-0002"]["summary"] == "Bijgewerkte samenvatting"


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_candidates_and_rejected_items_never_reach_a_download_nor_its_cache(
    client, clerk, clerk_client, register, name
):
    # A clerk asks first, so that anything they could see would now be in the cache for everyone.
    clerk_body = body(get(clerk_client, name, [("committee", "dl")]))
    clerk_client.logout()
    public_body = body(get(client, name, [("committee", "dl")]))
    for data in (clerk_body, public_body):
        assert not references(name, data) & INTERNAL
        assert b"TZ-dl-0004" not in data and b"TZ-dl-0005" not in data
        assert b"Geen toezegging" not in data  # the rejection's note
    assert get(client, name, [("status", "candidate")]).status_code == 400

    # Registered: public from the next download on.
    transition(Commitment.objects.get(reference="TZ-dl-0004"), Status.OPEN, by=clerk)
    assert "TZ-dl-0004" in references(name, body(get(client, name, [("committee", "dl")])))


# Conditional GET on top of the cache.


@pytest.mark.parametrize("name", ["feed", "ics"])
def test_a_poll_of_an_unchanged_selection_is_still_a_304(client, register, clerk, django_assert_max_num_queries, name):
    first = get(client, name, PLAIN)
    assert first.status_code == 200
    with django_assert_max_num_queries(2):
        again = get(client, name, PLAIN, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    by_date = get(client, name, PLAIN, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304
    fulfil("TZ-dl-0001", by=clerk)
    changed = get(client, name, PLAIN, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and "TZ-dl-0001" not in references(name, changed.content)


# The limit per client.


@pytest.fixture
def real_limit(settings, monkeypatch):
    """The limit as a deployment behind one TLS proxy has it by default (not the tests' raised one)."""
    loaded = settings_from_file(monkeypatch, TRUSTED_PROXY_COUNT="1")
    for name in ("AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER", "IPWARE_STRICT"):
        setattr(settings, name, getattr(loaded, name))
    settings.TRACKER_DOWNLOAD_RATE = loaded.TRACKER_DOWNLOAD_RATE
    assert loaded.TRACKER_DOWNLOAD_RATE == "60/10m"
    # The counting period must not end halfway through a test: django-ratelimit's clock stands still.
    frozen = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: frozen))
    return 60


def from_address(client, name, address, *, spoofed="", pairs=PLAIN, **extra):
    # The proxy appends the address it received the request from to whatever the client sent.
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return get(client, name, pairs, REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": forwarded, **extra})


def test_after_the_limit_one_address_gets_429_while_another_still_downloads(client, register, real_limit):
    names = list(DOWNLOADS)
    for i in range(real_limit):  # every kind of download, cached or not, counts towards one budget
        response = from_address(client, names[i % 4], VISITOR)
        assert response.status_code == 200, (i, response.status_code)
        body(response)

    refused = from_address(client, "csv", VISITOR)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 600
    assert refused.content.decode().startswith("Te veel downloads in korte tijd. Probeer het over ")
    assert refused["Content-Type"] == "text/plain; charset=utf-8"
    for name in names:
        assert from_address(client, name, VISITOR).status_code == 429
    # Writing another address into X-Forwarded-For does not help: only the proxy's entry counts.
    assert from_address(client, "json", VISITOR, spoofed=NEIGHBOUR).status_code == 429
    # Someone else behind the same proxy is counted apart; the pages themselves are not limited.
    for name in names:
        assert from_address(client, name, NEIGHBOUR).status_code == 200
    page = client.get(LIST, REMOTE_ADDR=PROXY, headers={"X-Forwarded-For": VISITOR})
    assert page.status_code == 200


def test_a_304_counts_and_the_refusal_is_in_english_for_english_visitors(client, register, real_limit):
    etag = from_address(client, "feed", VISITOR)["ETag"]
    for _ in range(real_limit - 1):
        assert from_address(client, "feed", VISITOR, **{"If-None-Match": etag}).status_code == 304
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    refused = from_address(client, "feed", VISITOR, **{"If-None-Match": etag})
    assert refused.status_code == 429
    assert refused.content.decode().startswith("Too many downloads in a short time.")


def test_one_ipv6_subscriber_is_counted_once_for_its_whole_network(client, register, real_limit):
    for i in range(real_limit):
        assert from_address(client, "csv", f"2001:db8:0:7::{i + 1:x}").status_code == 200
    assert from_address(client, "csv", "2001:db8:0:7::ffff").status_code == 429
    assert from_address(client, "csv", "2001:db8:0:8::1").status_code == 200


def test_clerks_are_not_limited_and_members_are_counted_per_account(
    client, clerk_client, register, django_user_model, real_limit
):
    for _ in range(real_limit + 5):
        assert from_address(clerk_client, "csv", VISITOR).status_code == 200
    clerk_client.logout()

    member = django_user_model.objects.create_user("lid", password="wachtwoord-van-lid-1")
    client.force_login(member)
    for _ in range(real_limit):
        assert from_address(client, "json", VISITOR).status_code == 200
    assert from_address(client, "json", NEIGHBOUR).status_code == 429  # the account, wherever it is
    client.logout()
    assert from_address(client, "json", VISITOR).status_code == 200  # the address itself has had nothing


def test_the_download_rate_comes_from_the_environment(monkeypatch):
    assert settings_from_file(monkeypatch).TRACKER_DOWNLOAD_RATE == "60/10m"
    assert settings_from_file(monkeypatch, TRACKER_DOWNLOAD_RATE="200/h").TRACKER_DOWNLOAD_RATE == "200/h"
    assert settings_from_file(monkeypatch, TRACKER_DOWNLOAD_RATE="off").TRACKER_DOWNLOAD_RATE is None
    for wrong in ("veel", "60", "0/m", "60/10x"):
        with pytest.raises(ImproperlyConfigured, match="TRACKER_DOWNLOAD_RATE moet"):
            settings_from_file(monkeypatch, TRACKER_DOWNLOAD_RATE=wrong)
