"""How well the pure scorer proposes the commitment a real letter fulfils: `python -m tracker.letters.evaluate`.

Reads the letters of corpus/letters/*.json (format: corpus/letters/README.md) and pools every commitment
they hold, with the real commitments of corpus/sittings as distractors, into one open register. Every
letter is matched against the whole pool with `matching.rank` (the same function the register runs on its
candidate set) and counted:

* top-1 / top-3: of the letters that fulfil a commitment, the share whose first (first three) proposals
  above the threshold include one it fulfils; a letter without a proposal counts as a miss;
* false proposals: of the letters that fulfil nothing, the share with any proposal above the threshold.

Tune on --part dev only. Per-letter lines (--verbose) are printed for the dev part alone; held-out letters
are only ever counted.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tracker.extraction.corpus import CORPUS_DIR, load_corpus

from . import matching

LETTERS_DIR = Path(__file__).resolve().parents[2] / "corpus" / "letters"


@dataclass(frozen=True)
class Case:
    id: str
    part: str
    letter: matching.Letter
    fulfils: frozenset[str]
    circular: bool  # every commitment it fulfils was reconstructed from the letter itself


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def load_letters(root: Path) -> tuple[list[Case], list[matching.Promise]]:
    """The letters as cases and their commitments as promises (keyed '<letter id>:<commitment id>')."""
    cases, promises = [], []
    for path in sorted(root.glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        body = raw["letter"]
        letter = matching.Letter(
            text=body["text"], sender=body.get("sender", ""), date=_date(body.get("date")), title=body.get("title", "")
        )
        by_id = {c["id"]: c for c in raw.get("commitments", [])}
        for c in raw.get("commitments", []):
            promises.append(
                matching.Promise(
                    key=f"{raw['id']}:{c['id']}",
                    quote=c.get("quote", ""),
                    summary=c.get("summary", ""),
                    promiser=c.get("promiser", ""),
                    function=c.get("function", ""),
                    ministry=c.get("ministry", ""),
                    sitting_date=_date(c.get("sitting_date")),
                    sitting_title=c.get("sitting_title", ""),
                )
            )
        fulfils = frozenset(f"{raw['id']}:{cid}" for cid in raw.get("fulfils", []))
        circular = bool(fulfils) and all(by_id[cid].get("commitment_from") == "letter" for cid in raw["fulfils"])
        cases.append(Case(raw["id"], raw["part"], letter, fulfils, circular))
    return cases, promises


def sitting_promises(root: Path = CORPUS_DIR) -> list[matching.Promise]:
    """The real commitments of the transcript corpus, as the open register's other promises."""
    found = []
    for sitting in load_corpus(root):
        for index, label in enumerate(sitting.commitments):
            speaker = sitting.speeches[label.speech].speaker
            found.append(
                matching.Promise(
                    key=f"sitting:{sitting.sitting}:{index}",
                    quote=label.quote,
                    promiser=speaker,
                    sitting_date=sitting.date,
                    sitting_title=sitting.title,
                )
            )
    return found


@dataclass
class Tally:
    fulfilling: int = 0
    top1: int = 0
    top3: int = 0
    unrelated: int = 0
    false_proposals: int = 0

    def line(self, name: str) -> str:
        def share(n: int, d: int) -> str:
            return f"{n / d:.2f} ({n}/{d})" if d else "– (0)"

        line = f"{name}: top-1 {share(self.top1, self.fulfilling)}, top-3 {share(self.top3, self.fulfilling)}"
        if self.unrelated:
            line += f", false proposals on unrelated letters {share(self.false_proposals, self.unrelated)}"
        return line


def evaluate(cases: list[Case], promises: list[matching.Promise], *, threshold: float, verbose: bool, out) -> dict:
    vocabulary = matching.Vocabulary.of(promises)
    tallies = {"all": Tally(), "independent": Tally(), "circular": Tally()}
    for case in cases:
        ranked = matching.rank(case.letter, promises, vocabulary=vocabulary, threshold=threshold, limit=3)
        keys = [p.key for p in ranked]
        groups = [tallies["all"]]
        if case.fulfils:
            groups.append(tallies["circular" if case.circular else "independent"])
        for tally in groups:
            if case.fulfils:
                tally.fulfilling += 1
                tally.top1 += bool(keys[:1]) and keys[0] in case.fulfils
                tally.top3 += any(k in case.fulfils for k in keys)
            else:
                tally.unrelated += 1
                tally.false_proposals += bool(keys)
        if verbose and case.part == "dev":
            _explain(case, ranked, out)
    return tallies


def _explain(case: Case, ranked: list[matching.Proposal], out) -> None:
    mark = "fulfils" if case.fulfils else "unrelated"
    out.write(f"\n{case.id} ({mark}: {', '.join(sorted(case.fulfils)) or '-'})\n")
    for p in ranked:
        hit = "*" if p.key in case.fulfils else " "
        reasons = "; ".join(f"{r.kind} {r.detail} +{r.points:.2f}" for r in p.reasons)
        out.write(f"  {hit} {p.score:.2f} {p.key}: {reasons}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker.letters.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("dev", "heldout", "all"), default="dev")
    parser.add_argument("--dir", type=Path, default=LETTERS_DIR, help="Directory of the letter files.")
    parser.add_argument("--threshold", type=float, default=matching.THRESHOLD)
    parser.add_argument("--verbose", action="store_true", help="Per-letter proposals (dev letters only).")
    args = parser.parse_args(argv)
    if not args.dir.is_dir() or not any(args.dir.glob("*.json")):
        print(f"Geen brieven in {args.dir} (corpus/letters/*.json).", file=sys.stderr)
        return 2
    cases, promises = load_letters(args.dir)
    promises += sitting_promises()
    chosen = [c for c in cases if args.part == "all" or c.part == args.part]
    out = sys.stdout
    out.write(
        f"{len(chosen)} letters ({args.part}), {len(promises)} commitments in the open register, "
        f"threshold {args.threshold:.2f}\n"
    )
    tallies = evaluate(chosen, promises, threshold=args.threshold, verbose=args.verbose, out=out)
    out.write("\n")
    out.write(tallies["all"].line("all") + "\n")
    out.write(tallies["independent"].line("  commitment from the register or Handelingen") + "\n")
    out.write(tallies["circular"].line("  commitment from the letter itself (circular)") + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
