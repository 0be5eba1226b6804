"""Write operations on commitments that are not status transitions (those live in workflow.py), and on sittings."""

import re

from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.models import INTERNAL_STATUSES, Commitment, CommitmentEvent, Committee, Person, Question, Session
from tracker.public.presentation import clean_text
from tracker.register import history, rules

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
                if commitment.status not in INTERNAL_STATUSES:
                    session_review(
                        sessions=Session.objects.filter(questions=commitment.question_id), by=by, checked=False
                    )
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


REVIEW_PERMISSION = "tracker.review_session"


def can_review_sessions(user) -> bool:
    return user is not None and user.is_active and user.has_perm(REVIEW_PERMISSION)


def session_review(*, sessions, by, checked: bool = True) -> list[Session]:
    """Mark sittings reviewed, which makes them public with their speeches and persons; returns those that were
    not reviewed yet (the others keep their first review).

    `checked=False` is for a clerk who registers a proposal of the sitting: that is a review of it too, under the
    status permission, whatever the review permission says. Each review is in the sitting's admin history.
    """
    if checked and not can_review_sessions(by):
        raise PermissionDenied(_("You do not have permission to mark sittings reviewed."))
    with transaction.atomic():
        pending = list(
            Session.objects.filter(pk__in=sessions.values("pk"), reviewed_at__isnull=True).select_for_update()
        )
        if not pending:
            return []
        Session.objects.filter(pk__in=[s.pk for s in pending]).update(reviewed_at=timezone.now(), reviewed_by=by)
        if by is not None:
            LogEntry.objects.log_actions(
                by.pk,
                pending,
                CHANGE,
                _("Marked reviewed: public from now on.")
                if checked
                else _("Marked reviewed on registering one of its proposals: public from now on."),
            )
    return pending
