"""The status workflow: one transition table, and the services that apply it.

Every status change goes through `transition()`: it checks the table and the clerk's permission,
validates the inputs the step needs, updates the commitment and writes a CommitmentEvent, all in one
transaction on a locked row. An illegal step or a missing input raises TransitionError and changes
nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.models import INTERNAL_STATUSES, Commitment, Session, Status
from tracker.ops import tasks
from tracker.register import history, rules, services
from tracker.register.rules import add_months  # noqa: F401 - kept importable from here, where it used to live

STATUS_PERMISSION = "tracker.change_commitment_status"


class TransitionError(Exception):
    """A transition that is not allowed or lacks an input; the message is meant for the clerk."""


@dataclass(frozen=True)
class Step:
    action: str  # stable name, used for buttons and URLs
    label: str
    needs_note: bool = False
    needs_evidence: bool = False
    needs_fulfilled_on: bool = False


TRANSITIONS: dict[tuple[str, str], Step] = {
    (Status.CANDIDATE, Status.OPEN): Step("register", gettext_lazy("Register")),
    (Status.CANDIDATE, Status.REJECTED): Step("reject", gettext_lazy("Reject"), needs_note=True),
    (Status.REJECTED, Status.CANDIDATE): Step("reconsider", gettext_lazy("Reconsider"), needs_note=True),
    (Status.OPEN, Status.PARTIALLY_FULFILLED): Step(
        "partially_fulfil", gettext_lazy("Partially fulfilled"), needs_note=True, needs_evidence=True
    ),
    (Status.OPEN, Status.FULFILLED): Step(
        "fulfil", gettext_lazy("Fulfilled"), needs_evidence=True, needs_fulfilled_on=True
    ),
    (Status.OPEN, Status.LAPSED): Step("lapse", gettext_lazy("Lapsed"), needs_note=True),
    (Status.PARTIALLY_FULFILLED, Status.FULFILLED): Step(
        "fulfil", gettext_lazy("Fulfilled"), needs_evidence=True, needs_fulfilled_on=True
    ),
    (Status.PARTIALLY_FULFILLED, Status.LAPSED): Step("lapse", gettext_lazy("Lapsed"), needs_note=True),
    (Status.FULFILLED, Status.OPEN): Step("reopen", gettext_lazy("Reopen"), needs_note=True),
    (Status.LAPSED, Status.OPEN): Step("reopen", gettext_lazy("Reopen"), needs_note=True),
}


def allowed_steps(status: str) -> dict[str, Step]:
    """The target statuses reachable from a status, with what each step needs."""
    return {to: step for (frm, to), step in TRANSITIONS.items() if frm == status}


def can_change_status(user) -> bool:
    return user is not None and user.is_active and user.has_perm(STATUS_PERMISSION)


def default_due_date(commitment: Commitment, *, on: datetime.date | None = None) -> datetime.date:
    """The standard deadline: N months after the session, or after registration when it has no date."""
    return rules.standard_deadline(session_date=commitment.question.session.date, on=on)


def _lock(commitment: Commitment) -> Commitment:
    """Lock the row and make sure nobody changed it since the clerk loaded it."""
    current = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if current.status != commitment.status or current.updated != commitment.updated:
        raise TransitionError(_("Changed by someone else, reload the page."))
    return current


def _check_user(by) -> None:
    if by is not None and not can_change_status(by):
        raise TransitionError(_("You do not have permission to change the status of commitments."))


def transition(
    commitment: Commitment,
    to_status: str,
    *,
    by,
    note: str = "",
    fulfilled_on: datetime.date | None = None,
    evidence_title: str = "",
    evidence_url: str = "",
) -> Commitment:
    """Move a commitment to another status. `by` is the acting user (None for the system)."""
    _check_user(by)
    step = TRANSITIONS.get((commitment.status, to_status))
    if step is None:
        raise TransitionError(
            _("A commitment cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(commitment.status).label, "to": _label(to_status)}
        )
    note, evidence_title, evidence_url = note.strip(), evidence_title.strip(), evidence_url.strip()
    if step.needs_note and not note:
        raise TransitionError(_("Give a reason or explanation for this step."))
    if step.needs_evidence and not (evidence_title or evidence_url):
        raise TransitionError(_("Give at least one piece of evidence: a document title or number, or a URL."))
    if evidence_url:
        try:
            URLValidator()(evidence_url)
        except ValidationError as exc:
            raise TransitionError(_("The evidence URL is not a valid web address.")) from exc
    if step.needs_fulfilled_on:
        _check_fulfilled_on(commitment, to_status, fulfilled_on)

    with transaction.atomic():
        current = _lock(commitment)
        from_status = current.status
        current.status = to_status
        if to_status == Status.FULFILLED:
            current.fulfilled_on = fulfilled_on
        elif to_status == Status.OPEN and from_status in (Status.FULFILLED, Status.LAPSED):
            current.fulfilled_on = None
        rules.apply_standard_deadline(current)
        current.save()
        event = history.record(
            history.transition(
                current,
                by=by,
                from_status=from_status,
                to_status=to_status,
                note=note,
                evidence_title=evidence_title,
                evidence_url=evidence_url,
            )
        )
        _sitting_reviewed(current, from_status=from_status, by=by)
        # Followers hear of it only once the change is really stored, from a worker: the clerk does not wait.
        tasks.enqueue_on_commit(tasks.notify_followers, event_id=event.pk)
    _refresh(commitment, current)
    return commitment


def _check_fulfilled_on(commitment: Commitment, to_status: str, fulfilled_on: datetime.date | None) -> None:
    """The register's one fulfilment rule (rules.fulfilment_problems), as the imports apply it."""
    if fulfilled_on is None:
        raise TransitionError(_("Give the date on which the commitment was fulfilled."))
    problems = rules.fulfilment_problems(
        status=to_status, fulfilled_on=fulfilled_on, session_date=commitment.question.session.date
    )
    if problems:
        raise TransitionError(problems[0][1])


def _sitting_reviewed(commitment: Commitment, *, from_status: str, by) -> None:
    """Publishing a proposal is a clerk's look at its sitting: the sitting is public (reviewed) from now on."""
    if from_status in INTERNAL_STATUSES and commitment.status not in INTERNAL_STATUSES:
        services.session_review(sessions=Session.objects.filter(questions=commitment.question_id), by=by, checked=False)


def commitment_register(
    commitment: Commitment,
    *,
    by,
    summary: str | None = None,
    kind: str | None = None,
    due_date: datetime.date | None = None,
    promised_to=None,
    note: str = "",
) -> Commitment:
    """Register a proposed commitment (candidate → open), with the clerk's corrections, in one step."""
    _check_user(by)
    with transaction.atomic():
        current = _lock(commitment)
        if current.status != Status.CANDIDATE:
            raise TransitionError(_("Only a proposed commitment can be registered."))
        before = {"summary": current.summary, "kind": current.kind, "due_date": current.due_date}
        if summary is not None:
            current.summary = summary
        if kind is not None:
            current.kind = kind
        if due_date is not None and due_date != current.due_date:
            current.due_date, current.due_is_default = due_date, False
        changes = history.changes_between(
            before, {"summary": current.summary, "kind": current.kind, "due_date": current.due_date}
        )
        try:
            current.full_clean()
        except ValidationError as exc:
            raise TransitionError("; ".join(exc.messages)) from exc
        current.save()
        if promised_to is not None:
            current.promised_to.set(promised_to)
        history.record(history.edited(current, by=by, changes=changes, note=_("Changed on registration.")))
        transition(current, Status.OPEN, by=by, note=note)
    _refresh(commitment, current)
    return commitment


def due_date_change(commitment: Commitment, *, by, due_date: datetime.date | None, note: str) -> Commitment:
    """Change the deadline and keep the old one in the history (the extension record).

    Only while the commitment is pending (rules.check_deadline_change), whatever screen or sheet asks.
    """
    _check_user(by)
    if not note.strip():
        raise TransitionError(_("Give a reason for the new deadline."))
    with transaction.atomic():
        current = _lock(commitment)
        try:
            rules.check_deadline_change(current.status)
        except rules.DeadlineLocked as exc:
            raise TransitionError(str(exc)) from None
        old = current.due_date
        if old == due_date:
            raise TransitionError(_("The new deadline is the same as the current one."))
        current.due_date, current.due_is_default = due_date, False
        current.save()
        history.record(history.deadline(current, by=by, old=old, new=due_date, note=note.strip()))
    _refresh(commitment, current)
    return commitment


def _refresh(target: Commitment, source: Commitment) -> None:
    for field in ("status", "fulfilled_on", "due_date", "due_is_default", "summary", "kind", "updated"):
        setattr(target, field, getattr(source, field))


def _label(status: str) -> str:
    try:
        return str(Status(status).label)
    except ValueError:
        return status
