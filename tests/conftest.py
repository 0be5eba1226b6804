import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation
from hypothesis import settings as hypothesis_settings

# The everyday suite replays the same generated examples on every run, so a red run is the change's
# fault; the slow job (.ci/run: HYPOTHESIS_PROFILE=explore) keeps looking for new counterexamples.
hypothesis_settings.register_profile("replay", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "replay"))


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


@pytest.fixture(autouse=True)
def _dutch_again_after_each_test():
    """A request with the English language cookie leaves English active in the thread (Django's locale
    middleware does the same: the next request sets its own). Tests run one after another in one thread, so
    the next test would start in English; every test starts in the register's language instead."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
