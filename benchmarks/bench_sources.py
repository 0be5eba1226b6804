"""Benchmark: the published sources through the real import paths, on PostgreSQL.

    .venv/bin/python benchmarks/bench_sources.py --database-url postgres://…/DB [--records 10000]
        [--pages 100] [--sittings 50] [--keep DIR]

The database given is EMPTIED (flush) and migrated first: give one of your own.

1. A Tweede Kamer SyncFeed of --records `toezegging` entries over --pages Atom pages, generated in the
   shape of tests/exchange/test_opendata_feed.py: 150 members and 20 ministers recurring across records (by
   id), 15 parties, 800 activities; later pages repeat some records with a newer `bijgewerkt`
   (updates) and mark some `verwijderd` (a few as "True"); the live feed's deviations (a repeated
   kamerbriefNakoming, 7-digit fractions without a time zone, a repeated toegezegdAan) here and there.
   Timed: a plain lxml parse of the same files (every element visited), `opendata_import_pages` on
   them (records/s, ratio to the parse), then the same pages again, which must change nothing (rows
   and history events counted before and after) and take at most a tenth of the first run.
2. --sittings sittings made from the real samples in tests/samples/ (Handelingen XML h-tk-20172018-
   61-10, ParlaMint-NL 2017-01-26 with its listPerson), alternately, each with its own date and a
   speaker renamed so every text is new: `decode_transcript` + `transcript_import` (sittings/s) against
   `decode_transcript` + `parse_transcript` alone.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "samples"
TK = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
ATOM = "http://www.w3.org/2005/Atom"
NS = uuid.UUID("0b5e7f00-0000-4000-8000-00000000feed")
MEMBERS, MINISTERS, PARTIES, ACTIVITIES = 150, 20, 15, 800
SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos"]


def gid(kind: str, n) -> str:
    return str(uuid.uuid5(NS, f"{kind}:{n}"))


def _member(m: int) -> tuple[str, str, str]:
    surname = SURNAMES[m % len(SURNAMES)]
    return gid("persoon", m), f"{chr(65 + m % 26)}. {surname}{'' if m < 10 else f' {m}'}", f"fractie {m % PARTIES}"


def _promiser(k: int) -> str:
    surname = SURNAMES[k % len(SURNAMES)].split()
    particle, last = (" ".join(surname[:-1]), surname[-1]) if len(surname) > 1 else ("", surname[0])
    return (
        f"<ns1:achternaam>{last}{k}</ns1:achternaam><ns1:initialen>{chr(72 + k % 10)}.</ns1:initialen>"
        + (f"<ns1:tussenvoegsel>{particle}</ns1:tussenvoegsel>" if particle else "")
        + f"<ns1:functie>minister van Zaken {k}</ns1:functie>"
    )


def record(i: int, *, version: int = 0) -> str:
    """Entry i of the feed; version > 0 is a later state of the same record (newer bijgewerkt)."""
    number = f"TZ2024{i:06d}"
    day = datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 300)
    updated = f"{day + datetime.timedelta(days=30 * version)}T11:00:00.1234567+01:00"
    member, name, party = _member(i % MEMBERS)
    status = ["Openstaand", "Voldaan", "Deels Voldaan", "Vervallen", "Openstaand"][(i + version) % 5]
    created = f"{day}T17:42:13.69+01:00" if i % 89 else f"{day}T17:42:13.6900000"
    extra = f'<ns1:toegezegdAan ref="{gid("persoon", (i + 1) % MEMBERS)}"/>' * (2 if i % 113 == 0 else 0)
    nakoming = ""
    if status == "Voldaan":
        letters = 2 if i % 97 == 0 else 1
        nakoming = f"<ns1:datumNakoming>{day + datetime.timedelta(days=20)}T00:00:00+01:00</ns1:datumNakoming>" + (
            "".join(
                f"<ns1:kamerbriefNakoming>Kamerstuk 36 {i}, nr. {n}</ns1:kamerbriefNakoming>" for n in range(letters)
            )
        )
    elif status == "Openstaand":
        nakoming = f"<ns1:datumNakoming>{day.year + 80}-06-30T00:00:00+02:00</ns1:datumNakoming>"
    return (
        f'<ns1:toezegging xmlns:ns1="{TK}" id="{gid("toezegging", i)}" ns1:bijgewerkt="{updated}" '
        'ns1:verwijderd="false">'
        f'<ns1:toegezegdAanFractie ref="{gid("fractie", party)}"><ns1:annotatie>{party}</ns1:annotatie>'
        f'</ns1:toegezegdAanFractie><ns1:toegezegdAanPersoon ref="{member}"><ns1:annotatie>{name}'
        f"</ns1:annotatie></ns1:toegezegdAanPersoon>{extra}<ns1:aanmaakdatum>{created}</ns1:aanmaakdatum>"
        f'<ns1:nummer>{number}</ns1:nummer><ns1:activiteit ref="{gid("activiteit", i % ACTIVITIES)}"/>'
        f"<ns1:activiteitNummer>2024A{i % ACTIVITIES:05d}</ns1:activiteitNummer>{_promiser(i % MINISTERS)}"
        f"<ns1:status>{status}</ns1:status>{nakoming}<ns1:ministerie>Ministerie {i % MINISTERS}</ns1:ministerie>"
        f"<ns1:tekst>De minister zegt toe de Kamer te informeren over dossier {i} (versie {version}).</ns1:tekst>"
        "</ns1:toezegging>"
    )


def tombstone(i: int) -> str:
    value = "True" if i % 3 == 0 else "true"
    return (
        f'<ns1:toezegging xmlns:ns1="{TK}" id="{gid("toezegging", i)}" '
        f'ns1:bijgewerkt="2025-12-01T09:00:00+01:00" ns1:verwijderd="{value}"/>'
    )


def page(entries: list[str], n: int) -> bytes:
    body = "".join(
        f"<entry><title>{n}-{k}</title><id>https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Entiteiten/{n}-{k}</id>"
        '<updated>2024-12-05T11:00:01.5+01:00</updated><category term="Toezegging"/>'
        f'<content type="application/xml">{e}</content></entry>'
        for k, e in enumerate(entries)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="{ATOM}"><title>Toezegging</title>'
        f'<link rel="next" href="https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed?skiptoken={n + 1}"/>'
        f"{body}</feed>"
    ).encode()


def generate_feed(directory: Path, *, records: int, pages: int) -> list[Path]:
    """records entries over pages files: mostly new records, then updates and withdrawals of earlier ones."""
    per_page = records // pages
    entries, new = [], 0
    for n in range(records):
        if n > records // 4 and n % 20 == 0:
            entries.append(record(n % new, version=1 + n // records))  # a later state of an earlier record
        elif n > records // 2 and n % 101 == 0:
            entries.append(tombstone((n * 7) % new))
        else:
            entries.append(record(new))
            new += 1
    paths = []
    for p in range(pages):
        path = directory / f"page{p + 1}.xml"
        path.write_bytes(page(entries[p * per_page : (p + 1) * per_page], p))
        paths.append(path)
    return paths


def plain_parse(paths: list[Path]) -> int:
    from lxml import etree

    seen = 0
    for path in paths:
        root = etree.parse(str(path)).getroot()
        for element in root.iter():
            seen += 1 if element.text or element.attrib else 0
    return seen


def counts() -> dict:
    from tracker.models import Commitment, CommitmentEvent, CommitmentLink, Person

    return {m.__name__: m.objects.count() for m in (Commitment, CommitmentEvent, CommitmentLink, Person)} | {
        "updated": str(Commitment.objects.order_by("-updated").values_list("updated", flat=True).first())
    }


def bench_feed(directory: Path, *, records: int, pages: int) -> None:
    from tracker.exchange.opendata import opendata_import_pages

    paths = generate_feed(directory, records=records, pages=pages)
    size = sum(p.stat().st_size for p in paths)
    print(f"SyncFeed: {records:,} entries over {len(paths)} pages, {size / 2**20:.1f} MB", flush=True)
    started = time.perf_counter()
    plain_parse(paths)
    parse = time.perf_counter() - started
    started = time.perf_counter()
    first = opendata_import_pages(pages=paths)
    seconds = time.perf_counter() - started
    print(
        f"  first run: {seconds:.1f} s, {records / seconds:,.0f} records/s; plain lxml parse {parse:.2f} s "
        f"(ratio {seconds / parse:.0f}×); {len(first.created)} created, {len(first.updated)} updated, "
        f"{len(first.unchanged)} unchanged, {len(first.withdrawn)} withdrawn, {len(first.refused)} refused, "
        f"deviations {first.deviations}",
        flush=True,
    )
    before = counts()
    started = time.perf_counter()
    again = opendata_import_pages(pages=paths)
    rerun = time.perf_counter() - started
    after = counts()
    verdict = "OK" if rerun <= seconds / 10 and before == after and not again.changed else "TE TRAAG OF GEWIJZIGD"
    print(
        f"  re-run: {rerun:.2f} s ({rerun / seconds:.3f} of the first run), {len(again.created)} created, "
        f"{len(again.updated)} updated, {len(again.withdrawn)} withdrawn, {len(again.unchanged)} unchanged; "
        f"rows {'unchanged' if before == after else f'CHANGED {before} -> {after}'}: {verdict}",
        flush=True,
    )


def sittings(n: int) -> list[tuple[bytes, str, datetime.date, bytes | None]]:
    handelingen = (SAMPLES / "handelingen" / "h-tk-20172018-61-10.xml").read_bytes()
    parlamint = (SAMPLES / "parlamint" / "ParlaMint-NL_2017-01-26-tweedekamer-4.xml").read_bytes()
    persons = (SAMPLES / "parlamint" / "ParlaMint-NL-listPerson.xml").read_bytes()
    made = []
    for i in range(n):
        day = datetime.date(2017, 1, 26) + datetime.timedelta(days=7 * i)
        name = f"{SURNAMES[i % len(SURNAMES)].split()[-1].capitalize()}{i}"
        if i % 2:
            data = parlamint.replace(b'when="2017-01-26"', f'when="{day}"'.encode()).replace(
                b"Bouwmeester", name.encode()
            )
            made.append((data, f"parlamint-{i}.xml", day, persons))
        else:
            made.append((handelingen.replace("Wörsdörfer".encode(), name.encode()), f"h-tk-{i}.xml", day, None))
    return made


def bench_transcripts(n: int) -> None:
    from tracker.exchange.importing import transcript_import
    from tracker.extraction import decode_transcript, parse_transcript
    from tracker.models import Committee, Speech

    Committee.objects.get_or_create(slug="bench-ez", defaults={"name": "Economische Zaken (benchmark)"})
    made = sittings(n)
    started = time.perf_counter()
    for data, name, _day, persons in made:
        parse_transcript(decode_transcript(data, filename=name, person_list=persons)[0])
    parse = time.perf_counter() - started
    started = time.perf_counter()
    for data, name, day, persons in made:
        text, _ = decode_transcript(data, filename=name, person_list=persons)
        report = transcript_import(text=text, committee="bench-ez", by=None, date=day)
        assert not report.unchanged, name
    seconds = time.perf_counter() - started
    print(
        f"Transcripts: {n} sittings (Handelingen XML and ParlaMint TEI alternately): {seconds:.1f} s, "
        f"{n / seconds:.1f} sittings/s; decode+parse alone {parse:.2f} s (ratio {seconds / parse:.1f}×); "
        f"{Speech.objects.count():,} speeches stored",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a database of your own: it is emptied")
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--sittings", type=int, default=50)
    parser.add_argument("--keep", type=Path, help="write the feed pages here and keep them")
    args = parser.parse_args()
    os.environ.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="0",  # production-like: no query log
        SECRET_KEY="benchmark-only-" + "x" * 50,
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    print(
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} CPUs",
        flush=True,
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        bench_feed(args.keep, records=args.records, pages=args.pages)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-sources-") as tmp:
            bench_feed(Path(tmp), records=args.records, pages=args.pages)
    bench_transcripts(args.sittings)
    print(f"load average at the end {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
