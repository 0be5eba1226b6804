"""Propose the commitments (toezeggingen) made in a transcript's speeches.

A commitment, for the register, is a promise made *to the parliament*: to send a document, report
back, come and explain, invite someone to the committee, put something on the agenda, publish, or
evaluate and report. A minister announcing policy ("we zullen de middelen verhogen") promises the
parliament nothing it can chase, so that is not proposed. Only ministers, the chair and other officials
make commitments; nothing a member says is ever a candidate, though a member's request becomes one
when a minister or the chair accepts it.

The rules describe Dutch, not our examples. Each main clause of an eligible speech is checked for

* a deliverable: a verb of sending, informing, coming back, inviting, scheduling or publishing. Dutch
  splits many of them ("ik stuur u de lijst door", "ik leg het plan … voor"), so a particle is matched
  apart from its verb as well as in the joined infinitive and participle;
* an agent: "ik", "we", the government or administration, the minister (when the chair relays), a
  recipient as subject ("u krijgt", "de commissie ontvangt"), a passive ("zal worden bezorgd") or an
  impersonal "er komt … naar het parlement";
* a mood that commits: future or modal ("zal", "ga", "kan u … bezorgen", "ben bereid"), a performative
  ("ik beloof", "ik zeg u toe", "ik engageer mij"), a best effort ("we doen alles om …"), or the
  present tense — future enough in Dutch for a strong verb with a recipient ("ik bezorg u de lijst") and
  for any verb with a time ("die cijfers geef ik u volgende week");

and is rejected when it is a question, negated, hedged ("misschien", "ik sluit niet uit", "we bekijken
of"), conditional ("zou"), reported or past ("u hebt toegezegd", "ik heb u de lijst bezorgd"), or
about the speech itself ("ik kom daar straks op terug", "ik kan u meegeven dat …").

Acceptances ("Dat doen we zeker.", "Dat zal ik doen.") name nothing themselves: they become a candidate
only while a member's request is open, and take their kind and deadline from that request.

Candidate.rule names what fired ("a+b" when adjacent sentences of one promise were merged):

    future               "ik zal u de nota bezorgen", "we gaan de commissie informeren"
    offer                "ik kan u de lijst meegeven" (with the parliament as recipient)
    present              "ik bezorg u de lijst", "ik kom daarop terug"
    present_with_time    "die cijfers bezorg ik u volgende week", "ik stuur het door zodra ik het heb"
    performative         "ik engageer mij om …", "ik zeg de Kamer toe dat …", "ik beloof …"
    ready                "ik ben bereid om de studie in de commissie toe te lichten"
    best_effort          "we doen alles om u zo snel mogelijk een antwoord te geven"
    reaffirmed           "ik heb u beloofd dat ik zou terugkomen op X, en dat zal ik ook doen"
    passive              "de evaluatie zal aan de commissie worden bezorgd"
    recipient_receives   "u krijgt de cijfers tegen eind juni", "de commissie zal de resultaten ontvangen"
    impersonal           "dan komt er informatie naar het parlement"
    document_moves       "het verslag gaat uw richting uit zodra het er is"
    chair_decision       the chair: "ik stel voor dat we de VMM uitnodigen voor een hoorzitting"
    chair_relay          the chair: "de minister bezorgt mij het plan vanmiddag"
    accepted_request     "Dat doen we zeker." / "Dat zal ik doen." after a member's request
    accepted_request_yes a bare "Zeker." or "Akkoord." opening the answer to a request

Kinds: hearing (inviting, hearings, visits), agenda (scheduling, the business meeting), evaluate (an
evaluation's results delivered), send_document, publish, report_back (informing, coming back,
answering, explaining); "other" for a performative that names no deliverable.

A relayed promise ("de minister bezorgt mij het plan vanmiddag", said by the chair) stays in the chair's
speech — the quote is always the words of the speech it comes from — with promiser "government": the
minister owes it, the chair only reported it.

Patterns run on lower-cased text, one clause at a time, each behind a gate of the words it needs: most
sentences contain none of them, and a set test costs far less than a regular expression. Members'
speeches are only read for requests when an answer needs them. Every pattern is bounded, so no input
makes one backtrack for long; a seed-sized transcript takes a few milliseconds at most.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from itertools import repeat

from .dates import DueInfo, resolve_due
from .lexicon import (  # noqa: F401  (names the rules and features read)
    _ACCEPT_ANAPHORIC,
    _ACCEPT_YES,
    _ANAPHORIC_REQUEST,
    _ANSWER,
    _ANSWERS_REQUEST,
    _AS_PROMISED,
    _ASKS_OTHERS,
    _BENIGN_POSSIBLE,
    _BEST_EFFORT,
    _CHAIR_DECISION,
    _CHAIR_SELF,
    _COMES_TO,
    _COMMITTEE_PLACE,
    _CONDITIONAL,
    _DOCUMENT_ENDINGS,
    _EVALUATION,
    _FUNCTION_FOLLOW,
    _FUTURE,
    _G,
    _GENERIC_WORDS,
    _GOVERNMENT,
    _HEDGE,
    _I,
    _IMAGINE,
    _IMPERSONAL,
    _IN_SPEECH,
    _IN_SPEECH_SOFT,
    _INDIRECT_QUESTION,
    _INFORMATION,
    _KIND_ORDER,
    _LEXICON,
    _MAX_ACCEPTANCE_WORDS,
    _MOVES_TO_PARLIAMENT,
    _NAME_PART,
    _NAMED,
    _NEGATION,
    _NOT_NEGATION,
    _OFFER,
    _OTHER_PARTY,
    _PARTICLE_END,
    _PASSIVE,
    _PAST_FORM,
    _PAST_TIME,
    _PERFECT,
    _PERFORMATIVE,
    _READY,
    _REAFFIRMED,
    _RECIPIENT_HAS,
    _RECIPIENT_SUBJECT,
    _RECIPIENTS,
    _RELAYED,
    _REPORTED,
    _REQUEST,
    _SAYS_THAT,
    _SUBORDINATORS,
    _THIRD_PARTY,
    _TIME_WORD,
    _TO_PARLIAMENT,
    _TOPIC_WORD,
    _TURN_GIVING,
    _VOCATIVE,
    _WE,
    _WORDS,
    _YES,
    _YOU,
    _Feature,
    _Lexeme,
    _Words,
    _wordset,
)
from .names import fold_key
from .scorer import Weights, load_weights
from .types import Candidate, Speech, Transcript

__all__ = ["detect_commitments", "detect_in_speeches", "propose_in_speeches"]

_ELIGIBLE = frozenset({"minister", "chair", "other"})
_NO_DUE = DueInfo("", None, False)


# --------------------------------------------------------------------------------------------------
# Sentences and clauses
# --------------------------------------------------------------------------------------------------

_CLOSING = frozenset("\"'”’)]")
_ABBREVIATIONS = _wordset(
    "bv bvb bijv nr nrs art blz p pp o.a e.a m.b.t i.v.m d.w.z a.s t.e.m t.o.v incl excl ca vgl resp cf "
    "dhr mevr mr dr drs prof ir ing st vs min max jl jr sr n.a.v m.a.w i.p.v o.m"
)
# Main clauses: after a semicolon or colon, before "maar"/"want", and before "en" when a new main clause
# follows ("ik ga na of … beschikbaar is en bezorg ze u", "…, en dat zal ik ook doen").
_CLAUSE_SPLIT = re.compile(
    r";|:\s|,?\s+(?:maar|want|doch)\s+|,?\s+en\s+(?=(?:ik|we|wij|dan|daarna|nadien|bezorg|stuur|kom|hou|breng|"
    r"leg|maak|laat|zal|zullen|ga|gaan)\b|dat\s+(?:zal|zullen|ga|gaan|doe|doen)\b)"
)


class _Sentence:
    """A sentence with its offsets in the speech text, its lower-cased text and its words."""

    __slots__ = ("end", "low", "paragraph", "start", "text", "words")

    def __init__(
        self,
        start: int,
        end: int,
        text: str,
        low: str,
        words: frozenset[str],
        paragraph: int,
    ) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.low = low
        self.words = words
        self.paragraph = paragraph


# Punctuation becomes a space, one character for one, so the cleaned text keeps the offsets and
# str.split() yields the words: far cheaper than a findall per sentence.
_PUNCTUATION = re.compile(r"[.,;:!?()\[\]{}\"'“”‘’„«»–—/…*•]")


def _split_sentences(text: str) -> list[_Sentence]:
    """Sentences with their offsets; a blank line always ends one, a single newline never does."""
    spans: list[_Sentence] = []
    low_text = text.lower()
    aligned = len(low_text) == len(text)  # lower() lengthens a few rare characters
    clean = _PUNCTUATION.sub(" ", low_text) if aligned else ""
    paragraph = 0

    def add(begin: int, end: int) -> None:
        segment = text[begin:end]
        stripped = segment.strip()
        if stripped:
            begin += len(segment) - len(segment.lstrip())
            end = begin + len(stripped)
            if aligned:
                low, words = low_text[begin:end], frozenset(clean[begin:end].split())
            else:
                low = stripped.lower()
                words = frozenset(_PUNCTUATION.sub(" ", low).split())
            spans.append(_Sentence(begin, end, stripped, low, words, paragraph))

    stops = _stops(text)
    position = 0
    length = len(text)
    next_stop = 0
    while position < length:
        blank = text.find("\n\n", position)
        limit = length if blank < 0 else blank
        start = position
        while next_stop < len(stops) and stops[next_stop][0] < position:
            next_stop += 1
        while next_stop < len(stops) and stops[next_stop][0] < limit:
            at, end = stops[next_stop]
            next_stop += 1
            while end < limit and text[end] in _CLOSING:
                end += 1
            if end < limit and not text[end].isspace():
                continue  # "2.5", "sp.a": no sentence ends inside a word
            following = end
            while following < limit and text[following].isspace():
                following += 1
            if following < limit and text[following].islower():
                continue  # "bv. de", "enz. en": the sentence goes on
            if text[at] == "." and at > 0 and text[at - 1].isalpha():
                window = max(0, at - 13)
                cut = max(text.rfind(" ", window, at), text.rfind("\n", window, at), window - 1)
                word = text[cut + 1 : at].lstrip("(\"'‘“").lower().strip(".")
                # An abbreviation or an initial ("J. Peeters") does not end a sentence.
                if word in _ABBREVIATIONS or len(word) == 1:
                    continue
            add(start, end)
            start = end
        add(start, limit)
        paragraph += 1
        position = limit + 2
    return spans


def _stops(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of sentence-final punctuation ("?!", "..."), in order.

    str.find runs in C; a regular expression scanning every position costs ten times as much.
    """
    positions: list[int] = []
    for mark in ".!?…":
        at = text.find(mark)
        while at >= 0:
            positions.append(at)
            at = text.find(mark, at + 1)
    positions.sort()
    runs: list[tuple[int, int]] = []
    for at in positions:
        if runs and runs[-1][1] == at:
            runs[-1] = (runs[-1][0], at + 1)
        else:
            runs.append((at, at + 1))
    return runs


def _words(low: str) -> frozenset[str]:
    return frozenset(_PUNCTUATION.sub(" ", low).split())


def _clause_spans(text: str) -> list[tuple[int, int]]:
    """Main clauses joined by "maar", "want" or a semicolon promise or refuse each on their own."""
    spans = []
    start = 0
    for match in _CLAUSE_SPLIT.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _clauses(low: str) -> list[str]:
    return [low[a:b] for a, b in _clause_spans(low)]


def _names_a_document(low: str, words: frozenset[str], *, or_answer: bool = False) -> bool:
    if any(map(str.endswith, words, repeat(_DOCUMENT_ENDINGS))):
        return True
    return "stand van zaken" in low or (or_answer and "antwoord" in words)


# --------------------------------------------------------------------------------------------------
# One clause, one sentence
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Request:
    speech: Speech
    start: int
    end: int
    kind: str
    due: DueInfo
    topics: frozenset[str]


@dataclass(slots=True)
class _Hit:
    kind: str
    rule: str
    confidence: float
    promiser: str
    due: DueInfo
    to_committee: bool
    names: tuple[str, ...] = ()
    request: _Request | None = None


@dataclass(slots=True)
class _ClauseResult:
    kinds: list[str]
    rule: str
    confidence: float
    promiser: str


def _negated(clause: str, words: frozenset[str]) -> bool:
    if not _NEGATION.search(clause, words):
        return False
    cleaned = _NOT_NEGATION.pattern.sub(" ", clause)
    for match in _NEGATION.pattern.finditer(cleaned):
        # A negation inside a relative or subordinate clause ("de scholen die nog niet gestart zijn")
        # does not negate the promise; "die"/"dat" before a noun are demonstratives, not subordinators.
        before = _WORDS.findall(cleaned, 0, match.start())
        subordinate = False
        for i in range(1, len(before)):
            word = before[i]
            if word in _SUBORDINATORS:
                following = before[i + 1] if i + 1 < len(before) else "niet"
                if word not in ("die", "dat") or following in _FUNCTION_FOLLOW:
                    subordinate = True
                    break
        if not subordinate:
            return True
    return False


def _hedged(low: str, words: frozenset[str]) -> bool:
    if not _HEDGE.search(low, words):
        return False
    if "mogelijk" in low:
        low = _BENIGN_POSSIBLE.pattern.sub(" ", low)
    return _HEDGE.pattern.search(low) is not None


# Within one detection the rules and the scorer ask for the deliverables of the same sentences; the
# answers are kept for that call only (a context variable: each thread and task has its own).
_KINDS_MEMO: ContextVar[dict[tuple[str, bool], list[tuple[str, str]]] | None] = ContextVar("kinds", default=None)


def _kinds(low: str, words: frozenset[str], *, chair: bool) -> list[tuple[str, str]]:
    memo = _KINDS_MEMO.get()
    if memo is None:
        return _find_kinds(low, words, chair=chair)
    found = memo.get((low, chair))
    if found is None:
        found = memo[(low, chair)] = _find_kinds(low, words, chair=chair)
    return list(found)


def _find_kinds(low: str, words: frozenset[str], *, chair: bool) -> list[tuple[str, str]]:
    """(kind, strength) of each deliverable a clause names.

    Strength is "strong", or "soft" with the conditions it still needs: "_modal" when "zal"/"kan" is
    enough, "_recipient" when the parliament must be the one who receives.
    """
    found: list[tuple[str, str]] = []
    place: bool | None = None  # a place in the parliament; looked up only when it matters
    said_here: bool | None = None
    candidates = sorted({i for word in words & _LEXICON_INDEX.keys() for i in _LEXICON_INDEX[word]})
    for lexeme in (_LEXICON[i] for i in candidates):
        if not lexeme.matches(low, words):
            continue
        if lexeme.strength == "strong":
            found.append((lexeme.kind, "strong"))
            continue
        if place is None:
            place = _COMMITTEE_PLACE.search(low, words) is not None
        if lexeme.strength == "place":
            if place or chair:
                found.append((lexeme.kind, "strong"))
            continue
        if said_here is None:
            # "ik kan u meegeven dat …", "ik kan mij voorstellen dat …": said or imagined here and now.
            said_here = bool(_SAYS_THAT.search(low, words) or _IMAGINE.search(low, words))
        if said_here:
            continue
        modal = "_modal" if lexeme.modal_ok else ""
        if lexeme.strength == "soft_document":
            if _names_a_document(low, words):
                found.append((lexeme.kind, "strong" if place else f"soft{modal}_recipient"))
        else:
            found.append((lexeme.kind, "strong" if place else f"soft{modal}"))
    receives = _RECIPIENT_SUBJECT.search(low, words) or _IMPERSONAL.search(low, words)
    has_by_then = _RECIPIENT_HAS.search(low, words) and _TIME_WORD.search(low)
    moves = _MOVES_TO_PARLIAMENT.search(low, words)
    if ((receives or moves) and _names_a_document(low, words)) or (
        has_by_then and _names_a_document(low, words, or_answer=True)
    ):
        # "u krijgt de cijfers", "er komt informatie naar het parlement": the parliament receives.
        found.append(("report_back" if _INFORMATION.search(low, words) else "send_document", "strong"))
    return found


def _best_kind(kinds: Sequence[str], low: str, words: frozenset[str]) -> str:
    if not kinds:
        return "other"
    candidates = list(kinds)
    delivers = any(k in ("send_document", "report_back", "publish") for k in candidates)
    if delivers and _EVALUATION.search(low, words):
        candidates.append("evaluate")
    if "report_back" in candidates and "send_document" in candidates and _ANSWER.search(low, words):
        candidates.remove("send_document")  # "u een antwoord bezorgen" reports back
    return min(candidates, key=_KIND_ORDER.index)


class _Clause:
    """A clause under analysis: its text, who speaks it, and the checks that more than one rule reads.

    The deadline is resolved only when a rule asks for it: resolve_due is the costliest check.
    """

    __slots__ = (
        "_due",
        "_recipient",
        "addressed",
        "announces",
        "best_effort",
        "chair",
        "deliverables",
        "future",
        "kinds",
        "low",
        "offer",
        "passive",
        "performative",
        "ready",
        "ref",
        "sentence_low",
        "speech",
        "strong",
        "words",
    )

    def __init__(
        self,
        low: str,
        words: frozenset[str],
        speech: Speech,
        *,
        addressed: bool,
        ref: date | None,
        sentence_low: str,
        announces: bool,
        deliverables: list[tuple[str, str]],
        performative: bool,
    ) -> None:
        self.low = low
        self.words = words
        self.speech = speech
        self.addressed = addressed
        self.ref = ref
        self.sentence_low = sentence_low
        self.announces = announces
        self.chair = speech.role == "chair"
        self.deliverables = deliverables
        self.performative = performative
        self.future = _FUTURE.search(low, words) is not None
        self.ready = _READY.search(low, words) is not None
        self.offer = _OFFER.search(low, words) is not None
        self.passive = _PASSIVE.search(low, words) is not None
        self.best_effort = _BEST_EFFORT.search(low, words) is not None
        self.kinds: list[str] = []  # the deliverables kept (_kept_kinds)
        self.strong = False  # one of them strong
        self._recipient: bool | None = None
        self._due: DueInfo | None = None

    @property
    def recipient(self) -> bool:
        """The parliament is addressed or receives."""
        if self._recipient is None:
            low, words = self.low, self.words
            self._recipient = (
                self.addressed
                or _TO_PARLIAMENT.search(low, words) is not None
                or _YOU.search(low, words) is not None
                or (self.chair and _CHAIR_SELF.search(low, words) is not None)
            )
        return self._recipient

    @property
    def due(self) -> DueInfo:
        if self._due is None:
            self._due = resolve_due(self.low, self.ref)
        return self._due

    @property
    def has_time(self) -> bool:
        return bool(self.due.due_text) and not self.due.event_bound


def _reported(c: _Clause) -> bool:
    # "zoals ik heb toegezegd, bezorg ik u …": the aside recalls the promise, it does not report this clause.
    masked = _AS_PROMISED.pattern.sub(" ", c.low) if "zoals" in c.words else c.low
    return _REPORTED.search(masked, c.words) is not None


def _done(c: _Clause) -> bool:
    past = _PERFECT.search(c.low, c.words) is not None and _PAST_FORM.search(c.low, c.words) is not None
    return past and not (c.future or c.offer or c.passive)


# Why a clause that names a deliverable still promises nothing: (name, applies), checked in order.
_REJECTIONS = (
    ("negated", lambda c: _negated(c.low, c.words)),
    ("hedged", lambda c: _hedged(c.low, c.words)),
    ("reported", _reported),
    ("indirect_question", lambda c: _INDIRECT_QUESTION.search(c.low, c.words) is not None),
    # "het zou nuttig zijn", "ik zou kunnen": a wish, not a promise
    ("conditional", lambda c: _CONDITIONAL.search(c.low, c.words) is not None and not c.future and not c.ready),
    # "ik heb u de lijst bezorgd", "de lijst werd u bezorgd": done, not promised
    ("past", _done),
)


def _rejection(c: _Clause) -> str | None:
    """The name of the first rejection that applies to the clause, or None."""
    for name, applies in _REJECTIONS:
        if applies(c):
            return name
    return None


def _soft_kind_kept(c: _Clause, strength: str, *, in_speech: bool) -> bool:
    """Whether a soft deliverable ("geven", "toelichten") is promised here, not only spoken of."""
    if in_speech or c.announces or _IN_SPEECH_SOFT.search(c.low, c.words):
        return False  # "ik kan u de cijfers geven: …", "ik zal dat kort toelichten"
    if strength.endswith("_recipient") and not c.recipient:
        return False  # "we geven de scholen een handleiding": nothing for the parliament
    modal_ok = "_modal" in strength and (c.future or c.offer)
    return bool(
        modal_ok or c.ready or c.best_effort or c.performative or _COMES_TO.search(c.low, c.words) or c.due.due_text
    )


def _kept_kinds(c: _Clause) -> tuple[list[str], bool]:
    """The kinds of the deliverables the clause promises, and whether one of them is strong."""
    low, words = c.low, c.words
    in_speech = _IN_SPEECH.search(low, words) is not None
    kinds: list[str] = []
    strong = False
    for kind, strength in c.deliverables:
        if kind == "report_back" and in_speech:
            continue  # "ik kom daar straks op terug": later in this speech
        if strength == "strong":
            kinds.append(kind)
            strong = True
        elif _soft_kind_kept(c, strength, in_speech=in_speech):
            kinds.append(kind)
    if "send_document" in kinds and not c.recipient:
        to_others = _THIRD_PARTY.search(low, words) or _OTHER_PARTY.search(low, words)
        if to_others or _ASKS_OTHERS.search(low, words):
            kinds.remove("send_document")  # "aan de scholen bezorgen", "de zorgkassen vragen om … door te sturen"
    return kinds, strong


def _speakers(c: _Clause) -> tuple[bool, bool]:
    """Whether "ik" and whether "we" is the subject."""
    # A coordinated clause may leave its subject to the first ("ik ga na of … en bezorg ze u").
    if _I.search(c.low, c.words) or _WE.search(c.low, c.words):
        subject_words = c.words
    else:
        subject_words = frozenset(_PUNCTUATION.sub(" ", c.sentence_low).split())
    return _I.search(c.low, subject_words) is not None, _WE.search(c.low, subject_words) is not None


def _passive_to_parliament(c: _Clause) -> bool:
    if not c.passive or not (c.future or c.has_time):
        return False
    return c.recipient or "publish" in c.kinds or _COMMITTEE_PLACE.search(c.low, c.words) is not None


# Who promises when neither the speaker nor the group they speak for is the subject. Each row is
# (rule, applies, confidence, keeps): the first row that applies decides; when its `keeps` (None: always)
# is false the clause is no candidate. The promiser is the speaker's group.
_AGENTLESS_RULES = (
    ("recipient_receives", lambda c: _RECIPIENT_SUBJECT.search(c.low, c.words) is not None, 0.7, None),
    (
        "recipient_receives",
        lambda c: (
            _RECIPIENT_HAS.search(c.low, c.words) is not None and bool(c.due.due_text) and not _PAST_TIME.search(c.low)
        ),
        0.6,
        None,
    ),
    ("impersonal", lambda c: _IMPERSONAL.search(c.low, c.words) is not None, 0.65, None),
    ("document_moves", lambda c: _MOVES_TO_PARLIAMENT.search(c.low, c.words) is not None, 0.6, None),
    ("passive", _passive_to_parliament, 0.65, None),
)


def _documentless_future(c: _Clause) -> bool:
    # Sending or informing in the future, with no document named, no one in the parliament to receive it and
    # no coming back: nothing the parliament can chase.
    # Only asked when the parliament is not the recipient: the row before takes that future.
    return (
        all(k in ("send_document", "report_back") for k in c.kinds)
        and not _names_a_document(c.low, c.words)
        and "terug" not in c.words
    )


# How firmly the speaker, or the group they speak for, promises: rows as in _AGENTLESS_RULES, in the order
# that decides between them (a performative "ik beloof …" in the future is a performative); the promiser is
# the one who speaks.
_MOOD_RULES = (
    ("performative", lambda c: c.performative, 0.9, None),
    ("ready", lambda c: c.ready, 0.8, None),
    ("best_effort", lambda c: c.best_effort, 0.6, None),
    ("chair_decision", lambda c: c.chair and _CHAIR_DECISION.search(c.low, c.words) is not None, 0.6, None),
    ("future", lambda c: c.future and c.recipient, 0.85, None),
    ("future", lambda c: c.future, 0.65, lambda c: not _documentless_future(c)),
    ("offer", lambda c: c.offer, 0.6, lambda c: c.recipient),
    # "die cijfers bezorg ik u volgende week", "ik stuur het rapport door zodra ik het heb"
    ("present_with_time", lambda c: c.has_time or (c.strong and bool(c.due.due_text)), 0.75, None),
    ("present", lambda c: c.strong and (c.recipient or c.chair or "terug" in c.words), 0.6, None),
)


def _first_rule(rules: Sequence[tuple], c: _Clause, kinds: list[str], promiser: str) -> _ClauseResult | None:
    for name, applies, confidence, keeps in rules:
        if applies(c):
            if keeps is not None and not keeps(c):
                return None
            return _ClauseResult(kinds, name, confidence, promiser)
    return None


def _decide(c: _Clause) -> _ClauseResult | None:
    """Who promises, then how firmly: the rule that makes the clause a candidate, if any."""
    i_speak, we_speak = _speakers(c)
    if c.chair and not i_speak and not we_speak and _RELAYED.search(c.low, c.words):
        # The chair relays the minister's promise: the minister owes it.
        if not c.recipient or not (c.future or c.strong or c.has_time):
            return None
        return _ClauseResult(c.kinds, "chair_relay", 0.7, "government")
    role = c.speech.role
    group = "committee" if c.chair else ("government" if role == "minister" else "speaker")
    if i_speak:
        promiser = "speaker"
    elif we_speak or _GOVERNMENT.search(c.low, c.words):
        promiser = group
    else:
        return _first_rule(_AGENTLESS_RULES, c, c.kinds, group)
    # A clause without kinds was kept for its performative, the first mood rule: "other" names what it promises.
    return _first_rule(_MOOD_RULES, c, c.kinds or ["other"], promiser)


def _analyse_clause(
    low: str,
    words: frozenset[str],
    speech: Speech,
    *,
    addressed: bool,
    ref: date | None,
    sentence_low: str,
    announces: bool = False,
) -> _ClauseResult | None:
    deliverables = _kinds(low, words, chair=speech.role == "chair")
    performative = _PERFORMATIVE.search(low, words) is not None and _I.search(low, words) is not None
    if not deliverables and not performative:
        return None
    c = _Clause(
        low,
        words,
        speech,
        addressed=addressed,
        ref=ref,
        sentence_low=sentence_low,
        announces=announces,
        deliverables=deliverables,
        performative=performative,
    )
    if _rejection(c) is not None:
        return None
    c.kinds, c.strong = _kept_kinds(c)
    if not c.kinds and not c.performative:
        return None
    return _decide(c)


def _analyse(
    body: str,
    words: frozenset[str],
    speech: Speech,
    ctx: _Context,
    *,
    addressed: bool,
) -> _Hit | None:
    if not body or body.endswith("?") or words.isdisjoint(_DELIVERABLE_WORDS):
        return None
    low = body.lower()
    if _REAFFIRMED.search(low, words) and _REPORTED.search(low, words) and not _negated(low, words):
        # "Ik heb u beloofd dat ik zou terugkomen op X, en dat zal ik ook doen": promised again, now.
        kinds = [k for k, _ in _kinds(low, words, chair=speech.role == "chair")]
        if kinds:
            due = resolve_due(body, ctx.reference_date)
            group = "government" if speech.role == "minister" and not _I.search(low, words) else "speaker"
            kind = _best_kind(kinds, low, words)
            return _Hit(kind, "reaffirmed", 0.75, group, due, _TO_PARLIAMENT.search(low, words) is not None)
    same_length = len(low) == len(body)  # lower() may lengthen a rare character; then offsets differ
    results: list[tuple[_ClauseResult, str]] = []
    spans = _clause_spans(low)
    clean = _PUNCTUATION.sub(" ", low) if len(spans) > 1 else ""
    for a, b in spans:
        clause_words = frozenset(clean[a:b].split()) if clean else words
        result = _analyse_clause(
            low[a:b],
            clause_words,
            speech,
            addressed=addressed,
            ref=ctx.reference_date,
            sentence_low=low,
            announces=low.startswith(":", b),  # the clause introduces what follows the colon
        )
        if result is not None:
            results.append((result, body[a:b] if same_length else body))
    if not results:
        return None
    best = max((r for r, _ in results), key=lambda r: r.confidence)
    due = _NO_DUE
    for _, clause in results:  # the time of the promising clause, not of a clause about the past
        due = resolve_due(clause, ctx.reference_date)
        if due.due_text:
            break
    if not due.due_text and len(spans) > 1 and not _REPORTED.search(low, words):
        # "Het decreet wordt na de zomer geëvalueerd; de commissie zal de resultaten ontvangen."
        due = resolve_due(body, ctx.reference_date)
    # "zodra de evaluatie is afgerond" dates the promise; it does not make it an evaluation.
    kind_text = low.replace(due.due_text.lower(), " ") if due.due_text else low
    kind = _best_kind([k for r, _ in results for k in r.kinds], kind_text, words)
    to_committee = _TO_PARLIAMENT.search(low, words) is not None
    confidence = best.confidence + (0.05 if due.due_text else 0.0)
    return _Hit(kind, best.rule, confidence, best.promiser, due, to_committee)


_LEXICON_INDEX: dict[str, list[int]] = {}
for _position, _lexeme in enumerate(_LEXICON):
    for _word in _lexeme.words:
        _LEXICON_INDEX.setdefault(_word, []).append(_position)

# A sentence without any of these words cannot name a deliverable: most sentences stop here.
_DELIVERABLE_WORDS = frozenset().union(
    *(lexeme.words for lexeme in _LEXICON),
    *(f.tokens for f in (_PERFORMATIVE, _RECIPIENT_SUBJECT, _RECIPIENT_HAS, _MOVES_TO_PARLIAMENT)),
)


# --------------------------------------------------------------------------------------------------
# Requests and acceptances
# --------------------------------------------------------------------------------------------------


class _Context:
    """What a speech needs to know of its item: who can be promised something, and open requests.

    Members' requests are read lazily: only an answer that promises or accepts something needs them.
    """

    __slots__ = ("_cache", "askers", "members", "member_speeches", "pending_from", "reference_date")

    def __init__(self, members: dict[str, str], askers: tuple[str, ...], reference_date: date | None) -> None:
        self.members = members  # folded surname → normalised name
        self.askers = askers
        self.reference_date = reference_date
        self.member_speeches: list[Speech] = []
        self.pending_from = 0  # member_speeches[pending_from:] came after the last substantive answer
        self._cache: dict[int, list[_Request]] = {}

    def _requests(self, position: int) -> list[_Request]:
        if position not in self._cache:
            speech = self.member_speeches[position]
            self._cache[position] = _requests_in(speech, _split_sentences(speech.text), self.reference_date)
        return self._cache[position]

    def requests_at(self, position: int) -> list[_Request]:
        return self._requests(position)

    def pending(self) -> list[_Request]:
        return [r for i in range(self.pending_from, len(self.member_speeches)) for r in self._requests(i)]

    def requests_by(self, speech: Speech, topics: frozenset[str]) -> list[_Request]:
        """Requests of the member who made `speech`, in this item, in speeches that mention a topic."""
        return [
            r
            for i, other in enumerate(self.member_speeches)
            if other.name == speech.name
            and other.surname == speech.surname
            and (other is speech or not topics.isdisjoint(_words(other.text.lower())))
            for r in self._requests(i)
        ]


def _topics(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _TOPIC_WORD.findall(text) if w.lower() not in _GENERIC_WORDS)


def _requests_in(speech: Speech, sentences: list[_Sentence], ref: date | None) -> list[_Request]:
    """A member's requests: a request form plus something the parliament can be given or can do."""
    found: list[_Request] = []
    for i, s in enumerate(sentences):
        low = s.low
        words = s.words
        if words.isdisjoint(_DELIVERABLE_WORDS) and not _ANAPHORIC_REQUEST.search(low):
            continue
        kinds = [k for k, _ in _kinds(low, words, chair=True)]
        anaphoric = _ANAPHORIC_REQUEST.search(low) is not None
        if (not kinds and not anaphoric) or not _REQUEST.search(low):
            continue
        start = s.start
        if (not kinds or anaphoric) and i > 0:
            # "… maar ik hoop dat jullie dat meenemen": what to take along is in the sentence before.
            before = sentences[i - 1]
            previous = [k for k, _ in _kinds(before.low, before.words, chair=True)]
            if previous:
                kinds = previous + kinds
                start = sentences[i - 1].start
        if not kinds:
            continue
        span = speech.text[start : s.end]
        span_low = span.lower()
        kind = _best_kind(kinds, span_low, _words(span_low))
        found.append(_Request(speech, start, s.end, kind, resolve_due(span, ref), _topics(span)))
    return found


def _request_due(ctx: _Context, request: _Request) -> DueInfo:
    """The request's own time, or one stated with it earlier ("zodra die studie is opgeleverd")."""
    if request.due.due_text:
        return request.due
    for other in reversed(ctx.requests_by(request.speech, request.topics)):
        same = other.kind == request.kind and other.topics & request.topics
        if other is not request and other.due.due_text and same:
            return other.due
    return _NO_DUE


def _acceptance(
    body: str,
    words: frozenset[str],
    speech: Speech,
    ctx: _Context,
    *,
    first: bool,
) -> _Hit | None:
    """A yes ("Dat doen we zeker.") to the member's request that is still open."""
    if body.endswith("?") or len(words) > _MAX_ACCEPTANCE_WORDS and not first:
        return None
    low = body.lower()
    # An acceptance is short: "We doen dat met het oog op …" describes, "Dat doen we zeker." accepts.
    anaphoric = len(words) <= _MAX_ACCEPTANCE_WORDS and _ACCEPT_ANAPHORIC.match(low) is not None
    yes = first and _ACCEPT_YES.match(low) is not None
    if not (anaphoric or yes):
        return None
    if any(_negated(c, words) for c in _clauses(low)):
        return None  # "Dat zal ik niet doen."
    if _hedged(low, words) or _CONDITIONAL.search(low, words):
        return None
    pending = ctx.pending()
    if not pending:
        return None
    request = pending[-1]
    chair = speech.role == "chair"
    if _I.search(low, words):
        promiser = "speaker"
    else:
        promiser = "committee" if chair else ("government" if speech.role == "minister" else "speaker")
    # "we plannen dat in" accepts a hearing: the request says what was asked, the acceptance only yes.
    kind = request.kind
    due = resolve_due(body, ctx.reference_date)
    if not due.due_text:
        due = _request_due(ctx, request)
    request_low = request.speech.text[request.start : request.end].lower()
    in_request = _TO_PARLIAMENT.search(request_low, _words(request_low))
    to_committee = bool(_TO_PARLIAMENT.search(low, words) or in_request)
    if anaphoric:
        hit = _Hit(kind, "accepted_request", 0.8, promiser, due, to_committee)
    else:
        hit = _Hit(kind, "accepted_request_yes", 0.65, promiser, due, to_committee)
    hit.request = request
    return hit


def _attach_request(hit: _Hit, ctx: _Context) -> None:
    """A promise that answers an open request of the same kind accepts it: keep the link, and its time."""
    for request in reversed(ctx.pending()):
        if request.kind == hit.kind:
            hit.request = request
            if not hit.due.due_text:
                hit.due = _request_due(ctx, request)
            return


# --------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------

_PARTICLES = _wordset("van von de den der des ten ter te vande vanden vander d' in 't")


def _surname_of(name: str) -> str:
    tokens = name.split()
    if not tokens:
        return ""
    start = len(tokens) - 1
    while start > 0 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(tokens[start:])


def _known_members(speeches: Sequence[Speech], askers: Sequence[str]) -> dict[str, str]:
    members: dict[str, str] = {}
    for name in askers:
        if surname := _surname_of(name):
            members.setdefault(fold_key(surname), name)
    for s in speeches:
        if s.role == "member" and s.surname:
            members.setdefault(fold_key(s.surname), s.name or s.surname)
    return members


def _names_in(text: str, members: dict[str, str]) -> list[str]:
    names: list[str] = []
    if not members:
        return names
    for match in _NAMED.finditer(text):
        folded = fold_key(match.group(1))
        for key, name in members.items():
            if key and folded.endswith(key) and name not in names:
                names.append(name)
    return names


def _addressee(vocative: str, members: dict[str, str]) -> list[str]:
    folded = fold_key(vocative)
    return [name for key, name in members.items() if key and folded.endswith(key)]


def detect_commitments(
    transcript: Transcript,
    *,
    reference_date: date | None = None,
    threshold: float | None = None,
    weights: Weights | None = None,
) -> list[Candidate]:
    """Candidates for every agenda item, in speech order.

    Relative deadlines ("volgende week") get a date only when a reference date is known: the one given
    here, or else the meeting date in the transcript's header. `threshold` overrides the one learned
    with the weights (the setting TRACKER_CANDIDATE_THRESHOLD passes it).
    """
    ref = reference_date if reference_date is not None else transcript.header.date
    found: list[Candidate] = []
    for item in transcript.items:
        found.extend(
            detect_in_speeches(
                item.speeches, askers=item.askers, reference_date=ref, threshold=threshold, weights=weights
            )
        )
    return found


def detect_in_speeches(
    speeches: Sequence[Speech],
    *,
    askers: Sequence[str] = (),
    reference_date: date | None = None,
    threshold: float | None = None,
    weights: Weights | None = None,
) -> list[Candidate]:
    """Candidates in the speeches of one agenda item; `askers` are the members who put the question."""
    weights = weights or load_weights()
    cut = weights.threshold if threshold is None else threshold
    found = propose_in_speeches(speeches, askers=askers, reference_date=reference_date, weights=weights, floor=cut)
    return [p.candidate for p in found if p.probability >= cut]


def propose_in_speeches(
    speeches: Sequence[Speech],
    *,
    askers: Sequence[str] = (),
    reference_date: date | None = None,
    weights: Weights,
    floor: float = 0.0,
) -> list[ranking.Proposal]:
    """Every candidate with its probability and features (trainer, evaluation); `floor` lets the
    detector skip building what it will not propose."""
    token = _KINDS_MEMO.set({})
    try:
        return _propose(speeches, askers, reference_date, weights, floor)
    finally:
        _KINDS_MEMO.reset(token)


def _propose(
    speeches: Sequence[Speech], askers: Sequence[str], reference_date: date | None, weights: Weights, floor: float
) -> list[ranking.Proposal]:
    ctx = _Context(_known_members(speeches, askers), tuple(askers), reference_date)
    found: list[ranking.Proposal] = []
    for speech in speeches:
        if speech.role == "member":
            ctx.member_speeches.append(speech)
            continue
        if speech.role not in _ELIGIBLE:
            continue
        sentences = _split_sentences(speech.text)
        answered = ctx.pending_from
        memo: list[bool] = []

        def pending(answered: int = answered, memo: list[bool] = memo) -> bool:
            if not memo:
                memo.append(any(ctx.requests_at(i) for i in range(answered, len(ctx.member_speeches))))
            return memo[0]

        rule_candidates = _detect_in_speech(speech, sentences, ctx)
        found.extend(ranking.proposals(speech, sentences, rule_candidates, pending=pending, ctx=ctx, weights=weights))
        if any(not _TURN_GIVING.search(s.low, s.words) for s in sentences):
            ctx.pending_from = len(ctx.member_speeches)  # answered: later acceptances need a new request
    return found


@dataclass(slots=True)
class _Found:
    first: int  # sentence indexes, inclusive
    last: int
    hit: _Hit


def _detect_in_speech(speech: Speech, sentences: list[_Sentence], ctx: _Context) -> list[Candidate]:
    found: list[_Found] = []
    addressee: list[str] = []
    accepted = False
    first_content = True
    for i, sentence in enumerate(sentences):
        text = sentence.text
        vocative = _VOCATIVE.match(text)
        body = text[vocative.end() :] if vocative else text
        named = _addressee(vocative.group(0), ctx.members) if vocative else []
        if named:
            addressee = named
        words = sentence.words
        if _TURN_GIVING.search(sentence.low, words):
            continue
        hit = None
        if not accepted:
            hit = _acceptance(body, words, speech, ctx, first=first_content)
            accepted = hit is not None
        first_content = False
        if hit is None:
            hit = _analyse(body, words, speech, ctx, addressed=bool(named))
            if hit is not None and (hit.rule == "ready" or _ANSWERS_REQUEST.search(sentence.low, words)):
                _attach_request(hit, ctx)
        if hit is None:
            continue
        names = _names_in(text, ctx.members)
        if hit.request is not None:
            requester = hit.request.speech.name or hit.request.speech.surname
            if requester and requester not in names:
                names.insert(0, requester)
        for name in addressee or ([] if names else list(ctx.askers)):
            if name not in names:
                names.append(name)
        hit.names = tuple(names)
        previous = found[-1] if found else None
        if (
            previous is not None
            and previous.last == i - 1
            and sentences[previous.last].paragraph == sentence.paragraph
            and (previous.hit.request is None or hit.request is None)
            and (
                previous.hit.rule == "accepted_request_yes"
                or (previous.hit.kind == hit.kind and _ANAPHOR.search(sentence.low, words))
            )
        ):
            _merge(previous, i, hit)
            continue
        found.append(_Found(i, i, hit))

    for f in found:
        _extend_with_time(f, sentences, ctx)
    return [_candidate(speech, sentences, f) for f in found]


def _merge(previous: _Found, index: int, hit: _Hit) -> None:
    """Adjacent sentences of one promise ("Ik kan u … meegeven. Ik zal die gegevens … bezorgen.")."""
    previous.last = index
    old = previous.hit
    if old.request is None and hit.request is not None:
        old.request = hit.request
    if old.rule == "accepted_request_yes":
        old.kind = hit.kind  # "Zeker. Ik laat u die lijst bezorgen.": the second sentence says what
    if not old.due.due_text and hit.due.due_text:
        old.due = hit.due
    old.confidence = max(old.confidence, hit.confidence)
    old.to_committee = old.to_committee or hit.to_committee
    old.names = tuple(dict.fromkeys(old.names + hit.names))
    if hit.rule not in old.rule.split("+"):
        old.rule = f"{old.rule}+{hit.rule}"


# The next sentence continues the same promise when it points back at its object ("die gegevens", "ze").
_ANAPHOR = _Feature(
    "die deze dat dit ze zij hem ervan daarvan erover daarover ermee daarmee hiervan",
    r"\b(?:(?:die|deze|dat|dit)\s+(?!is\b|zijn\b|was\b|kan\b|zal\b|moet\b|wordt\b|heeft\b|ik\b|we\b|u\b)[^\W\d_]+|"
    r"ze|zij|hem|ervan|daarvan|erover|daarover|ermee|daarmee|hiervan)\b",
)
_TIME_FOLLOW_UP = re.compile(r"(?:dat|dit|die|het|ze|zij)\b", re.IGNORECASE)


def _extend_with_time(found: _Found, sentences: list[_Sentence], ctx: _Context) -> None:
    """A time in the next sentence belongs to the promise.

    "… bezorgen zodra het klaar is. Dat zou voor het zomerreces moeten lukken."
    """
    nxt = found.last + 1
    if nxt >= len(sentences):
        return
    sentence = sentences[nxt]
    if sentence.paragraph != sentences[found.last].paragraph or sentence.text.endswith("?"):
        return
    if not _TIME_FOLLOW_UP.match(sentence.text) or len(sentence.text) > 160:
        return
    low = sentence.low
    words = sentence.words
    if any(_negated(c, words) for c in _clauses(low)) or _kinds(low, words, chair=False):
        return
    due = resolve_due(sentence.text, ctx.reference_date)
    if not due.due_text or due.event_bound:
        return
    found.last = nxt
    if not found.hit.due.due_text:
        found.hit.due = due


def _candidate(speech: Speech, sentences: list[_Sentence], f: _Found) -> Candidate:
    start = sentences[f.first].start
    end = sentences[f.last].end
    hit = f.hit
    request = hit.request
    return Candidate(
        speech_index=speech.index,
        speaker=speech.name,
        role=speech.role,
        quote=speech.text[start:end],
        start=start,
        end=end,
        kind=hit.kind,
        promiser=hit.promiser,
        promised_to=hit.names,
        to_committee=hit.to_committee,
        due_text=hit.due.due_text,
        due_date=hit.due.due_date,
        event_bound=hit.due.event_bound,
        confidence=round(min(max(hit.confidence, 0.0), 0.95), 2),
        rule=hit.rule,
        request_speech_index=request.speech.index if request else None,
        request_quote=request.speech.text[request.start : request.end] if request else "",
    )


from . import ranking  # noqa: E402  (last: ranking reads this module's lexicons)
