"""Background work on Django's tasks API (`django.tasks`): e-mail goes out from a worker, not the request.

The backend is a setting (TASKS): the database (django-tasks-db, `manage.py db_worker`) by default, RQ on
Redis (django-tasks-rq, `manage.py rqworker --with-scheduler`) in production. Tasks take ids, never model
instances, so a task reads the state as it is when it runs, and its arguments survive JSON.

Mail that fails is tried again with growing pauses (TRACKER_MAIL_RETRY_SECONDS, doubled each time) up to
TRACKER_MAIL_ATTEMPTS runs in all; the last failing run raises, so the task shows as failed in the queue.
The services the tasks call are idempotent: a run that repeats one that partly succeeded sends only the rest.
"""

from __future__ import annotations

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.tasks import Task, task
from django.utils import timezone

from tracker.register import notifications, reminders

logger = logging.getLogger(__name__)


class MailNotSent(Exception):
    """The last attempt of a mail task failed for some recipients; clerks see them and can send again."""


@task()
def notify_followers(event_id: int, attempt: int = 1) -> dict:
    """E-mail the followers of one status change (a CommitmentEvent id) that were not mailed yet."""
    delivery = notifications.followers_deliver(event_id=event_id)
    if delivery.failed:
        _again(notify_followers, attempt, failed=delivery.failed, event_id=event_id)
    return {"sent": len(delivery.sent), "failed": sorted(delivery.failed)}


@task()
def send_reminders(attempt: int = 1) -> dict:
    """E-mail the responsible clerks their due and overdue commitments (each reminder once)."""
    report = reminders.reminders_send()
    if report.failed:
        _again(send_reminders, attempt, failed=dict(report.failed))
    return {"sent": [email for email, _ in report.sent], "failed": [email for email, _ in report.failed]}


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number `attempt` (1, 2, 4, … times the base pause)."""
    return datetime.timedelta(seconds=settings.TRACKER_MAIL_RETRY_SECONDS * 2 ** (attempt - 1))


def _again(mail_task: Task, attempt: int, *, failed: dict[str, str], **kwargs) -> None:
    if attempt >= settings.TRACKER_MAIL_ATTEMPTS:
        summary = "; ".join(f"{address}: {error}" for address, error in sorted(failed.items()))
        raise MailNotSent(f"Na {attempt} pogingen niet verzonden aan {len(failed)}: {summary}")
    if not mail_task.get_backend().supports_defer:
        # The immediate backend cannot wait: the failure stays recorded for a clerk to send again.
        logger.warning("E-mail mislukt en niet opnieuw gepland (de taakbackend kan niet uitstellen)")
        return
    later = mail_task.using(run_after=timezone.now() + retry_delay(attempt))
    later.enqueue(attempt=attempt + 1, **kwargs)


def enqueue_on_commit(work: Task, /, *args, **kwargs) -> None:
    """Enqueue the task once the current transaction commits; nothing when it rolls back.

    robust: a queue that is down is logged and never turns a stored change into an error page.
    """
    transaction.on_commit(functools.partial(_enqueue, work, args, kwargs), robust=True)


def _enqueue(work: Task, args: tuple, kwargs: dict) -> None:
    try:
        work.enqueue(*args, **kwargs)
    except Exception:
        logger.exception("Taak %s niet in de wachtrij gezet (%s)", work.name, kwargs)
        raise
