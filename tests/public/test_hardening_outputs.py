"""Issue 16: what a feed reader, a calendar, a spreadsheet, a mail scanner and an attacker send or meet.

Every public URL answers every filter parameter without a server error, on SQLite and PostgreSQL; no
control character reaches (or breaks) the feed, the calendar or the downloads; a quote is never live
markup in a feed reader; only a POST unsubscribes.
"""

import csv
import datetime
import io
import itertools
import json
import re
import xml.etree.ElementTree as ET

import icalendar
import lxml.html
import pytest
from django.db import connection
from django.urls import reverse

from tracker.models import Commitment, Follow, Person, Question
from tracker.public.presentation import clean_text
from tracker.register.services import commitment_create

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"

# ---------------------------------------------------------------------------------------------------------
# Item 2: every public URL × every filter parameter of the README, valid and invalid values: no 5xx.

PUBLIC_URLS = {
    "list": (reverse("tracker:list"), {}),
    "feed": (reverse("tracker:feed"), {}),
    "calendar": (reverse("tracker:deadlines"), {}),
    "csv": (reverse("tracker:list"), {"format": "csv"}),
    "json": (reverse("tracker:list"), {"format": "json"}),
    "session": (reverse("tracker:session", args=["vergadering-maatwerkbedrijven"]), {}),
    "person": (reverse("tracker:person", args=["hilde-crevits"]), {}),
    "committee": (reverse("tracker:committee", args=["economie-werk-sociale-economie"]), {}),
}
VALID = {
    "q": ["lijst", "lijsten bezorgen", "tz-2026-0001", "é" * 198, '"rapport', "-lijst", "a OR b"],
    "status": ["open", "fulfilled", "lapsed", "partially_fulfilled"],
    "committee": ["economie-werk-sociale-economie"],
    "minister": ["hilde-crevits"],
    "member": ["vandromme"],
    "kind": ["send_document", "hearing"],
    "overdue": ["1", "0", "ja"],
    "due_from": ["2021-01-01"],
    "due_to": ["2030-12-31"],
    "year": ["2020-2021"],
    "sort": ["made", "due", "open_longest"],
}
INVALID = {
    "q": ["x" * 201, "\x00", "   ", "&|!():*<>"],
    "status": ["bogus", "candidate", "rejected", ""],
    "committee": ["bestaat-niet", "'; drop table x; --", "\x00"],
    "minister": ["bestaat-niet", "vandromme-x", "\x00"],
    "member": ["bestaat-niet", "\x00", "a" * 500],
    "kind": ["bogus", "\x00"],
    "overdue": ["\x00", "x" * 300],
    "due_from": ["gisteren", "2021-13-45", "99999-01-01", "\x00"],
    "due_to": ["morgen", "2021-02-30", "-1"],
    "year": ["abc", "2021-2020x", "1-2", "\x00"],
    "sort": ["bogus", "-made", "\x00"],
}
assert set(VALID) == set(INVALID)


def _fetch(client, url, params):
    response = client.get(url, params)
    if response.streaming:  # downloads run their queries while they stream
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("page", list(PUBLIC_URLS))
def test_every_public_url_answers_every_filter_without_a_server_error(client, seed, page):
    url, base = PUBLIC_URLS[page]
    asked = [{name: value} for name, values in VALID.items() for value in values]
    asked += [{name: value} for name, values in INVALID.items() for value in values]
    # Filters combine in one query: the search inside the feed's subquery broke only so.
    asked += [{a: VALID[a][0], b: VALID[b][0]} for a, b in itertools.combinations(VALID, 2)]
    asked.append({name: values[0] for name, values in VALID.items()})
    failures = []
    for params in asked:
        response = _fetch(client, url, {**base, **params})
        valid = all(v in VALID[k] for k, v in params.items())
        if response.status_code >= 500 or (valid and response.status_code != 200):
            failures.append((params, response.status_code))
    assert not failures, f"{page}: {failures}"


def test_the_feed_of_a_search_lists_what_the_search_finds(client, seed):
    response = client.get(reverse("tracker:feed"), {"q": "lijst"})
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, not untrusted input
    entries = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert entries and all(title.startswith("TZ-2026-0001") for title in entries)


# ---------------------------------------------------------------------------------------------------------
# Item 3: control characters in quotes, summaries and names.

CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"] + ["\x7f", "\ufffe", "\uffff"]
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _ids(char):
    return f"U+{ord(char):04X}"


def _check_every_output_parses(client, *, reference, quote_words):
    """The feed parses as XML, the calendar with icalendar, the CSV with csv and the JSON with json, and
    none of them carries a control character (but tab and the line breaks each format writes itself)."""
    feed = client.get(reverse("tracker:feed"))
    assert feed.status_code == 200
    root = ET.fromstring(feed.content)  # noqa: S314 - our own feed, not untrusted input
    summaries = [e.findtext(f"{ATOM}summary") for e in root.findall(f"{ATOM}entry")]
    assert any(quote_words in s for s in summaries)
    assert not any(FORBIDDEN.search(s.replace("\r", "")) for s in summaries)

    ics = client.get(reverse("tracker:deadlines"))
    assert ics.status_code == 200
    # RFC 5545: no control character in a content line but HTAB; lines end in CR LF.
    assert not FORBIDDEN.search(ics.content.decode().replace("\r\n", "")), ics.content
    events = {str(e["uid"]).split("@")[0]: e for e in icalendar.Calendar.from_ical(ics.content).walk("VEVENT")}
    assert quote_words in str(events[reference]["description"])

    response = client.get(reverse("tracker:list"), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    [row] = [r for r in rows if r["reference"] == reference]
    assert quote_words in row["quote"]
    assert not any(FORBIDDEN.search(cell) for r in rows for cell in r.values())

    response = client.get(reverse("tracker:list"), {"format": "json"})
    document = json.loads(b"".join(response.streaming_content))
    [record] = [r for r in document["commitments"] if r["reference"] == reference]
    assert quote_words in record["quote"]
    strings = [v for r in document["commitments"] for v in r.values() if isinstance(v, str)]
    strings += [name for r in document["commitments"] for name in r["promised_to"]]
    assert not any(FORBIDDEN.search(s) for s in strings)

    for name, args in [
        ("tracker:list", ()),
        ("tracker:detail", (reference,)),
        ("tracker:session", ("vergadering-maatwerkbedrijven",)),
        ("tracker:person", ("hilde-crevits",)),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("char", CONTROLS, ids=_ids)
def test_control_characters_are_cleaned_when_stored(client, seed, char):
    """Saved through the admin's path (commitment_create, Model.save): nothing to clean afterwards."""
    minister = Person.objects.get(slug="hilde-crevits")
    minister.full_name = f"Hilde{char}Crevits"
    minister.save()
    receiver = Person.objects.create(full_name=f"Kurt{char} Claes{char}", surname=f"Claes{char}", slug="kc")
    template = Commitment.objects.get(reference="TZ-2026-0001")
    commitment = commitment_create(
        commitment=Commitment(
            question=template.question,
            source_speech=template.source_speech,
            quote=f"Ik zal{char}de lijst{char}{char}bezorgen.",
            summary=f"De lijst{char}bezorgen",
            promised_by=minister,
            promised_by_function=f"minister{char}",
            kind="send_document",
            status="open",
            due_date=datetime.date(2030, 1, 31),
        ),
        promised_to=[receiver],
    )
    commitment.refresh_from_db()
    minister.refresh_from_db()
    receiver.refresh_from_db()
    stored = [commitment.quote, commitment.summary, commitment.promised_by_function, minister.full_name]
    stored += [receiver.full_name, receiver.surname]
    assert not any(FORBIDDEN.search(s) for s in stored), stored
    # A line or page break still separates the words it stood between.
    assert commitment.quote in (
        "Ik zalde lijstbezorgen.",
        "Ik zal de lijst  bezorgen.",
        "Ik zal\nde lijst\n\nbezorgen.",
    )
    _check_every_output_parses(client, reference=commitment.reference, quote_words="lijst")


@pytest.mark.parametrize("char", CONTROLS, ids=_ids)
def test_outputs_clean_control_characters_written_in_bulk(client, seed, char):
    """Rows written without save() (open data, fixtures and demo data use bulk writes): the writers clean."""
    if char == "\x00" and connection.vendor == "postgresql":
        pytest.skip("PostgreSQL stores no NUL in text: no output can meet one")
    Commitment.objects.filter(reference="TZ-2026-0001").update(
        quote=f"Ik zal{char} de lijst bezorgen.",
        summary=f"De lijst bezorgen{char}",
        promised_by_function=f"x{char}",
        due_date="2030-01-31",
    )
    Person.objects.filter(slug__in=["hilde-crevits", "vandromme"]).update(full_name=f"Naam{char}Persoon")
    Question.objects.update(title=f"Vraag{char}titel")
    _check_every_output_parses(client, reference="TZ-2026-0001", quote_words="lijst bezorgen")


def test_speech_text_with_a_control_character_still_highlights_its_cleaned_quote(client, seed):
    c = Commitment.objects.select_related("source_speech").get(reference="TZ-2026-0001")
    words = c.quote.split()
    raw = f"{words[0]}\x0c{' '.join(words[1:])}"
    type(c.source_speech).objects.filter(pk=c.source_speech_id).update(text=f"Inleiding. {raw} Slot.")
    c.quote = raw
    c.save()  # stored cleaned: the form feed becomes a space
    page = client.get(reverse("tracker:session", args=["vergadering-maatwerkbedrijven"])).content.decode()
    assert 'href="/toezeggingen/TZ-2026-0001/"' in page
    assert "\x0c" not in page


def test_clean_text_keeps_tab_and_newline_and_turns_breaks_into_space_or_newline():
    assert clean_text("a\tb\nc") == "a\tb\nc"
    assert clean_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_text("pagina\x0cvolgende") == "pagina volgende"
    assert clean_text("a\x00\x07\x1b[31mb\x7f\ufffe\uffff") == "a[31mb"


# ---------------------------------------------------------------------------------------------------------
# Item 4: the Atom summary is never live markup.

HOSTILE = 'Ik zal de lijst bezorgen <script>alert(1)</script> <img src=x onerror="alert(2)"> &amp; meer.'


def test_a_quote_reaches_feed_readers_as_text_never_as_markup(client, seed):
    Commitment.objects.filter(reference="TZ-2026-0001").update(quote=HOSTILE)
    response = client.get(reverse("tracker:feed"))
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, not untrusted input
    summaries = [e.find(f"{ATOM}summary") for e in root.findall(f"{ATOM}entry")]
    hostile = [s for s in summaries if "alert(1)" in (s.text or "")]
    assert hostile
    for summary in hostile:
        assert len(summary) == 0  # no element inside the summary itself
        if summary.get("type", "text") == "html":
            # A reader parses an html summary: it must hold no element once parsed.
            fragment = lxml.html.fragment_fromstring(summary.text, create_parent="div")
            assert [el.tag for el in fragment.iter() if el is not fragment] == []
        else:
            assert summary.get("type") == "text"
        assert HOSTILE in summary.text  # the words arrive verbatim, shown as they were said


# ---------------------------------------------------------------------------------------------------------
# Item 11: opening the link never unsubscribes; the button and RFC 8058 one-click POST do.


@pytest.fixture
def follows(seed, django_user_model):
    user = django_user_model.objects.create_user("lid", email="lid@example.be")
    one = Follow.objects.create(user=user, commitment=Commitment.objects.get(reference="TZ-2026-0001"))
    selection = Follow.objects.create(user=user, query="minister=hilde-crevits&status=open")
    return one, selection


def test_opening_the_unsubscribe_link_asks_before_it_unsubscribes(client, follows):
    one, selection = follows
    url = reverse("tracker:unsubscribe", args=[one.token])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "TZ-2026-0001" in page and "Deze e-mails stopzetten" in page
    assert f'<form method="post" action="{url}">' in page and '<button type="submit">' in page
    assert Follow.objects.filter(pk=one.pk).exists()
    selection_page = client.get(reverse("tracker:unsubscribe", args=[selection.token])).content.decode()
    assert "Minister: Hilde Crevits" in selection_page
    assert Follow.objects.filter(pk=selection.pk).exists()


@pytest.mark.parametrize("method", ["get", "head", "options", "put", "patch", "delete", "trace"])
def test_no_method_but_post_unsubscribes(client, follows, method):
    one, _ = follows
    response = getattr(client, method)(reverse("tracker:unsubscribe", args=[one.token]))
    assert response.status_code in (200, 405)
    assert Follow.objects.filter(pk=one.pk).exists()


def test_one_click_post_from_a_mail_client_unsubscribes_without_a_csrf_token(follows):
    from django.test import Client

    one, selection = follows
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        reverse("tracker:unsubscribe", args=[one.token]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not Follow.objects.filter(pk=one.pk).exists()
    assert Follow.objects.filter(pk=selection.pk).exists()  # only the follow of this link
    again = mail_client.post(reverse("tracker:unsubscribe", args=[one.token]))
    assert again.status_code == 404
