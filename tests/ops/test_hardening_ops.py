"""Issue 16, operations: lockout per real client behind the proxy (1), follow cap and follow matching at a
fixed cost (8), database timeouts and a /healthz that always answers (9), a short SMTP timeout and mail
failures shown to clerks (12)."""

import socket
import threading
import time

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.utils import ConnectionHandler
from django.urls import reverse

from tests.runners import settings_from_file
from tracker.models import Commitment, CommitmentEvent, Follow, Status
from tracker.register.notifications import followers_notify
from tracker.register.workflow import transition

PRODUCTION_ENV = {"DEBUG": "0", "SECRET_KEY": "t" * 60, "ALLOWED_HOSTS": "toezeggingen.example.be"}


# 1. Login lockout per real client behind the TLS proxy.

CLERK_OFFICE = "10.20.30.40"  # the clerk, on the parliament's network
ATTACKER = "81.82.83.84"


@pytest.fixture
def behind_proxy(settings, monkeypatch):
    """The settings a deployment behind one TLS proxy gets from TRUSTED_PROXY_COUNT=1 (REMOTE_ADDR: the proxy)."""
    loaded = settings_from_file(monkeypatch, TRUSTED_PROXY_COUNT="1")
    for name in ("AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER", "IPWARE_STRICT"):
        setattr(settings, name, getattr(loaded, name))
    settings.AXES_FAILURE_LIMIT = 5


def login(client, client_address, password, *, spoofed=""):
    # The proxy appends the address it received the request from to whatever the client sent.
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return client.post(
        reverse("login"),
        {"username": "griffie", "password": password},
        REMOTE_ADDR="127.0.0.1",
        headers={"X-Forwarded-For": forwarded},
    )


@pytest.mark.django_db
def test_wrong_passwords_from_elsewhere_never_lock_the_clerk_out_behind_the_proxy(
    behind_proxy, client, django_user_model
):
    django_user_model.objects.create_user("griffie", password="juist-wachtwoord-griffie")
    for attempt in range(12):
        # Including entries the attacker writes into X-Forwarded-For: the clerk's own address among them.
        login(client, ATTACKER, f"fout-{attempt}", spoofed=CLERK_OFFICE if attempt % 2 else "")
    clerk = login(client, CLERK_OFFICE, "juist-wachtwoord-griffie")
    assert clerk.status_code == 302, "the clerk was locked out by someone else's wrong passwords"
    client.logout()
    attacker = login(client, ATTACKER, "juist-wachtwoord-griffie")
    assert attacker.status_code == 429  # the attacker's own address stays locked, even with the password
    assert "Te veel mislukte aanmeldpogingen" in attacker.content.decode()


def test_the_trusted_proxy_count_comes_from_the_environment(monkeypatch):
    assert settings_from_file(monkeypatch).AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)  # development
    production = settings_from_file(monkeypatch, **PRODUCTION_ENV)  # DEBUG=0 runs behind the TLS proxy
    assert production.TRUSTED_PROXY_COUNT == 1
    assert production.AXES_IPWARE_META_PRECEDENCE_ORDER == ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    assert settings_from_file(monkeypatch, **PRODUCTION_ENV, TRUSTED_PROXY_COUNT="2").AXES_IPWARE_PROXY_COUNT == 1
    direct = settings_from_file(monkeypatch, **PRODUCTION_ENV, TRUSTED_PROXY_COUNT="0")
    assert direct.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)  # nobody's header is trusted
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXY_COUNT moet"):
        settings_from_file(monkeypatch, TRUSTED_PROXY_COUNT="een")


# 8. Follows: capped per account, matched at a cost that does not grow with their number.


@pytest.fixture
def member(django_user_model, seed):
    return django_user_model.objects.create_user("lid", email="lid@example.be", password="wachtwoord-van-lid-1")


@pytest.mark.django_db
def test_follows_per_account_are_capped_with_a_dutch_message(client, member, settings):
    settings.TRACKER_MAX_FOLLOWS = 3
    client.force_login(member)
    for query in ["minister=hilde-crevits", "kind=hearing"]:
        client.post(reverse("tracker:follow_filter"), {"query": query})
    client.post(reverse("tracker:follow", args=["TZ-2026-0001"]))
    assert Follow.objects.filter(user=member).count() == 3
    refused = client.post(reverse("tracker:follow_filter"), {"query": "kind=send_document"}, follow=True)
    assert Follow.objects.filter(user=member).count() == 3
    assert "U volgt al 3 toezeggingen en lijsten, het maximum per account." in refused.content.decode()
    refused = client.post(reverse("tracker:follow", args=["TZ-2026-0002"]), follow=True)
    assert "het maximum per account" in refused.content.decode()
    assert not Follow.objects.filter(user=member, commitment__reference="TZ-2026-0002").exists()
    # What is followed already can be followed again (nothing new) and unfollowed; then there is room.
    again = client.post(reverse("tracker:follow_filter"), {"query": "kind=hearing"}, follow=True)
    assert "het maximum" not in again.content.decode()
    client.post(reverse("tracker:follow_filter"), {"query": "kind=hearing", "unfollow": "1"})
    client.post(reverse("tracker:follow", args=["TZ-2026-0002"]))
    assert Follow.objects.filter(user=member, commitment__reference="TZ-2026-0002").exists()


SELECTIONS = [
    # (selection, does a lapse of TZ-2026-0001 concern it?)
    (lambda i: "minister=hilde-crevits", True),
    (lambda i: f"q=woord{i}", False),
    (lambda i: "committee=economie-werk-sociale-economie&kind=send_document", True),
    (lambda i: "member=vandromme&q=lijsten", True),
    (lambda i: f"minister=onbekende-minister-{i}", False),  # no such minister: nothing matches
    (lambda i: "minister=hilde-crevits&status=fulfilled", False),  # neither the status before nor after
    (lambda i: "committee=economie-werk-sociale-economie&status=open", True),  # left it
    (lambda i: "minister=hilde-crevits&overdue=1", False),  # without a deadline it was never overdue
    (lambda i: "year=2020-2021", False),
    (lambda i: f"q=lijsten&member=persoon-{i}", False),
]


@pytest.mark.django_db
@pytest.mark.parametrize("follows", [10, 200])
def test_matching_a_status_change_against_follows_costs_the_same_for_10_or_200(
    follows, seed, clerk, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"volger{i}", email=f"volger{i}@example.be") for i in range(follows))
    expected = set()
    for i, user in enumerate(users[:-1]):
        make, concerned = SELECTIONS[i % len(SELECTIONS)]
        Follow.objects.create(user=user, query=make(i))
        if concerned:
            expected.add(user.email)
    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    Follow.objects.create(user=users[-1], commitment=commitment)  # and one follower of the commitment itself
    expected.add(users[-1].email)
    with django_capture_on_commit_callbacks(execute=False):  # notified below, where the queries are counted
        transition(commitment, Status.LAPSED, by=clerk, note="Niet meer aan de orde.")
    event = CommitmentEvent.objects.filter(commitment=commitment, to_status=Status.LAPSED).get()
    # 7 to find the followers, 4 to record and claim each recipient before sending and mark them sent.
    with django_assert_max_num_queries(11):
        sent = followers_notify(event_id=event.pk)
    assert sent == len(expected)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(expected)


# 9. Database timeouts; /healthz within 2 s whatever the database does.


def test_postgres_connections_get_connect_and_statement_timeouts_from_the_environment(monkeypatch):
    url = {"DATABASE_URL": "postgres://toezeggingen@db.example.be:5432/toezeggingen"}
    options = settings_from_file(monkeypatch, **url).DATABASES["default"]["OPTIONS"]
    assert options == {"connect_timeout": 5, "options": "-c statement_timeout=20000"}
    options = settings_from_file(
        monkeypatch, DATABASE_URL=url["DATABASE_URL"] + "?options=-c%20lock_timeout%3D1000", DB_STATEMENT_TIMEOUT="2.5"
    ).DATABASES["default"]["OPTIONS"]
    assert options["options"] == "-c lock_timeout=1000 -c statement_timeout=2500"  # the URL's own options kept
    with pytest.raises(ImproperlyConfigured, match="DB_CONNECT_TIMEOUT moet"):
        settings_from_file(monkeypatch, **url, DB_CONNECT_TIMEOUT="lang")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own timeouts")
def test_the_statement_timeout_is_in_force_on_postgresql():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "20s"


def wait_for_the_check_to_finish(within: float = 30):
    deadline = time.monotonic() + within
    while any(t.name == "healthz-database" for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the abandoned database check never finished"
        time.sleep(0.05)


@pytest.fixture
def original_connection():
    """A check that times out leaves its connection behind and gives this thread a new one; the test
    framework keeps what it restores after the test on the connection object, so put the old one back."""
    original = connections[DEFAULT_DB_ALIAS]
    yield
    wait_for_the_check_to_finish()
    if connections[DEFAULT_DB_ALIAS] is not original:
        connections[DEFAULT_DB_ALIAS].close()
        connections[DEFAULT_DB_ALIAS] = original


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_answers_503_within_2_seconds_when_the_database_does_not_answer(
    client, monkeypatch, original_connection
):
    release = threading.Event()

    class Blocking:
        """The migration check's database call, stuck as on a database that never answers."""

        def __init__(self, conn):
            self.loader = type("Loader", (), {"graph": type("Graph", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            release.wait(10)
            return []

    monkeypatch.setattr("tracker.ops.runtime.MigrationExecutor", Blocking)
    start = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - start
    release.set()
    assert elapsed < 2, f"/healthz took {elapsed:.1f} s"
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "timeout", "migrations": "unknown"}
    wait_for_the_check_to_finish()
    monkeypatch.undo()
    assert client.get("/healthz").status_code == 200  # and this thread's connection still works


@pytest.mark.django_db
def test_a_database_that_accepts_connections_but_never_answers(client, monkeypatch, original_connection):
    """/healthz says so within 2 s, and the connect timeout from the settings frees the check soon after."""
    silent = socket.create_server(("127.0.0.1", 0), backlog=8)
    hang_up = threading.Timer(10, silent.close)  # so that a check without a timeout fails, rather than hangs
    hang_up.start()
    try:
        url = f"postgres://toezeggingen@127.0.0.1:{silent.getsockname()[1]}/toezeggingen"
        configured = settings_from_file(monkeypatch, DATABASE_URL=url).DATABASES
        monkeypatch.undo()
        silent_database = ConnectionHandler(configured).create_connection(DEFAULT_DB_ALIAS)
        connections[DEFAULT_DB_ALIAS] = silent_database  # this thread's connection, as a worker's would be
        start = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - start
        assert elapsed < 2, f"/healthz took {elapsed:.1f} s"
        assert response.status_code == 503 and response.json()["database"] == "timeout"
        assert connections[DEFAULT_DB_ALIAS] is not silent_database  # the next request starts afresh
        wait_for_the_check_to_finish(within=configured["default"]["OPTIONS"]["connect_timeout"] + 3)
    finally:
        hang_up.cancel()
        silent.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a lock held by another PostgreSQL session")
def test_healthz_answers_within_2_seconds_while_a_lock_blocks_the_database(client, original_connection):
    import psycopg

    params = connection.settings_dict
    blocker = psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"] or None,
    )
    blocker.execute("LOCK TABLE django_migrations IN ACCESS EXCLUSIVE MODE")  # in a transaction until rollback
    release = threading.Timer(5, blocker.rollback)  # so that a /healthz that waits fails, rather than hangs
    release.start()
    try:
        start = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - start
    finally:
        release.cancel()
        blocker.rollback()
        blocker.close()
    assert elapsed < 2, f"/healthz took {elapsed:.1f} s"
    assert response.status_code == 503 and response.json()["database"] == "timeout"
    wait_for_the_check_to_finish()
    assert client.get("/healthz").status_code == 200


# 12. A short SMTP timeout; a failed send is shown to the clerk, not only logged.


def test_the_smtp_timeout_is_short_and_comes_from_the_environment(monkeypatch):
    options = settings_from_file(monkeypatch, SMTP_HOST="smtp.example.be").MAILERS["default"]["OPTIONS"]
    assert options["timeout"] == 5
    options = settings_from_file(monkeypatch, SMTP_HOST="smtp.example.be", SMTP_TIMEOUT="2").MAILERS["default"][
        "OPTIONS"
    ]
    assert options["timeout"] == 2
    with pytest.raises(ImproperlyConfigured, match="SMTP_TIMEOUT moet"):
        settings_from_file(monkeypatch, SMTP_HOST="smtp.example.be", SMTP_TIMEOUT="-1")


@pytest.fixture
def silent_smtp(settings):
    """An SMTP server that accepts connections and never says a word."""
    server = socket.create_server(("127.0.0.1", 0), backlog=32)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.getsockname()[1], "timeout": 0.5},
        }
    }
    yield server
    server.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_silent_smtp_server_costs_one_timeout_and_the_clerk_sees_the_failure(
    silent_smtp, seed, clerk_client, django_user_model
):
    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    for i in range(6):
        user = django_user_model.objects.create(username=f"volger{i}", email=f"volger{i}@example.be")
        Follow.objects.create(user=user, commitment=commitment)
    url = reverse("admin:tracker_commitment_transition", args=[commitment.pk, "lapsed"])
    start = time.monotonic()
    clerk_client.post(url, {"version": commitment.updated.isoformat(), "note": "Niet meer aan de orde."})
    elapsed = time.monotonic() - start
    # The mail is a task now (#13): the clerk's request does not touch the mail server at all.
    assert elapsed < 2, f"the clerk waited {elapsed:.1f} s"
    commitment.refresh_from_db()
    assert commitment.status == Status.LAPSED  # the change stands
    start = time.monotonic()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    elapsed = time.monotonic() - start
    assert elapsed < 2, f"the worker waited {elapsed:.1f} s for six messages"  # was 0.5 s per message
    # Clerks see it among the notification e-mails, and on record in the commitment's history.
    page = clerk_client.get(reverse("admin:tracker_notification_changelist"), {"status": "failed"}).content.decode()
    assert "volger5@example.be" in page
    entry = LogEntry.objects.get(object_id=str(commitment.pk))
    assert entry.user.username == "clerk" and "naar 6 volgers" in entry.change_message
    history = clerk_client.get(reverse("admin:tracker_commitment_history", args=[commitment.pk])).content.decode()
    assert "kon niet verzonden worden naar 6 volgers" in history


@pytest.mark.django_db
def test_a_refused_address_does_not_stop_the_other_messages(seed, clerk, django_user_model, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def refusing(self, messages):
        if messages[0].to == ["kapot@example.be"]:
            raise smtplib.SMTPRecipientsRefused({"kapot@example.be": (550, b"no such user")})
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refusing)
    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    for name in ("eerste", "kapot", "derde"):
        user = django_user_model.objects.create(username=name, email=f"{name}@example.be")
        Follow.objects.create(user=user, commitment=commitment)
    transition(commitment, Status.LAPSED, by=clerk, note="x")
    event = CommitmentEvent.objects.get(commitment=commitment, to_status=Status.LAPSED)
    assert followers_notify(event_id=event.pk) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["derde@example.be", "eerste@example.be"]
    assert "naar 1 volger: kapot@example.be" in LogEntry.objects.get(object_id=str(commitment.pk)).change_message
