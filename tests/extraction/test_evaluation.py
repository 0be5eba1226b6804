"""How well the detector finds commitments: precision and recall on an annotated evaluation set.

tests/extraction/eval/ holds transcripts written in the published layouts (<name>.txt) and, beside
each, <name>.json with the commitments a clerk would register: the annotated sentence (verbatim from
the transcript), its kind and the speaker's surname ("" for an unnamed chair). A JSON file may name
its transcript with "source" (the seed, which lives in fixtures/transcripts/) and may set
"reference_date". "not_commitments" lists sentences that look like promises but are not; they only
serve to explain false positives.

A candidate matches an annotation when its quote overlaps the annotated sentence, located in the
text of the candidate's own speech (whitespace-insensitive: older layouts wrap lines). Precision
counts candidates that match some annotation; recall counts annotations matched by some candidate.
The figures are printed per file and in total — run with `-s`, or read them under "Captured stdout"
with `-rA`.

These texts were written by the team (all but the seed), so they no longer count in the figures the
project reports: they pin what the hand-written rules find (RULES_ONLY weights). The learned scorer is
measured on real published text: corpus/, tests/extraction/test_learning.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from tracker.extraction import detect_commitments, parse_transcript
from tracker.extraction.scorer import RULES_ONLY
from tracker.extraction.types import Candidate, Speech, Transcript

ROOT = Path(__file__).resolve().parents[2]
EVAL = Path(__file__).resolve().parent / "eval"
SEED = ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"
MIN_RECALL = 0.9
MIN_PRECISION = 0.8
MIN_TRANSCRIPTS = 12


@dataclass
class Case:
    name: str
    text: str
    annotation: dict

    @property
    def reference_date(self) -> date | None:
        value = self.annotation.get("reference_date")
        return date.fromisoformat(value) if value else None


@dataclass
class Score:
    name: str
    expected: int = 0
    found: int = 0
    true_candidates: int = 0
    recalled: int = 0
    kind_agrees: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    kind_mismatches: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_candidates / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.expected if self.expected else 1.0


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(EVAL.glob("*.json")):
        annotation = json.loads(path.read_text("utf-8"))
        source = ROOT / annotation["source"] if "source" in annotation else path.with_suffix(".txt")
        cases.append(Case(path.stem, source.read_text("utf-8"), annotation))
    return cases


CASES = load_cases()


def locate(sentence: str, text: str) -> list[tuple[int, int]]:
    """Where the annotated sentence occurs in a text, ignoring differences in whitespace."""
    pattern = r"\s+".join(re.escape(word) for word in sentence.split())
    return [(m.start(), m.end()) for m in re.finditer(pattern, text)]


def overlaps(candidate: Candidate, speech: Speech, sentence: str) -> bool:
    spans = locate(sentence, speech.text)
    return any(start < candidate.end and candidate.start < end for start, end in spans)


def run(case: Case) -> tuple[Transcript, list[Candidate]]:
    transcript = parse_transcript(case.text)
    return transcript, detect_commitments(transcript, reference_date=case.reference_date, weights=RULES_ONLY)


def score(case: Case) -> Score:
    transcript, candidates = run(case)
    speeches = {s.index: s for s in transcript.speeches}
    expected = case.annotation["commitments"]
    result = Score(case.name, expected=len(expected), found=len(candidates))
    recalled: set[int] = set()
    for candidate in candidates:
        speech = speeches[candidate.speech_index]
        hits = [i for i, a in enumerate(expected) if overlaps(candidate, speech, a["sentence"])]
        if hits:
            result.true_candidates += 1
            recalled.update(hits)
            agrees = any(expected[i]["kind"] == candidate.kind for i in hits)
            result.kind_agrees += agrees
            if not agrees:
                wanted = "/".join(sorted({expected[i]["kind"] for i in hits}))
                quote = " ".join(candidate.quote.split())
                result.kind_mismatches.append(f"{candidate.kind} for {wanted}: {quote}")
        else:
            result.false_positives.append(f"[{candidate.rule}] {' '.join(candidate.quote.split())}")
    result.recalled = len(recalled)
    result.misses = [a["sentence"] for i, a in enumerate(expected) if i not in recalled]
    return result


def report(scores: list[Score]) -> str:
    lines = [f"{'file':58} {'exp':>4} {'cand':>4} {'prec':>6} {'rec':>6} {'kind':>5}"]
    for s in scores:
        lines.append(
            f"{s.name:58} {s.expected:4} {s.found:4} {s.precision:6.2f} {s.recall:6.2f} "
            f"{s.kind_agrees:2}/{s.true_candidates:<2}"
        )
        lines.extend(f"    MISSED  {m}" for m in s.misses)
        lines.extend(f"    FALSE+  {f}" for f in s.false_positives)
        lines.extend(f"    KIND    {k}" for k in s.kind_mismatches)
    total = total_score(scores)
    lines.append(
        f"{'TOTAL':58} {total.expected:4} {total.found:4} {total.precision:6.2f} {total.recall:6.2f} "
        f"{total.kind_agrees:2}/{total.true_candidates:<2}"
    )
    return "\n".join(lines)


def total_score(scores: list[Score]) -> Score:
    total = Score("TOTAL")
    for s in scores:
        total.expected += s.expected
        total.found += s.found
        total.true_candidates += s.true_candidates
        total.recalled += s.recalled
        total.kind_agrees += s.kind_agrees
    return total


def test_the_evaluation_set_is_large_enough():
    written = [c for c in CASES if "source" not in c.annotation]
    assert len(written) >= MIN_TRANSCRIPTS
    assert any("source" in c.annotation for c in CASES), "the seed is part of the evaluation"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_annotations_quote_the_transcript(case: Case):
    """Every annotated sentence is words of the transcript, with a kind the register knows."""
    flat = " ".join(case.text.split())
    for entry in case.annotation["commitments"] + case.annotation.get("not_commitments", []):
        assert " ".join(entry["sentence"].split()) in flat, entry["sentence"]
    for entry in case.annotation["commitments"]:
        assert entry["kind"] in (
            "send_document",
            "report_back",
            "hearing",
            "agenda",
            "publish",
            "evaluate",
            "other",
        )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_annotated_commitments_are_in_speeches_that_can_promise(case: Case):
    """The parser puts each annotated commitment in one speech of the annotated speaker, not a member's.

    A failure here is a parsing problem (a chair's remark glued to a member's speech, say), which the
    detector cannot repair.
    """
    transcript = parse_transcript(case.text)
    problems = []
    for entry in case.annotation["commitments"]:
        homes = [s for s in transcript.speeches if locate(entry["sentence"], s.text)]
        if len(homes) != 1 or homes[0].role == "member" or homes[0].surname != entry["speaker"]:
            where = [(s.index, s.role, s.surname) for s in homes]
            problems.append(f"{entry['sentence'][:70]!r} found in {where}, expected {entry['speaker']!r}")
    assert not problems, "parser attribution: " + "; ".join(problems)


def test_precision_and_recall():
    scores = [score(case) for case in CASES]
    print("\n" + report(scores))
    total = total_score(scores)
    assert total.recall >= MIN_RECALL, f"recall {total.recall:.2f} below {MIN_RECALL}"
    assert total.precision >= MIN_PRECISION, f"precision {total.precision:.2f} below {MIN_PRECISION}"


# --------------------------------------------------------------------------------------------------
# The seed, in detail
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[Transcript, list[Candidate]]:
    transcript = parse_transcript(SEED.read_text("utf-8"))
    return transcript, detect_commitments(transcript, weights=RULES_ONLY)


def test_seed_has_exactly_two_candidates(seed):
    transcript, candidates = seed
    roles = [s.role for s in transcript.speeches]
    assert len(roles) == 13
    assert [s.surname for s in transcript.speeches if s.role != "chair"] == [
        "Vandromme", "Crevits", "Vandromme", "Claes", "Crevits", "Vandromme"
    ]  # fmt: skip
    assert len(candidates) == 2


def test_seed_minister_sends_the_selected_projects(seed):
    transcript, candidates = seed
    speeches = transcript.speeches
    first = candidates[0]
    second_crevits = [s.index for s in speeches if s.surname == "Crevits"][1]
    assert first.speech_index == second_crevits
    assert first.quote == speeches[first.speech_index].text[first.start : first.end]
    assert "ik kan voor beide oproepen –" in first.quote
    merged = "de geselecteerde kandidaten als achtergrondinfo meegeven. Ik zal die gegevens verzamelen"
    assert merged in first.quote
    assert first.quote.endswith("het vlotst aan jullie allemaal kunnen bezorgen.")
    assert first.kind == "send_document"
    assert first.speaker == "Hilde Crevits" and first.role == "minister"
    assert "Vandromme" in first.promised_to
    assert first.to_committee is True
    assert first.request_speech_index is None


def test_seed_chair_confirms_the_hearing_of_the_pom(seed):
    transcript, candidates = seed
    speeches = transcript.speeches
    second = candidates[1]
    assert second.speech_index == len(speeches) - 1
    assert second.quote == "Dat doen we zeker."
    assert second.role == "chair" and second.speaker == ""
    assert second.kind == "hearing"
    assert second.promiser == "committee"
    assert second.event_bound is True and second.due_date is None
    assert second.due_text == "zodra die studie is opgeleverd"
    assert "Vandromme" in second.promised_to
    request = speeches[second.request_speech_index]
    assert request.surname == "Vandromme" and request.role == "member"
    assert second.request_quote in request.text
    assert "hoorzitting van de POM" in second.request_quote
    # The deadline comes from her earlier proposal, in an earlier speech of hers.
    earlier = [s for s in speeches if s.surname == "Vandromme" and "zodra die studie is opgeleverd" in s.text]
    assert earlier and earlier[0].index < second.request_speech_index


def test_seed_flags_nothing_else(seed):
    transcript, candidates = seed
    quotes = " ".join(c.quote for c in candidates)
    for sentence in (
        "Ik geef u acht voorbeelden",
        "Ik zal ze kort duiden.",
        "Het zou heel nuttig zijn om de studie",
        "Als de oproep gelanceerd is, kun je alle informatie op de website terugvinden.",
    ):
        assert sentence not in quotes
    members = {s.index for s in transcript.speeches if s.role == "member"}
    assert not any(c.speech_index in members for c in candidates)
