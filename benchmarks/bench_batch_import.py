"""Batch transcript import through the task path on PostgreSQL, with one and with two workers.

    .venv/bin/python benchmarks/bench_batch_import.py [--n 1000] [--workers 1,2] [--database-url URL]

For each worker count: a fresh database (dropped and created on the server of --database-url, then
migrated), --n distinct transcripts saved as one batch and enqueued (one task per file, as the admin
upload does), then that many `manage.py db_worker --batch` processes started at once; the wall time
runs from their start until the last one exits (the queue is empty), so it includes their start-up.
Then the batch's figures as the progress page shows them, and that page's server time and query
count (Django's test client, in-process).

The transcripts are built from the real excerpts in ../shared/examples (when present), the seed and
the parser's golden texts, each with its own date and the members' names drawn from a pool, so
every file is a new sitting and persons are both created and recognised.
"""

import argparse
import datetime
import os
import re
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT.parent.parent / "shared" / "examples"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/batch-import_db"
MONTHS = [
    *("januari", "februari", "maart", "april", "mei", "juni"),
    *("juli", "augustus", "september", "oktober", "november", "december"),
]
SURNAMES = [
    *("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters"),
    *("De Smet", "Dubois", "Lambert", "Dupont", "Martens", "Hermans", "Vermeulen", "Michiels", "Pauwels"),
    *("Aerts", "Smets", "Verstraete", "Desmet", "Stevens", "Coppens", "Segers", "Vandenberghe", "Cools"),
    *("Bogaerts", "Hendrickx", "Declercq", "Van Damme", "Verhoeven", "Leroy", "Lemmens", "Dewinter"),
]


def base_texts() -> list[str]:
    texts = [(ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt").read_text("utf-8")]
    for path in sorted(EXAMPLES.glob("vlaams-parlement-*.txt")):
        # The excerpts open with two lines saying where they come from; they are not transcript text.
        lines = path.read_text("utf-8").splitlines()
        texts.append("\n".join(line for line in lines if not line.startswith(("Source:", "Excerpt:"))))
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "tests" / "extraction" / "golden").glob("*.txt"))]
    return texts


MEMBER = re.compile(r"\b(Mevrouw|De heer) ([A-Z][\w'’-]+) heeft het woord")


def variant(text: str, i: int) -> bytes:
    """The i-th sitting: its own date in the header, the members renamed from the pool."""
    members = dict.fromkeys(m.group(2) for m in MEMBER.finditer(text))
    for k, name in enumerate(members):
        text = re.sub(rf"\b{re.escape(name)}\b", SURNAMES[(i * 7 + k) % len(SURNAMES)], text)
    day = datetime.date(2015, 1, 5) + datetime.timedelta(days=i)
    header = f"Commissievergadering\n\n{day.day} {MONTHS[day.month - 1]} {day.year}\n\n"
    return (header + text + f"\n\n(Verslag {i})\n").encode("utf-8")


def recreate(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def run_round(url: str, n: int, workers: int, env: dict) -> dict:
    from django.core.management import call_command
    from django.db import transaction

    from tracker.exchange.batch_import import Upload, transcript_batch_start
    from tracker.models import Committee

    recreate(url)
    call_command("migrate", verbosity=0)
    committee = Committee.objects.create(name="Commissie voor Economie", slug="economie")
    texts = base_texts()
    files = [Upload(name=f"verslag-{i:04d}.txt", data=variant(texts[i % len(texts)], i)) for i in range(n)]
    start = time.perf_counter()
    with transaction.atomic():
        batch = transcript_batch_start(files=files, committee=committee, name=f"bench {n}")
    enqueued = time.perf_counter() - start
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"]
    sampler = LockSampler(url)
    sampler.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    procs = [
        subprocess.Popen([*command, "--worker-id", f"bench-{k}", "--verbosity", "0"], cwd=ROOT, env=env)
        for k in range(workers)
    ]
    codes = [p.wait() for p in procs]
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler.stop()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"batch": batch, "enqueued": enqueued, "wall": wall, "codes": codes, "cpu": cpu, "locks": sampler.summary()}


class LockSampler(threading.Thread):
    """Samples the database's sessions while the workers run: how often one waits for another's lock."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.running, self.samples, self.waiting = url, True, 0, 0

    def run(self):
        import psycopg

        name = self.url.rsplit("/", 1)[1]
        with psycopg.connect(self.url, autocommit=True) as conn:
            while self.running:
                (waits,) = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", [name]
                ).fetchone()
                self.samples += 1
                self.waiting += waits > 0
                time.sleep(0.1)

    def stop(self):
        self.running = False
        self.join()

    def summary(self) -> str:
        return f"{100 * self.waiting / max(self.samples, 1):.0f}% of {self.samples} samples"


def progress_page(batch) -> tuple[float, int, str]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    url = reverse("admin:tracker_importbatch_change", args=[batch.pk])
    client.get(url)  # warm: templates compiled, permissions cached as on a clerk's second look
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    done = re.search(r'id="tz-batch-done">([^<]*)<', response.content.decode())
    return elapsed, len(queries), done.group(1) if done else "?"


def report(workers: int, result: dict) -> float:
    from tracker.exchange.batch_import import batch_progress
    from tracker.models import Commitment, Person, Session

    figures = batch_progress(result["batch"])
    page_time, page_queries, done_text = progress_page(result["batch"])
    wall = result["wall"]
    print(f"--- {workers} worker(s), exit codes {result['codes']}")
    print(f"enqueue {figures['total']} files (one transaction, tasks on commit): {result['enqueued']:.2f}s")
    print(f"wall time {wall:.1f}s, throughput {figures['finished'] / wall:.1f} files/s")
    print(f"workers' CPU time {result['cpu']:.1f}s; a worker waiting for another's lock in {result['locks']}")
    print(
        f"progress page: {done_text}; imported {figures['imported']}, unchanged {figures['unchanged']}, "
        f"failed {figures['failed']}, waiting {figures['queued']}, proposals {figures['proposals']}, "
        f"{figures['per_minute']} files/min"
    )
    print(f"progress page: {page_time * 1000:.0f} ms, {page_queries} queries")
    print(
        f"register: {Session.objects.count()} sittings, {Commitment.objects.count()} proposals, "
        f"{Person.objects.count()} persons"
    )
    for row in result["batch"].files.filter(state="failed")[:5]:
        print(f"  failed: {row.name}: {row.error}")
    return wall


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare, comma-separated")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_URL))
    args = parser.parse_args()
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "LOG_LEVEL": "WARNING",
        "DEBUG": "0",  # as in production: no query log kept in the workers
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "localhost",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "LOG_LEVEL")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    walls: dict[int, list[float]] = {}
    for workers in [int(w) for w in args.workers.split(",")]:
        walls.setdefault(workers, []).append(report(workers, run_round(args.database_url, args.n, workers, env)))
    # Rounds alternate (--workers 1,2,1,2) so that a change in the machine's load hits both counts.
    best = {w: min(times) for w, times in walls.items()}
    first, *rest = best
    for w in rest:
        ratio = best[w] / best[first]
        print(f"{w} workers vs {first}, best rounds: {best[w]:.1f}s vs {best[first]:.1f}s, wall time x{ratio:.2f}")
    print(f"(machine: {os.cpu_count()} cores, shared)")


if __name__ == "__main__":
    main()
