"""Turn scored sentences into proposals: the rule detector's candidates rescored, plus what only the
scorer finds.

For each sentence of an eligible speech that passes the recall gate (`features.gate`), the scorer gives
a probability. A candidate the rules built (with its merged quote, linked request, recipients and
deadline) keeps all that and takes the highest probability of its sentences; a sentence no rule fired
on becomes a candidate of its own, with its kind, promiser and deadline read from the sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from . import detector as d
from .dates import resolve_due
from .features import SentenceView, cannot_pass, describe, gate
from .scorer import Weights
from .types import Candidate, Speech


@dataclass(frozen=True, slots=True)
class Proposal:
    """A candidate before the threshold: what the trainer and the evaluation look at."""

    candidate: Candidate
    probability: float
    features: dict[str, float]


def _overlapping(candidates: Sequence[Candidate], start: int, end: int) -> list[Candidate]:
    return [c for c in candidates if c.start < end and start < c.end]


def _rule_of(features: dict[str, float], weights: Weights) -> str:
    """What a clerk reads as the reason: the named features that raised the score most."""
    strongest = weights.strongest(features)
    return "scorer:" + "+".join(strongest) if strongest else "scorer"


def _promiser(low: str, words: frozenset[str], role: str) -> str:
    if "ik" in words:
        return "speaker"
    if ("we" in words or "wij" in words or d._GOVERNMENT.search(low, words)) and role != "other":
        return "committee" if role == "chair" else "government"
    return "speaker"


def _new_candidate(speech: Speech, sentence, view: SentenceView, ctx, due) -> Candidate:
    kinds = [k for k, _s in view.kinds]
    names = d._names_in(sentence.text, ctx.members) or list(ctx.askers)
    return Candidate(
        speech_index=speech.index,
        speaker=speech.name,
        role=speech.role,
        quote=sentence.text,
        start=sentence.start,
        end=sentence.end,
        kind=d._best_kind(kinds, view.low, view.words) if kinds else "other",
        promiser=_promiser(view.low, view.words, speech.role),
        promised_to=tuple(dict.fromkeys(names)),
        to_committee=d._TO_PARLIAMENT.search(view.low, view.words) is not None,
        due_text=due.due_text,
        due_date=due.due_date,
        event_bound=due.event_bound,
    )


def proposals(
    speech: Speech,
    sentences: list,
    rule_candidates: list[Candidate],
    *,
    pending: Callable[[], bool],
    ctx,
    weights: Weights,
    floor: float = 0.0,
) -> list[Proposal]:
    """Scored candidates of one speech; below `floor` a sentence no rule fired on is dropped unbuilt."""
    best: dict[int, tuple[float, dict[str, float]]] = {}  # rule candidate index → best score
    found: list[Proposal] = []
    for i, sentence in enumerate(sentences):
        over = _overlapping(rule_candidates, sentence.start, sentence.end)
        rule = "+".join(dict.fromkeys(c.rule for c in over))
        low, words = sentence.low, sentence.words
        if not over and cannot_pass(low, words):
            continue
        view = SentenceView(
            low=low,
            words=words,
            role=speech.role,
            position=i,
            count=len(sentences),
            open_request=pending,
            rule=rule,
            rule_confidence=max((c.confidence for c in over), default=0.0),
            due_text=over[0].due_text if over else "",
            event_bound=bool(over and over[0].event_bound),
        )
        if not gate(view):
            continue
        features = describe(view)
        p = weights.probability(features)
        if over:
            for c in over:
                key = rule_candidates.index(c)
                if key not in best or p > best[key][0]:
                    best[key] = (p, features)
            continue
        if p < floor:
            continue
        # The deadline is read only for what may be proposed: resolve_due is the costliest step.
        due = resolve_due(sentence.text, ctx.reference_date)
        candidate = _new_candidate(speech, sentence, view, ctx, due)
        candidate = replace(candidate, confidence=round(p, 3), rule=_rule_of(features, weights))
        found.append(Proposal(candidate, p, features))
    for key, (p, features) in best.items():
        c = rule_candidates[key]
        found.append(Proposal(replace(c, confidence=round(p, 3)), p, features))
    found.sort(key=lambda pr: pr.candidate.start)
    return found
