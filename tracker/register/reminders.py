"""Reminders to the responsible clerks: due soon and overdue, each sent once per deadline."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from tracker.models import Commitment, Reminder, ReminderKind
from tracker.register import rules

logger = logging.getLogger(__name__)


@dataclass
class ReminderReport:
    sent: list[tuple[str, list[str]]] = field(default_factory=list)  # (recipient, references)
    skipped_without_recipient: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (recipient, error)
    dry_run: bool = False


def _due(on: datetime.date):
    """Pending commitments needing a reminder now, with the kind of reminder, minus those already sent."""
    # Overdue, or due within the reminder's lead time (its own setting: a reminder comes sooner than "due soon").
    commitments = (
        Commitment.objects.filter(
            rules.overdue_q(on=on) | rules.due_within_q(days=settings.TRACKER_REMINDER_DAYS, on=on)
        )
        .select_related("question__session__committee", "promised_by")
        .order_by("due_date", "reference")
    )
    sent = set(Reminder.objects.filter(commitment__in=commitments).values_list("commitment_id", "kind", "due_date"))
    for c in commitments:
        kind = ReminderKind.OVERDUE if rules.is_overdue(c, on=on) else ReminderKind.DUE_SOON
        if (c.pk, kind.value, c.due_date) not in sent:
            yield c, kind


def _recipients(commitments) -> dict[str, list]:
    """Clerks responsible for each commitment's committee; all clerks of the Griffie group otherwise."""
    User = get_user_model()
    fallback = list(
        User.objects.filter(is_active=True, groups__name="Griffie").exclude(email="").values_list("email", flat=True)
    )
    committee_ids = {c.question.session.committee_id for c, _ in commitments}
    by_committee = defaultdict(list)
    for committee_id, email in (
        User.objects.filter(is_active=True, committees__in=committee_ids)
        .exclude(email="")
        .values_list("committees", "email")
    ):
        by_committee[committee_id].append(email)
    out: dict[str, list] = defaultdict(list)
    for c, kind in commitments:
        for email in by_committee.get(c.question.session.committee_id) or fallback:
            out[email].append((c, kind))
    return out


def reminders_send(*, on: datetime.date | None = None, dry_run: bool = False) -> ReminderReport:
    """Send each clerk one message listing their due and overdue commitments, and record what was sent.

    All messages share one SMTP connection. A message that fails to send records nothing, so the next run
    (the task's retry, or the next hourly run) tries again; one that went is never sent again.
    """
    on = on or rules.today()
    report = ReminderReport(dry_run=dry_run)
    pending = list(_due(on))
    recipients = _recipients(pending)
    covered = {c.pk for items in recipients.values() for c, _ in items}
    report.skipped_without_recipient = [c.reference for c, _ in pending if c.pk not in covered]
    outgoing = sorted(recipients.items())
    if dry_run:
        report.sent = [(email, [c.reference for c, _ in items]) for email, items in outgoing]
        return report
    if not outgoing:
        return report
    try:
        with mailers.default as mailer:
            for email, items in outgoing:
                _send_one(mailer, email, items, on=on, report=report)
    except Exception as exc:  # noqa: BLE001 - no connection at all: every message is still due
        logger.warning("Herinneringen niet verzonden: %s", exc)
        done = {email for email, _ in report.sent} | {email for email, _ in report.failed}
        report.failed += [(email, str(exc)) for email, _ in outgoing if email not in done]
    return report


def _send_one(mailer, email: str, items: list, *, on: datetime.date, report: ReminderReport) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string("tracker/email/reminder.txt", {"items": items, "on": on})
        subject = render_to_string("tracker/email/reminder_subject.txt", {"items": items}).strip()
    try:
        with transaction.atomic():
            for c, kind in items:
                Reminder.objects.get_or_create(
                    commitment=c, kind=kind, due_date=c.due_date, defaults={"recipients": email}
                )
            mailer.send_messages([EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [email])])
    except Exception as exc:  # noqa: BLE001 - any mail failure: keep nothing as sent, retry next run
        logger.warning("Herinnering aan %s mislukt: %s", email, exc)
        report.failed.append((email, str(exc)))
        return
    report.sent.append((email, [c.reference for c, _ in items]))
