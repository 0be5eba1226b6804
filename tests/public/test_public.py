"""Public pages, feeds and exports: only public commitments, contract parameters, fixed query counts."""

import csv
import datetime
import io
import json
import threading
import xml.etree.ElementTree as ET

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from tests.factories import build_register
from tracker.clerks.rappel import csv_safe
from tracker.models import Commitment, CommitmentEvent, Follow, Person, Session, Status
from tracker.public.filters import CommitmentFilter
from tracker.register.workflow import commitment_register, due_date_change, transition

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def register(seed):
    """The seed plus a candidate, a rejected item and one of each public status, all from other ministers."""
    made = build_register(6, prefix="reg")
    statuses = ["candidate", "rejected", "open", "partially_fulfilled", "fulfilled", "lapsed"]
    for c, status in zip(made, statuses, strict=True):
        Commitment.objects.filter(pk=c.pk).update(
            status=status,
            quote=f"Geheim {status}" if status in ("candidate", "rejected") else c.quote,
            fulfilled_on=datetime.date(2021, 6, 1) if status == "fulfilled" else None,
        )
    return {c.status: c for c in Commitment.objects.filter(pk__in=[m.pk for m in made])}


PAGES = [
    ("tracker:list", ()),
    ("tracker:detail", ("TZ-2026-0001",)),
    ("tracker:session", ("vergadering-maatwerkbedrijven",)),
    ("tracker:person", ("hilde-crevits",)),
    ("tracker:person", ("vandromme",)),
    ("tracker:committee", ("economie-werk-sociale-economie",)),
    ("tracker:feed", ()),
    ("tracker:deadlines", ()),
]


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_public_pages_never_show_candidates_or_rejected(client, register, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Geheim" not in body
    for status in ("candidate", "rejected"):
        assert register[status].reference not in body


def test_public_timeline_starts_at_registration(client, seed, clerk):
    c = build_register(1, prefix="tl")[0]
    Commitment.objects.filter(pk=c.pk).update(status=Status.CANDIDATE)
    c.refresh_from_db()
    CommitmentEvent.objects.create(commitment=c, kind="created", to_status="candidate", actor=clerk)
    transition(c, Status.REJECTED, by=clerk, note="Geheim: geen toezegging")
    transition(c, Status.CANDIDATE, by=clerk, note="Geheim: toch wel")
    # A proposal's deadline no longer moves through due_date_change (only a pending one's does), but
    # histories from before that rule hold such events: they stay internal.
    CommitmentEvent.objects.create(
        commitment=c, kind="due_date", actor=clerk, new_due_date=datetime.date(2030, 1, 1), note="Geheim: voorstel"
    )
    commitment_register(c, by=clerk)
    due_date_change(c, by=clerk, due_date=datetime.date(2031, 1, 1), note="Uitstel gevraagd")
    response = client.get(reverse("tracker:detail", args=[c.reference]))
    shown = [(e.kind, e.from_status, e.to_status) for e in response.context["events"]]
    assert shown == [("transition", "candidate", "open"), ("due_date", "", "")]
    body = response.content.decode()
    assert "afgewezen" not in body.lower() and "Geheim" not in body and "1 januari 2031" in body


def test_candidate_detail_is_not_found(client, register):
    assert client.get(reverse("tracker:detail", args=[register["candidate"].reference])).status_code == 404
    assert client.get(reverse("tracker:detail", args=[register["rejected"].reference])).status_code == 404


def test_internal_notes_never_appear_publicly(client, seed, clerk):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    transition(c, Status.LAPSED, by=clerk, note="INTERN: minister belde de voorzitter")
    for url in (
        reverse("tracker:detail", args=[c.reference]),
        reverse("tracker:feed"),
        reverse("tracker:list") + "?format=json",
        reverse("tracker:list") + "?format=csv",
    ):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert "INTERN" not in body.decode("utf-8-sig")


def test_error_pages_speak_the_visitor_s_language(client, seed):
    dutch = client.get("/toezeggingen/TZ-BESTAAT-NIET/")
    assert dutch.status_code == 404 and '<html lang="nl">' in dutch.content.decode()
    assert "Pagina niet gevonden" in dutch.content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/toezeggingen/TZ-BESTAAT-NIET/").content.decode()
    assert '<html lang="en">' in english and "Page not found" in english and "Pagina" not in english


def test_sittings_are_dated_in_words_and_dutch_text_is_marked_on_english_pages(client, seed):
    c = build_register(1, prefix="datum")[0]
    Session.objects.filter(questions__commitments=c).update(date=datetime.date(2021, 3, 2))
    detail = client.get(reverse("tracker:detail", args=[c.reference])).content.decode()
    committee = client.get(reverse("tracker:committee", args=["datum"])).content.decode()
    assert "(2 maart 2021)" in detail and "(2 maart 2021)" in committee
    assert "02-03-2021" not in detail + committee
    client.cookies["django_language"] = "en"
    english = client.get(reverse("tracker:list")).content.decode()
    assert '<td><span lang="nl">' in english  # a screen reader reads the Dutch summary as Dutch


def test_scorecard_chart_bars_add_up_to_the_figures(client, seed):
    Commitment.objects.filter(reference="TZ-2026-0001").update(due_date=datetime.date(2021, 6, 30))
    page = client.get(reverse("tracker:person", args=["hilde-crevits"]))
    bars = {bar["label"]: bar["count"] for bar in page.context["scorecard"]["chart"]["bars"]}
    assert bars["op tijd"] + bars["achterstallig"] == page.context["scorecard"]["open"] == 1


def test_pages_are_dutch_by_default_and_english_on_request(client, seed):
    page = client.get(reverse("tracker:list")).content.decode()
    assert '<html lang="nl">' in page and "Toezeggingen" in page
    # An English-language browser still gets the parliament's language until the visitor switches.
    page = client.get(reverse("tracker:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nl">' in page and "Toezeggingen" in page
    client.cookies["django_language"] = "xx"  # a stale or forged cookie falls back to Dutch
    assert '<html lang="nl">' in client.get(reverse("tracker:list")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/toezeggingen/"})
    page = client.get(reverse("tracker:list")).content.decode()
    assert '<html lang="en">' in page and "Commitments" in page


def test_filters_use_the_contract_parameters(client, register):
    url = reverse("tracker:list")
    crevits = client.get(url, {"minister": "hilde-crevits"}).content.decode()
    # Her own promise, and the committee's hearing agreed on her item: the seed's two commitments.
    assert "TZ-2026-0001" in crevits and "TZ-2026-0002" in crevits
    assert register["open"].reference not in crevits
    promiser = register["open"].promised_by.slug
    other = client.get(url, {"minister": promiser}).content.decode()
    assert register["open"].reference in other and "TZ-2026-0002" not in other
    member = client.get(url, {"member": "vandromme"}).content.decode()
    assert "TZ-2026-0001" in member and "TZ-2026-0002" in member
    fulfilled = client.get(url, {"status": "fulfilled"}).content.decode()
    assert register["fulfilled"].reference in fulfilled and "TZ-2026-0001" not in fulfilled
    both = client.get(url + "?status=fulfilled&status=lapsed").content.decode()
    assert register["fulfilled"].reference in both and register["lapsed"].reference in both
    assert "TZ-2026-0002" in client.get(url, {"kind": "hearing"}).content.decode()
    assert "TZ-2026-0001" not in client.get(url, {"kind": "hearing"}).content.decode()
    committee = client.get(url, {"committee": "reg"}).content.decode()
    assert register["open"].reference in committee and "TZ-2026-0001" not in committee
    search = client.get(url, {"q": "Blended"}).content.decode()
    assert "TZ-2026-0001" in search and "TZ-2026-0002" not in search
    overdue = client.get(url, {"overdue": "1"}).content.decode()
    assert register["open"].reference in overdue and "TZ-2026-0001" not in overdue  # due 2021-04-01
    dated = client.get(url, {"due_from": "2021-03-01", "due_to": "2021-04-30"}).content.decode()
    assert register["open"].reference in dated and "TZ-2026-0001" not in dated


def test_search_covers_question_title_and_reference(client, register):
    url = reverse("tracker:list")
    titled = client.get(url, {"q": "reguliere"}).content.decode()  # only in the question's title
    assert "TZ-2026-0001" in titled and "TZ-2026-0002" in titled and register["open"].reference not in titled
    by_reference = client.get(url, {"q": register["open"].reference.lower()}).content.decode()
    assert register["open"].reference in by_reference and "TZ-2026-0001" not in by_reference
    secret = client.get(url, {"q": "Geheim"}).content.decode()
    assert register["candidate"].reference not in secret and register["rejected"].reference not in secret


@pytest.mark.parametrize("common", [1, 10**6])
def test_search_finds_the_same_whether_a_word_counts_as_common_or_rare(client, register, monkeypatch, common):
    """SQLite picks its query shape by how many commitments match; both shapes give the same page."""
    monkeypatch.setattr("tracker.public.sqlite_search.COMMON", common)
    build_register(30, prefix="veel")
    page = client.get(reverse("tracker:list"), {"q": "lijst bezorgen", "sort": "due"}).content.decode()
    expected = Commitment.objects.public().filter(quote__contains="lijst").order_by("due_date", "reference")[:25]
    assert [c.reference for c in expected][-1] in page and [c.reference for c in expected][0] in page
    assert register["candidate"].reference not in page and "TZ-2026-0001" not in page


def test_deleted_commitments_leave_the_search(client, register):
    gone = register["lapsed"]
    gone.delete()
    other = build_register(1, prefix="nieuw")[0]
    page = client.get(reverse("tracker:list"), {"q": "lijst"}).content.decode()
    assert gone.reference not in page and other.reference in page


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Dutch stemming and the stored search document exist on PostgreSQL"
)


@postgresql_only
def test_search_stems_dutch_words(client, register):
    url = reverse("tracker:list")
    page = client.get(url, {"q": "lijsten"}).content.decode()
    assert register["open"].reference in page and register["fulfilled"].reference in page  # the quotes say 'lijst'
    assert register["open"].reference not in client.get(url, {"q": "lijsten jeugdzorg"}).content.decode()  # all words


def test_search_follows_edits_of_quote_and_question_title(client, register):
    url = reverse("tracker:list")
    commitment = register["open"]
    commitment.question.title = "Vraag over kinderopvangtoeslagen"
    commitment.question.save()  # on PostgreSQL a trigger rewrites the stored search document
    assert commitment.reference in client.get(url, {"q": "kinderopvangtoeslagen"}).content.decode()
    commitment.refresh_from_db()
    commitment.quote = "Ik zal de wachtlijsten in de jeugdzorg toelichten."
    commitment.save()
    assert commitment.reference in client.get(url, {"q": "jeugdzorg"}).content.decode()
    assert commitment.reference not in client.get(url, {"q": "bezorgen"}).content.decode()


def test_list_query_needs_no_distinct_sort(register):
    """Every filter narrows the commitment's own rows; DISTINCT would sort all matches for one page."""
    from django.http import QueryDict

    from tracker.public.views import filtered

    request = type("Request", (), {"GET": QueryDict("status=open&status=fulfilled&member=vandromme&q=lijst")})()
    filterset = filtered(request)
    assert filterset.is_valid(), filterset.errors
    assert not filterset.qs.query.distinct


def test_unknown_filter_value_shows_an_error_not_everything(client, register):
    page = client.get(reverse("tracker:list"), {"minister": "bestaat-niet"}).content.decode()
    assert "TZ-2026-0001" not in page
    assert 'role="alert"' in page


def test_counts_per_status_follow_the_filter(client, register):
    response = client.get(reverse("tracker:list"), {"committee": "reg"})
    counts = {row["code"]: row["count"] for row in response.context["counts"]}
    assert counts == {"open": 1, "partially_fulfilled": 1, "fulfilled": 1, "lapsed": 1}


def test_csv_export_neutralises_formulas(client, seed):
    Commitment.objects.filter(reference="TZ-2026-0001").update(summary='=HYPERLINK("http://evil")')
    response = client.get(reverse("tracker:list"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {r["reference"] for r in rows} == {"TZ-2026-0001", "TZ-2026-0002"}
    summary = next(r["summary"] for r in rows if r["reference"] == "TZ-2026-0001")
    assert summary.startswith("'=")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        (" =1+1", "' =1+1"),
        ("\n-2+3", "'\n-2+3"),
        ("\xa0+1", "'\xa0+1"),
        ("Ik zal dat bekijken.", "Ik zal dat bekijken."),
        ("E-mail = brief", "E-mail = brief"),
        (None, ""),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert csv_safe(value) == expected


def test_json_export_has_the_documented_shape(client, register):
    response = client.get(reverse("tracker:list"), {"format": "json", "minister": "hilde-crevits"})
    document = json.loads(b"".join(response.streaming_content))
    assert set(document) == {"version", "generated", "count", "commitments"}
    assert document["version"] == 1 and document["count"] == 2
    record = next(r for r in document["commitments"] if r["reference"] == "TZ-2026-0001")
    assert set(record) == {
        "reference",
        "status",
        "kind",
        "summary",
        "quote",
        "promised_by",
        "promised_by_function",
        "promised_to",
        "to_committee",
        "committee",
        "session_date",
        "question",
        "due_date",
        "due_is_default",
        "due_text",
        "fulfilled_on",
        "overdue",
        "url",
    }
    assert record["reference"] == "TZ-2026-0001" and record["promised_to"] == ["Vandromme"]
    assert record["url"].endswith("/toezeggingen/TZ-2026-0001/")


def test_atom_feed_parses_and_lists_status_changes(client, seed, clerk):
    transition(Commitment.objects.get(reference="TZ-2026-0001"), Status.LAPSED, by=clerk, note="Einde")
    response = client.get(reverse("tracker:feed"), {"kind": "send_document"})
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, not untrusted input
    assert root.tag == f"{ATOM}feed"
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles[0] == "TZ-2026-0001: vervallen"
    assert all("TZ-2026-0002" not in t for t in titles)
    # RFC 4287: an author, an id and updated for the feed and every entry; rel="self" is this selection's feed.
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "Griffie"
    [self_link] = [link for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link.get("href") == "http://testserver/toezeggingen/feed.atom?kind=send_document"
    for element in [root, *root.findall(f"{ATOM}entry")]:
        assert element.findtext(f"{ATOM}id") and element.findtext(f"{ATOM}updated")


@pytest.mark.parametrize("n", [0, 501])  # none, and more than one chunk of the stream
def test_json_export_streams_every_record_and_counts_them(client, n):
    if n:
        build_register(n, prefix="stroom")
    response = client.get(reverse("tracker:list"), {"format": "json"})
    assert response.streaming
    document = json.loads(b"".join(response.streaming_content))
    assert document["count"] == len(document["commitments"]) == n
    assert len({r["reference"] for r in document["commitments"]}) == n


def test_a_filter_that_cannot_be_applied_is_said_so_everywhere(client, seed):
    page = client.get(reverse("tracker:list"), {"year": "abc"})
    assert page.status_code == 200 and "2020-2021" in page.context["filter"].form.errors["year"][0]
    assert 'id="id_year-errors"' in page.content.decode()
    for url, params in [
        (reverse("tracker:list"), {"year": "abc", "format": "csv"}),
        (reverse("tracker:list"), {"status": "bogus", "format": "json"}),
        (reverse("tracker:feed"), {"status": "bogus"}),
        (reverse("tracker:deadlines"), {"due_from": "gisteren"}),
    ]:
        response = client.get(url, params)
        assert response.status_code == 400, url
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().startswith("Ongeldige filter")


@pytest.mark.django_db
def test_concurrent_feed_requests_each_get_their_own_selection(monkeypatch):
    """gunicorn's threads serve the feed at the same moment: one request's filter must not leak into another."""
    from django.db import connections
    from django.test import RequestFactory

    from tracker.public import feeds

    both_started = threading.Barrier(2, timeout=10)
    build = feeds.ChangesFeed.get_object

    def get_object(self, request):
        both_started.wait()  # both requests have read their filter; neither has built its feed yet
        return build(self, request)

    monkeypatch.setattr(feeds.ChangesFeed, "get_object", get_object)
    bodies = {}

    def fetch(kind):
        try:
            request = RequestFactory().get("/toezeggingen/feed.atom", {"kind": kind})
            bodies[kind] = feeds.changes_feed(request).content.decode()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fetch, args=(kind,)) for kind in ("send_document", "other")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert set(bodies) == {"send_document", "other"}
    for kind, body in bodies.items():
        assert f"feed.atom?kind={kind}" in body


def test_ics_beyond_its_limit_keeps_the_soonest_deadlines(client, register, monkeypatch):
    monkeypatch.setattr("tracker.public.feeds.ICS_LIMIT", 1)
    Commitment.objects.filter(reference="TZ-2026-0001").update(due_date=datetime.date(2020, 1, 1))
    calendar = icalendar.Calendar.from_ical(client.get(reverse("tracker:deadlines")).content)
    assert [str(e["uid"]).split("@")[0] for e in calendar.walk("VEVENT")] == ["TZ-2026-0001"]


def test_cached_figures_are_kept_per_language(client, seed):
    url = reverse("tracker:committee", args=["economie-werk-sociale-economie"])
    dutch = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url).content.decode()
    assert "openstaand" in dutch and "openstaand" not in english


def test_ics_has_one_event_per_open_commitment_with_a_deadline(client, register):
    response = client.get(reverse("tracker:deadlines"))
    calendar = icalendar.Calendar.from_ical(response.content)
    events = [e for e in calendar.walk("VEVENT")]
    expected = Commitment.objects.public().filter(status__in=["open", "partially_fulfilled"], due_date__isnull=False)
    assert sorted(str(e["uid"]).split("@")[0] for e in events) == sorted(expected.values_list("reference", flat=True))
    assert all(
        e.decoded("dtstart") == Commitment.objects.get(reference=str(e["uid"]).split("@")[0]).due_date for e in events
    )


def test_session_page_highlights_commitments_in_the_transcript(client, seed):
    page = client.get(reverse("tracker:session", args=["vergadering-maatwerkbedrijven"])).content.decode()
    assert page.count("<mark>") == 2
    assert 'href="/toezeggingen/TZ-2026-0001/"' in page
    assert "U bent hier" not in page


def test_minister_scorecard(client, register, clerk):
    page = client.get(reverse("tracker:person", args=["hilde-crevits"]))
    assert page.context["scorecard"]["open"] == 1
    body = page.content.decode()
    assert "<svg" in body and "TZ-2026-0001" in body
    assert 'id="received-title"' not in body  # nothing was promised to her: no empty list
    member = client.get(reverse("tracker:person", args=["vandromme"])).content.decode()
    assert 'id="received-title"' in member and "TZ-2026-0002" in member and 'id="score-title"' not in member


def test_scorecard_counts_days_from_the_belgian_date_of_registration(client, seed):
    # Registered at 00:30 in Brussels on 2 March (23:30 UTC on 1 March), in a sitting without a date.
    Session.objects.update(date=None)
    Commitment.objects.filter(reference="TZ-2026-0001").update(
        status=Status.FULFILLED,
        created=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC),
        fulfilled_on=datetime.date(2026, 3, 12),
    )
    page = client.get(reverse("tracker:person", args=["hilde-crevits"]))
    assert page.context["scorecard"]["median_days"] == 10


@pytest.mark.parametrize(
    ("name", "args", "params"),
    [
        ("tracker:list", (), {}),
        ("tracker:list", (), {"status": "open", "q": "lijst", "sort": "due"}),
        ("tracker:list", (), {"format": "json"}),
        ("tracker:list", (), {"format": "csv"}),
        ("tracker:detail", ("TZ-reg-0003",), {}),
        ("tracker:person", ("reg-persoon-2",), {}),
        ("tracker:committee", ("reg",), {}),
        ("tracker:session", ("reg-2",), {}),
        ("tracker:feed", (), {}),
        ("tracker:deadlines", (), {}),
    ],
)
def test_public_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries, name, args, params):
    def fetch():
        response = client.get(reverse(name, args=args), params)
        assert response.status_code == 200
        if response.streaming:  # downloads run their queries while they stream
            b"".join(response.streaming_content)

    build_register(5, prefix="reg")
    with django_assert_max_num_queries(40) as small:
        fetch()
    build_register(120, prefix="more")
    with django_assert_max_num_queries(len(small.captured_queries)):
        fetch()


def test_public_pages_can_require_login(client, seed, settings):
    settings.TRACKER_PUBLIC_REQUIRES_LOGIN = True
    response = client.get(reverse("tracker:list"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_csp_header_is_strict_and_pages_need_no_inline_code(client, seed):
    response = client.get(reverse("tracker:list"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "<script" not in response.content.decode() and "style=" not in response.content.decode()


@pytest.fixture
def member(django_user_model, seed):
    user = django_user_model.objects.create_user(
        "vandromme", email="k.vandromme@example.be", password="geheim-wachtwoord-1"
    )
    Person.objects.filter(slug="vandromme").update(user=user)
    return user


def test_member_sees_my_commitments(client, member):
    client.force_login(member)
    page = client.get(reverse("tracker:mine")).content.decode()
    assert "TZ-2026-0001" in page and "TZ-2026-0002" in page


def test_my_follows_are_described_in_words_and_stopped_with_a_button(client, member, django_assert_max_num_queries):
    Follow.objects.create(user=member, query="minister=hilde-crevits&status=lapsed&status=open&q=lijsten")
    Follow.objects.create(user=member, query="committee=economie-werk-sociale-economie&overdue=1")
    Follow.objects.create(user=member, commitment=Commitment.objects.get(reference="TZ-2026-0001"))
    client.force_login(member)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("tracker:mine")).content.decode()
    assert "Zoeken: “lijsten” · Status: vervallen, openstaand · Minister: Hilde Crevits" in page
    assert "Commissie: Commissie voor Economie" in page and "Alleen achterstallige" in page
    token = Follow.objects.get(commitment__reference="TZ-2026-0001").token
    assert f'<form method="post" action="/uitschrijven/{token}/"' in page
    client.post(reverse("tracker:unsubscribe", args=[token]))
    assert Follow.objects.filter(user=member).count() == 2


@pytest.mark.usefixtures("immediate_tasks")  # the notification task runs on commit
def test_following_is_stored_once_and_mails_on_status_change_with_unsubscribe(
    client, member, clerk, django_capture_on_commit_callbacks
):
    client.force_login(member)
    url = reverse("tracker:follow", args=["TZ-2026-0001"])
    client.post(url)
    client.post(url)
    assert Follow.objects.filter(user=member).count() == 1
    c = Commitment.objects.get(reference="TZ-2026-0001")
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            c,
            Status.FULFILLED,
            by=clerk,
            fulfilled_on=datetime.date(2024, 1, 10),
            evidence_title="Brief van 10 januari 2024",
        )
    [message] = mail.outbox
    assert message.to == ["k.vandromme@example.be"]
    assert "TZ-2026-0001" in message.subject and "voldaan" in message.subject
    assert "Brief van 10 januari 2024" in message.body
    token = Follow.objects.get(user=member).token
    assert f"/uitschrijven/{token}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    client.logout()
    url = reverse("tracker:unsubscribe", args=[token])
    assert client.head(url).status_code == 200
    assert client.get(url).status_code == 200
    assert Follow.objects.filter(user=member).exists()  # a mail scanner's GET or HEAD unsubscribes nobody
    assert client.post(url).status_code == 200  # the confirmation page's button
    assert not Follow.objects.filter(user=member).exists()
    assert client.get(url).status_code == 404


@pytest.mark.usefixtures("immediate_tasks")  # the notification task runs on commit
def test_following_a_filter_mails_when_a_matching_commitment_changes(
    client, member, clerk, django_capture_on_commit_callbacks
):
    client.force_login(member)
    client.post(reverse("tracker:follow_filter"), {"query": "minister=hilde-crevits"})
    client.post(reverse("tracker:follow_filter"), {"query": "minister=hilde-crevits"})
    assert Follow.objects.filter(user=member, commitment=None).count() == 1
    elsewhere = build_register(1, prefix="elders")[0]
    with django_capture_on_commit_callbacks(execute=True):
        transition(elsewhere, Status.LAPSED, by=clerk, note="x")
    assert mail.outbox == []  # another minister's: not in the followed selection
    with django_capture_on_commit_callbacks(execute=True):
        transition(Commitment.objects.get(reference="TZ-2026-0001"), Status.LAPSED, by=clerk, note="x")
    assert len(mail.outbox) == 1


@pytest.mark.usefixtures("immediate_tasks")  # the notification task runs on commit
def test_following_open_or_overdue_commitments_mails_when_one_leaves_the_filter(
    member, clerk, django_user_model, django_capture_on_commit_callbacks
):
    Commitment.objects.filter(reference="TZ-2026-0001").update(due_date=datetime.date(2021, 6, 30))
    c = Commitment.objects.get(reference="TZ-2026-0001")
    assert c in Commitment.objects.overdue()
    for name, query in [
        ("open", "minister=hilde-crevits&status=open"),
        ("overdue", "minister=hilde-crevits&overdue=1"),
        ("lapsed", "minister=hilde-crevits&status=lapsed"),
        ("fulfilled", "status=fulfilled"),
    ]:
        user = django_user_model.objects.create_user(name, email=f"{name}@example.be")
        Follow.objects.create(user=user, query=query)
    with django_capture_on_commit_callbacks(execute=True):
        transition(c, Status.FULFILLED, by=clerk, fulfilled_on=datetime.date(2024, 1, 10), evidence_title="Brief")
    # Left "open" and "overdue", entered "fulfilled"; was never "lapsed".
    assert sorted(m.to[0] for m in mail.outbox) == ["fulfilled@example.be", "open@example.be", "overdue@example.be"]


def test_open_longest_lists_what_is_still_pending_oldest_first(client, register):
    page = client.get(reverse("tracker:list"), {"sort": "open_longest"}).context["page"]
    assert {c.status for c in page} == {"open", "partially_fulfilled"}
    created = [c.created for c in page]
    assert created == sorted(created)
    counts = {
        r["code"]: r["count"] for r in client.get(reverse("tracker:list"), {"sort": "open_longest"}).context["counts"]
    }
    assert counts["fulfilled"] == 1 and counts["lapsed"] == 1  # the counts still show every status
    chosen = client.get(reverse("tracker:list"), {"sort": "open_longest", "status": "fulfilled"}).context["page"]
    assert [c.reference for c in chosen] == [register["fulfilled"].reference]


def test_overdue_is_on_only_when_asked_for(client, seed):
    Commitment.objects.filter(reference="TZ-2026-0001").update(due_date=datetime.date(2021, 6, 30))
    Commitment.objects.filter(reference="TZ-2026-0002").update(due_date=datetime.date(2099, 1, 1))
    url = reverse("tracker:list")
    listed = {value: client.get(url, {"overdue": value}).context["page"].paginator.count for value in ("1", "0", "x")}
    assert listed == {"1": 1, "0": 2, "x": 2}


def test_a_selection_is_followed_once_whatever_url_it_came_from(client, member):
    client.force_login(member)
    url = reverse("tracker:follow_filter")
    for query in [
        "q=&committee=&minister=hilde-crevits&member=&status=open&status=lapsed&sort=made",
        "status=lapsed&minister=hilde-crevits&status=open",
        "minister=hilde-crevits&status=open&status=lapsed&sort=due&page=2",
    ]:
        client.post(url, {"query": query})
    [follow] = Follow.objects.filter(user=member, commitment=None)
    assert follow.query == "minister=hilde-crevits&status=lapsed&status=open"
    page = client.get(reverse("tracker:list"), {"status": ["open", "lapsed"], "minister": "hilde-crevits"})
    assert page.context["following_filter"]
    client.post(url, {"query": "sort=due&status=open&minister=hilde-crevits&status=lapsed", "unfollow": "1"})
    assert not Follow.objects.filter(user=member).exists()
    assert client.post(url, {"query": "sort=due&page=2"}).status_code == 404  # no selection to follow


def test_status_count_links_replace_the_status(client, register):
    body = client.get(reverse("tracker:list"), {"status": "open", "kind": "other"}).content.decode()
    assert 'href="?kind=other&amp;status=fulfilled"' in body
    assert "status=open&amp;status=fulfilled" not in body


@pytest.mark.usefixtures("immediate_tasks")  # the notification task runs on commit
def test_internal_status_changes_send_no_mail(member, clerk, django_capture_on_commit_callbacks):
    c = build_register(1, prefix="x")[0]
    Commitment.objects.filter(pk=c.pk).update(status="candidate")
    c.refresh_from_db()
    Follow.objects.create(user=member, query="status=open")
    with django_capture_on_commit_callbacks(execute=True):
        transition(c, Status.REJECTED, by=clerk, note="geen toezegging")
    assert mail.outbox == []
    assert CommitmentEvent.objects.filter(commitment=c, to_status="rejected").exists()


def test_counts_are_capped_so_pages_cost_the_same_on_any_register(client, register, monkeypatch):
    monkeypatch.setattr("tracker.public.views.COUNT_CAP", 3)
    page = client.get(reverse("tracker:list")).content.decode()
    assert "Meer dan 3 toezeggingen" in page
    assert "openstaand: 3<" in page  # exactly at the cap is still exact
    assert client.get(reverse("tracker:list"), {"status": "fulfilled"}).context["page"].paginator.count == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "open"},
        {"status": ["fulfilled", "lapsed"]},
        {"sort": "open_longest"},
        {"sort": "open_longest", "status": "fulfilled"},
        {"minister": "hilde-crevits"},
        {"q": "bekijken", "status": "open"},
    ],
)
@pytest.mark.parametrize("cap", [1000, 2])
def test_the_list_count_comes_from_the_status_counts_and_matches_the_list(client, register, monkeypatch, params, cap):
    monkeypatch.setattr("tracker.public.views.COUNT_CAP", cap)
    response = client.get(reverse("tracker:list"), params)
    listed = len(CommitmentFilter(response.wsgi_request.GET, queryset=Commitment.objects.public()).qs)
    assert response.context["page"].paginator.count == min(listed, cap + 1)


def test_cached_figures_follow_every_status_change(client, seed, clerk):
    """Counts are cached, but a transition changes the register's version: the page is right at once."""
    url = reverse("tracker:list")
    before = {r["code"]: r["count"] for r in client.get(url).context["counts"]}
    assert before["open"] == 2 and before["lapsed"] == 0
    transition(Commitment.objects.get(reference="TZ-2026-0001"), Status.LAPSED, by=clerk, note="Einde")
    after = {r["code"]: r["count"] for r in client.get(url).context["counts"]}
    assert after["open"] == 1 and after["lapsed"] == 1
    feed = client.get(reverse("tracker:feed")).content.decode()
    assert "TZ-2026-0001: vervallen" in feed


def test_overdue_list_shows_longest_overdue_first(client, register):
    Commitment.objects.filter(reference="TZ-reg-0003").update(due_date=datetime.date(2020, 1, 1))
    rows = list(client.get(reverse("tracker:list"), {"overdue": "1"}).context["page"].object_list)
    assert rows[0].reference == "TZ-reg-0003"
    assert [r.due_date for r in rows] == sorted(r.due_date for r in rows)
