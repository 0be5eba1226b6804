import datetime
import os
import re

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import settings as hypothesis_settings

from tracker.models import Commitment, Committee, Person, Question, Session, Speech

# The everyday suite replays the same generated examples on every run, so a red run is the change's
# fault; the slow job (.ci/run: HYPOTHESIS_PROFILE=explore) keeps looking for new counterexamples.
hypothesis_settings.register_profile("replay", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "replay"))

# Django's serializer cuts times to milliseconds and writes ".000" for 1-999 µs but nothing for 0 µs, so
# an instant dumped as "…:11.000Z" before a load comes back as "…:11Z" after it (1 run in 1000 failed so).
_SUB_MILLISECOND = re.compile(r"(T\d\d:\d\d:\d\d)\.000(?=Z|[+-]\d\d:\d\d|\")")


def comparable_dump(text: str) -> str:
    """dumpdata output with times below a millisecond written one way, for before/after comparisons."""
    return _SUB_MILLISECOND.sub(r"\1", text)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached public figures must not leak from one test into the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _downloads_limit_raised(settings):
    """Tests that sweep many filters download hundreds of times from one address; the limit is still counted
    (its code runs in every test) but far away. tests/public/test_hardening_downloads.py puts the real one back."""
    settings.TRACKER_DOWNLOAD_RATE = "100000/m"


@pytest.fixture
def seed(db):
    call_command("loaddata", "fixtures/seed.json", verbosity=0)


@pytest.fixture
def clerk(db, django_user_model):
    user = django_user_model.objects.create_user("clerk", password="pw-not-used", is_staff=True)
    user.groups.add(Group.objects.get(name="Griffie"))
    return user


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def build_register(n: int, *, status: str = "open", prefix: str = "bulk") -> list[Commitment]:
    """n sessions, each with one question, two speeches and one commitment, with distinct people."""
    committee, _ = Committee.objects.get_or_create(slug=prefix, defaults={"name": f"Commissie {prefix}"})
    people = Person.objects.bulk_create(
        Person(full_name=f"Persoon {i}", surname=f"Persoon {i}", slug=f"{prefix}-persoon-{i}") for i in range(n)
    )
    sessions = Session.objects.bulk_create(
        Session(slug=f"{prefix}-{i}", committee=committee, title=f"Vergadering {i}", date=datetime.date(2021, 1, 1))
        for i in range(n)
    )
    questions = Question.objects.bulk_create(
        Question(session=s, position=1, kind="vraag_om_uitleg", title=f"Vraag {i}", addressed_to=people[i])
        for i, s in enumerate(sessions)
    )
    speeches = Speech.objects.bulk_create(
        Speech(
            question=q,
            sequence=k,
            speaker=people[i],
            speaker_label=f"Persoon {i}",
            speaker_role="minister",
            text=f"Ik zal u de lijst {i} bezorgen.",
        )
        for i, q in enumerate(questions)
        for k in (1, 2)
    )
    commitments = Commitment.objects.bulk_create(
        Commitment(
            reference=f"TZ-{prefix}-{i + 1:04d}",
            question=q,
            source_speech=speeches[2 * i],
            quote=f"Ik zal u de lijst {i} bezorgen.",
            promised_by=people[i],
            status=status,
            due_date=datetime.date(2021, 4, 1),
        )
        for i, q in enumerate(questions)
    )
    for i, c in enumerate(commitments):
        c.promised_to.add(people[(i + 1) % n])
    for i, q in enumerate(questions):
        q.asked_by.add(people[(i + 1) % n])
    return commitments


IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def immediate_tasks(settings):
    """Tasks run where they are enqueued (Django's ImmediateBackend), for tests about what a task does.

    The suite otherwise runs on the database backend, as the site does: enqueued tasks wait for a worker.
    """
    settings.TASKS = IMMEDIATE_TASKS


TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_url():
    """The local Redis (database 5) for the RQ and cache tests; this machine and CI run one."""
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis op {TEST_REDIS_URL} is niet bereikbaar ({exc}); de RQ-backend kan niet getest worden")
    return TEST_REDIS_URL


@pytest.fixture
def rq_backend(settings, redis_url):
    """django-tasks-rq on the local Redis, its queue emptied before and after."""
    import django_rq

    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()
