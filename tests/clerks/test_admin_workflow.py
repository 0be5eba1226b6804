"""Clerks review, register, extend, fulfil and reopen through the admin; permissions decide who may."""

import datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from tracker.models import Commitment, CommitmentEvent, Committee, Session

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"


@pytest.fixture(autouse=True)
def rules_threshold(settings):
    """Pin the proposals to what the rules find (probability >= 0.5), so these tests of importing and
    reviewing do not change with every retraining; the trained default is tested below and in
    tests/extraction/test_learning.py."""
    settings.TRACKER_CANDIDATE_THRESHOLD = 0.5


@pytest.fixture
def staff_client(client, django_user_model):
    """Staff who may view and edit commitments but not change their status."""
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_commitment", "change_commitment", "view_commitment", "view_reviewitem"]
        )
    )
    client.force_login(user)
    return client


def test_griffie_group_has_the_status_permission_and_no_deletes_of_commitments():
    codenames = set(Group.objects.get(name="Griffie").permissions.values_list("codename", flat=True))
    assert "change_commitment_status" in codenames
    assert {"view_commitment", "add_commitment", "change_commitment", "view_commitmentevent"} <= codenames
    assert "delete_commitment" not in codenames
    assert "change_commitmentevent" not in codenames


def test_clerk_imports_a_transcript_with_preview_then_confirms(clerk_client):
    committee = Committee.objects.create(name="Commissie voor Economie", slug="economie")
    url = reverse("admin:tracker_session_import")
    assert clerk_client.get(url).status_code == 200
    text = SEED.read_text(encoding="utf-8")
    preview = clerk_client.post(url, {"text": text, "committee": committee.pk, "preview": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "nog niets opgeslagen" in page
    assert page.count("<mark>") == 2
    assert Session.objects.count() == 0  # a preview saves nothing
    confirmed = clerk_client.post(url, {"text": text, "committee": committee.pk, "confirm": "1"})
    assert confirmed.status_code == 302
    assert "reviewitem" in confirmed.url
    assert Commitment.objects.filter(status="candidate").count() == 2


def test_clerk_import_of_bad_text_shows_the_reason(clerk_client):
    url = reverse("admin:tracker_session_import")
    response = clerk_client.post(url, {"text": "Geen sprekers hier.\n\nOok niet hier.", "preview": "1"})
    assert response.status_code == 200
    assert "sprekers" in response.content.decode()
    assert Session.objects.count() == 0


def _import_seed(clerk_client):
    committee = Committee.objects.create(name="Commissie voor Economie", slug="economie")
    clerk_client.post(
        reverse("admin:tracker_session_import"),
        {"text": SEED.read_text(encoding="utf-8"), "committee": committee.pk, "confirm": "1"},
    )
    return list(Commitment.objects.order_by("source_speech__sequence"))


def test_review_queue_shows_quotes_in_context_and_registers_one(clerk_client, clerk):
    send, hearing = _import_seed(clerk_client)
    queue = clerk_client.get(reverse("admin:tracker_reviewitem_changelist")).content.decode()
    assert "<mark>" in queue and send.reference in queue
    page = clerk_client.get(reverse("admin:tracker_reviewitem_change", args=[send.pk]))
    assert page.status_code == 200 and "<mark>" in page.content.decode()
    response = clerk_client.post(
        reverse("admin:tracker_reviewitem_change", args=[send.pk]),
        {
            "version": send.updated.isoformat(),
            "summary": "De minister bezorgt de lijsten.",
            "kind": "send_document",
            "due_date": "2030-06-30",
            "register": "1",
        },
    )
    assert response.status_code == 302
    send.refresh_from_db()
    assert (send.status, send.summary, send.due_date) == (
        "open",
        "De minister bezorgt de lijsten.",
        datetime.date(2030, 6, 30),
    )
    assert send.events.filter(kind="transition", to_status="open", actor=clerk).exists()


def test_review_queue_lists_the_most_likely_proposals_first(clerk_client):
    send, hearing = _import_seed(clerk_client)
    Commitment.objects.filter(pk=send.pk).update(confidence=0.2)
    Commitment.objects.filter(pk=hearing.pk).update(confidence=0.9)
    queue = clerk_client.get(reverse("admin:tracker_reviewitem_changelist")).content.decode()
    assert queue.index(hearing.reference) < queue.index(send.reference)
    Commitment.objects.filter(pk=send.pk).update(confidence=0.95)
    queue = clerk_client.get(reverse("admin:tracker_reviewitem_changelist")).content.decode()
    assert queue.index(send.reference) < queue.index(hearing.reference)


def test_the_dutch_admin_leaves_no_english_select_or_filter_label(clerk_client):
    """Django 6.1's Dutch catalogue lacks these two; the project's catalogue supplies them."""
    _import_seed(clerk_client)
    queue = clerk_client.get(reverse("admin:tracker_reviewitem_changelist")).content.decode()
    assert "- Select an option -" not in queue
    assert "- Kies een optie -" in queue
    history = clerk_client.get(reverse("admin:tracker_commitmentevent_changelist")).content.decode()
    assert 'id="date-hierarchy-label"' in history  # the label is on the page, in Dutch
    assert "Filter by" not in history and "Filter op" in history


def test_review_reject_needs_a_reason(clerk_client):
    send, _ = _import_seed(clerk_client)
    url = reverse("admin:tracker_reviewitem_change", args=[send.pk])
    data = {"version": send.updated.isoformat(), "kind": "send_document", "reject": "1"}
    assert clerk_client.post(url, data).status_code == 200
    send.refresh_from_db()
    assert send.status == "candidate"
    assert clerk_client.post(url, {**data, "note": "Geen toezegging aan het parlement."}).status_code == 302
    send.refresh_from_db()
    assert send.status == "rejected"


def test_clerk_extends_fulfils_with_a_letter_and_reopens(clerk_client, seed):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    change = reverse("admin:tracker_commitment_change", args=[c.pk])
    page = clerk_client.get(change).content.decode()
    assert reverse("admin:tracker_commitment_transition", args=[c.pk, "fulfilled"]) in page
    # extend the deadline
    r = clerk_client.post(
        reverse("admin:tracker_commitment_deadline", args=[c.pk]),
        {"version": c.updated.isoformat(), "due_date": "2030-01-31", "note": "Uitstel gevraagd"},
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.due_date == datetime.date(2030, 1, 31)
    # fulfil with a letter
    url = reverse("admin:tracker_commitment_transition", args=[c.pk, "fulfilled"])
    form = clerk_client.get(url).content.decode()
    assert 'name="fulfilled_on"' in form and 'name="evidence_title"' in form
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    r = clerk_client.post(
        url,
        {
            "version": c.updated.isoformat(),
            "fulfilled_on": yesterday,
            "evidence_title": "Brief van de minister, 12 maart",
        },
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.fulfilled_on.isoformat()) == ("fulfilled", yesterday)
    # reopen
    url = reverse("admin:tracker_commitment_transition", args=[c.pk, "open"])
    r = clerk_client.post(url, {"version": c.updated.isoformat(), "note": "Antwoord onvoldoende volgens de commissie"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == "open" and c.fulfilled_on is None
    kinds = list(c.events.order_by("at", "pk").values_list("kind", "to_status"))
    assert kinds == [("created", "open"), ("due_date", ""), ("transition", "fulfilled"), ("transition", "open")]


def test_a_stale_form_gets_the_changed_by_someone_else_message(clerk_client, seed):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    stale_version = c.updated.isoformat()
    url = reverse("admin:tracker_commitment_transition", args=[c.pk, "lapsed"])
    assert clerk_client.post(url, {"version": stale_version, "note": "Einde legislatuur"}).status_code == 302
    c.refresh_from_db()
    url = reverse("admin:tracker_commitment_transition", args=[c.pk, "open"])
    r = clerk_client.post(url, {"version": stale_version, "note": "Toch niet"})
    assert r.status_code == 200
    assert "gewijzigd door iemand anders" in r.content.decode()
    c.refresh_from_db()
    assert c.status == "lapsed"


def test_missing_evidence_is_shown_on_the_form_and_changes_nothing(clerk_client, seed):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    url = reverse("admin:tracker_commitment_transition", args=[c.pk, "fulfilled"])
    r = clerk_client.post(url, {"version": c.updated.isoformat(), "fulfilled_on": "2021-01-01"})
    assert r.status_code == 200 and "bewijsstuk" in r.content.decode()
    c.refresh_from_db()
    assert c.status == "open"


def test_forbidden_transition_url_is_not_found(clerk_client, seed):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    assert clerk_client.get(reverse("admin:tracker_commitment_transition", args=[c.pk, "candidate"])).status_code == 404


def test_bulk_status_action_asks_for_inputs_then_changes_all(clerk_client, seed):
    pks = list(Commitment.objects.values_list("pk", flat=True))
    url = reverse("admin:tracker_commitment_changelist")
    step1 = clerk_client.post(url, {"action": "to_lapsed", "_selected_action": pks})
    assert step1.status_code == 200 and 'name="note"' in step1.content.decode()
    assert set(Commitment.objects.values_list("status", flat=True)) == {"open"}
    clerk_client.post(url, {"action": "to_lapsed", "_selected_action": pks, "apply": "1", "note": "Einde legislatuur"})
    assert set(Commitment.objects.values_list("status", flat=True)) == {"lapsed"}
    assert CommitmentEvent.objects.filter(kind="transition", to_status="lapsed").count() == 2


@pytest.mark.parametrize("who", ["anonymous", "staff_without_permission", "clerk"])
def test_permission_matrix_for_status_changes(request, client, seed, who):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    change = reverse("admin:tracker_commitment_change", args=[c.pk])
    transition = reverse("admin:tracker_commitment_transition", args=[c.pk, "lapsed"])
    http = {"anonymous": client}.get(who) or request.getfixturevalue(
        "staff_client" if who == "staff_without_permission" else "clerk_client"
    )
    page = http.get(change)
    response = http.post(transition, {"version": c.updated.isoformat(), "note": "Einde legislatuur"})
    c.refresh_from_db()
    if who == "anonymous":
        assert page.status_code == 302 and response.status_code == 302
        assert reverse("admin:login") in response.url
        assert c.status == "open"
    elif who == "staff_without_permission":
        assert page.status_code == 200 and transition not in page.content.decode()
        assert response.status_code == 403
        assert c.status == "open"
    else:
        assert transition in page.content.decode()
        assert response.status_code == 302
        assert c.status == "lapsed"
