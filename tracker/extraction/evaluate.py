"""Score the detector on the corpus of real published text: `python -m tracker.extraction.evaluate`.

Per source family and in total, on the development part and on the held-out part: recall, precision,
promiser role accuracy, deadline normalisation accuracy, and one line for each miss and each false
proposal. While tuning, look only at `--part dev`; the held-out part is for reporting final figures.

A proposal matches a labelled commitment when it lies in the same speech and their spans overlap.
Recall counts labelled commitments matched by some proposal; precision counts proposals that match a
labelled commitment, leaving out those that only touch a sentence labelled "optional".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .corpus import FAMILIES, Label, Sitting, load_corpus
from .detector import propose_in_speeches
from .parser import normalise_name
from .ranking import Proposal
from .scorer import Weights, load_weights
from .types import Speech

ROLE_OF_PROMISER = ("speaker", "government", "committee")


def speeches_of(sitting: Sitting) -> list[Speech]:
    """The corpus speeches as the parser would have produced them."""
    out = []
    for i, s in enumerate(sitting.speeches):
        name, surname, _honorific, _party, _function = normalise_name(s.speaker)
        out.append(
            Speech(
                index=i,
                item_position=0,
                label=s.speaker,
                name=name,
                surname=surname,
                role=s.role,
                text=s.text,
                line=0,
            )
        )
    return out


def askers_of(speeches: Sequence[Speech]) -> tuple[str, ...]:
    first = next((s for s in speeches if s.role == "member" and s.name), None)
    return (first.name,) if first else ()


def proposals_for(sitting: Sitting, weights: Weights) -> list[Proposal]:
    speeches = speeches_of(sitting)
    return propose_in_speeches(speeches, askers=askers_of(speeches), reference_date=sitting.date, weights=weights)


def _overlaps(label: Label, proposal: Proposal) -> bool:
    c = proposal.candidate
    return c.speech_index == label.speech and c.start < label.end and label.start < c.end


def label_of(proposal: Proposal, labels: Iterable[Label]) -> str:
    """'commitment', 'optional' or 'none': what the labels say of the proposal's span."""
    touched = {label.label for label in labels if _overlaps(label, proposal)}
    if "commitment" in touched:
        return "commitment"
    return "optional" if "optional" in touched else "none"


@dataclass
class Score:
    gold: int = 0
    recalled: int = 0
    proposals: int = 0
    correct: int = 0
    role_known: int = 0
    role_right: int = 0
    due_known: int = 0
    due_right: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("gold", "recalled", "proposals", "correct", "role_known", "role_right", "due_known", "due_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses
        self.false += other.false

    @staticmethod
    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    @property
    def recall(self) -> float | None:
        return self.ratio(self.recalled, self.gold)

    @property
    def precision(self) -> float | None:
        return self.ratio(self.correct, self.proposals)


def _one_line(text: str, width: int = 150) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _due_right(label: Label, proposal: Proposal) -> bool:
    c = proposal.candidate
    if label.due_date is not None:
        return c.due_date == label.due_date
    return bool(c.due_text)  # an event ("zodra …") or a time without a date: the words must be found


def score_sitting(sitting: Sitting, proposals: Sequence[Proposal], threshold: float) -> Score:
    kept = [p for p in proposals if p.probability >= threshold]
    score = Score()
    for label in sitting.commitments:
        score.gold += 1
        matches = [p for p in kept if _overlaps(label, p)]
        if not matches:
            score.misses.append(f"{sitting.sitting} #{label.speech}: {_one_line(label.quote)}")
            continue
        score.recalled += 1
        best = max(matches, key=lambda p: p.probability)
        if label.promiser:
            score.role_known += 1
            score.role_right += best.candidate.promiser == label.promiser
        if label.due_text:
            score.due_known += 1
            score.due_right += _due_right(label, best)
    for p in kept:
        verdict = label_of(p, sitting.labels)
        if verdict == "optional":
            continue
        score.proposals += 1
        if verdict == "commitment":
            score.correct += 1
        else:
            c = p.candidate
            score.false.append(
                f"{sitting.sitting} #{c.speech_index} ({p.probability:.2f} {c.rule}): {_one_line(c.quote)}"
            )
    return score


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def evaluate(
    sittings: Sequence[Sitting], weights: Weights, threshold: float | None = None
) -> dict[tuple[str, str], Score]:
    """Scores keyed by (part, family), with (part, 'total') for each part."""
    cut = weights.threshold if threshold is None else threshold
    scores: dict[tuple[str, str], Score] = {}
    for sitting in sittings:
        one = score_sitting(sitting, proposals_for(sitting, weights), cut)
        scores.setdefault((sitting.part, sitting.family), Score()).add(one)
        scores.setdefault((sitting.part, "total"), Score()).add(one)
    return scores


def report(scores: dict[tuple[str, str], Score], *, errors: bool = True) -> Iterable[str]:
    yield f"{'part':<8} {'family':<18} {'gold':>5} {'recall':>7} {'props':>6} {'precision':>9} {'role':>6} {'due':>6}"
    order = {name: i for i, name in enumerate((*FAMILIES, "total"))}
    for (part, family), s in sorted(scores.items(), key=lambda kv: (kv[0][0], order[kv[0][1]])):
        role = Score.ratio(s.role_right, s.role_known)
        due = Score.ratio(s.due_right, s.due_known)
        yield (
            f"{part:<8} {family:<18} {s.gold:>5} {_fmt(s.recall):>7} {s.proposals:>6} {_fmt(s.precision):>9} "
            f"{_fmt(role):>6} {_fmt(due):>6}"
        )
    if not errors:
        return
    for (part, family), s in sorted(scores.items()):
        if family == "total":
            continue
        for line in s.misses:
            yield f"MISS  {part} {family} {line}"
        for line in s.false:
            yield f"FALSE {part} {family} {line}"


CURVE = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9)


def curve(sittings: Sequence[Sitting], weights: Weights) -> Iterable[str]:
    """Recall and precision per part at a range of thresholds: what TRACKER_CANDIDATE_THRESHOLD trades."""
    proposals = [(s, proposals_for(s, weights)) for s in sittings]
    parts = sorted({s.part for s in sittings})
    yield f"{'threshold':>9} " + " ".join(f"{part + ' recall':>14} {part + ' precision':>17}" for part in parts)
    for t in CURVE:
        cells = []
        for part in parts:
            total = Score()
            for s, found in proposals:
                if s.part == part:
                    total.add(score_sitting(s, found, t))
            cells.append(f"{_fmt(total.recall):>14} {_fmt(total.precision):>17}")
        yield f"{t:>9.2f} " + " ".join(cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Recall and precision of the detector on real transcripts.")
    parser.add_argument("--part", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--threshold", type=float, help="override the threshold stored with the weights")
    parser.add_argument("--no-errors", action="store_true", help="print the figures only")
    parser.add_argument("--curve", action="store_true", help="also print recall and precision at other thresholds")
    parser.add_argument(
        "--min-recall", type=float, help="exit 1 when the total recall of the chosen part is below this"
    )
    args = parser.parse_args(argv)
    sittings = load_corpus(part=None if args.part == "all" else args.part)
    weights = load_weights()
    scores = evaluate(sittings, weights, args.threshold)
    for line in report(scores, errors=not args.no_errors):
        print(line)
    if args.curve:
        for line in curve(sittings, weights):
            print(line)
    if args.min_recall is not None:
        parts = ("dev", "heldout") if args.part == "all" else (args.part,)
        for part in parts:
            recall = scores.get((part, "total"), Score()).recall
            if recall is None or recall < args.min_recall:
                print(f"recall on {part} is {_fmt(recall)}, below {args.min_recall}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
