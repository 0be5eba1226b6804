"""Benchmark: import_fixture against Django's own loaddata on the same generated register.

    .venv/bin/python benchmarks/bench_fixture_import.py [--n 100000] [--per-file 20000] [--skip-loaddata]

Generates N commitments with their sessions (five agenda items each), questions, two speeches per
question, one "created" history event per commitment, persons and committees, as JSON fixtures with
natural keys (split over files of --per-file commitments, each under the importer's size limit). Then,
each in a fresh, migrated database and a fresh process, it times

  1. `import_fixture` (this project's importer: validates everything, then bulk writes), and
  2. `loaddata` (Django: one save and several natural-key queries per object, no validation),

checks that both databases hold the same number of rows per model, and prints both times and the
ratio. SQLite databases are temporary files; with DATABASE_URL pointing at PostgreSQL the same runs
happen there too, in two temporary databases that are dropped afterwards.

Target: import_fixture ≤ 60 s for 100,000 commitments on SQLite, and at most 2× loaddata.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
COMMITTEES = 10
PERSONS = 300
ITEMS_PER_SESSION = 5
STATUSES = ["open", "partially_fulfilled", "fulfilled", "lapsed", "candidate"]
EVENT_NAMESPACE = uuid.UUID("6f1d2a3b-0000-4000-8000-00000000beef")
START = datetime.date(2019, 1, 1)
STAMP = "2024-06-01T10:00:00Z"


def generate(directory: Path, *, n: int, per_file: int) -> list[Path]:
    """Write the fixture files; each holds whole sessions, in dependency order."""
    paths = []
    first = [
        {"model": "tracker.committee", "fields": {"name": f"Commissie {c}", "slug": f"commissie-{c}"}}
        for c in range(COMMITTEES)
    ] + [
        {
            "model": "tracker.person",
            "fields": {
                "full_name": f"Persoon {p}",
                "surname": f"Persoon {p}",
                "honorific": "Mevrouw" if p % 2 else "De heer",
                "party": f"Partij {p % 7}",
                "slug": f"persoon-{p}",
            },
        }
        for p in range(PERSONS)
    ]
    per_file -= per_file % ITEMS_PER_SESSION
    for start in range(0, n, per_file):
        objects = first
        first = []
        sessions, questions, speeches, commitments, events = [], [], [], [], []
        for i in range(start, min(start + per_file, n)):
            s, position = divmod(i, ITEMS_PER_SESSION)
            position += 1
            slug = f"vergadering-{s}"
            date = START + datetime.timedelta(days=s % 1500)
            member, minister = f"persoon-{i % 250}", f"persoon-{250 + i % 50}"
            if position == 1:
                sessions.append(
                    {
                        "model": "tracker.session",
                        "fields": {
                            "slug": slug,
                            "committee": [f"commissie-{s % COMMITTEES}"],
                            "kind": "committee",
                            "date": date.isoformat(),
                            "title": f"Commissievergadering {s}",
                            "parliamentary_year": f"{date.year}-{date.year + 1}",
                            "source_url": f"https://example.org/vergadering/{s}",
                            "source_text": "",
                            "source_sha256": "",
                            "note": "",
                        },
                    }
                )
            questions.append(
                {
                    "model": "tracker.question",
                    "fields": {
                        "session": [slug],
                        "position": position,
                        "kind": "vraag_om_uitleg",
                        "number": f"{1000 + i} ({date.year}-{date.year + 1})",
                        "title": f"Vraag om uitleg over onderwerp {i}",
                        "asked_by": [[member]],
                        "addressed_to": [minister],
                    },
                }
            )
            speeches.append(
                {
                    "model": "tracker.speech",
                    "fields": {
                        "question": [slug, position],
                        "sequence": 1,
                        "speaker": [member],
                        "speaker_label": f"Persoon {i % 250}",
                        "speaker_role": "member",
                        "text": f"Minister, hoe staat het met dossier {i}? Wanneer krijgen we de cijfers?",
                    },
                }
            )
            quote = f"Ik zal de commissie de cijfers over dossier {i} bezorgen zodra ze beschikbaar zijn."
            speeches.append(
                {
                    "model": "tracker.speech",
                    "fields": {
                        "question": [slug, position],
                        "sequence": 2,
                        "speaker": [minister],
                        "speaker_label": f"Minister Persoon {250 + i % 50}",
                        "speaker_role": "minister",
                        "text": f"Dank u voor uw vraag. {quote}",
                    },
                }
            )
            status = STATUSES[i % len(STATUSES)]
            reference = f"TZ-B-{i + 1:06d}"
            commitments.append(
                {
                    "model": "tracker.commitment",
                    "fields": {
                        "reference": reference,
                        "question": [slug, position],
                        "source_speech": [slug, position, 2],
                        "quote": quote,
                        "summary": f"De minister bezorgt de commissie de cijfers over dossier {i}.",
                        "kind": "send_document",
                        "promised_by": [minister],
                        "promised_by_function": "Vlaams minister",
                        "promised_to": [[member]],
                        "to_committee": True,
                        "due_date": (date + datetime.timedelta(days=90)).isoformat(),
                        "due_is_default": True,
                        "due_text": "",
                        "status": status,
                        "fulfilled_on": (date + datetime.timedelta(days=30)).isoformat()
                        if status == "fulfilled"
                        else None,
                        "origin": "manual",
                        "confidence": None,
                        "created": STAMP,
                        "updated": STAMP,
                    },
                }
            )
            events.append(
                {
                    "model": "tracker.commitmentevent",
                    "fields": {
                        "uid": str(uuid.uuid5(EVENT_NAMESPACE, reference)),
                        "commitment": [reference],
                        "at": STAMP,
                        "actor": None,
                        "kind": "created",
                        "from_status": "",
                        "to_status": status,
                        "note": "",
                        "evidence_title": "",
                        "evidence_url": "",
                        "old_due_date": None,
                        "new_due_date": None,
                    },
                }
            )
        objects = objects + sessions + questions + speeches + commitments + events
        path = directory / f"register-{len(paths) + 1:02d}.json"
        with path.open("w", encoding="utf-8") as out:
            out.write("[\n")
            out.write(",\n".join(json.dumps(obj, ensure_ascii=False) for obj in objects))
            out.write("\n]\n")
        paths.append(path)
    return paths


# --- the timed part, in a fresh process per database -------------------------------------------------


def worker(command: str, files: list[str]) -> None:
    import resource

    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started, cpu = time.perf_counter(), time.process_time()
    if command == "import_fixture":
        call_command("import_fixture", *files, stdout=open(os.devnull, "w"))  # noqa: SIM115
    else:
        call_command("loaddata", *files, verbosity=0)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = {m._meta.label_lower: m.objects.count() for m in apps.get_app_config("tracker").get_models()}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rows": rows, "peak_mb": peak}), flush=True)


def run(command: str, files: list[Path], database_url: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Production-like: DEBUG off (no query log); settings then demand a secret key.
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-" + "x" * 50,
        "PYTHONPATH": str(ROOT),
    }
    result = subprocess.run(  # noqa: S603 - this script with our own generated files
        [sys.executable, __file__, "--worker", command, *map(str, files)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"{command} faalde:\n{result.stderr[-5000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _times(result: dict) -> str:
    # CPU time next to wall time: on a shared machine the wall time says more about the neighbours.
    load = os.getloadavg()[0]
    return (
        f"{result['seconds']:.1f} s (CPU-tijd van het proces {result['cpu']:.1f} s, piek {result['peak_mb']} MB, "
        f"load {load:.1f} op {os.cpu_count()} CPU's)"
    )


def compare(backend: str, files: list[Path], urls: tuple[str, str], *, skip_loaddata: bool) -> None:
    ours = run("import_fixture", files, urls[0])
    print(f"{backend}: import_fixture {_times(ours)}", flush=True)
    if skip_loaddata:
        return
    django = run("loaddata", files, urls[1])
    print(f"{backend}: loaddata       {_times(django)}", flush=True)
    print(f"{backend}: verhouding import_fixture / loaddata = {ours['seconds'] / django['seconds']:.2f}", flush=True)
    # The importer adds nothing here: the files carry a created event for every commitment.
    if ours["rows"] != django["rows"]:
        print(f"{backend}: VERSCHIL in aantallen: {ours['rows']} tegenover {django['rows']}", flush=True)
    else:
        print(f"{backend}: dezelfde aantallen rijen: {ours['rows']}", flush=True)


def postgres_databases(url: str, names: list[str], *, create: bool) -> list[str]:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            if create:
                conn.execute(f'CREATE DATABASE "{name}"')
    return [urlunsplit(parts._replace(path=f"/{name}")) for name in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="number of commitments (default 100000)")
    parser.add_argument("--per-file", type=int, default=20_000, help="commitments per fixture file")
    parser.add_argument("--skip-loaddata", action="store_true", help="only time import_fixture")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.worker:
        worker(args.worker, rest)
        return
    with tempfile.TemporaryDirectory(prefix="bench-fixture-") as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        files = generate(directory, n=args.n, per_file=args.per_file)
        size = sum(f.stat().st_size for f in files)
        print(
            f"{args.n:,} toezeggingen in {len(files)} bestand(en), {size / 2**20:.0f} MB, "
            f"aangemaakt in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        sqlite = (f"sqlite:///{directory / 'import.sqlite3'}", f"sqlite:///{directory / 'loaddata.sqlite3'}")
        compare("SQLite", files, sqlite, skip_loaddata=args.skip_loaddata)
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            names = [f"bench_import_{os.getpid()}", f"bench_loaddata_{os.getpid()}"]
            urls = postgres_databases(url, names, create=True)
            try:
                compare("PostgreSQL", files, tuple(urls), skip_loaddata=args.skip_loaddata)
            finally:
                postgres_databases(url, names, create=False)


if __name__ == "__main__":
    main()
