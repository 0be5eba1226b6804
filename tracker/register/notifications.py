"""E-mail to followers on every public status change, with a one-click unsubscribe link."""

import functools
import logging
import smtplib
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import connection
from django.db.models import Exists, F, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from tracker.models import (
    Commitment,
    CommitmentEvent,
    DeliveryStatus,
    Follow,
    Notification,
)
from tracker.ops.runtime import current_request
from tracker.public import sqlite_search
from tracker.public.filters import WORD, CommitmentFilter
from tracker.register import rules

logger = logging.getLogger(__name__)

# Followed selections tested in one query, this many at a time (one result column each; SQLite's limit is 2,000).
MATCH_BATCH = 500


@dataclass
class Delivery:
    """What one run of a change's notifications did: addresses sent to, and those that failed with the reason."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def followers_notify(*, event_id: int) -> int:
    """Send the change's notifications not sent yet (see followers_deliver); returns how many went now."""
    return len(followers_deliver(event_id=event_id).sent)


def followers_deliver(*, event_id: int) -> Delivery:
    """Send one message per follower of the commitment or of a filter that contains it, at most once each.

    The cost does not grow with the number of follows: the follows are read in two queries, the people and
    committees the followed selections name in at most three, and every selection is tested against the
    changed commitment in one query (per MATCH_BATCH distinct selections). Each recipient is recorded (a
    Notification) and claimed before the message goes: a second run of the same change — a retry, a second
    worker — sends only what no run sent or is sending. All messages go through one SMTP connection, so a
    server that never answers costs one timeout; a failure is recorded and shown to clerks.
    """
    event = CommitmentEvent.objects.select_related("commitment__promised_by").get(pk=event_id)
    if not rules.is_public_status_event(event):
        return Delivery()
    commitment = event.commitment
    by_address: dict[str, Follow] = {}
    for follow in _follows_concerned(event, commitment):
        if follow.user.email and follow.user.is_active:
            by_address.setdefault(follow.user.email, follow)
    claim, mine = _claim(event, list(by_address))
    outgoing = [
        (address, _message(follow, event, commitment)) for address, follow in by_address.items() if address in mine
    ]
    delivery = _send(outgoing)
    _record(event, claim, delivery)
    if delivery.failed:
        _report_failure(event, list(delivery.failed))
    return delivery


def _follows_concerned(event: CommitmentEvent, commitment: Commitment) -> list[Follow]:
    """One follow per user who follows the commitment itself or a selection that held it before or after."""
    follows: dict[int, Follow] = {}
    for follow in Follow.objects.filter(commitment=commitment).select_related("user"):
        follows.setdefault(follow.user_id, follow)
    by_query: dict[str, list[Follow]] = defaultdict(list)
    for follow in Follow.objects.filter(commitment=None).select_related("user").order_by("pk"):
        if follow.user_id not in follows:
            by_query[follow.query].append(follow)
    for query in _selections_containing(list(by_query), commitment, event):
        for follow in by_query[query]:
            follows.setdefault(follow.user_id, follow)
    return list(follows.values())


def _claim(event: CommitmentEvent, addresses: list[str]) -> tuple[uuid.UUID, set[str]]:
    """Record every recipient of the change, and take for this run those not sent to and not being sent to.

    The conditional UPDATE is the lock: of two runs at once, each row goes to one of them. A row left
    "being sent" by a worker that died is not sent again by itself (it may have gone); a clerk decides.
    """
    claim = uuid.uuid4()
    if not addresses:
        return claim, set()
    Notification.objects.bulk_create(
        [Notification(event=event, recipient=address) for address in addresses], ignore_conflicts=True
    )
    Notification.objects.filter(
        event=event, recipient__in=addresses, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
    ).update(status=DeliveryStatus.SENDING, claim=claim, attempts=F("attempts") + 1, updated=timezone.now())
    # By the change first: the (change, recipient) index finds its few rows in a table that only grows.
    mine = Notification.objects.filter(event=event, claim=claim).values_list("recipient", flat=True)
    return claim, set(mine)


def _record(event: CommitmentEvent, claim: uuid.UUID, delivery: Delivery) -> None:
    now = timezone.now()
    claimed = Notification.objects.filter(event=event, claim=claim)
    if delivery.sent:
        claimed.filter(recipient__in=delivery.sent).update(
            status=DeliveryStatus.SENT, sent_at=now, error="", updated=now
        )
    by_error: dict[str, list[str]] = defaultdict(list)
    for address, error in delivery.failed.items():
        by_error[error].append(address)
    for error, addresses in by_error.items():
        claimed.filter(recipient__in=addresses).update(status=DeliveryStatus.FAILED, error=error[:2000], updated=now)


def _message(follow: Follow, event: CommitmentEvent, commitment: Commitment) -> EmailMessage:
    unsubscribe = settings.TRACKER_SITE_URL + reverse("tracker:unsubscribe", args=[follow.token])
    context = {
        "event": event,
        "c": commitment,
        "unsubscribe": unsubscribe,
        "url": settings.TRACKER_SITE_URL + reverse("tracker:detail", args=[commitment.reference]),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("tracker/email/status_subject.txt", context).strip()
        body = render_to_string("tracker/email/status.txt", context)
    return EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [follow.user.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def _send(outgoing: list[tuple[str, EmailMessage]]) -> Delivery:
    """Send every message over one connection.

    A message the server refuses (a bad address) does not stop the others; a connection that fails or
    times out does, and everything not yet sent counts as failed. A mail failure never undoes the change.
    """
    delivery = Delivery()
    if not outgoing:
        return delivery
    try:
        with mailers.default as mailer:
            for address, message in outgoing:
                try:
                    mailer.send_messages([message])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                    logger.warning("Melding aan %s geweigerd: %s", address, exc)
                    delivery.failed[address] = f"{type(exc).__name__}: {exc}"
                else:
                    delivery.sent.append(address)
    except Exception as exc:  # noqa: BLE001 - connection lost, timed out or misconfigured: the rest cannot go either
        logger.exception("Meldingen aan volgers mislukt")
        for address, _ in outgoing:
            if address not in delivery.failed and address not in delivery.sent:
                delivery.failed[address] = f"{type(exc).__name__}: {exc}"
    return delivery


def _report_failure(event: CommitmentEvent, failed: list[str]) -> None:
    """Make a failed send visible to clerks: in the commitment's admin history, and at once to the clerk
    whose change it was when the change is being made in this request."""
    with translation.override(settings.LANGUAGE_CODE):
        recorded = _failure_text(event, failed)
    if event.actor_id:
        LogEntry.objects.log_actions(
            user_id=event.actor_id,
            queryset=[event.commitment],
            action_flag=CHANGE,
            change_message=recorded,
            single_object=True,
        )
    request = current_request.get()
    if request is not None:
        messages.warning(request, _failure_text(event, failed), fail_silently=True)


def _failure_text(event: CommitmentEvent, failed: list[str]) -> str:
    return ngettext(
        "The e-mail about this change to %(reference)s could not be sent to %(count)d follower: %(addresses)s.",
        "The e-mail about this change to %(reference)s could not be sent to %(count)d followers: %(addresses)s.",
        len(failed),
    ) % {"reference": event.commitment.reference, "count": len(failed), "addresses": ", ".join(failed)}


def _selections_containing(queries: list[str], commitment: Commitment, event: CommitmentEvent) -> list[str]:
    """The followed selections (canonical query strings) that held the commitment before or after this change.

    Before counts too: who follows a minister's open or overdue commitments wants to hear that one was
    fulfilled, which is exactly the change that takes it out of the filter. Status and overdue are
    decided here from the change itself; the rest by the public list's own filter, so a follower gets
    exactly what the list shows, for all selections in one query.
    """
    moved = {event.from_status, event.to_status} - {""}
    overdue_now = any(rules.overdue_with(status=status, due_date=commitment.due_date) for status in moved)
    rests: dict[str, QueryDict] = {}
    for query in queries:
        rest = QueryDict(query, mutable=True)
        statuses = set(rest.pop("status", []))
        overdue = rest.pop("overdue", [""])[-1] in CommitmentFilter.OVERDUE_ON
        if statuses and not statuses & moved:
            continue
        if overdue and not overdue_now:
            continue
        rests[query] = rest
    if not rests:
        return []
    known = _named_objects(rests.values())
    base = Commitment.objects.public().filter(pk=commitment.pk)
    tests = {}
    for query, rest in rests.items():
        selection = _KnownNamesFilter(rest, queryset=base, known=known)
        if selection.is_valid():
            tests[query] = selection.qs
    found = []
    pending = list(tests.items())
    for start in range(0, len(pending), MATCH_BATCH):
        batch = pending[start : start + MATCH_BATCH]
        # One row, one column per selection: does the commitment fall in it?
        row = (
            Commitment.objects.filter(pk=commitment.pk)
            .order_by()
            .values(**{f"s{i}": Exists(qs) for i, (_, qs) in enumerate(batch)})
            .first()
        )
        if row:
            found += [query for i, (query, _) in enumerate(batch) if row[f"s{i}"]]
    return found


_NAMED = ("committee", "minister", "member")


def _named_objects(rests) -> dict[str, dict]:
    """The committees and people named by any of the selections, looked up once per kind for all of them,
    through the filter's own choices (a minister only counts with a public commitment)."""
    known = {}
    for name in _NAMED:
        slugs = {value for rest in rests for value in rest.getlist(name) if value}
        if slugs:
            field = CommitmentFilter.base_filters[name]
            known[name] = {obj.slug: obj for obj in field.queryset.filter(slug__in=slugs)}
        else:
            known[name] = {}
    return known


def _known_choice(known: dict, field, value):
    if value in field.empty_values:
        return None
    try:
        return known[str(value)]
    except KeyError:
        raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice") from None


class _KnownNamesFilter(CommitmentFilter):
    """The public list's filter for one commitment, with the names of committees and people already looked up.

    Validating `minister=slug` otherwise costs a query per selection. Searching costs none either: on
    SQLite the list first counts how common a word is to choose its plan, which one row does not need.
    """

    def __init__(self, data, *, queryset, known: dict[str, dict]):
        super().__init__(data, queryset=queryset)
        for name in _NAMED:
            field = self.form.fields[name]
            field.to_python = functools.partial(_known_choice, known[name], field)

    def search(self, queryset, name, value):
        value = value.strip()
        if connection.vendor != "sqlite" or not value:
            return super().search(queryset, name, value)
        by_reference = Q(reference_upper=value.upper())
        queryset = queryset.alias(reference_upper=Upper("reference"))
        words = WORD.findall(value)[:10]
        if not words:
            return queryset.filter(by_reference)
        match = " AND ".join(f'"{word}"*' for word in words)
        # A constant table name; the words reach SQLite as a parameter.
        matches = RawSQL(f"SELECT rowid FROM {sqlite_search.TABLE} WHERE {sqlite_search.TABLE} MATCH %s", [match])  # noqa: S608, S611
        return queryset.filter(Q(pk__in=matches) | by_reference)
