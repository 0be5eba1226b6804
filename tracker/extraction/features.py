"""Candidates for recall, described by named features for the learned scorer.

The rules in `detector` were written to be precise; on real transcripts they missed about four in ten
commitments. Here every sentence of an eligible speaker that *could* be a promise becomes a candidate
(the gate below is deliberately wide), and is described by named features — the deliverable it names,
who acts, to whom, in which mood, and everything that usually makes it not a promise (negation, hedge,
condition, past, question, an answer given on the spot, a third party). Whether a rule fired is one
feature among them. `scorer` weighs them with weights learned from the corpus of real text.

Pure Python, no Django; the lexicons live in `lexicon.py`, logic here is only which of them apply to a
sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import detector as d
from .lexicon import (
    _AGENTS,
    _ASKS_YOU,
    _LATER_PLACE,
    _LATER_TIME,
    _LATER_TODAY,
    _MEMBER_CONDITION,
    _MODAL_FUTURE,
    _MOOD_OR_HOUSE,
    _ON_THE_SPOT,
    _PARLIAMENT,
    _POLICY_AGENTS,
    _QUOTES_TEXT,
    _REFUSAL,
    _REQUEST_WORDS,
    _SOFT_DELIVERY,
    _TOEZEG,
)

# A sentence this long is a paragraph the splitter could not cut; still a candidate, but flagged.
_LONG_WORDS = 60

KIND_WORDS = d._DELIVERABLE_WORDS | d._IMPERSONAL.tokens  # every word detector._kinds needs to find anything


class SentenceView:
    """What a feature may look at: the sentence, its speech, and where it stands.

    The deliverables it names (`kinds`) and whether a request is open are looked up on first use: most
    sentences are decided by set tests before either is needed.
    """

    __slots__ = (
        "_kinds",
        "count",
        "due_text",
        "event_bound",
        "low",
        "open_request",
        "position",
        "role",
        "rule",
        "rule_confidence",
        "words",
    )

    def __init__(
        self,
        *,
        low: str,
        words: frozenset[str],
        role: str,
        position: int = 0,
        count: int = 1,
        open_request: Callable[[], bool] = lambda: False,
        rule: str = "",
        rule_confidence: float = 0.0,
        due_text: str = "",
        event_bound: bool = False,
        kinds: tuple[tuple[str, str], ...] | None = None,
    ) -> None:
        self.low = low
        self.words = words
        self.role = role
        self.position = position  # index of the sentence in its speech
        self.count = count  # sentences in the speech
        self.open_request = open_request
        self.rule = rule  # the rule that fired on this sentence, "" if none
        self.rule_confidence = rule_confidence  # the confidence that rule gave (0 when none fired)
        self.due_text = due_text  # the deadline the rule found
        self.event_bound = event_bound
        self._kinds = kinds

    @property
    def kinds(self) -> tuple[tuple[str, str], ...]:
        """(kind, strength) of each deliverable named, from detector._kinds."""
        if self._kinds is None:
            if self.words.isdisjoint(KIND_WORDS):
                self._kinds = ()  # a set test spares the patterns
            else:
                self._kinds = tuple(d._kinds(self.low, self.words, chair=self.role == "chair"))
        return self._kinds

    @property
    def pending_request(self) -> bool:
        return self.open_request()


def _kind_names(v: SentenceView) -> list[str]:
    return [kind for kind, _strength in v.kinds]


def _strong(v: SentenceView) -> bool:
    return any(s == "strong" for _k, s in v.kinds)


def _past(v: SentenceView) -> bool:
    return bool(d._PERFECT.search(v.low, v.words) and d._PAST_FORM.search(v.low, v.words))


def _negated(v: SentenceView) -> bool:
    return any(d._negated(c, v.words) for c in d._clauses(v.low))


def _acceptance_form(v: SentenceView) -> bool:
    short = len(v.words) <= d._MAX_ACCEPTANCE_WORDS
    return bool(short and d._ACCEPT_ANAPHORIC.match(v.low)) or (
        v.position == 0 and d._ACCEPT_YES.match(v.low) is not None
    )


def _w(feature) -> Callable[[SentenceView], bool]:
    return lambda v: feature.search(v.low, v.words) is not None


def _r(feature) -> Callable[[SentenceView], bool]:
    return _w(feature)


# Named features: each is a yes/no question about the sentence. The names are what `rule` shows clerks.
FEATURES: tuple[tuple[str, Callable[[SentenceView], bool]], ...] = (
    ("role_minister", lambda v: v.role == "minister"),
    ("role_chair", lambda v: v.role == "chair"),
    ("role_other", lambda v: v.role == "other"),
    ("rule_any", lambda v: bool(v.rule)),
    ("deliverable", lambda v: bool(_kind_names(v))),
    ("deliverable_strong", _strong),
    ("soft_delivery_word", lambda v: not v.words.isdisjoint(_SOFT_DELIVERY)),
    ("toezeggen", _r(_TOEZEG)),
    ("performative", lambda v: d._PERFORMATIVE.search(v.low, v.words) is not None),
    ("agent_i", lambda v: "ik" in v.words),
    ("agent_we", lambda v: "we" in v.words or "wij" in v.words),
    ("agent_government", _w(d._GOVERNMENT)),
    ("policy_agent", _r(_POLICY_AGENTS)),
    ("recipient_you", lambda v: d._YOU.search(v.low, v.words) is not None),
    ("recipient_parliament", _w(d._TO_PARLIAMENT)),
    ("recipient_subject", _w(d._RECIPIENT_SUBJECT)),
    ("committee_place", _w(d._COMMITTEE_PLACE)),
    ("impersonal", _w(d._IMPERSONAL)),
    ("passive", _w(d._PASSIVE)),
    ("future", _w(d._FUTURE)),
    ("offer", _w(d._OFFER)),
    ("ready", _w(d._READY)),
    ("best_effort", _w(d._BEST_EFFORT)),
    ("relayed", _w(d._RELAYED)),
    ("chair_decision", _w(d._CHAIR_DECISION)),
    ("later_place", _r(_LATER_PLACE)),
    ("later_time", _r(_LATER_TIME)),
    ("has_due", lambda v: bool(v.due_text)),
    ("due_event", lambda v: v.event_bound),
    ("third_party", lambda v: bool(d._THIRD_PARTY.search(v.low, v.words) or d._OTHER_PARTY.search(v.low, v.words))),
    ("asks_others", _w(d._ASKS_OTHERS)),
    ("negation", _negated),
    ("refusal", _r(_REFUSAL)),
    ("hedge", lambda v: d._hedged(v.low, v.words)),
    ("conditional", _w(d._CONDITIONAL)),
    ("reported", _w(d._REPORTED)),
    ("as_promised", _w(d._AS_PROMISED)),
    ("indirect_question", _w(d._INDIRECT_QUESTION)),
    ("past", _past),
    ("past_time", lambda v: d._PAST_TIME.search(v.low) is not None),
    ("in_speech", _w(d._IN_SPEECH)),
    ("on_the_spot", _r(_ON_THE_SPOT)),
    ("says_that", _w(d._SAYS_THAT)),
    ("imagine", _w(d._IMAGINE)),
    ("question", lambda v: v.low.rstrip().endswith("?")),
    ("answers_request", _r(_REQUEST_WORDS)),
    ("member_condition", _r(_MEMBER_CONDITION)),
    ("asks_you", _r(_ASKS_YOU)),
    ("later_today", _r(_LATER_TODAY)),
    ("quotes_text", _r(_QUOTES_TEXT)),
    ("acceptance", lambda v: _acceptance_form(v) and v.pending_request),
    ("first_sentence", lambda v: v.position == 0),
    ("last_sentence", lambda v: v.position == v.count - 1),
    ("long_sentence", lambda v: len(v.words) > _LONG_WORDS),
    ("short_sentence", lambda v: len(v.words) <= 8),
)
FEATURE_NAMES = (*(name for name, _ in FEATURES), "rule_confidence")


def gate(v: SentenceView) -> bool:
    """Could this sentence be a promise? Wide on purpose: recall first, the scorer decides.

    Cheapest tests first: most sentences are decided by set tests alone."""
    if v.rule:
        return True
    words = v.words
    if d._TURN_GIVING.search(v.low, words):
        return False
    if agent_mood_delivery(words) or v.kinds:
        return True
    if _TOEZEG.search(v.low, words) or d._PERFORMATIVE.search(v.low, words):
        return True
    if len(words) <= d._MAX_ACCEPTANCE_WORDS and _acceptance_form(v) and v.pending_request:
        return True
    if any(f.search(v.low, words) for f in (d._RECIPIENT_SUBJECT, d._MOVES_TO_PARLIAMENT)):
        return True  # "de Kamer zal horen …", "dat onderzoek komt naar uw Kamer": the parliament receives
    someone = not (words.isdisjoint(_AGENTS) and words.isdisjoint(_MOOD_OR_HOUSE))
    return someone and d._names_a_document(v.low, words)  # "die brief komt eraan"


# Words without which `gate` can pass a sentence only if it names a document: most sentences have none.
_GATE_WORDS = (
    KIND_WORDS
    | _SOFT_DELIVERY
    | d._PERFORMATIVE.tokens
    | d._RECIPIENT_SUBJECT.tokens
    | d._MOVES_TO_PARLIAMENT.tokens
    | frozenset(("toe",))
)


def cannot_pass(low: str, words: frozenset[str]) -> bool:
    """A quick no before `gate`: long, none of its words, no "toezeg", and no document named."""
    if len(words) <= d._MAX_ACCEPTANCE_WORDS or not words.isdisjoint(_GATE_WORDS) or "toezeg" in low:
        return False  # an acceptance ("Dat doen we zeker.") is short
    return not d._names_a_document(low, words)


def agent_mood_delivery(words: frozenset[str]) -> bool:
    """ "ik zal …", "we kunnen … bezorgen": someone, a modal and a word of delivery."""
    someone = not (words.isdisjoint(_AGENTS) and words.isdisjoint(_PARLIAMENT))
    return someone and not (words.isdisjoint(_MODAL_FUTURE) or words.isdisjoint(_SOFT_DELIVERY))


_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def ngrams(low: str) -> list[str]:
    """Word unigrams and bigrams of the sentence, as the scorer's vocabulary names them."""
    tokens = _TOKEN.findall(low)
    grams = [f"w:{t}" for t in tokens]
    grams.extend(f"b:{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False))
    return grams


def describe(v: SentenceView) -> dict[str, float]:
    """The sentence's named features (those that hold) and its n-grams, each with value 1."""
    found = {name: 1.0 for name, test in FEATURES if test(v)}
    if v.rule_confidence:
        found["rule_confidence"] = v.rule_confidence  # the hand-set confidence of the rule that fired
    if v.rule:
        for part in v.rule.split("+"):
            found[f"rule:{part}"] = 1.0
    for kind in _kind_names(v):
        found[f"kind:{kind}"] = 1.0
    for gram in ngrams(v.low):
        found[gram] = 1.0
    return found
