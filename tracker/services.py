"""Write operations on commitments that are not status transitions (those live in workflow.py)."""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Commitment, CommitmentEvent, EventKind

REFERENCE_PREFIX = "TZ"
_REFERENCE_RE = re.compile(rf"^{REFERENCE_PREFIX}-(\d{{4}})-(\d+)$")


def reference_next(*, year: int) -> str:
    """The next free reference for a year: TZ-2021-0007. Numbers are never reused within a year."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    numbers = [
        int(m.group(2))
        for ref in Commitment.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
        if (m := _REFERENCE_RE.match(ref))
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _reference_year(commitment: Commitment) -> int:
    session_date = commitment.question.session.date if commitment.question_id else None
    return (session_date or timezone.localdate()).year


def commitment_create(*, commitment: Commitment, by=None, note: str = "", promised_to=()) -> Commitment:
    """Validate and save a new commitment with a fresh reference, and record its creation in the history.

    Takes an unsaved instance (as the admin form builds it) so that every creation path shares the
    reference allocation, validation and the first history event.
    """
    if commitment.pk is not None:
        raise ValueError("commitment_create takes an unsaved commitment")
    for attempt in range(5):
        try:
            with transaction.atomic():
                if not commitment.reference or attempt:
                    commitment.reference = reference_next(year=_reference_year(commitment))
                commitment.full_clean()
                commitment.save()
                if promised_to:
                    commitment.promised_to.set(promised_to)
                CommitmentEvent.objects.create(
                    commitment=commitment,
                    actor=by,
                    kind=EventKind.CREATED,
                    to_status=commitment.status,
                    note=note,
                )
            return commitment
        except IntegrityError:
            # Two clerks allocated the same number at once: take the next one.
            commitment.pk = None
            if attempt == 4:
                raise
    return commitment
