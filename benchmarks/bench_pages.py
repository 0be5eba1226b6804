"""Public page speed at 1,000 and at 100,000 commitments: median server time per page and the ratio.

    .venv/bin/python benchmarks/bench_pages.py [--small 1000] [--large 100000] [--speeches-per-session 10] [--postgres]
        [--pages committee,minister]

Runs against two fresh SQLite files (the small and the large register), and with --postgres also
against two scratch PostgreSQL databases (created on the server of $BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/postgres); the two sizes take turns request by request, so a
change in the machine's load reaches both. Times are measured in-process with Django's test client
(server time, no network), warm (cached figures, as most visitors get them) and cold (cache emptied
before every request); the target is a ratio of at most 2 for every page. Downloads of a growing
selection (iCalendar, JSON, CSV) are compared per record, cold.
"""

import argparse
import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = [
    ("list", "/toezeggingen/"),
    ("status", "/toezeggingen/?status=open"),
    ("filtered", "/toezeggingen/?status=open&committee=demo-onderwijs&sort=due"),
    ("search", "/toezeggingen/?q=wachtlijsten"),  # a word in a tenth of the register
    ("search_ref", "/toezeggingen/?q=tz-demo-0000500"),  # one match: the other plan
    ("member", "/toezeggingen/?member=demo-300"),
    ("overdue", "/toezeggingen/?overdue=1"),
    ("detail", "/toezeggingen/TZ-DEMO-0000500/"),
    ("session", "/vergaderingen/demo-vergadering-10/"),
    ("minister", "/personen/demo-3/"),
    ("committee", "/commissies/demo-onderwijs/"),
    ("feed", "/toezeggingen/feed.atom?committee=demo-onderwijs"),  # the newest 50 changes
    ("json_one", "/toezeggingen/?format=json&q=tz-demo-0000500"),  # a download's own cost, one record
]

# Downloads return the whole selection, which grows with the register: their time is compared per
# record (the selection at 100,000 holds about 100 times the records it holds at 1,000).
EXPORTS = [
    ("ics", "/toezeggingen/deadlines.ics?committee=demo-onderwijs", lambda body: body.count(b"BEGIN:VEVENT")),
    ("json", "/toezeggingen/?format=json&committee=demo-onderwijs", lambda b: json.loads(b)["count"]),
    ("csv", "/toezeggingen/?format=csv&committee=demo-onderwijs", lambda body: len(csv_rows(body)) - 1),
]


def csv_rows(body: bytes) -> list:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def use(wrapper) -> None:
    """Point the default database alias (what the pages query) at one of the two databases."""
    from django.db import connections

    connections["default"] = wrapper


def measure_export(client, url, rounds, count, databases) -> list[tuple[float, int]]:
    """Per database: median time per record of a download, cache emptied before each request; and the
    record count."""
    from django.core.cache import cache

    records, times = [], [[] for _ in databases]
    for db in databases:
        use(db)
        records.append(count(body_of(client.get(url))))
    for _ in range(rounds):
        for db, spent in zip(databases, times, strict=True):
            use(db)
            cache.clear()
            start = time.perf_counter()
            body_of(client.get(url))
            spent.append(time.perf_counter() - start)
    return [(statistics.median(t) / max(n, 1), n) for t, n in zip(times, records, strict=True)]


def measure(client, url, rounds, databases, *, cold=False) -> list[float]:
    """Per database, median server time of `url`. Warm: as a visitor finds it within the cache's minute
    (counts, scorecards, feeds and exports come from the cache). Cold: the cache emptied before every
    request, so each one computes everything, as the first visitor after a change does.

    The databases take turns, request by request: on a shared machine the load changes from minute to
    minute, and measuring one size after the other put that change into the ratio (2-3x either way)."""
    from django.core.cache import cache

    for db in databases:
        use(db)
        client.get(url)  # warm the query plan (and, unless cold, the cache)
    times = [[] for _ in databases]
    for _ in range(rounds):
        for db, spent in zip(databases, times, strict=True):
            use(db)
            if cold:
                cache.clear()
            start = time.perf_counter()
            response = client.get(url)
            body_of(response)
            spent.append(time.perf_counter() - start)
            assert response.status_code == 200, (url, response.status_code)
    return [statistics.median(t) for t in times]


def analyze() -> None:
    """Planner statistics and a vacuumed table, as a production database has them after autovacuum.

    Right after a bulk insert PostgreSQL has neither; autovacuum would then run in the middle of the
    measurement, on the same two cores.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def fill(wrapper, parts: list[int], speeches: int) -> None:
    """Migrate one database and add the demo commitments in these parts (the large register grows from
    the small one, as a register does)."""
    from django.core.management import call_command

    from tracker.ops.demo import demo_data_generate

    use(wrapper)
    call_command("migrate", verbosity=0)
    for n in parts:
        demo_data_generate(commitments=n, speeches_per_session=speeches)
    analyze()


def worker(urls: str, small: int, large: int, rounds: int, speeches: int, label: str, only: str) -> None:
    """Runs in its own process, so that each database gets fresh Django settings. `urls`: the small
    and the large database, comma-separated."""
    small_url, large_url = urls.split(",")
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = small_url
    os.environ["LOG_LEVEL"] = "WARNING"  # the per-request log lines would drown the figures
    os.environ["TRACKER_DOWNLOAD_RATE"] = "off"  # every round downloads from one address
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import dj_database_url
    from django.conf import settings
    from django.db import connections
    from django.test import Client

    settings.DATABASES["large"] = {**settings.DATABASES["default"], "NAME": dj_database_url.parse(large_url)["NAME"]}
    databases = [connections["default"], connections["large"]]
    pages = [(name, url) for name, url in PAGES if only in ("all", "pages") or name in only.split(",")]
    exports = EXPORTS if only == "all" else []
    fill(databases[0], [small], speeches)
    fill(databases[1], [small, large - small], speeches)
    client = Client(SERVER_NAME="localhost")
    times = {
        (name, cold): measure(client, url, rounds, databases, cold=cold)
        for name, url in pages
        for cold in (False, True)
    }
    per_record = {name: measure_export(client, url, rounds, count, databases) for name, url, count in exports}
    print(f"{'':<10} {'warm (cached figures)':^30}  {'cold (nothing cached)':^30}   ({label})")
    print(f"{'page':<10} {small:>10,} {large:>10,}  ratio  {small:>10,} {large:>10,}  ratio")
    worst = {False: 0.0, True: 0.0}
    for name, _ in pages:
        cells = []
        for cold in (False, True):
            a, b = times[name, cold]
            worst[cold] = max(worst[cold], b / a)
            cells.append(f"{a * 1000:>8.1f}ms {b * 1000:>8.1f}ms  {b / a:5.2f}")
        print(f"{name:<10} " + "  ".join(cells))
    if exports:
        print(f"{'download':<10} {'records':>10} {'records':>10}  {'µs/record':>10} {'µs/record':>10}  ratio")
    for name, _, _ in exports:
        (a, n), (b, m) = per_record[name]
        worst[True] = max(worst[True], b / a)
        print(f"{name:<10} {n:>10,} {m:>10,}  {a * 1e6:>10.0f} {b * 1e6:>10.0f}  {b / a:5.2f}")
    print(f"worst ratio: warm {worst[False]:.2f}, cold {worst[True]:.2f} (target <= 2)")


def run(database_url: str, small: int, large: int, rounds: int, speeches: int, label: str, only: str) -> None:
    args = [database_url, str(small), str(large), str(rounds), str(speeches), label, only]
    subprocess.run([sys.executable, __file__, "--worker", *args], check=True, cwd=ROOT)  # noqa: S603


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument(
        "--speeches-per-session", type=int, default=10, help="50 gives the 1,000,000 speeches of 100,000 commitments"
    )
    parser.add_argument(
        "--pages",
        default="all",
        help="comma-separated page names to measure (e.g. committee,minister), without the downloads; default all",
    )
    parser.add_argument("--worker", nargs=7, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        url, small, large, rounds, speeches, label, only = args.worker
        worker(url, int(small), int(large), int(rounds), int(speeches), label, only)
        return
    unknown = set(args.pages.split(",")) - {name for name, _ in PAGES} - {"all"}
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}; known: {', '.join(n for n, _ in PAGES)}")
    with tempfile.TemporaryDirectory() as tmp:
        run(
            f"sqlite:///{tmp}/small.sqlite3,sqlite:///{tmp}/large.sqlite3",
            args.small,
            args.large,
            args.rounds,
            args.speeches_per_session,
            "SQLite",
            args.pages,
        )
    if args.postgres:
        import psycopg

        server = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        # One scratch database per run: two people benchmarking on one server do not drop each other's.
        scratch = [f"toezeggingen_bench_{os.getpid()}_{size}" for size in ("small", "large")]
        base = server.rsplit("/", 1)[0]
        with psycopg.connect(server, autocommit=True) as conn:
            for name in scratch:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
                conn.execute(f"CREATE DATABASE {name}")
        try:
            run(
                ",".join(f"{base}/{name}" for name in scratch),
                args.small,
                args.large,
                args.rounds,
                args.speeches_per_session,
                "PostgreSQL",
                args.pages,
            )
        finally:
            with psycopg.connect(server, autocommit=True) as conn:
                for name in scratch:
                    conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
