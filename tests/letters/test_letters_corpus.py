"""The evaluation set of real ministers' letters (corpus/letters, issue #15) is well formed.

Each file is one published letter; a letter that fulfils commitments carries them, reconstructed from
the register, the Handelingen or (weaker, marked so) the letter's own words.
"""

import datetime
import hashlib
import json
import re
from pathlib import Path

import pytest

from tracker.extraction import corpus

ROOT = Path(__file__).resolve().parents[2]
LETTERS = ROOT / "corpus" / "letters"
# The list of reserved sittings lives outside the repository, next to the main checkout; a worktree sits
# one level deeper, so both places are tried.
RESERVED = [ROOT.parent / "shared" / "evaluation-reserved.md", ROOT.parent.parent / "shared" / "evaluation-reserved.md"]

TOP = {"id", "part", "source", "letter", "fulfils", "commitments"}
SOURCE = {"url", "repository", "path", "commit", "licence", "via"}
LETTER = {"title", "number", "date", "sender", "text"}
COMMITMENT = {
    "id",
    "quote",
    "summary",
    "promiser",
    "function",
    "ministry",
    "sitting_date",
    "sitting_title",
    "due_text",
    "commitment_from",
    "source",
}
COMMITMENT_SOURCE = {"url", "licence", "via"}


def _records():
    return [(path, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(LETTERS.glob("*.json"))]


def _date(text):
    return datetime.date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d\d-\d\d", text) else None


def _part(letter_id):
    # The rule README.md states: the first hex digit of sha1(id) below 6 is heldout (6 of 16), else dev.
    return "heldout" if int(hashlib.sha1(letter_id.encode(), usedforsecurity=False).hexdigest()[0], 16) < 6 else "dev"


RECORDS = _records()


@pytest.mark.parametrize(("path", "record"), RECORDS, ids=[p.stem for p, _ in RECORDS])
def test_letter_has_the_documented_shape(path, record):
    assert set(record) == TOP
    assert record["id"] == path.stem
    assert record["part"] == _part(record["id"])
    assert set(record["source"]) == SOURCE
    assert record["source"]["url"].startswith("http")
    assert record["source"]["licence"] and record["source"]["via"]
    assert set(record["letter"]) == LETTER
    letter = record["letter"]
    assert letter["title"].strip() and letter["sender"].strip() and len(letter["text"].strip()) >= 100
    assert _date(letter["date"]) is not None, f"{path.name}: letter date {letter['date']!r}"


@pytest.mark.parametrize(("path", "record"), RECORDS, ids=[p.stem for p, _ in RECORDS])
def test_commitments_are_complete_and_fulfils_points_at_them(path, record):
    ids = [c["id"] for c in record["commitments"]]
    assert len(ids) == len(set(ids)), f"{path.name}: commitment ids repeat"
    assert set(record["fulfils"]) <= set(ids), f"{path.name}: fulfils names a commitment the file lacks"
    assert bool(record["fulfils"]) == bool(record["commitments"])
    for c in record["commitments"]:
        assert set(c) == COMMITMENT, f"{path.name}: {c['id']}"
        assert set(c["source"]) == COMMITMENT_SOURCE
        assert c["commitment_from"] in {"register", "handelingen", "letter"}
        assert c["quote"].strip() and c["promiser"].strip() and c["ministry"].strip()
        # An unknown sitting date stays empty; a given one must be a real day before the letter.
        if c["sitting_date"]:
            sitting = _date(c["sitting_date"])
            assert sitting is not None and sitting <= _date(record["letter"]["date"]), f"{path.name}: {c['id']}"


def test_letter_ids_are_unique():
    ids = [record["id"] for _, record in RECORDS]
    assert len(ids) == len(set(ids))


def test_no_reserved_sitting_is_used():
    reserved = next((p for p in RESERVED if p.exists()), None)
    if reserved is None:
        pytest.skip("the reserved list is not next to this checkout")
    patterns = corpus._reserved_patterns(reserved.read_text(encoding="utf-8"))
    assert patterns, "the reserved list yielded no ids; its format changed"
    for path, record in RECORDS:
        blob = json.dumps(record, ensure_ascii=False)
        hits = [p for p in patterns if re.search(rf"(?<![0-9A-Za-z]){re.escape(p)}(?![0-9A-Za-z])", blob)]
        assert hits == [], f"{path.name} uses reserved {hits}"


# The set is not complete yet (README.md gives the counts); strict, so the marker must go once it is.
@pytest.mark.xfail(strict=True, reason="issue #15 asks for 40 fulfilling letters; the set has fewer so far")
def test_the_set_is_big_enough_for_the_targets_of_issue_15():
    fulfilling = [r for _, r in RECORDS if r["fulfils"]]
    unrelated = [r for _, r in RECORDS if not r["fulfils"]]
    assert len(fulfilling) >= 40
    assert len(unrelated) >= 15
