"""The transition table: every allowed step with its inputs, every forbidden step, permissions, deadlines."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from tests.factories import build_register
from tracker.models import Commitment, CommitmentEvent, Status
from tracker.register.workflow import (
    TRANSITIONS,
    TransitionError,
    add_months,
    commitment_register,
    due_date_change,
    transition,
)

pytestmark = pytest.mark.django_db

COMPLETE_INPUTS = {
    "note": "Brief van de minister ontvangen.",
    # Two days back: still in the past when a run goes on past midnight.
    "fulfilled_on": timezone.localdate() - datetime.timedelta(days=2),
    "evidence_title": "Brief 2021/123",
    "evidence_url": "https://www.vlaamsparlement.be/brief/123",
}


_batches = itertools.count()


def commitment_in(status: str) -> Commitment:
    c = build_register(1, prefix=f"b{next(_batches)}")[0]
    Commitment.objects.filter(pk=c.pk).update(
        status=status, fulfilled_on=datetime.date(2021, 5, 1) if status == Status.FULFILLED else None
    )
    return Commitment.objects.select_related("question__session").get(pk=c.pk)


@pytest.mark.parametrize(("from_status", "to_status"), list(TRANSITIONS), ids="→".join)
def test_every_allowed_transition_updates_and_records_an_event(clerk, from_status, to_status):
    c = commitment_in(from_status)
    transition(c, to_status, by=clerk, **COMPLETE_INPUTS)
    stored = Commitment.objects.get(pk=c.pk)
    assert stored.status == to_status == c.status
    event = CommitmentEvent.objects.get(commitment=c, kind="transition")
    assert (event.from_status, event.to_status, event.actor) == (from_status, to_status, clerk)
    assert event.note == COMPLETE_INPUTS["note"]
    if to_status == Status.FULFILLED:
        assert stored.fulfilled_on == COMPLETE_INPUTS["fulfilled_on"]
        assert event.evidence_title == "Brief 2021/123"
    if to_status == Status.OPEN and from_status in (Status.FULFILLED, Status.LAPSED):
        assert stored.fulfilled_on is None


FORBIDDEN = [pair for pair in itertools.product(Status.values, repeat=2) if pair not in TRANSITIONS]


@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN, ids="→".join)
def test_every_forbidden_transition_is_refused_and_changes_nothing(clerk, from_status, to_status):
    c = commitment_in(from_status)
    with pytest.raises(TransitionError, match="kan niet van"):
        transition(c, to_status, by=clerk, **COMPLETE_INPUTS)
    assert Commitment.objects.get(pk=c.pk).status == from_status
    assert not CommitmentEvent.objects.exists()


@pytest.mark.parametrize(
    ("from_status", "to_status", "missing", "message"),
    [
        ("candidate", "rejected", "note", "reden"),
        ("rejected", "candidate", "note", "reden"),
        ("open", "partially_fulfilled", "note", "reden"),
        ("open", "partially_fulfilled", "evidence", "bewijsstuk"),
        ("open", "fulfilled", "evidence", "bewijsstuk"),
        ("open", "fulfilled", "fulfilled_on", "datum"),
        ("open", "lapsed", "note", "reden"),
        ("partially_fulfilled", "fulfilled", "fulfilled_on", "datum"),
        ("fulfilled", "open", "note", "reden"),
        ("lapsed", "open", "note", "reden"),
    ],
)
def test_missing_input_is_refused_and_changes_nothing(clerk, from_status, to_status, missing, message):
    c = commitment_in(from_status)
    inputs = dict(COMPLETE_INPUTS)
    if missing == "evidence":
        inputs.update(evidence_title="", evidence_url="")
    elif missing == "fulfilled_on":
        inputs["fulfilled_on"] = None
    else:
        inputs[missing] = "   "
    with pytest.raises(TransitionError, match=message):
        transition(c, to_status, by=clerk, **inputs)
    assert Commitment.objects.get(pk=c.pk).status == from_status
    assert not CommitmentEvent.objects.exists()


def test_fulfilment_date_in_the_future_is_refused(clerk):
    c = commitment_in(Status.OPEN)
    with pytest.raises(TransitionError, match="toekomst"):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)  # today as the check sees it, not at import
        transition(c, Status.FULFILLED, by=clerk, **{**COMPLETE_INPUTS, "fulfilled_on": tomorrow})


def test_evidence_url_must_be_a_web_address(clerk):
    c = commitment_in(Status.OPEN)
    with pytest.raises(TransitionError, match="URL"):
        transition(c, Status.FULFILLED, by=clerk, **{**COMPLETE_INPUTS, "evidence_url": "javascript:alert(1)"})


def test_staff_without_status_permission_is_refused(django_user_model):
    staff = django_user_model.objects.create_user("staff", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="change_commitment"))
    c = commitment_in(Status.OPEN)
    with pytest.raises(TransitionError, match="recht"):
        transition(c, Status.LAPSED, by=staff, note="Einde legislatuur")
    assert Commitment.objects.get(pk=c.pk).status == Status.OPEN


def test_stale_commitment_is_refused_as_changed_by_someone_else(clerk):
    c = commitment_in(Status.OPEN)
    stale = Commitment.objects.select_related("question__session").get(pk=c.pk)
    transition(c, Status.LAPSED, by=clerk, note="Einde legislatuur")
    with pytest.raises(TransitionError, match="gewijzigd door iemand anders"):
        transition(stale, Status.FULFILLED, by=clerk, **COMPLETE_INPUTS)
    assert Commitment.objects.get(pk=c.pk).status == Status.LAPSED


def test_registering_without_deadline_applies_the_standard_term_after_the_session(clerk, settings):
    settings.TRACKER_DEFAULT_DUE_MONTHS = 3
    c = commitment_in(Status.CANDIDATE)  # session dated 2021-01-01
    Commitment.objects.filter(pk=c.pk).update(due_date=None)
    c.refresh_from_db()
    commitment_register(c, by=clerk, summary="De minister bezorgt de lijst.", kind="send_document")
    stored = Commitment.objects.get(pk=c.pk)
    assert (stored.status, stored.due_date, stored.due_is_default) == ("open", datetime.date(2021, 4, 1), True)
    assert stored.summary == "De minister bezorgt de lijst."
    kinds = list(CommitmentEvent.objects.filter(commitment=c).values_list("kind", flat=True))
    assert kinds == ["edit", "transition"]


def test_registering_keeps_a_stated_deadline_and_an_event_bound_one(clerk):
    c = commitment_in(Status.CANDIDATE)
    commitment_register(c, by=clerk, due_date=datetime.date(2021, 6, 30))
    assert (c.due_date, c.due_is_default) == (datetime.date(2021, 6, 30), False)
    d = commitment_in(Status.CANDIDATE)
    Commitment.objects.filter(pk=d.pk).update(due_date=None, due_text="zodra die studie is opgeleverd")
    d.refresh_from_db()
    commitment_register(d, by=clerk)
    assert d.due_date is None and not d.due_is_default


def test_standard_term_counts_from_registration_when_the_session_has_no_date(clerk):
    c = commitment_in(Status.CANDIDATE)
    c.question.session.date = None
    c.question.session.save()
    Commitment.objects.filter(pk=c.pk).update(due_date=None)
    c.refresh_from_db()
    commitment_register(c, by=clerk)
    assert c.due_date == add_months(timezone.localdate(), 3)


def test_deadline_change_is_an_event_with_old_and_new_date(clerk):
    c = commitment_in(Status.OPEN)
    due_date_change(c, by=clerk, due_date=datetime.date(2021, 9, 1), note="Uitstel gevraagd door de minister")
    event = CommitmentEvent.objects.get(commitment=c)
    assert (event.kind, event.old_due_date, event.new_due_date) == (
        "due_date",
        datetime.date(2021, 4, 1),
        datetime.date(2021, 9, 1),
    )
    with pytest.raises(TransitionError, match="reden"):
        due_date_change(c, by=clerk, due_date=datetime.date(2021, 10, 1), note="")


def test_add_months_clamps_to_the_end_of_the_month():
    assert add_months(datetime.date(2021, 1, 31), 1) == datetime.date(2021, 2, 28)
    assert add_months(datetime.date(2021, 11, 15), 3) == datetime.date(2022, 2, 15)
