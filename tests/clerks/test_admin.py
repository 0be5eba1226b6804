"""Every admin screen renders for a clerk, redirects anonymous users, and lists run a fixed number of queries."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.factories import build_register
from tracker.models import Commitment, CommitmentEvent, Committee, Person, Question, Session, Speech

pytestmark = pytest.mark.django_db

TRACKER_MODELS = [Committee, Person, Session, Question, Speech, Commitment, CommitmentEvent]


def admin_url(model, view, *args):
    return reverse(f"admin:tracker_{model._meta.model_name}_{view}", args=args)


def test_all_tracker_models_are_registered():
    assert {m for m in TRACKER_MODELS} <= set(admin.site._registry)


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_change_form_render_for_clerk(seed, clerk_client, model):
    response = clerk_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    obj = model.objects.first()
    response = clerk_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "nl"


@pytest.mark.parametrize("model", [m for m in TRACKER_MODELS if m is not CommitmentEvent], ids=lambda m: m.__name__)
def test_add_form_renders_for_clerk(clerk_client, model):
    assert clerk_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_anonymous_is_sent_to_login(seed, client, model):
    for url in (admin_url(model, "changelist"), admin_url(model, "change", model.objects.first().pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_history_cannot_be_edited_or_added(seed, clerk_client):
    event = CommitmentEvent.objects.first()
    assert clerk_client.get(admin_url(CommitmentEvent, "add")).status_code == 403
    response = clerk_client.post(admin_url(CommitmentEvent, "change", event.pk), {"note": "vervalst"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.note != "vervalst"


def test_status_is_read_only_on_an_existing_commitment(seed, clerk_client):
    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    response = clerk_client.get(admin_url(Commitment, "change", commitment.pk))
    assert b'name="status"' not in response.content
    assert "openstaand" in response.content.decode()


def test_seed_question_shows_its_speeches_and_commitments_in_dutch(seed, clerk_client):
    question = Question.objects.get()
    page = clerk_client.get(admin_url(Question, "change", question.pk)).content.decode()
    assert page.count('name="speeches-') > 13 * 3  # every speech inline has its fields
    assert "TZ-2026-0001" in page and "TZ-2026-0002" in page
    assert "Tussenkomsten" in page or "tussenkomsten" in page


def test_clerk_adds_a_commitment_by_hand_and_it_gets_a_reference(seed, clerk_client, clerk):
    question = Question.objects.get()
    response = clerk_client.post(
        admin_url(Commitment, "add"),
        {
            "status": "open",
            "question": question.pk,
            "quote": "Ik kom daarop terug.",
            "kind": "report_back",
            "summary": "",
            "promised_by_function": "",
            "due_text": "",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "links_out-TOTAL_FORMS": "0",
            "links_out-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Commitment.objects.get(quote="Ik kom daarop terug.")
    assert created.reference.startswith("TZ-")
    assert created.origin == "manual"
    assert created.events.get().actor == clerk


@pytest.mark.parametrize("model", TRACKER_MODELS, ids=lambda m: m.__name__)
def test_changelists_run_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries, model):
    build_register(5)
    with django_assert_max_num_queries(20) as small:
        admin_client.get(admin_url(model, "changelist"))
    build_register(100, prefix="more")
    CommitmentEvent.objects.bulk_create(CommitmentEvent(commitment=c, kind="created") for c in Commitment.objects.all())
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
