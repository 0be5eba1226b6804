"""Write operations on commitments that are not status transitions (those live in workflow.py)."""

import re

from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from . import history, rules
from .models import Commitment, CommitmentEvent, Committee, Person, Question, Session
from .presentation import clean_text

REFERENCE_PREFIX = "TZ"
_REFERENCE_RE = re.compile(rf"^{REFERENCE_PREFIX}-(\d{{4}})-(\d+)$")


# The public text of the register: what the feed, the calendar and the downloads write out.
STORED_TEXT = {
    Commitment: ("quote", "summary", "promised_by_function", "ministry", "due_text"),
    Person: ("full_name", "surname", "party"),
    Committee: ("name",),
    Session: ("title",),
    Question: ("title",),
    CommitmentEvent: ("evidence_title", "note"),
}


@receiver(pre_save, dispatch_uid="tracker.clean_stored_text")
def clean_stored_text(*, sender, instance, **kwargs) -> None:
    """Control characters (a form feed in text pasted from a PDF) are cleaned before the text is stored.

    Every save passes here (the admin's forms, commitment_create, the importers' persons, the
    spreadsheet import), which no single form or service sees all of. XML 1.0 cannot carry those
    characters at all: one of them in a quote made the Atom feed fail for every selection holding it.
    Rows written in bulk (demo data, open data, fixtures) skip signals; the writers clean again.
    Connected when this module is imported, which the admin does at start-up (admin.py imports it).
    """
    for name in STORED_TEXT.get(instance._meta.concrete_model, ()):
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, clean_text(value))


def reference_next(*, year: int) -> str:
    """The next free reference for a year: TZ-2021-0007. Numbers are never reused within a year."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    # Longest first, then descending: the highest number even past 9999, in one indexed query.
    candidates = (
        Commitment.objects.filter(reference__startswith=prefix)
        .order_by(Length("reference").desc(), "-reference")
        .values_list("reference", flat=True)[:20]
    )
    number = max((int(m.group(2)) for ref in candidates if (m := _REFERENCE_RE.match(ref))), default=0)
    return f"{prefix}{number + 1:04d}"


def _reference_year(commitment: Commitment) -> int:
    session_date = commitment.question.session.date if commitment.question_id else None
    return (session_date or timezone.localdate()).year


def commitment_create(
    *, commitment: Commitment, by=None, note: str = "", promised_to=(), validate: bool = True
) -> Commitment:
    """Validate and save a new commitment with a fresh reference, and record its creation in the history.

    Takes an unsaved instance (as the admin form builds it) so that every creation path shares the
    reference allocation, validation and the first history event. Importers of machine-made rows
    may skip full_clean (several queries per row): the database enforces the same constraints.
    A commitment created pending (open in the admin) gets the standard deadline, as registration gives it.
    """
    if commitment.pk is not None:
        raise ValueError("commitment_create takes an unsaved commitment")
    for attempt in range(5):
        try:
            with transaction.atomic():
                if not commitment.reference or attempt:
                    commitment.reference = reference_next(year=_reference_year(commitment))
                rules.apply_standard_deadline(commitment)
                if validate:
                    commitment.full_clean()
                commitment.save()
                if promised_to:
                    commitment.promised_to.set(promised_to)
                history.record(history.created(commitment, status=commitment.status, by=by, note=note))
            return commitment
        except IntegrityError:
            # Two clerks allocated the same number at once: take the next one.
            commitment.pk = None
            if attempt == 4:
                raise
    return commitment


def commitment_record_edit(*, commitment: Commitment, by, before: dict, after: dict) -> CommitmentEvent | None:
    """Record a clerk's edit of a commitment's fields (not its status) in the history, old → new."""
    return history.record(history.edited(commitment, by=by, changes=history.changes_between(before, after)))
