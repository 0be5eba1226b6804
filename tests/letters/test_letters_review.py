"""Reviewing a letter's matches (issue #15): confirm through the workflow, reject for good, permission, the
public page and the rappel."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import LETTER_TEXT, letter_commitment
from tracker.clerks.rappel import rappel_groups
from tracker.letters import services
from tracker.letters.models import Document, LetterMatch, MatchState
from tracker.models import CommitmentEvent, Status

pytestmark = pytest.mark.django_db

URL = "https://zoek.officielebekendmakingen.nl/kst-29689-1203.html"


@pytest.fixture
def promise():
    return letter_commitment(
        quote="Ik zal de Kamer voor de zomer de evaluatie van de eigen bijdrage wijkverpleging sturen.",
        sitting_date=datetime.date(2023, 3, 12),
        sitting_title="Commissiedebat Zorgverzekeringsstelsel",
    )


@pytest.fixture
def imported(promise):
    letter = services.letter_read(data=LETTER_TEXT.encode(), filename="brief.txt")
    report = services.letter_import(
        letter=letter, url=URL, date=datetime.date(2023, 5, 2), number="kamerstuk 29689, nr. 1203"
    )
    return report.document, report.proposals[0]


def _decide(client, match, decision):
    url = reverse("admin:tracker_document_decide", args=[match.document_id, match.pk, decision])
    return client.post(url, follow=True)


def test_change_page_shows_the_letter_beside_its_proposals_with_reasons(clerk_client, imported, promise):
    document, match = imported
    page = clerk_client.get(reverse("admin:tracker_document_change", args=[document.pk])).content.decode()
    assert promise.reference in page and "wijkverpleging" in page
    assert "12 maart 2023" in page  # the sitting's date, as a reason in words
    assert reverse("admin:tracker_document_decide", args=[document.pk, match.pk, "fulfil"]) in page


def test_confirm_fulfils_through_the_workflow_with_the_letter_as_evidence(clerk_client, imported, promise):
    document, match = imported
    _decide(clerk_client, match, "fulfil")
    promise.refresh_from_db()
    assert promise.status == Status.FULFILLED and promise.fulfilled_on == datetime.date(2023, 5, 2)
    event = CommitmentEvent.objects.filter(commitment=promise, kind="transition").get()
    assert event.evidence_url == URL and "29689" in event.evidence_title
    match.refresh_from_db()
    assert match.state == MatchState.CONFIRMED and match.decided_by is not None and match.decided_at is not None


def test_partly_fulfilled_keeps_the_commitment_pending(clerk_client, imported, promise):
    _document, match = imported
    _decide(clerk_client, match, "partially_fulfil")
    promise.refresh_from_db()
    assert promise.status == Status.PARTIALLY_FULFILLED
    assert CommitmentEvent.objects.filter(commitment=promise, evidence_url=URL).exists()


def test_rejected_match_is_never_proposed_again(clerk_client, imported, promise):
    document, match = imported
    _decide(clerk_client, match, "reject")
    match.refresh_from_db()
    assert match.state == MatchState.REJECTED
    again = services.letter_match(document=document)
    assert promise.pk not in {m.commitment_id for m in again}
    assert LetterMatch.objects.get(document=document, commitment=promise).state == MatchState.REJECTED
    promise.refresh_from_db()
    assert promise.status == Status.OPEN


def test_confirming_needs_the_status_permission(client, django_user_model, imported, promise):
    _document, match = imported
    viewer = django_user_model.objects.create_user("kijker", password="x", is_staff=True)
    group = Group.objects.get(name="Griffie")
    viewer.user_permissions.add(*group.permissions.filter(codename__in=["view_document", "view_lettermatch"]))
    client.force_login(viewer)
    response = client.post(reverse("admin:tracker_document_decide", args=[match.document_id, match.pk, "fulfil"]))
    assert response.status_code == 403
    promise.refresh_from_db()
    match.refresh_from_db()
    assert promise.status == Status.OPEN and match.state == MatchState.PROPOSED
    with pytest.raises(services.workflow.TransitionError):
        services.match_reject(match=match, by=viewer)


def test_a_decided_match_cannot_be_decided_twice(clerk_client, imported, promise):
    _document, match = imported
    _decide(clerk_client, match, "reject")
    page = _decide(clerk_client, match, "fulfil").content.decode()
    promise.refresh_from_db()
    assert promise.status == Status.OPEN
    assert "Over deze koppeling is al beslist" in page


def test_admin_import_previews_then_confirms(clerk_client, promise):
    url = reverse("admin:tracker_document_import")
    preview = clerk_client.post(url, {"text": LETTER_TEXT, "date": "2023-05-02", "preview": "1"})
    assert preview.status_code == 200 and promise.reference in preview.content.decode()
    assert not Document.objects.exists()
    done = clerk_client.post(
        url, {"text": LETTER_TEXT, "date": "2023-05-02", "title": "Evaluatie", "url": URL, "confirm": "1"}
    )
    document = Document.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/{document.pk}/change/")
    assert document.source_url == URL and document.matches.get().commitment == promise


def test_admin_import_refuses_bad_input_with_a_message(clerk_client):
    url = reverse("admin:tracker_document_import")
    response = clerk_client.post(url, {"text": "Hiermee kom ik mijn toezegging na.", "preview": "1"})
    assert response.status_code == 200 and not Document.objects.exists()
    assert "no date" in response.content.decode() or "geen datum" in response.content.decode()


def test_public_page_links_confirmed_letters_only(clerk_client, imported, promise, django_assert_max_num_queries):
    document, match = imported
    public = Client()
    url = reverse("tracker:detail", args=[promise.reference])
    assert document.title not in public.get(url).content.decode()  # only proposed: internal
    _decide(clerk_client, match, "partially_fulfil")
    cache.clear()
    with django_assert_max_num_queries(20) as one:
        page = public.get(url).content.decode()
    # Counted now: every request Django serves empties the connection's query log.
    queries = len(one.captured_queries)
    assert document.title in page and URL in page and "29689" in page
    other = services.letter_import(
        letter=services.letter_read(data=LETTER_TEXT.replace("weinig", "enig").encode(), filename="b2.txt"),
        date=datetime.date(2023, 6, 1),
        title="Tweede brief",
    )
    other_match = other.proposals[0]
    _decide(clerk_client, other_match, "fulfil")
    cache.clear()
    with django_assert_max_num_queries(queries):
        page = public.get(url).content.decode()
    assert "Tweede brief" in page


def test_public_page_never_shows_a_rejected_match(clerk_client, imported, promise):
    document, match = imported
    _decide(clerk_client, match, "reject")
    page = Client().get(reverse("tracker:detail", args=[promise.reference])).content.decode()
    assert document.title not in page


def test_rappel_lists_letters_received_since_the_sitting_not_yet_confirmed(clerk_client, imported, promise):
    document, match = imported
    old = Document.objects.create(title="Oude brief", date=datetime.date(2023, 1, 1), text="x", sha256="0" * 64)
    LetterMatch.objects.create(document=old, commitment=promise, score=0.5)
    [row] = [r for _, rows in rappel_groups(on=datetime.date(2023, 9, 1)) for r in rows]
    assert row["letters"] == [document]  # the letter before the sitting is not an answer to it
    response = clerk_client.get(reverse("admin:tracker_commitment_rappel"), {"on": "2023-09-01", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert str(document) in rows[1][-1]
    page = clerk_client.get(reverse("admin:tracker_commitment_rappel"), {"on": "2023-09-01"}).content.decode()
    assert "Ontvangen brieven, nog niet bevestigd" in page
    assert reverse("admin:tracker_document_change", args=[document.pk]) in page
    _decide(clerk_client, match, "partially_fulfil")
    [row] = [r for _, rows in rappel_groups(on=datetime.date(2023, 9, 1)) for r in rows]
    assert row["letters"] == []


def test_reasons_and_messages_are_in_dutch_by_default(clerk_client, imported, promise):
    document, match = imported
    page = clerk_client.get(reverse("admin:tracker_document_change", args=[document.pk])).content.decode()
    assert "gedeelde zeldzame woorden" in page and "dezelfde bewindspersoon" in page
    assert "Nagekomen met deze brief" in page and "Niet deze" in page
    done = _decide(clerk_client, match, "reject").content.decode()
    assert "wordt voor deze brief niet meer voorgesteld" in done


def test_letter_strings_have_a_dutch_translation():
    from django.utils import translation

    from tracker.letters.models import REASON_TEXTS

    with translation.override("en"):
        english = [str(text) for text in REASON_TEXTS.values()]
    with translation.override("nl"):
        dutch = [str(text) for text in REASON_TEXTS.values()]
    untranslated = [en for nl, en in zip(dutch, english, strict=True) if nl == en]
    assert not untranslated


def test_match_again_proposes_a_commitment_registered_since_and_needs_the_change_permission(
    clerk_client, client, django_user_model, imported, promise
):
    document, _match = imported
    later = letter_commitment(
        quote="Ik stuur de Kamer de evaluatie van de eigen bijdrage wijkverpleging en de cijfers daarbij.",
        sitting_date=datetime.date(2023, 3, 12),
        sitting_title="Commissiedebat Zorgverzekeringsstelsel",
    )
    url = reverse("admin:tracker_document_rematch", args=[document.pk])
    assert clerk_client.get(url).status_code == 302 and not document.matches.filter(commitment=later).exists()
    clerk_client.post(url)
    assert document.matches.filter(commitment=later, state=MatchState.PROPOSED).exists()
    viewer = django_user_model.objects.create_user("kijker2", password="x", is_staff=True)
    viewer.user_permissions.add(*Group.objects.get(name="Griffie").permissions.filter(codename="view_document"))
    client.force_login(viewer)
    assert client.post(url).status_code == 403


def test_a_clerk_imports_an_official_xml_letter_confirms_it_and_the_public_page_shows_it(clerk_client, promise):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import KST_LETTER_XML

    url = reverse("admin:tracker_document_import")
    upload = SimpleUploadedFile("kst-29689-1203.xml", KST_LETTER_XML.encode())
    preview = clerk_client.post(url, {"file": upload, "url": URL, "preview": "1"}).content.decode()
    assert promise.reference in preview and "kamerstuk 29689, nr. 1203" in preview
    fields = {
        "text": preview.split('hidden aria-hidden="true">', 1)[1].split("</textarea>", 1)[0],
        "title": "Evaluatie eigen bijdrage",
        "number": "kamerstuk 29689, nr. 1203",
        "date": "2023-05-02",
        "url": URL,
        "confirm": "1",
    }
    clerk_client.post(url, fields)
    document = Document.objects.get()
    match = document.matches.get()
    assert match.commitment == promise
    _decide(clerk_client, match, "fulfil")
    page = Client().get(reverse("tracker:detail", args=[promise.reference])).content.decode()
    assert "Evaluatie eigen bijdrage" in page and "kamerstuk 29689, nr. 1203" in page and "2 mei 2023" in page
