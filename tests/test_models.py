import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import build_register
from tracker.models import Commitment, CommitmentEvent, Status
from tracker.register.services import commitment_create, reference_next

pytestmark = pytest.mark.django_db


def test_fulfilled_needs_fulfilment_date_in_the_database():
    c = build_register(1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=c.pk).update(status=Status.FULFILLED, fulfilled_on=None)
    Commitment.objects.filter(pk=c.pk).update(status=Status.FULFILLED, fulfilled_on=datetime.date(2021, 5, 1))
    assert Commitment.objects.get(pk=c.pk).status == Status.FULFILLED


def test_quote_cannot_be_empty():
    c = build_register(1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=c.pk).update(quote="")


def test_reference_is_unique():
    c = build_register(1)[0]
    duplicate = Commitment(reference=c.reference, question=c.question, quote="Iets anders.")
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_confidence_between_zero_and_one():
    c = build_register(1)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=c.pk).update(confidence=1.5)


def test_full_clean_reports_constraint_messages_in_dutch():
    c = build_register(1)[0]
    c.status, c.fulfilled_on = Status.FULFILLED, None
    with pytest.raises(ValidationError) as excinfo:
        c.full_clean()
    assert "voldane toezegging heeft een datum" in str(excinfo.value)


def test_public_excludes_candidates_and_rejected():
    commitments = build_register(6)
    for c, status in zip(commitments, Status.values, strict=True):
        Commitment.objects.filter(pk=c.pk).update(status=status, fulfilled_on=datetime.date(2021, 5, 1))
    public = set(Commitment.objects.public().values_list("status", flat=True))
    assert public == {"open", "partially_fulfilled", "fulfilled", "lapsed"}


def test_overdue_is_derived_from_due_date_and_pending_status():
    a, b, c = build_register(3)
    Commitment.objects.filter(pk=b.pk).update(status=Status.FULFILLED, fulfilled_on=datetime.date(2021, 3, 1))
    Commitment.objects.filter(pk=c.pk).update(due_date=datetime.date(2021, 6, 1))
    on = datetime.date(2021, 5, 1)
    assert list(Commitment.objects.overdue(on=on)) == [a]
    assert Commitment.objects.get(pk=a.pk).is_overdue(on=on)
    assert not Commitment.objects.get(pk=c.pk).is_overdue(on=on)
    assert list(Commitment.objects.due_within(days=45, on=on)) == [Commitment.objects.get(pk=c.pk)]


def test_commitment_create_allocates_next_reference_per_year_and_records_creation(django_user_model):
    existing = build_register(2, prefix="2021")  # TZ-2021-0001, TZ-2021-0002 in sessions dated 2021
    user = django_user_model.objects.create_user("k")
    new = commitment_create(
        commitment=Commitment(question=existing[0].question, quote="Ik kom daarop terug.", status=Status.OPEN),
        by=user,
        promised_to=[existing[0].promised_by],
    )
    assert new.reference == "TZ-2021-0003"
    assert reference_next(year=2021) == "TZ-2021-0004"
    assert reference_next(year=2030) == "TZ-2030-0001"
    event = CommitmentEvent.objects.get(commitment=new)
    assert (event.kind, event.to_status, event.actor) == ("created", "open", user)
    assert list(new.promised_to.all()) == [existing[0].promised_by]


def test_commitment_create_validates_and_writes_nothing_on_error():
    existing = build_register(1)[0]
    with pytest.raises(ValidationError):
        commitment_create(commitment=Commitment(question=existing.question, quote="", status=Status.OPEN))
    assert Commitment.objects.count() == 1
    assert CommitmentEvent.objects.count() == 0
