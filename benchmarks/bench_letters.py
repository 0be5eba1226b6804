"""Matching a letter at 1,000 and at 100,000 open commitments: median time per letter and the ratio.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/MY_db .venv/bin/python benchmarks/bench_letters.py \
        [--small 1000] [--large 100000] [--letters 1000] [--rounds 200]

With DATABASE_URL pointing at PostgreSQL, two scratch databases are made on that server (and dropped
afterwards); otherwise two SQLite files in a temporary directory. Both registers are synthetic: open
commitments by 200 ministers over ten years of sittings, each quote built from a vocabulary of 20,000
made-up words drawn with a Zipf-like skew (some words are in thousands of commitments, most in a few);
the large register is the small one plus 99,000 more. The 1,000 letters each fulfil one commitment of the
small register, naming its minister, its sitting's date and some of its words in a "heb ik toegezegd"
passage, among sentences of random words. Matching a letter (candidate retrieval + pure scoring, what an
import runs; nothing written) is timed for `--rounds` letters, the two sizes taking turns letter by
letter so a change in the machine's load reaches both. The target is a ratio of at most 2.
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = [c + v for c in "bdklmnprstvw" for v in "aeo"]
MINISTRIES = [
    "Financiën",
    "Defensie",
    "Justitie en Veiligheid",
    "Onderwijs, Cultuur en Wetenschap",
    "Economische Zaken",
]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni"]
MONTHS += ["juli", "augustus", "september", "oktober", "november", "december"]


def vocabulary(rng: random.Random, n: int = 20_000) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 5))))
    return sorted(words)


def zipf_word(rng: random.Random, words: list[str]) -> str:
    """A word drawn with a heavy head: index ~ n * u^3."""
    return words[int(len(words) * rng.random() ** 3)]


def use(wrapper) -> None:
    from django.db import connections

    connections["default"] = wrapper


def fill(wrapper, *, start: int, count: int, words: list[str], seed: int) -> None:
    """`count` open commitments, numbered from `start`, each in its own question, 20 per sitting."""
    from tracker.models import Commitment, Committee, Person, Question, Session

    use(wrapper)
    rng = random.Random(seed)
    committee, _ = Committee.objects.get_or_create(slug="bench", defaults={"name": "Commissie bench"})
    if not Person.objects.exists():
        Person.objects.bulk_create(
            Person(full_name=f"Minister Bench{i}", surname=f"Bench{i}", slug=f"bench-{i}") for i in range(200)
        )
    persons = list(Person.objects.order_by("pk"))
    first_day = datetime.date(2015, 1, 1)
    for offset in range(start, start + count, 2000):
        chunk = range(offset, min(offset + 2000, start + count))
        sessions = Session.objects.bulk_create(
            Session(
                slug=f"bench-{i}",
                committee=committee,
                title=f"Commissiedebat {zipf_word(rng, words)}",
                date=first_day + datetime.timedelta(days=(i // 20 * 7919) % 3650),
                reviewed_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC),
            )
            for i in chunk
            if i % 20 == 0
        )
        by_number = {int(s.slug.split("-")[1]) // 20: s for s in sessions}
        questions = Question.objects.bulk_create(
            Question(session=by_number[i // 20], position=i % 20 + 1, title=f"Vraag {i}") for i in chunk
        )
        Commitment.objects.bulk_create(
            Commitment(
                reference=f"TZ-BENCH-{i:07d}",
                question=q,
                quote=quote(rng, words),
                promised_by=persons[i % len(persons)],
                ministry=MINISTRIES[i % len(MINISTRIES)],
                status="open",
            )
            for i, q in zip(chunk, questions, strict=True)
        )
    with wrapper.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if wrapper.vendor == "postgresql" else "ANALYZE")


def quote(rng: random.Random, words: list[str]) -> str:
    a, b, c, d, e = (zipf_word(rng, words) for _ in range(5))
    return f"Ik zal de Kamer informeren over de {a} en de {b} van de {c} bij {d} {e}."


def letters(wrapper, *, n: int, words: list[str], seed: int) -> list:
    """n letters, each fulfilling one commitment of the small register; stored as documents too."""
    from tracker.letters import matching
    from tracker.letters.models import Document
    from tracker.models import Commitment

    use(wrapper)
    rng = random.Random(seed)
    targets = list(Commitment.objects.select_related("promised_by", "question__session").order_by("pk")[:n])
    known = set(words)
    made = []
    for c in targets:
        day = c.question.session.date
        named = [w for w in c.quote.rstrip(".").split() if w in known][:3]
        filler = " ".join(f"De {zipf_word(rng, words)} is {zipf_word(rng, words)}." for _ in range(8))
        text = (
            f"Geachte voorzitter,\n\n{filler}\n\nTijdens het commissiedebat van {day.day} {MONTHS[day.month - 1]} "
            f"heb ik toegezegd de Kamer te informeren over de {' en de '.join(named)}. "
            f"Met deze brief kom ik die toezegging na.\n\n{filler}\n\nDe Minister van {c.ministry},\n\nA. "
            f"{c.promised_by.surname}"
        )
        made.append((c.pk, matching.Letter(text=text, sender="", date=day + datetime.timedelta(days=60))))
    Document.objects.bulk_create(
        Document(title=f"Brief {i}", date=letter.date, text=letter.text, sha256=f"{i:064d}")
        for i, (_, letter) in enumerate(made)
    )
    return made


def worker(urls: str, small: int, large: int, n_letters: int, rounds: int, label: str) -> None:
    small_url, large_url = urls.split(",")
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = small_url
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import dj_database_url
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from tracker.letters import services

    settings.DATABASES["large"] = {**settings.DATABASES["default"], "NAME": dj_database_url.parse(large_url)["NAME"]}
    databases = [connections["default"], connections["large"]]
    words = vocabulary(random.Random(1))
    for wrapper, size in zip(databases, (small, large), strict=True):
        use(wrapper)
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        fill(wrapper, start=0, count=small, words=words, seed=2)
        if size > small:
            fill(wrapper, start=small, count=size - small, words=words, seed=3)
        print(f"{label}: {size:,} open commitments made in {time.perf_counter() - started:.0f} s", flush=True)
    made = [letters(db, n=n_letters, words=words, seed=4) for db in databases]
    times: list[list[float]] = [[], []]
    hits = [0, 0]
    for i in range(rounds):
        for k, db in enumerate(databases):
            use(db)
            target, letter = made[k][i % n_letters]
            started = time.perf_counter()
            ranked, _ = services.proposals_for(letter=letter)
            times[k].append(time.perf_counter() - started)
            hits[k] += bool(ranked) and ranked[0].key == target
    a, b = (statistics.median(t) for t in times)
    print(
        f"{label}: median time to match one letter: {small:,} open {a * 1000:.1f} ms, {large:,} open {b * 1000:.1f} ms"
    )
    print(
        f"{label}: ratio {b / a:.2f} (target <= 2); right commitment first: {hits[0]}/{rounds} and {hits[1]}/{rounds}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--worker", nargs=6, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        urls, small, large, n, rounds, label = args.worker
        worker(urls, int(small), int(large), int(n), int(rounds), label)
        return
    common = [str(args.small), str(args.large), str(args.letters), str(args.rounds)]
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        with tempfile.TemporaryDirectory() as tmp:
            urls = f"sqlite:///{tmp}/small.sqlite3,sqlite:///{tmp}/large.sqlite3"
            subprocess.run([sys.executable, __file__, "--worker", urls, *common, "SQLite"], check=True, cwd=ROOT)  # noqa: S603
        return
    import psycopg

    scratch = [f"toezeggingen_letters_{os.getpid()}_{size}" for size in ("small", "large")]
    base = database_url.rsplit("/", 1)[0]
    with psycopg.connect(database_url, autocommit=True) as conn:
        for name in scratch:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    try:
        urls = ",".join(f"{base}/{name}" for name in scratch)
        subprocess.run([sys.executable, __file__, "--worker", urls, *common, "PostgreSQL"], check=True, cwd=ROOT)  # noqa: S603
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            for name in scratch:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    main()
