"""Issue 16, low and interoperability, public side: conditional GET of the feed and calendar, the calendar's
UID domain, absolute download URLs, and following a long search."""

import csv
import io
import json
from urllib.parse import urlencode

import icalendar
import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from tracker.models import Commitment, Follow, Status
from tracker.register.workflow import transition

pytestmark = pytest.mark.django_db

SITE = "https://toezeggingen.example.be"
POLLED = ["tracker:feed", "tracker:deadlines"]


# (a) Conditional GET: feed readers and calendar apps poll; an unchanged selection is a 304, not a download.


@pytest.mark.parametrize("name", POLLED)
def test_unchanged_selection_answers_304_and_a_change_answers_200_again(client, seed, clerk, name):
    url = reverse(name)
    first = client.get(url, {"kind": "send_document"})
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get(url, {"kind": "send_document"}, headers={"if-none-match": etag})
    by_date = client.get(url, {"kind": "send_document"}, headers={"if-modified-since": modified})
    for answer in (by_etag, by_date):
        assert answer.status_code == 304
        assert answer.content == b""
        assert answer["ETag"] == etag

    transition(Commitment.objects.get(reference="TZ-2026-0001"), Status.LAPSED, by=clerk, note="Einde")
    by_etag = client.get(url, {"kind": "send_document"}, headers={"if-none-match": etag})
    by_date = client.get(url, {"kind": "send_document"}, headers={"if-modified-since": modified})
    for answer in (by_etag, by_date):
        assert answer.status_code == 200
        assert answer.content
        assert answer["ETag"] != etag
    assert client.get(url, {"kind": "send_document"}, headers={"if-none-match": by_etag["ETag"]}).status_code == 304


@pytest.mark.parametrize("name", POLLED)
def test_validators_differ_per_selection_and_language_and_never_excuse_a_bad_filter(client, seed, name):
    url = reverse(name)
    etag = client.get(url, {"kind": "send_document"})["ETag"]
    # Another selection, or the same one in another language, is another body.
    assert client.get(url, {"kind": "hearing"}, headers={"if-none-match": etag}).status_code == 200
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url, {"kind": "send_document"}, headers={"if-none-match": etag})
    assert english.status_code == 200 and english["ETag"] != etag
    # A filter that cannot be applied is its 400, whatever the client claims to hold, and carries no validator.
    bad = client.get(url, {"year": "abc"}, headers={"if-none-match": "*"})
    assert bad.status_code == 400
    assert not bad.has_header("ETag")


# (b) The calendar's UIDs are on the register's own domain.


def test_calendar_uids_use_the_site_url_domain(client, seed):
    Commitment.objects.filter(reference="TZ-2026-0001").update(status=Status.OPEN, due_date="2027-01-15")
    with override_settings(TRACKER_SITE_URL=SITE):
        calendar = icalendar.Calendar.from_ical(client.get(reverse("tracker:deadlines")).content)
    uids = [str(event["uid"]) for event in calendar.walk("VEVENT")]
    assert uids
    assert all(uid.endswith("@toezeggingen.example.be") for uid in uids)
    references = {uid.split("@")[0] for uid in uids}
    assert references <= set(Commitment.objects.public().values_list("reference", flat=True))


# (c) The CSV and JSON downloads give the same absolute address.


@override_settings(TRACKER_SITE_URL=SITE)
def test_csv_and_json_give_the_same_absolute_url(client, seed):
    expected = SITE + reverse("tracker:detail", args=["TZ-2026-0001"])
    response = client.get(reverse("tracker:list"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = {row["reference"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    response = client.get(reverse("tracker:list"), {"format": "json"})
    records = {r["reference"]: r for r in json.loads(b"".join(response.streaming_content))["commitments"]}
    assert rows["TZ-2026-0001"]["url"] == records["TZ-2026-0001"]["url"] == expected
    assert rows.keys() == records.keys()
    assert all(rows[ref]["url"] == records[ref]["url"] for ref in rows)


# (d) Following a search whose stored form is too long: a clear refusal, never a 500 or a cut selection.


@pytest.fixture
def member(django_user_model, seed):
    return django_user_model.objects.create_user("lid", email="lid@example.be", password="wachtwoord-van-lid-1")


def test_following_a_search_too_long_to_store_is_refused_with_a_message(client, member):
    client.force_login(member)
    query = urlencode({"q": "é" * 198})
    response = client.post(reverse("tracker:follow_filter"), {"query": query})
    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:list") + "?" + query
    page = client.get(response["Location"])
    assert "Deze selectie is te lang om te volgen. Maak de zoektekst korter." in page.content.decode()
    assert not Follow.objects.filter(user=member).exists()


def test_following_a_long_search_that_fits_stores_all_of_it(client, member):
    client.force_login(member)
    query = urlencode({"q": "é" * 150, "kind": "hearing"})
    response = client.post(reverse("tracker:follow_filter"), {"query": query}, follow=True)
    assert "U volgt deze lijst" in response.content.decode()
    follow = Follow.objects.get(user=member)
    assert follow.query == urlencode({"kind": "hearing", "q": "é" * 150})
