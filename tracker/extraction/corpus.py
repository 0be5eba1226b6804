"""The corpus of real published text that extraction is measured on (corpus/ at the repository root).

One JSON file per sitting (corpus/sittings/<family>/<sitting>.json): the speeches of the excerpt in
order, verbatim, each with the speaker as printed and a role, and the labels a person gave to sentences
in them. The split into a development part and a held-out part is by sitting (`assign_parts`): within
each family the sittings are taken in the order of a hash of their id, and held out until 35 % of the
family's commitments are; sittings without commitments follow the hash alone. Nobody chooses which
sittings are held out, and nothing but the number of commitments can influence it. A sitting whose
detector output was read while tuning stays in development ("part": "dev" with the reason). See
corpus/README.md for the labelling guide.

Pure Python, no Django: the trainer and the evaluation read it, and so does `python -m
tracker.extraction.corpus --check`, which validates every file (and, given the reserved list that
lives outside the repository, refuses reserved sittings).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .types import COMMITMENT_KINDS, ROLES

CORPUS_DIR = Path(__file__).resolve().parents[2] / "corpus" / "sittings"
FAMILIES = ("vlaams_parlement", "tweede_kamer", "eerste_kamer", "parlamint_nl", "parlamint_be", "kamer_be")
LABELS = ("commitment", "none", "optional")
NEGATIVE_CATEGORIES = (
    "refusal",
    "hedge",
    "policy",
    "past",
    "third_party",
    "on_the_spot",
    "procedural",
    "conditional",
    "question",
    "other",
)
PROMISERS = ("speaker", "government", "committee")
ELIGIBLE_ROLES = ("minister", "chair", "other")
# Percent of sittings (by hash) held out. Fixed before any sitting was labelled; not to be tuned.
HELD_OUT_PERCENT = 35


class CorpusError(ValueError):
    """A corpus file that does not follow the format: the message names file, record and field."""


@dataclass(frozen=True, slots=True)
class Label:
    speech: int
    quote: str
    label: str
    start: int
    end: int
    kind: str = ""
    promiser: str = ""
    category: str = ""
    due_text: str = ""
    due_date: date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class CorpusSpeech:
    speaker: str
    role: str
    text: str


@dataclass(frozen=True, slots=True)
class Sitting:
    sitting: str
    family: str
    path: Path
    date: date | None
    title: str
    source: dict
    labelled_by: str
    speeches: tuple[CorpusSpeech, ...]
    labels: tuple[Label, ...]
    forced_dev: str = ""  # why a sitting stays in development (tuned on, or its errors read)
    part: str = ""  # "dev" or "heldout", set for the whole corpus by assign_parts

    @property
    def commitments(self) -> tuple[Label, ...]:
        return tuple(label for label in self.labels if label.label == "commitment")


def _hash(sitting_id: str) -> int:
    # "-full" names the whole of a sampled sitting: both go the same way.
    return int(hashlib.sha256(sitting_id.removesuffix("-full").encode("utf-8")).hexdigest()[:8], 16)


def split_of(sitting_id: str) -> str:
    """'heldout' or 'dev' for a sitting without commitments, from its id alone."""
    return "heldout" if _hash(sitting_id) % 100 < HELD_OUT_PERCENT else "dev"


def assign_parts(sittings: list[Sitting]) -> list[Sitting]:
    """The sittings with their part: per family, in hash order, held out until HELD_OUT_PERCENT of the
    family's commitments are (a plain hash split left whole families' commitments on one side)."""
    parts: dict[str, str] = {}
    families = sorted({s.family for s in sittings})
    for family in families:
        group = [s for s in sittings if s.family == family]
        total = sum(len(s.commitments) for s in group)
        held = 0
        for s in sorted(group, key=lambda s: (_hash(s.sitting), s.sitting)):
            if s.forced_dev:
                parts[s.sitting] = "dev"
            elif not s.commitments:
                parts[s.sitting] = split_of(s.sitting)
            elif held < total * HELD_OUT_PERCENT / 100:
                parts[s.sitting] = "heldout"
                held += len(s.commitments)
            else:
                parts[s.sitting] = "dev"
    return [replace(s, part=parts[s.sitting]) for s in sittings]


def _req(record: dict, key: str, where: str, kind: type | tuple[type, ...] = str):
    if key not in record:
        raise CorpusError(f"{where}: veld '{key}' ontbreekt")
    value = record[key]
    if not isinstance(value, kind):
        raise CorpusError(f"{where}: veld '{key}' heeft het verkeerde type ({type(value).__name__})")
    return value


def _date(raw: dict, key: str, where: str) -> date | None:
    value = raw.get(key)
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        raise CorpusError(f"{where}: {key} {value!r} is geen datum JJJJ-MM-DD") from None


def _choice(raw: dict, key: str, allowed: tuple[str, ...], where: str) -> str:
    value = raw.get(key) or ""
    if value and value not in allowed:
        raise CorpusError(f"{where}: {key} {value!r} is niet een van {allowed}")
    return value


def _parse_label(raw: dict, speeches: tuple[CorpusSpeech, ...], where: str) -> Label:
    index = _req(raw, "speech", where, int)
    if not 0 <= index < len(speeches):
        raise CorpusError(f"{where}: speech {index} bestaat niet")
    quote = _req(raw, "quote", where)
    text = speeches[index].text
    start = text.find(quote)
    if not quote.strip() or start < 0:
        raise CorpusError(f"{where}: quote is geen letterlijk deel van speech {index}: {quote[:60]!r}")
    label = _req(raw, "label", where)
    if label not in LABELS:
        raise CorpusError(f"{where}: label {label!r} is niet een van {LABELS}")
    kind = _choice(raw, "kind", COMMITMENT_KINDS, where)
    promiser = _choice(raw, "promiser", PROMISERS, where)
    category = _choice(raw, "category", NEGATIVE_CATEGORIES, where)
    if label == "commitment":
        if speeches[index].role not in ELIGIBLE_ROLES:
            raise CorpusError(f"{where}: een toezegging in een speech met rol {speeches[index].role!r}")
        if not kind:
            raise CorpusError(f"{where}: een toezegging zonder kind")
    due_date = _date(raw, "due_date", where)
    return Label(
        speech=index,
        quote=quote,
        label=label,
        start=start,
        end=start + len(quote),
        kind=kind,
        promiser=promiser,
        category=category,
        due_text=raw.get("due_text") or "",
        due_date=due_date,
        note=raw.get("note") or "",
    )


def load_sitting(path: Path) -> Sitting:
    where = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorpusError(f"{where}: geen leesbare JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: verwacht een object")
    family = _req(raw, "family", where)
    if family not in FAMILIES:
        raise CorpusError(f"{where}: family {family!r} is niet een van {FAMILIES}")
    speeches = []
    for i, s in enumerate(_req(raw, "speeches", where, list)):
        w = f"{where}: speeches[{i}]"
        role = _req(s, "role", w)
        if role not in ROLES:
            raise CorpusError(f"{w}: role {role!r} is niet een van {ROLES}")
        speeches.append(CorpusSpeech(_req(s, "speaker", w), role, _req(s, "text", w)))
    speeches_t = tuple(speeches)
    labels = tuple(
        _parse_label(label, speeches_t, f"{where}: labels[{i}]")
        for i, label in enumerate(_req(raw, "labels", where, list))
    )
    source = _req(raw, "source", where, dict)
    if not (source.get("url") or source.get("repository")):
        raise CorpusError(f"{where}: source noemt geen url of repository")
    day = _date(raw, "date", where)
    forced = raw.get("part")
    if forced is not None and (forced != "dev" or not raw.get("part_reason")):
        raise CorpusError(f"{where}: 'part' kan alleen 'dev' zijn, met een 'part_reason'")
    sitting_id = _req(raw, "sitting", where)
    return Sitting(
        forced_dev=raw.get("part_reason", "") if forced else "",
        part="dev" if forced else split_of(sitting_id),
        sitting=sitting_id,
        family=family,
        path=path,
        date=day,
        title=raw.get("title") or "",
        source=source,
        labelled_by=_req(raw, "labelled_by", where),
        speeches=speeches_t,
        labels=labels,
    )


def load_corpus(root: Path = CORPUS_DIR, *, part: str | None = None) -> list[Sitting]:
    """Every sitting under root, sorted by id; only one part ('dev' or 'heldout') when asked."""
    sittings = [load_sitting(p) for p in sorted(root.rglob("*.json"))]
    seen: dict[str, Path] = {}
    for s in sittings:
        if s.sitting in seen:
            raise CorpusError(f"{s.path}: sitting {s.sitting!r} staat ook in {seen[s.sitting]}")
        seen[s.sitting] = s.path
    sittings.sort(key=lambda s: s.sitting)
    return [s for s in assign_parts(sittings) if part is None or s.part == part]


def _reserved_patterns(text: str) -> list[str]:
    """Ids in the reserved list kept outside the repository: numbers of 5+ digits, T-numbers, h-tk ids."""
    found = set(re.findall(r"\bT\d{5}\b", text))
    found |= set(re.findall(r"\b\d{6,7}\b", text))
    found |= {m.rstrip("-*") for m in re.findall(r"h-tk-\d{8}-\d+", text)}
    found |= set(re.findall(r"\b(20\d\d-\d\d-\d\d)\s+(?:commissie\s+)?((?:tweede|eerste)kamer-\d+|ic\d+x)", text))
    return sorted(p if isinstance(p, str) else f"{p[0]}-{p[1]}" for p in found)


def reserved_hits(sitting: Sitting, reserved_text: str) -> list[str]:
    blob = json.dumps({"sitting": sitting.sitting, "source": sitting.source}, ensure_ascii=False)
    hits = []
    for pattern in _reserved_patterns(reserved_text):
        if re.search(rf"(?<![0-9A-Za-z]){re.escape(pattern)}(?![0-9A-Za-z])", blob):
            hits.append(pattern)
    return hits


def summary(sittings: list[Sitting]) -> Iterator[str]:
    by: dict[tuple[str, str], list[int]] = {}
    for s in sittings:
        row = by.setdefault((s.family, s.part), [0, 0, 0, 0])
        row[0] += 1
        row[1] += sum(1 for label in s.labels if label.label == "commitment")
        row[2] += sum(1 for label in s.labels if label.label == "none")
        row[3] += sum(1 for label in s.labels if label.label == "optional")
    yield f"{'family':<18} {'part':<8} {'sittings':>8} {'commit':>7} {'none':>6} {'optional':>8}"
    for (family, part), (n, c, no, o) in sorted(by.items()):
        yield f"{family:<18} {part:<8} {n:>8} {c:>7} {no:>6} {o:>8}"
    totals = [sum(row[i] for row in by.values()) for i in range(4)]
    yield f"{'total':<18} {'':<8} {totals[0]:>8} {totals[1]:>7} {totals[2]:>6} {totals[3]:>8}"


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Check the corpus of real transcripts and print its counts.")
    parser.add_argument("--check", action="store_true", help="validate every file (the default)")
    parser.add_argument("--reserved", type=Path, help="the reserved-sittings list (kept outside the repository)")
    parser.add_argument("--root", type=Path, default=CORPUS_DIR)
    args = parser.parse_args(argv)
    try:
        sittings = load_corpus(args.root)
    except CorpusError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    if args.reserved:
        reserved = args.reserved.read_text(encoding="utf-8")
        bad = [(s.path, reserved_hits(s, reserved)) for s in sittings]
        bad = [(p, h) for p, h in bad if h]
        for path, hits in bad:
            print(f"fout: {path}: gereserveerde zitting ({', '.join(hits)})", file=sys.stderr)
        if bad:
            return 1
    for line in summary(sittings):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
