"""E-mail to followers on every public status change, with a one-click unsubscribe link."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .filters import CommitmentFilter
from .models import INTERNAL_STATUSES, PENDING_STATUSES, Commitment, CommitmentEvent, Follow

logger = logging.getLogger(__name__)


def followers_notify(*, event_id: int) -> int:
    """Send one message per follower of the commitment or of a filter that contains it; returns the count."""
    event = CommitmentEvent.objects.select_related("commitment__promised_by").get(pk=event_id)
    if event.to_status in INTERNAL_STATUSES:
        return 0
    commitment = event.commitment
    follows: dict[int, Follow] = {}
    for follow in Follow.objects.filter(commitment=commitment).select_related("user"):
        follows.setdefault(follow.user_id, follow)
    for follow in Follow.objects.filter(commitment=None).select_related("user"):
        if follow.user_id in follows:
            continue
        if _in_selection(follow.query, commitment, event):
            follows[follow.user_id] = follow
    sent = 0
    for follow in follows.values():
        if not follow.user.email or not follow.user.is_active:
            continue
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
        message = EmailMessage(
            subject,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [follow.user.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        try:
            message.send()
            sent += 1
        except Exception:  # a mail failure must not undo the clerk's status change
            logger.exception("Melding aan %s mislukt", follow.user.email)
    return sent


def _in_selection(query: str, commitment: Commitment, event: CommitmentEvent) -> bool:
    """Is the commitment in the followed filter before or after this change?

    Before counts too: who follows a minister's open or overdue commitments wants to hear that one was
    fulfilled, which is exactly the change that takes it out of the filter.
    """
    rest = QueryDict(query, mutable=True)
    statuses = set(rest.pop("status", []))
    overdue = rest.pop("overdue", [""])[-1] in CommitmentFilter.OVERDUE_ON
    moved = {event.from_status, event.to_status} - {""}
    if statuses and not statuses & moved:
        return False
    if overdue and not (
        moved & set(PENDING_STATUSES) and commitment.due_date and commitment.due_date < timezone.localdate()
    ):
        return False
    selection = CommitmentFilter(rest, queryset=Commitment.objects.public().filter(pk=commitment.pk))
    return selection.is_valid() and selection.qs.exists()
