"""Which open commitments does a minister's letter say it fulfils? Pure Python, no Django.

A letter that fulfils a promise usually says so in a sentence or two ("Tijdens het commissiedebat van 12
maart heb ik toegezegd …", "Hiermee kom ik mijn toezegging na", "zoals toegezegd tijdens …"). `passages`
finds those sentences (with their neighbours, which name the subject); `rank` scores every commitment
it is given against every passage and keeps each commitment's best passage. The score adds evidence of
five kinds, each kept as a Reason so a clerk sees WHY a commitment was proposed:

* the letter's sender is the minister who made the promise (surname in the signature),
* the sender heads the ministry the promise belongs to,
* the passage names the date of the sitting in which the promise was made,
* the passage names the deliverable the promise named ("de voortgangsrapportage", "de evaluatie"),
* the passage shares rare words with the commitment's quote, summary and sitting title.

Rarity is measured over the commitments given (`Vocabulary`): the database hands over a bounded
candidate set, the evaluation the whole pool. A letter without a single promise passage gets no
proposals at all: most letters a ministry sends fulfil nothing, and a proposal on those costs a clerk
time for nothing.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from tracker.extraction.dates import MONTHS

__all__ = [
    "THRESHOLD",
    "Letter",
    "Passage",
    "Promise",
    "Proposal",
    "Reason",
    "Vocabulary",
    "letter_dates",
    "passages",
    "rank",
    "score",
    "tokens",
]

# Weights of the kinds of evidence; they add up to 1, so a score reads as a share of the full evidence.
WEIGHTS = {"minister": 0.15, "ministry": 0.05, "date": 0.30, "deliverable": 0.10, "words": 0.40}
# A date named elsewhere in the letter than in the passage counts for less.
DATE_ELSEWHERE = 0.5
# Rare-word mass at which the words part is full (about three to four distinctive words).
WORDS_FULL = 14.0
# Proposals below this score are not made (tuned on the development letters only).
THRESHOLD = 0.35
# How many sentences around a promise sentence belong to its passage (the subject is often named just
# before "heb ik toegezegd", and what is sent just after).
CONTEXT_BEFORE = 1
CONTEXT_AFTER = 2
MAX_PASSAGES = 12

_SENDING = r"(?:toe\s*)?(?:te\s+)?(?:sturen|zenden|informeren|rapporteren|berichten|komen)"
_CUES = re.compile(
    r"\b(?:toezegging(?:en)?|toegezegd|toe\s+te\s+zeggen|zeg(?:de)?\s+(?:ik\s+)?(?:uw|de)\s+kamer\b[^.]{0,80}?\btoe"
    r"|beloofd|belofte|nagekomen|na\s+te\s+komen"
    r"|kom\s+ik\s+(?:hierbij\s+|hiermee\s+|daarmee\s+|nu\s+)?terug\s+op|terug\s+te\s+komen\s+op|teruggekomen"
    r"|zoals\s+(?:ik\s+)?(?:heb\s+)?aangekondigd\s+(?:in|tijdens)"
    # "heb ik (uw Kamer) gemeld/aangegeven … te (zullen) sturen/informeren"
    r"|(?:heb|had)\s+ik\s+[^.]{0,60}?(?:gemeld|aangegeven|laten\s+weten|geïnformeerd|gezegd)\b[^.]{0,60}?"
    rf"\bte\s+(?:zullen\s+)?{_SENDING}"
    # A sitting named with its date: "het Algemeen Overleg Gevangeniswezen op 8 februari".
    r"|(?:commissiedebat|notaoverleg|wetgevingsoverleg|algemeen\s+overleg|plenaire?\s+debat|debat"
    r"|mondelinge\s+vragenuur|vragenuur|plenaire\s+behandeling)(?:\s+[\w-]+){0,4}?\s+(?:van|op)\s+\d{1,2}\s+[a-z]+)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*\n")
# Full month names only ("mei" is one): the abbreviations ("nov", "dec") are too often other words.
_FULL_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober")
_MONTH_NAMES = "|".join(sorted([*_FULL_MONTHS, "november", "december"], key=len, reverse=True))
_WRITTEN_DATE = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_NAMES})\.?(?:\s+((?:19|20)\d\d))?\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)\b")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

# Words every letter and every promise uses: they say nothing about which promise is meant.
STOPWORDS = frozenset(
    """
    aan aangaande achter af al alle alleen als alsmede altijd ander andere anders bij bijvoorbeeld binnen
    daar daarbij daarin daarmee daarna daarom daarover daarvan dan dat de deze die dit doen door dus een eens
    eerder eerst en enige er ervan ge geen gehad geweest haar had heb hebben heeft hem het hier hierbij hiermee
    hierover hij hoe hun ik in inmiddels is ja je kan kon kunnen laat later maar me meer men met mij mijn moet
    na naar naast niet nog nu of om omdat onder ons ook op over reeds sinds te tegen ten ter tijdens toe tot u
    uit uw van vanaf veel voor vooral voordat waar waarbij waarin wanneer want was wat we wel welke werd
    wordt worden zal ze zelf zich zij zijn zo zoals zou zouden zullen
    kamer kamerleden minister ministers staatssecretaris staatssecretarissen kabinet brief brieven debat
    commissiedebat commissie vergadering toezegging toezeggingen toegezegd zeggen zegt zeg informeren
    informeer informatie sturen stuur zenden ontvangt graag hierbij verzoek vraag vragen leden lid
    januari februari maart april mei juni juli augustus september oktober november december jaar
    voorzitter tweede eerste gaat gaan komen komt kom zullen zal mogelijk gesproken gegeven geven
    nader nadere aangegeven gemeld laten weten stand zaken ingaan verder daarnaast tevens betreft
    hoogachtend namens algemeen overleg kamerstuk kamerstukken motie moties
    """.split()  # noqa: SIM905 - a word list reads better as words than as 200 quoted strings
)
# Deliverables named by themselves specific enough to count; the others only in a compound
# ("voortgangsbrief", "kabinetsreactie"), since every letter is a "brief".
DELIVERABLES = (
    "evaluatie",
    "onderzoek",
    "rapport",
    "rapportage",
    "verkenning",
    "analyse",
    "monitor",
    "actieplan",
    "visie",
    "routekaart",
    "wetsvoorstel",
    "handreiking",
    "protocol",
    "strategie",
    "overzicht",
    "notitie",
    "nota",
    "plan",
    "reactie",
    "brief",
    "voorstel",
    "agenda",
    "kader",
    "update",
    "uitwerking",
    "tijdpad",
)
_GENERIC_DELIVERABLES = frozenset(
    {"brief", "reactie", "plan", "nota", "notitie", "overzicht", "voorstel", "agenda", "kader", "update", "uitwerking"}
)


@dataclass(frozen=True, slots=True)
class Letter:
    text: str
    sender: str = ""
    date: date | None = None
    title: str = ""


@dataclass(frozen=True, slots=True)
class Promise:
    """An open commitment as the scorer sees it; `key` is whatever the caller identifies it by."""

    key: object
    quote: str
    summary: str = ""
    promiser: str = ""
    function: str = ""
    ministry: str = ""
    sitting_date: date | None = None
    sitting_title: str = ""


@dataclass(frozen=True, slots=True)
class Passage:
    start: int
    end: int
    text: str
    cue: str
    dates: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class Reason:
    """One piece of evidence: `kind` is a key of WEIGHTS, `detail` the words or date that matched."""

    kind: str
    detail: str
    points: float


@dataclass(frozen=True, slots=True)
class Proposal:
    key: object
    score: float
    reasons: tuple[Reason, ...]
    passage: Passage


def fold(text: str) -> str:
    """Lower case without accents: 'Financiën' and 'financien' are one word to the scorer."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """A light Dutch stem: plural and inflection endings off, so 'wachtlijsten' meets 'wachtlijst'."""
    for ending in ("ingen", "heden", "eren", "en", "es", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


def tokens(text: str) -> list[str]:
    """The stems of the words that can tell one promise from another (no stop words, nothing short)."""
    return list(surface(text))


def surface(text: str) -> dict[str, str]:
    """Each stem of `tokens` with the first word it was written as, to show a clerk real words."""
    found: dict[str, str] = {}
    for match in _WORD.finditer(fold(text)):
        word = match.group(0)
        if len(word) >= 4 and word not in STOPWORDS:
            found.setdefault(stem(word), word)
    return found


# Deliverables by stem (tokens are stems), with whether the word alone is too common to count.
_DELIVERABLE_STEMS = tuple((stem(name), name in _GENERIC_DELIVERABLES) for name in DELIVERABLES)


class Vocabulary:
    """How rare each stem is among the commitments being compared (inverse document frequency)."""

    def __init__(self, documents: Iterable[Iterable[str]]):
        self.df: Counter[str] = Counter()
        self.n = 0
        for words in documents:
            self.n += 1
            self.df.update(set(words))

    def idf(self, word: str) -> float:
        return math.log((self.n + 1) / (self.df.get(word, 0) + 0.5))

    @classmethod
    def of(cls, promises: Sequence[Promise]) -> Vocabulary:
        return cls(promise_words(p) for p in promises)


def promise_words(promise: Promise) -> set[str]:
    return set(tokens(f"{promise.quote} {promise.summary} {promise.sitting_title}"))


def _resolve_year(day: int, month: int, year: int | None, letter_date: date | None) -> date | None:
    """A date as a letter writes it; without a year, the last such day on or before the letter."""
    try:
        if year is not None:
            return date(year, month, day)
        if letter_date is None:
            return None
        candidate = date(letter_date.year, month, day)
        return candidate if candidate <= letter_date else date(letter_date.year - 1, month, day)
    except ValueError:
        return None


def letter_dates(text: str, *, letter_date: date | None) -> tuple[date, ...]:
    """Every calendar date written in the text ('12 maart', '12 maart 2023', '12-03-2023'), in order."""
    found: list[tuple[int, date]] = []
    for m in _WRITTEN_DATE.finditer(text):
        year = int(m.group(3)) if m.group(3) else None
        resolved = _resolve_year(int(m.group(1)), MONTHS[m.group(2).lower()], year, letter_date)
        if resolved:
            found.append((m.start(), resolved))
    for m in _NUMERIC_DATE.finditer(text):
        resolved = _resolve_year(int(m.group(1)), int(m.group(2)), int(m.group(3)), letter_date)
        if resolved:
            found.append((m.start(), resolved))
    return tuple(d for _, d in sorted(found))


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def passages(letter: Letter) -> list[Passage]:
    """The stretches of the letter that refer to a promise: each cue sentence with its neighbours,
    overlapping stretches merged."""
    spans = _sentences(letter.text)
    windows: list[list[int]] = []
    cues: list[str] = []
    for index, (start, end) in enumerate(spans):
        cue = _CUES.search(letter.text, start, end)
        if cue is None:
            continue
        first, last = max(0, index - CONTEXT_BEFORE), min(len(spans) - 1, index + CONTEXT_AFTER)
        if windows and first <= windows[-1][1] + 1:
            windows[-1][1] = max(windows[-1][1], last)
            continue
        windows.append([first, last])
        cues.append(" ".join(cue.group(0).split()))
    found = []
    for (first, last), cue in zip(windows[:MAX_PASSAGES], cues, strict=False):
        start, end = spans[first][0], spans[last][1]
        text = letter.text[start:end]
        found.append(Passage(start, end, text, cue, letter_dates(text, letter_date=letter.date)))
    return found


@functools.lru_cache(maxsize=4096)
def _surname_in(promiser: str, signature: str) -> str:
    """The promiser's surname when the signature names it (particles and initials left out)."""
    words = [w for w in _WORD.findall(fold(_ASIDE.sub(" ", promiser))) if len(w) > 2]
    if not words:
        return ""
    surname = words[-1]
    return surname if re.search(rf"\b{re.escape(surname)}\b", signature) else ""


# An aside in brackets ("(ondertekening niet in het beschikbare deel)") is nobody's name.
_ASIDE = re.compile(r"\([^)]*\)")
_FUNCTION_HEAD = re.compile(r"(?i)^.*?\b(?:minister|staatssecretaris)\s+(?:van|voor)\s+")


@functools.lru_cache(maxsize=4096)
def _ministry_in(ministry: str, function: str, signature: str) -> str:
    """The ministry's first distinctive word when the signature names it ('Financiën', 'Volksgezondheid')."""
    ministry = ministry or _FUNCTION_HEAD.sub("", function)
    for word in _WORD.findall(fold(ministry)):
        if len(word) >= 5 and word not in STOPWORDS and word not in ("minister", "staatssecretaris"):
            return word if re.search(rf"\b{re.escape(word)}", signature) else ""
    return ""


def _deliverables(words: Iterable[str]) -> set[str]:
    """The stems that name a deliverable: a specific one alone, any one at the end of a compound."""
    found = set()
    for word in words:
        for name, generic in _DELIVERABLE_STEMS:
            if (word == name and not generic) or (word.endswith(name) and len(word) >= len(name) + 3):
                found.add(word)
                break
    return found


@dataclass
class _LetterView:
    """What every promise is compared with, worked out once per letter."""

    letter: Letter
    signature: str
    dates: frozenset[date]
    title_words: set[str]
    passage_words: list[set[str]] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)


def _view(letter: Letter, found: list[Passage]) -> _LetterView:
    signature = fold(_ASIDE.sub(" ", letter.sender or letter.text[-600:]))
    dates = frozenset(letter_dates(letter.text, letter_date=letter.date))
    view = _LetterView(letter, signature, dates, set(tokens(letter.title)))
    for passage in found:
        written = surface(passage.text)
        view.written.update((k, v) for k, v in written.items() if k not in view.written)
        view.passage_words.append(set(written) | view.title_words)
    view.written.update((k, v) for k, v in surface(letter.title).items() if k not in view.written)
    return view


def _words_reason(shared: set[str], own: set[str], vocabulary: Vocabulary, written: dict[str, str]) -> Reason | None:
    if not shared:
        return None
    mass = sum(vocabulary.idf(w) for w in shared)
    total = sum(vocabulary.idf(w) for w in own) or 1.0
    part = 0.5 * min(1.0, mass / WORDS_FULL) + 0.5 * (mass / total)
    top = sorted(shared, key=lambda w: (-vocabulary.idf(w), w))[:6]
    return Reason("words", ", ".join(written.get(w, w) for w in top), round(WEIGHTS["words"] * part, 4))


def _person_reasons(promise: Promise, view: _LetterView) -> list[Reason]:
    """Who sent the letter against who promised: the same for every passage, worked out once."""
    reasons = []
    if _surname_in(promise.promiser, view.signature):
        reasons.append(Reason("minister", promise.promiser, WEIGHTS["minister"]))
    if _ministry_in(promise.ministry, promise.function, view.signature):
        reasons.append(Reason("ministry", promise.ministry or promise.function, WEIGHTS["ministry"]))
    return reasons


def score(
    promise: Promise,
    passage: Passage,
    words: set[str],
    view: _LetterView,
    vocabulary: Vocabulary,
    *,
    own: set[str] | None = None,
    person: list[Reason] | None = None,
) -> tuple[float, tuple[Reason, ...]]:
    """The evidence that `passage` (with its stems `words`) refers to `promise`, as a score and reasons.

    `own` (the promise's stems) and `person` (_person_reasons) may be passed in when already worked out."""
    reasons = list(_person_reasons(promise, view) if person is None else person)
    if promise.sitting_date is not None:
        if promise.sitting_date in passage.dates:
            reasons.append(Reason("date", promise.sitting_date.isoformat(), WEIGHTS["date"]))
        elif promise.sitting_date in view.dates:
            reasons.append(Reason("date_elsewhere", promise.sitting_date.isoformat(), WEIGHTS["date"] * DATE_ELSEWHERE))
    own = promise_words(promise) if own is None else own
    shared_words = own & words
    named = _deliverables(shared_words)
    if named:
        shown = ", ".join(sorted(view.written.get(w, w) for w in named))
        reasons.append(Reason("deliverable", shown, WEIGHTS["deliverable"]))
    shared = _words_reason(shared_words, own, vocabulary, view.written)
    if shared is not None:
        reasons.append(shared)
    return round(sum(r.points for r in reasons), 4), tuple(reasons)


def rank(
    letter: Letter,
    promises: Sequence[Promise],
    *,
    vocabulary: Vocabulary | None = None,
    threshold: float = THRESHOLD,
    limit: int = 10,
) -> list[Proposal]:
    """The promises the letter says it fulfils, best first, each at its best passage; none without a
    promise passage. Ties go to the earlier sitting key order as given (stable)."""
    found = passages(letter)
    if not found or not promises:
        return []
    own_words = [promise_words(p) for p in promises]
    vocabulary = vocabulary or Vocabulary(own_words)
    view = _view(letter, found)
    best: list[Proposal] = []
    for promise, own in zip(promises, own_words, strict=True):
        top: Proposal | None = None
        person = _person_reasons(promise, view)
        for passage, words in zip(found, view.passage_words, strict=True):
            value, reasons = score(promise, passage, words, view, vocabulary, own=own, person=person)
            if top is None or value > top.score:
                top = Proposal(promise.key, value, reasons, passage)
        if top is not None and top.score >= threshold:
            best.append(top)
    best.sort(key=lambda p: -p.score)
    return best[:limit]
