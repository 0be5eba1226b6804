"""The register's rules, each written once.

Every module that needs to know what is public, what is overdue or due soon, which deadline applies,
whether a deadline may move, how a promiser is named, or whether a fulfilment is consistent asks here.
Pure functions of their arguments, except for reading settings and building ORM conditions (Q).
"""

from __future__ import annotations

import calendar
import datetime
import zoneinfo

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.models import INTERNAL_STATUSES, PENDING_STATUSES, EventKind, Status

# -- what the public sees -------------------------------------------------------------------------

PUBLIC_STATUSES = tuple(s for s in Status.values if s not in INTERNAL_STATUSES)
# History events a public page may show; the review before registration is left out by public_timeline.
PUBLIC_EVENT_KINDS = (EventKind.CREATED, EventKind.TRANSITION, EventKind.DUE_DATE)
# Events that change (or set) a public status: what the feed lists and what followers are told of.
STATUS_EVENT_KINDS = (EventKind.CREATED, EventKind.TRANSITION)


def is_public_status(status: str) -> bool:
    return status in PUBLIC_STATUSES


def public_status_events_q() -> Q:
    """History events that put a commitment in a public status (the feed's entries)."""
    return Q(kind__in=STATUS_EVENT_KINDS, to_status__in=PUBLIC_STATUSES)


def is_public_status_event(event) -> bool:
    return event.kind in STATUS_EVENT_KINDS and is_public_status(event.to_status)


def public_timeline(events: list) -> list:
    """The history from registration on: the review before it (proposed, rejected, reconsidered, deadline
    edits of a proposal) is the griffie's internal work and stays out of public view. `events` are in
    order and of PUBLIC_EVENT_KINDS."""
    for start, event in enumerate(events):
        if event.to_status and is_public_status(event.to_status):
            return [e for e in events[start:] if e.to_status not in INTERNAL_STATUSES]
    return []


# -- today, overdue and due soon ------------------------------------------------------------------


def today() -> datetime.date:
    """The register's date: in the parliament's time zone (TIME_ZONE), whatever zone a request activated.

    Between midnight and 01:00/02:00 Brussels time the UTC date is still yesterday; a deadline is a
    Belgian calendar day, so "overdue" turns at Belgian midnight.
    """
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def overdue_q(*, on: datetime.date | None = None) -> Q:
    """Pending with a deadline before `on` (today): the one definition of overdue (achterstallig)."""
    return Q(status__in=PENDING_STATUSES, due_date__lt=on or today())


def is_overdue(commitment, *, on: datetime.date | None = None) -> bool:
    """overdue_q for one commitment in memory."""
    return overdue_with(status=commitment.status, due_date=commitment.due_date, on=on)


def overdue_with(*, status: str, due_date: datetime.date | None, on: datetime.date | None = None) -> bool:
    """Whether a commitment in this status with this deadline is overdue (also for a status it just left)."""
    return status in PENDING_STATUSES and due_date is not None and due_date < (on or today())


def days_overdue(commitment, *, on: datetime.date | None = None) -> int:
    """How many days past its deadline a commitment is on `on`; 0 when it is not overdue."""
    on = on or today()
    return (on - commitment.due_date).days if is_overdue(commitment, on=on) else 0


def due_soon_days() -> int:
    return settings.TRACKER_DUE_SOON_DAYS


def due_within_q(*, days: int | None = None, on: datetime.date | None = None) -> Q:
    """Pending with a deadline from `on` (today) up to and including `days` later (default: due soon)."""
    on = on or today()
    days = due_soon_days() if days is None else days
    return Q(status__in=PENDING_STATUSES, due_date__gte=on, due_date__lte=on + datetime.timedelta(days=days))


# -- deadlines ------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day n months later, clamped to the month's end (31 January + 1 month = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def standard_deadline(*, session_date: datetime.date | None, on: datetime.date | None = None) -> datetime.date:
    """The standard term: N months after the sitting, or after `on` (today) when the sitting has no date."""
    return add_months(session_date or on or today(), settings.TRACKER_DEFAULT_DUE_MONTHS)


def needs_standard_deadline(*, status: str, due_date, due_text: str) -> bool:
    """A pending commitment with neither a date nor spoken words for its deadline gets the standard term.

    Words without a date ("zodra die studie is opgeleverd") are the deadline: no term is invented then.
    """
    return status in PENDING_STATUSES and due_date is None and not (due_text or "").strip()


def apply_standard_deadline(commitment, *, session_date=None, on: datetime.date | None = None) -> bool:
    """Give a commitment that is (becoming) pending the standard deadline if it needs one; True if it did.

    Called by every path that makes a commitment pending: the workflow, commitment_create (the admin),
    the fixture and open-data imports; `loaddata` of fixtures/seed.json carries the date itself.
    """
    if not needs_standard_deadline(
        status=commitment.status, due_date=commitment.due_date, due_text=commitment.due_text
    ):
        return False
    if session_date is None and commitment.question_id:
        session_date = commitment.question.session.date
    commitment.due_date = standard_deadline(session_date=session_date, on=on)
    commitment.due_is_default = True
    return True


class DeadlineLocked(ValueError):
    """A deadline change on a commitment that is not pending; the message is meant for the clerk."""


def check_deadline_change(status: str) -> None:
    """A deadline moves only while the commitment is pending (open or partially fulfilled).

    A fulfilled or lapsed commitment's deadline is part of its record ("fulfilled three weeks late");
    a proposal's deadline is corrected on registration, not extended.
    """
    if status not in PENDING_STATUSES:
        raise DeadlineLocked(
            _("Only the deadline of an open or partially fulfilled commitment can be changed; this one is “%s”.")
            % Status(status).label
        )


# -- fulfilment -----------------------------------------------------------------------------------


def fulfilment_problems(
    *, status: str, fulfilled_on, session_date: datetime.date | None = None, on: datetime.date | None = None
) -> list[tuple[str, str]]:
    """(field, message) for every way a status and fulfilment date contradict each other; [] when consistent.

    One behaviour for every path (workflow, fixtures, open data): a fulfilled commitment needs the date;
    a date belongs only to a fulfilled one; it cannot lie in the future nor before the sitting. Every
    problem is an error: an importer refuses the file rather than drop a date it was given.
    """
    problems = []
    if status == Status.FULFILLED and fulfilled_on is None:
        problems.append(("fulfilled_on", _("A fulfilled commitment needs the date on which it was fulfilled.")))
    if fulfilled_on is not None and status != Status.FULFILLED:
        problems.append(
            (
                "fulfilled_on",
                _("A fulfilment date belongs only to status “fulfilled”, not to “%(status)s”.") % {"status": status},
            )
        )
    if isinstance(fulfilled_on, datetime.date):
        if fulfilled_on > (on or today()):
            problems.append(
                ("fulfilled_on", _("The fulfilment date %(date)s lies in the future.") % {"date": fulfilled_on})
            )
        if session_date and fulfilled_on < session_date:
            problems.append(
                (
                    "fulfilled_on",
                    _("The fulfilment date %(date)s lies before the sitting (%(session)s).")
                    % {"date": fulfilled_on, "session": session_date},
                )
            )
    return problems


# -- names ----------------------------------------------------------------------------------------


def promiser_name(commitment) -> str:
    """Who made the promise, as every page, feed, export and message names them.

    The person's name; without a person the function as recorded at the time; without either the
    committee, whose own promise it then is ("Dat doen we zeker.").
    """
    if commitment.promised_by is not None:
        return commitment.promised_by.full_name
    return commitment.promised_by_function or _("the committee")
