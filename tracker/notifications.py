"""E-mail to followers on every public status change, with a one-click unsubscribe link."""

import functools
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import connection
from django.db.models import Exists, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from . import rules, sqlite_search
from .filters import WORD, CommitmentFilter
from .models import Commitment, CommitmentEvent, Follow
from .ops import current_request

logger = logging.getLogger(__name__)

# Followed selections tested in one query, this many at a time (one result column each; SQLite's limit is 2,000).
MATCH_BATCH = 500


def followers_notify(*, event_id: int) -> int:
    """Send one message per follower of the commitment or of a filter that contains it; returns the count.

    The cost does not grow with the number of follows: the follows are read in two queries, the people and
    committees the followed selections name in at most three, and every selection is tested against the
    changed commitment in one query (per MATCH_BATCH distinct selections). All messages go through one
    SMTP connection, so a server that never answers costs one timeout, and a failure is shown to the clerk.
    """
    event = CommitmentEvent.objects.select_related("commitment__promised_by").get(pk=event_id)
    if not rules.is_public_status_event(event):
        return 0
    commitment = event.commitment
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
    outgoing = [
        (follow.user.email, _message(follow, event, commitment))
        for follow in follows.values()
        if follow.user.email and follow.user.is_active
    ]
    sent, failed = _send(outgoing)
    if failed:
        _report_failure(event, failed)
    return sent


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


def _send(outgoing: list[tuple[str, EmailMessage]]) -> tuple[int, list[str]]:
    """Send every message over one connection; return how many went and the addresses that failed.

    A message the server refuses (a bad address) does not stop the others; a connection that fails or
    times out does, and everything not yet sent counts as failed. A mail failure never undoes the change.
    """
    sent, failed = 0, []
    if not outgoing:
        return sent, failed
    try:
        with mailers.default as mailer:
            for address, message in outgoing:
                try:
                    mailer.send_messages([message])
                except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
                    logger.warning("Melding aan %s geweigerd: %s", address, exc)
                    failed.append(address)
                else:
                    sent += 1
    except Exception:  # noqa: BLE001 - connection lost, timed out or misconfigured: the rest cannot go either
        logger.exception("Meldingen aan volgers mislukt")
        failed.extend(address for address, _ in outgoing[sent + len(failed) :])
    return sent, failed


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
