"""Load test: the public pages under concurrent clients, served as in production (gunicorn gthread, PostgreSQL).

    .venv/bin/python benchmarks/loadtest.py [--clients 50] [--seconds 60] [--commitments 20000]
                                            [--database-url postgres://postgres@127.0.0.1:5432/postgres]

Creates a scratch database `toezeggingen_load` on the server of --database-url (dropped at the end, also
on failure or Ctrl-C), migrates it, fills it with `generate_demo_data --commitments N
--speeches-per-session 10`, collects static files (into a temporary directory, not var/) and starts
gunicorn (gthread, 2 workers x 8 threads) with DEBUG=0 on a free port of 127.0.0.1. Then N clients, each
with its own keep-alive HTTP connection, send requests one after the other for the given duration, mixing
list, filtered list, search, detail, Atom feed and CSV export. It prints requests/s and, per kind, the
count, median and p95 latency and the errors (non-2xx or exceptions); the exit code is 1 if there was
any error.

The client is the standard library (threads + http.client): nothing to install, and at these rates the
client's own cost is small next to the server's. On a small machine the clients, gunicorn and PostgreSQL
share the cores, so figures are for comparison between runs on the same machine.
"""

import argparse
import http.client
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from serving import Gunicorn, manage, production_env  # benchmarks/serving.py, next to this script

SCRATCH_DB = "toezeggingen_load"

# (kind, weight, path or None for the detail page). Weights: what a public register mostly serves.
KINDS = [
    ("list", 20, "/toezeggingen/"),
    ("filtered", 15, "/toezeggingen/?status=open&committee=demo-onderwijs"),
    ("search", 15, "/toezeggingen/?q=wachtlijsten"),
    ("detail", 30, None),
    ("feed", 10, "/toezeggingen/feed.atom?committee=demo-onderwijs"),
    ("export", 10, "/toezeggingen/?format=csv&committee=demo-onderwijs&year=2015-2016"),
]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


# --- the scratch database -----------------------------------------------------------------------------


def create_database(server_url: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")  # a leftover of an interrupted run
        conn.execute(f"CREATE DATABASE {SCRATCH_DB}")


def drop_database(server_url: str) -> None:
    import psycopg

    try:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
        log(f"dropped database {SCRATCH_DB}")
    except psycopg.Error as exc:
        log(f"WARNING: could not drop database {SCRATCH_DB}: {exc}")


def analyze(db_url: str) -> None:
    """Fresh bulk inserts have no planner statistics yet; a production database has them."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# --- the application -------------------------------------------------------------------------------------


def public_detail_numbers(env: dict[str, str]) -> list[int]:
    """Numbers of demo commitments the public may see (proposed and rejected ones answer 404)."""
    code = (
        "from tracker.models import Commitment\n"
        "for r in Commitment.objects.public().filter(reference__startswith='TZ-DEMO-')"
        ".values_list('reference', flat=True): print(r)"
    )
    refs = manage(env, "shell", "--no-imports", "-c", code).split()
    return [int(r.removeprefix("TZ-DEMO-")) for r in refs if r.startswith("TZ-DEMO-")]


def fetch(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- the clients -----------------------------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k, _, _ in KINDS})
    errors: dict[str, int] = field(default_factory=lambda: {k: 0 for k, _, _ in KINDS})
    samples: list[str] = field(default_factory=list)  # the first few errors, for the report
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error is not None:
                self.errors[kind] += 1
                if len(self.samples) < 10:
                    self.samples.append(f"{kind}: {error}")


def client(port: int, numbers: list[int], clock: dict, ready: threading.Barrier, results: Results, seed: int):
    """One user: a keep-alive connection, one request after the other until clock["stop_at"]."""
    rng = random.Random(seed)
    kinds = [k for k, _, _ in KINDS]
    weights = [w for _, w, _ in KINDS]
    paths = {k: p for k, _, p in KINDS}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    ready.wait()
    stop_at = clock["stop_at"]  # set by run_load before it passes the barrier
    while time.monotonic() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        path = paths[kind] or f"/toezeggingen/TZ-DEMO-{rng.choice(numbers):07d}/"
        began = time.perf_counter()
        error = None
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()  # the whole body, streamed exports included
            if not 200 <= response.status < 300:
                error = f"HTTP {response.status} for {path}"
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc} for {path}"
            conn.close()  # http.client reconnects on the next request
        results.add(kind, time.perf_counter() - began, error)
    conn.close()


def run_load(port: int, numbers: list[int], clients: int, seconds: float) -> tuple[Results, float]:
    results = Results()
    ready = threading.Barrier(clients + 1)
    clock: dict[str, float] = {}
    threads = [
        threading.Thread(target=client, args=(port, numbers, clock, ready, results, i), daemon=True)
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    began = time.monotonic()
    clock["stop_at"] = began + seconds
    ready.wait()  # all clients start together
    for t in threads:
        t.join()
    return results, time.monotonic() - began


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]  # nearest rank


def report(results: Results, elapsed: float, clients: int) -> int:
    total = sum(len(v) for v in results.latencies.values())
    errors = sum(results.errors.values())
    print()
    print(f"{total:,} requests in {elapsed:.1f} s with {clients} clients: {total / elapsed:.1f} requests/s")
    print(f"{'kind':<10} {'count':>8} {'median ms':>10} {'p95 ms':>8} {'errors':>7}")
    for kind, _, _ in KINDS:
        values = results.latencies[kind]
        if values:
            median, p95 = statistics.median(values) * 1000, percentile(values, 0.95) * 1000
            print(f"{kind:<10} {len(values):>8,} {median:>10.1f} {p95:>8.1f} {results.errors[kind]:>7}")
        else:
            print(f"{kind:<10} {0:>8} {'-':>10} {'-':>8} {0:>7}")
    every = [x for v in results.latencies.values() for x in v]
    if every:
        print(
            f"{'all':<10} {total:>8,} {statistics.median(every) * 1000:>10.1f} "
            f"{percentile(every, 0.95) * 1000:>8.1f} {errors:>7}"
        )
    for sample in results.samples:
        print(f"  error: {sample}")
    return 1 if errors else 0


def preflight(port: int, numbers: list[int]) -> None:
    """Every kind once, warming caches; a misconfiguration (301 to https, 404, 500) stops the run here."""
    for kind, _, path in KINDS:
        path = path or f"/toezeggingen/TZ-DEMO-{numbers[0]:07d}/"
        status, body = fetch(port, path, timeout=60)
        if status != 200:
            raise RuntimeError(f"{kind} {path} answered {status}:\n{body[:500].decode('utf-8', 'replace')}")


# --- main ------------------------------------------------------------------------------------------------


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--commitments", type=int, default=20_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server on which the scratch database may be created",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (default 8)")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL")

    # SIGTERM (e.g. a CI timeout) tears down like Ctrl-C does.
    signal.signal(signal.SIGTERM, interrupted)

    tmp = Path(tempfile.mkdtemp(prefix="toezeggingen-load-"))
    db_url = with_database(args.database_url, SCRATCH_DB)
    server = None
    created = False
    try:
        log(f"creating database {SCRATCH_DB}")
        create_database(args.database_url)
        created = True
        # All clients come from 127.0.0.1: the per-client download limit would answer most exports with 429.
        env = production_env(tmp, db_url, TRACKER_DOWNLOAD_RATE="off")
        log("migrate")
        manage(env, "migrate", "--noinput", "-v0")
        log(f"generate_demo_data --commitments {args.commitments} --speeches-per-session 10")
        out = manage(env, "generate_demo_data", f"--commitments={args.commitments}", "--speeches-per-session=10")
        print("  " + out.strip())
        analyze(db_url)
        log("collectstatic")
        manage(env, "collectstatic", "--noinput", "-v0")
        numbers = public_detail_numbers(env)
        if not numbers:
            raise RuntimeError("no public demo commitments to ask for")
        server = Gunicorn(env, tmp / "gunicorn.log", workers=args.workers, threads=args.threads)
        log(f"gunicorn gthread {args.workers} workers x {args.threads} threads on 127.0.0.1:{server.port}")
        server.start()
        preflight(server.port, numbers)
        log(f"{args.clients} clients for {args.seconds:g} s")
        results, elapsed = run_load(server.port, numbers, args.clients, args.seconds)
        code = report(results, elapsed, args.clients)
        if server.process.poll() is not None:
            log(f"gunicorn died during the run:\n{server.log_tail()}")
            code = 1
        elif code:
            log(f"server log (tail):\n{server.log_tail()}")
        return code
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    except Exception as exc:
        log(f"FAILED: {exc}")
        if server is not None:
            log(f"server log (tail):\n{server.log_tail()}")
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if server is not None:
            server.stop()
            log("gunicorn stopped")
        if created:
            drop_database(args.database_url)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
