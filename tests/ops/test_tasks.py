"""Background tasks (#13): notifications leave the clerk's request, go out once, in one batch, and survive SMTP.

The suite runs on the database backend as the site does (django-tasks-db): an enqueued task waits in the
table until `db_worker` runs it. One test runs the same on RQ against the local Redis (database 5).
"""

import datetime
import json
import os
import smtplib
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import build_register
from tests.runners import manage
from tracker.models import Commitment, CommitmentEvent, DeliveryStatus, Follow, Notification, Status
from tracker.ops import tasks
from tracker.register.workflow import transition

# The local Redis; database 5 is this suite's (flushed by the tests that use it).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


class CountingBackend(EmailBackend):
    """The in-memory backend, counting the connections it opens (class-wide, since each use is a new instance)."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return True


class DownBackend(EmailBackend):
    """An SMTP server that cannot be reached."""

    def open(self):
        raise smtplib.SMTPConnectError(421, "smtp.example.be is niet bereikbaar")


def mailer(settings, backend: type) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{backend.__module__}.{backend.__qualname__}"}}


@pytest.fixture
def followed(db, clerk, django_user_model):
    """An open commitment with three followers (one through a followed list)."""
    commitment = build_register(1, prefix="tk")[0]
    for i in range(2):
        user = django_user_model.objects.create_user(f"volger{i}", email=f"volger{i}@example.be")
        Follow.objects.create(user=user, commitment=commitment)
    lister = django_user_model.objects.create_user("lijst", email="lijst@example.be")
    Follow.objects.create(user=lister, query="status=open")
    return commitment


FOLLOWERS = ["lijst@example.be", "volger0@example.be", "volger1@example.be"]


def change(commitment, clerk, callbacks):
    with callbacks(execute=True):
        transition(commitment, Status.LAPSED, by=clerk, note="Niet meer aan de orde.")
    return CommitmentEvent.objects.get(commitment=commitment, to_status=Status.LAPSED)


def run_worker():
    """The database backend's own worker, once through the queue. It closes "old" connections between tasks,
    which inside the test's transaction would close the test's own (on PostgreSQL): not here."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def queued():
    return list(DBTaskResult.objects.filter(status="READY").order_by("enqueued_at"))


def test_a_status_change_enqueues_its_notification_on_commit_and_sends_nothing_itself(
    followed, clerk, django_capture_on_commit_callbacks
):
    event = change(followed, clerk, django_capture_on_commit_callbacks)
    [task] = queued()
    assert task.task_path == "tracker.ops.tasks.notify_followers"
    assert task.args_kwargs == {"args": [], "kwargs": {"event_id": event.pk}}  # an id, not an object
    assert mail.outbox == []  # the clerk's request sends nothing
    assert Commitment.objects.get(pk=followed.pk).status == Status.LAPSED


def test_nothing_is_enqueued_when_the_change_rolls_back(followed, clerk, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        transition(followed, Status.LAPSED, by=clerk, note="x")
        raise RuntimeError("the rest of the clerk's request failed")
    assert callbacks == [] and DBTaskResult.objects.count() == 0
    assert Commitment.objects.get(pk=followed.pk).status == Status.OPEN


def test_the_database_worker_sends_each_follower_one_mail(followed, clerk, django_capture_on_commit_callbacks):
    event = change(followed, clerk, django_capture_on_commit_callbacks)
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == FOLLOWERS
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert DBTaskResult.objects.get().return_value == {"sent": 3, "failed": []}
    assert set(Notification.objects.filter(event=event).values_list("status", flat=True)) == {DeliveryStatus.SENT}
    run_worker()  # nothing left to run
    assert len(mail.outbox) == 3


def test_running_the_same_notification_twice_mails_nobody_twice(followed, clerk, django_capture_on_commit_callbacks):
    event = change(followed, clerk, django_capture_on_commit_callbacks)
    assert tasks.notify_followers.call(event_id=event.pk) == {"sent": 3, "failed": []}
    assert tasks.notify_followers.call(event_id=event.pk) == {"sent": 0, "failed": []}
    tasks.notify_followers.enqueue(event_id=event.pk)  # and once more through the queue
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == FOLLOWERS
    assert Notification.objects.filter(event=event).count() == 3


def test_a_recipient_being_sent_to_by_another_run_is_left_to_it(followed, clerk, django_capture_on_commit_callbacks):
    event = change(followed, clerk, django_capture_on_commit_callbacks)
    Notification.objects.create(event=event, recipient="volger0@example.be", status=DeliveryStatus.SENDING)
    tasks.notify_followers.call(event_id=event.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["lijst@example.be", "volger1@example.be"]


def test_all_notifications_of_a_change_share_one_connection(
    followed, clerk, settings, django_capture_on_commit_callbacks
):
    mailer(settings, CountingBackend)
    CountingBackend.opened = 0
    event = change(followed, clerk, django_capture_on_commit_callbacks)
    tasks.notify_followers.call(event_id=event.pk)
    assert len(mail.outbox) == 3 and CountingBackend.opened == 1


def test_all_reminders_share_one_connection(db, clerk, django_user_model, settings):
    from tracker.models import Committee

    mailer(settings, CountingBackend)
    CountingBackend.opened = 0
    first, second = build_register(2, prefix="rm")
    Commitment.objects.filter(pk__in=[first.pk, second.pk]).update(due_date=timezone.localdate())
    other = build_register(1, prefix="rn")[0]
    Commitment.objects.filter(pk=other.pk).update(due_date=timezone.localdate())
    for slug, name in [("rm", "een"), ("rn", "twee")]:
        user = django_user_model.objects.create_user(name, email=f"{name}@example.be", is_staff=True)
        Committee.objects.get(slug=slug).clerks.add(user)
    assert tasks.send_reminders.call() == {"sent": ["een@example.be", "twee@example.be"], "failed": []}
    assert len(mail.outbox) == 2 and CountingBackend.opened == 1


def test_send_reminders_queue_leaves_the_mail_to_the_worker(db, clerk, django_user_model):
    from tracker.models import Committee

    commitment = build_register(1, prefix="rq")[0]
    Commitment.objects.filter(pk=commitment.pk).update(due_date=timezone.localdate())
    user = django_user_model.objects.create_user("griffier", email="griffier@example.be", is_staff=True)
    Committee.objects.get(slug="rq").clerks.add(user)
    call_command("send_reminders", "--queue", verbosity=0)
    assert mail.outbox == [] and [t.task_path for t in queued()] == ["tracker.ops.tasks.send_reminders"]
    run_worker()
    assert [m.to for m in mail.outbox] == [["griffier@example.be"]]


def test_send_reminders_queue_runs_on_the_rq_backend_too(db, clerk, django_user_model, rq_backend):
    import django_rq
    from rq.worker import SimpleWorker

    from tracker.models import Committee

    commitment = build_register(1, prefix="rr")[0]
    Commitment.objects.filter(pk=commitment.pk).update(due_date=timezone.localdate())
    user = django_user_model.objects.create_user("griffier", email="griffier@example.be", is_staff=True)
    Committee.objects.get(slug="rr").clerks.add(user)
    call_command("send_reminders", "--queue", verbosity=0)
    assert mail.outbox == [] and rq_backend.count == 1 and not queued()
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    assert [m.to for m in mail.outbox] == [["griffier@example.be"]]
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)  # nothing left to run
    assert len(mail.outbox) == 1


def test_smtp_failure_keeps_the_change_and_retries_with_back_off_until_it_gives_up(
    followed, clerk, settings, django_capture_on_commit_callbacks
):
    settings.TRACKER_MAIL_ATTEMPTS = 3
    mailer(settings, DownBackend)
    event = change(followed, clerk, django_capture_on_commit_callbacks)
    before = timezone.now()
    run_worker()
    assert Commitment.objects.get(pk=followed.pk).status == Status.LAPSED  # the change stands
    failed = Notification.objects.filter(event=event)
    assert {(n.status, n.attempts) for n in failed} == {(DeliveryStatus.FAILED, 1)}
    assert "niet bereikbaar" in failed[0].error
    [retry] = queued()
    assert retry.args_kwargs["kwargs"] == {"event_id": event.pk, "attempt": 2}
    wait = retry.run_after - before
    assert datetime.timedelta(seconds=55) < wait < datetime.timedelta(seconds=70)
    run_worker()  # not due yet: nothing runs
    assert queued() == [retry]

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    [third] = queued()
    assert third.args_kwargs["kwargs"]["attempt"] == 3
    assert datetime.timedelta(seconds=115) < third.run_after - timezone.now() < datetime.timedelta(seconds=125)
    DBTaskResult.objects.filter(pk=third.pk).update(run_after=timezone.now())
    run_worker()  # the last attempt fails: the task shows as failed, nothing more is queued
    assert queued() == []
    last = DBTaskResult.objects.get(pk=third.pk)
    assert last.status == "FAILED" and "MailNotSent" in last.exception_class_path
    assert {(n.status, n.attempts) for n in Notification.objects.filter(event=event)} == {(DeliveryStatus.FAILED, 3)}
    assert mail.outbox == []


def test_a_retry_after_the_server_is_back_sends_only_what_failed(
    followed, clerk, settings, django_capture_on_commit_callbacks, monkeypatch
):
    event = change(followed, clerk, django_capture_on_commit_callbacks)
    real = EmailBackend.send_messages

    def refusing(self, messages):
        if messages[0].to == ["volger1@example.be"]:
            raise smtplib.SMTPRecipientsRefused({"volger1@example.be": (451, b"try again later")})
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refusing)
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["lijst@example.be", "volger0@example.be"]
    monkeypatch.undo()
    [retry] = queued()
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == FOLLOWERS
    assert set(Notification.objects.filter(event=event).values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_clerks_see_failed_notifications_and_send_them_again(
    followed, clerk, clerk_client, settings, django_capture_on_commit_callbacks
):
    settings.TRACKER_MAIL_ATTEMPTS = 1
    mailer(settings, DownBackend)
    change(followed, clerk, django_capture_on_commit_callbacks)
    run_worker()
    url = reverse("admin:tracker_notification_changelist")
    page = clerk_client.get(url, {"status": "failed"}).content.decode()
    assert "volger0@example.be" in page and "niet bereikbaar" in page and "mislukt" in page
    assert "Geselecteerde mislukte e-mails opnieuw versturen" in page
    tasks_page = clerk_client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).content.decode()
    assert "notify_followers" in tasks_page and "Mislukt" in tasks_page and "Achtergrondtaken" in tasks_page
    assert "MailNotSent: Na 1 pogingen niet verzonden aan 3" in tasks_page

    mailer(settings, EmailBackend)
    ids = list(Notification.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(url, {"action": "send_again", "_selected_action": ids}, follow=True)
    assert "3 e-mails worden opnieuw verstuurd" in response.content.decode()
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == FOLLOWERS


def test_sending_again_needs_the_permission(followed, clerk, client, django_user_model, settings):
    viewer = django_user_model.objects.create_user("kijker", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(viewer)
    event = CommitmentEvent.objects.create(
        commitment=followed, kind="transition", from_status="open", to_status="lapsed"
    )
    failed = Notification.objects.create(event=event, recipient="volger0@example.be", status=DeliveryStatus.FAILED)
    url = reverse("admin:tracker_notification_changelist")
    assert "send_again" not in client.get(url).content.decode()
    client.post(url, {"action": "send_again", "_selected_action": [failed.pk]})
    assert DBTaskResult.objects.count() == 0


def test_a_failed_task_runs_again_from_the_task_admin(
    followed, clerk, clerk_client, settings, django_capture_on_commit_callbacks
):
    settings.TRACKER_MAIL_ATTEMPTS = 1
    mailer(settings, DownBackend)
    change(followed, clerk, django_capture_on_commit_callbacks)
    run_worker()
    failed = DBTaskResult.objects.get(status="FAILED")
    mailer(settings, EmailBackend)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        clerk_client.post(url, {"action": "run_again", "_selected_action": [failed.pk]})
    [again] = queued()
    assert again.args_kwargs["kwargs"].get("attempt", 1) == 1  # a fresh series of attempts
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == FOLLOWERS


def test_the_rq_backend_runs_a_django_task_on_redis_once(
    rq_backend, followed, clerk, django_capture_on_commit_callbacks
):
    import django_rq
    from rq.worker import SimpleWorker

    event = change(followed, clerk, django_capture_on_commit_callbacks)
    assert DBTaskResult.objects.count() == 0 and rq_backend.count == 1 and mail.outbox == []
    [job] = rq_backend.jobs
    assert job.func_name == "tracker.ops.tasks.notify_followers" and job.kwargs == {"event_id": event.pk}
    tasks.notify_followers.enqueue(event_id=event.pk)  # a duplicate delivery of the same task
    # SimpleWorker runs jobs in this process, inside the test's database transaction.
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    assert sorted(m.to[0] for m in mail.outbox) == FOLLOWERS
    result = tasks.notify_followers.get_result(job.id)
    assert result.status == "SUCCESSFUL" and result.return_value == {"sent": 3, "failed": []}


def test_the_rq_backend_schedules_the_retry(rq_backend, followed, clerk, settings, django_capture_on_commit_callbacks):
    import django_rq
    from rq.registry import ScheduledJobRegistry
    from rq.worker import SimpleWorker

    mailer(settings, DownBackend)
    event = change(followed, clerk, django_capture_on_commit_callbacks)
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    registry = ScheduledJobRegistry(queue=rq_backend)
    [job_id] = registry.get_job_ids()
    retry = rq_backend.fetch_job(job_id)
    assert retry.kwargs == {"event_id": event.pk, "attempt": 2}
    wait = registry.get_scheduled_time(retry) - timezone.now()
    assert datetime.timedelta(seconds=50) < wait < datetime.timedelta(seconds=70)
    registry.remove(retry)


SHOW = (
    "import json; from django.conf import settings as s; from django.contrib import admin; admin.autodiscover(); "
    "rq_admin = [m._meta.label for m in admin.site._registry if m._meta.app_label == 'django_rq']; "
    "print(json.dumps([s.TASKS, s.CACHES, s.INSTALLED_APPS, rq_admin]))"
)


@pytest.mark.parametrize(
    ("env", "backend", "cache"),
    [
        ({}, "django_tasks_db.DatabaseBackend", "django.core.cache.backends.locmem.LocMemCache"),
        ({"REDIS_URL": REDIS_URL}, "django_tasks_db.DatabaseBackend", "django.core.cache.backends.redis.RedisCache"),
        (
            {"TASKS_BACKEND": "rq", "REDIS_URL": REDIS_URL},
            "django_tasks_rq.RQBackend",
            "django.core.cache.backends.redis.RedisCache",
        ),
    ],
)
def test_tasks_and_cache_come_from_the_environment(env, backend, cache):
    clean = {"TASKS_BACKEND": "", "REDIS_URL": "", "CACHE_URL": ""}
    result = manage("shell", "-v0", "-c", SHOW, env={**clean, **env})
    assert result.returncode == 0, result.stderr
    tasks_setting, caches, apps, rq_admin = json.loads(result.stdout.strip().splitlines()[-1])
    assert tasks_setting["default"]["BACKEND"] == backend
    assert caches["default"]["BACKEND"] == cache
    assert ("django_rq" in apps) == (backend == "django_tasks_rq.RQBackend")
    assert rq_admin == []  # django-rq's queue pages would let any staff account delete jobs


def test_rq_without_redis_or_an_unknown_backend_is_refused():
    result = manage("check", env={"TASKS_BACKEND": "rq", "REDIS_URL": ""})
    assert result.returncode != 0 and "TASKS_BACKEND=rq heeft REDIS_URL nodig" in result.stderr
    result = manage("check", env={"TASKS_BACKEND": "celery"})
    assert result.returncode != 0
    assert "TASKS_BACKEND moet database, rq of immediate zijn, niet 'celery'" in result.stderr


def test_figures_cached_in_redis_change_with_a_status_change_made_anywhere(
    settings, followed, clerk, django_capture_on_commit_callbacks, redis_url
):
    """Two web servers share the Redis cache; the register version in each key makes a change visible at once."""
    from tracker.public.caching import cached

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "t"}
    }
    from django.core.cache import cache

    cache.clear()
    count = lambda: Commitment.objects.public().filter(status=Status.OPEN).count()  # noqa: E731
    assert cached("open", compute=count) == 1
    assert cached("open", compute=lambda: pytest.fail("read from Redis, not computed again")) == 1
    change(followed, clerk, django_capture_on_commit_callbacks)
    assert cached("open", compute=count) == 0
    cache.clear()
