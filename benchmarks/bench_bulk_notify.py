"""A clerk's bulk status change of 50 commitments, with 60 people following, against none following (#13).

    .venv/bin/python benchmarks/bench_bulk_notify.py [--items 50] [--followers 60] [--rounds 3] [--postgres]

The clerk's request (the admin's bulk "lapsed" action, through Django's test client: server time, no network)
only changes the statuses and enqueues one notification task per change on the database backend; the mail
is sent afterwards by `db_worker`. The target is a request with followers at most 2x the one without. Then
the worker runs, every notification must have arrived exactly once, and running every task a second time
must send nothing more. Runs on a fresh SQLite file (or, with --postgres, a scratch database on the server
of $BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres) holding the demo register.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database_url: str) -> None:
    os.environ.update(DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=database_url, TASKS_BACKEND="database")
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CACHE_URL", None)
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the in-memory mailer: every message lands in mail.outbox


def build(followers: int, items_needed: int):
    """The demo register, a clerk, and `followers` people following lists and commitments."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from tracker.models import Commitment, Committee, Follow, Person

    call_command("migrate", verbosity=0)
    call_command("loaddata", "fixtures/seed.json", verbosity=0)
    call_command("generate_demo_data", commitments=2000, speeches_per_session=5, verbosity=0)
    User = get_user_model()
    clerk = User.objects.create_superuser("bench-griffier", "griffier@example.be", "x")
    committees = list(Committee.objects.filter(slug__startswith="demo-").values_list("slug", flat=True))
    ministers = list(Person.objects.filter(slug__startswith="demo-").values_list("slug", flat=True)[:20])
    open_ = list(Commitment.objects.public().filter(status="open").order_by("pk").values_list("pk", flat=True))
    assert len(open_) >= items_needed, f"only {len(open_)} open commitments in the demo register"
    users = User.objects.bulk_create(
        User(username=f"volger{i}", email=f"volger{i}@example.be") for i in range(followers)
    )
    kinds = [
        lambda i: {"query": "status=open"},
        lambda i: {"query": f"committee={committees[i % len(committees)]}"},
        lambda i: {"query": f"minister={ministers[i % len(ministers)]}&overdue=1"},
        lambda i: {"query": f"committee={committees[i % len(committees)]}&status=open&status=lapsed"},
        lambda i: {"commitment_id": open_[i % items_needed]},
        lambda i: {"query": "q=onderwijs"},
    ]
    follows = [Follow(user=user, **kinds[i % len(kinds)](i)) for i, user in enumerate(users)]
    return clerk, open_, follows


def bulk_change(client, pks: list[int]) -> tuple[float, int]:
    """The admin's bulk action, applied: seconds and queries of the clerk's request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = {"action": "to_lapsed", "_selected_action": pks, "apply": "1", "note": "Niet meer aan de orde."}
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.post("/admin/tracker/commitment/", data)
        elapsed = time.perf_counter() - start
    assert response.status_code == 302, response.status_code
    return elapsed, len(queries)


def run_worker() -> float:
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--followers", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    rounds, items = args.rounds, args.items
    with tempfile.TemporaryDirectory() as tmp:
        scratch = None
        if args.postgres:
            import psycopg

            server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
            scratch = f"bench_bulk_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {scratch}")
            database_url = server.rsplit("/", 1)[0] + "/" + scratch
        else:
            database_url = f"sqlite:///{tmp}/bench.sqlite3"
        try:
            return measure(database_url, items=items, followers=args.followers, rounds=rounds)
        finally:
            if scratch:
                from django.db import connections

                connections.close_all()
                with psycopg.connect(server, autocommit=True) as conn:
                    conn.execute(f"DROP DATABASE IF EXISTS {scratch} WITH (FORCE)")


def measure(database_url: str, *, items: int, followers: int, rounds: int) -> int:
    configure(database_url)
    from django.core import mail
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from tracker.models import CommitmentEvent, Follow, Notification
    from tracker.ops import tasks

    clerk, open_, follows = build(followers, items * (2 * rounds + 1))
    client = Client()
    client.force_login(clerk)
    bulk_change(client, open_[-items:])  # warm-up (templates, translations, first connections), not counted
    run_worker()
    mail.outbox.clear()
    batches = [open_[i * items : (i + 1) * items] for i in range(2 * rounds)]
    timings: dict[str, list[tuple[float, int]]] = {"none": [], "followed": []}
    for r in range(rounds):
        # Alternate, so drift (caches, autovacuum) does not favour one side.
        Follow.objects.all().delete()
        timings["none"].append(bulk_change(client, batches[2 * r]))
        Follow.objects.bulk_create(
            Follow(user_id=f.user_id, query=f.query, commitment_id=f.commitment_id) for f in follows
        )
        timings["followed"].append(bulk_change(client, batches[2 * r + 1]))
    queued = DBTaskResult.objects.filter(status="READY").count()
    worker_seconds = run_worker()
    sent = len(mail.outbox)
    per_message = Counter((m.to[0], m.subject) for m in mail.outbox)
    recorded = Notification.objects.filter(status="sent").count()
    # Every task once more, as a retry or a second worker would: nothing may go out twice.
    events = CommitmentEvent.objects.filter(commitment_id__in=[pk for b in batches for pk in b], to_status="lapsed")
    for event_id in events.values_list("pk", flat=True):
        tasks.notify_followers.enqueue(event_id=event_id)
    run_worker()
    again = len(mail.outbox) - sent

    none = statistics.median(t for t, _ in timings["none"])
    followed = statistics.median(t for t, _ in timings["followed"])
    ratio = followed / none
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    print(f"Bulk status change of {items} commitments, {followers} followers, {rounds} rounds, {vendor}")
    for name, rows in timings.items():
        print(f"  {name:9} request: median {statistics.median(t for t, _ in rows):.3f} s, queries {rows[0][1]}")
    print(f"  ratio followed/none: {ratio:.2f} (target <= 2)")
    print(f"  tasks queued: {queued}; worker sent {sent} e-mails in {worker_seconds:.2f} s")
    print(f"  recorded as sent: {recorded}; duplicates: {sum(n - 1 for n in per_message.values())}")
    print(f"  every task run a second time: {again} more e-mails (must be 0)")
    ok = ratio <= 2 and sent == recorded and sent > 0 and again == 0 and max(per_message.values()) == 1
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
