"""Candidates for recall, described by named features for the learned scorer.

The rules in `detector` were written to be precise; on real transcripts they missed about four in ten
commitments. Here every sentence of an eligible speaker that *could* be a promise becomes a candidate
(the gate below is deliberately wide), and is described by named features — the deliverable it names,
who acts, to whom, in which mood, and everything that usually makes it not a promise (negation, hedge,
condition, past, question, an answer given on the spot, a third party). Whether a rule fired is one
feature among them. `scorer` weighs them with weights learned from the corpus of real text.

Pure Python, no Django; lexicons live in `detector` (and its lexicon tables), logic here is only which
of them apply to a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import detector as d

# A sentence this long is a paragraph the splitter could not cut; still a candidate, but flagged.
_LONG_WORDS = 60

_TOEZEG = d._Feature("toe ~toezeg", r"\btoe\s*(?:te\s+)?zeg\w*|\btoezeg\w*|\bzeg\w*\b[^.;:?!]{0,60}\btoe\b")
_LATER_PLACE = d._Feature(
    "volgende later latere nadere aparte schriftelijk brief nota kamerbrief ~voortgangsrapportage voor",
    r"\b(?:volgende|een\s+volgende|later(?:e)?|nadere|aparte)\s+(?:vergadering|commissie\w*|keer|brief|"
    r"overleg|debat|gelegenheid)|\bschriftelijk\b|\bin\s+(?:een|de)\s+(?:brief|nota|kamerbrief)\b|"
    r"\bvoortgangsrapportage|\bvoor\s+(?:het|de)\s+(?:zomer|kerst|reces|einde|eind)\w*",
)
_LATER_TIME = d._Feature(
    "binnenkort spoedig snel zodra eerstdaags later ~volgend ~komend zomer voorjaar najaar begin ~eind "
    "januari februari maart april mei juni juli augustus september oktober november december ~20",
    r"\b(?:binnenkort|spoedig|zo\s+snel\s+mogelijk|zodra|eerstdaags|later|volgend\w*|komend\w*|"
    r"na\s+de\s+zomer|voor\s+de\s+zomer|in\s+het\s+voorjaar|in\s+het\s+najaar|begin\s+\w+|eind\w*\s+\w+|"
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|20\d\d)\b",
)
_ON_THE_SPOT = d._Feature(
    "straks meteen dadelijk termijn antwoord hierna zeggen meegeven melden",
    r"\b(?:straks|zo\s+meteen|dadelijk|in\s+(?:de|mijn)\s+tweede\s+termijn|in\s+dit\s+antwoord|hierna|"
    r"nu\s+(?:al\s+)?(?:zeggen|meegeven)|kan\s+ik\s+(?:u\s+)?(?:nu\s+)?(?:al\s+)?(?:zeggen|meegeven|melden))\b",
)
_REFUSAL = d._Feature(
    "niet geen ~ontraad",
    r"\b(?:kan|kunnen|ga|gaan|zal|zullen|wil|willen)\s+(?:ik|we|wij)\s+(?:\w+\s+){0,3}?(?:niet|geen)\b|"
    r"\b(?:ik|we|wij)\s+(?:kan|kunnen|ga|gaan|zal|zullen|wil|willen)\s+(?:\w+\s+){0,3}?(?:niet|geen)\b|"
    r"\bontraad\w*|\bniet\s+toezeggen|\bgeen\s+toezegging",
)
_POLICY_AGENTS = d._Feature(
    "regering kabinet overheid administratie departement agentschap diensten ministerie",
    r"\b(?:de\s+regering|het\s+kabinet|de\s+vlaamse\s+regering|de\s+overheid|mijn\s+administratie|"
    r"het\s+departement|het\s+agentschap|de\s+diensten|mijn\s+diensten|het\s+ministerie)\b",
)
# The offer depends on what the member does first: "indien u een schriftelijke vraag indient, kan ik …".
_MEMBER_CONDITION = d._Feature(
    "indien als wanneer mits zodra schriftelijke",
    r"\b(?:indien|als|wanneer|mits|zodra)\s+(?:u|jullie|de\s+heer|mevrouw|het\s+lid|de\s+leden)\b|"
    r"\bschriftelijke\s+vraag\b",
)
# The speaker asks the member for something: "ik vraag u om die studies voor te leggen".
_ASKS_YOU = d._Feature(
    "vraag vragen nodig", r"\b(?:ik\s+vraag\s+u|vraag\s+ik\s+u|ik\s+wil\s+u\s+vragen|ik\s+nodig\s+u\s+uit)\b"
)
# Answered later in this debate: "ik kom daar zo op terug", "in mijn tweede termijn".
_LATER_TODAY = d._Feature(
    "zo termijn straks vervolg verloop",
    r"\bzo\s+(?:nog\s+|dadelijk\s+|meteen\s+)?(?:op|bij)\b|\btweede\s+termijn\b|\bstraks\b|\bstraks\s+nog\b|"
    r"\bin\s+(?:het\s+)?(?:vervolg|verloop)\s+van\s+(?:mijn|dit)\s+(?:antwoord|betoog|beantwoording)",
)
_REQUEST_WORDS = d._Feature(
    "vraag verzoek voorstel vraagt gevraagd vroeg",
    r"\b(?:uw\s+vraag|uw\s+verzoek|uw\s+voorstel|u\s+vraagt|gevraagd|vroeg)\b",
)
_SOFT_DELIVERY = d._wordset(
    "informeren informeer geïnformeerd rapporteren rapporteer terugkomen terugkoppelen terugkoppeling "
    "brief kamerbrief nota overzicht cijfers stand update toesturen sturen stuur stuurt doen toekomen "
    "laten weten meedelen melden uitnodigen agenderen evalueren evaluatie publiceren bezorgen bezorg "
    "voorleggen leg toelichten presenteren bespreken overleggen komen kom terug mailen mail mailt e-mailen "
    "delen deel gedeeld beschikbaar meenemen meeneem neem zorgen zorg briefje"
)
_MODAL_FUTURE = d._wordset("zal zullen zult ga gaan gaat kan kunnen wil willen bereid zorg zorgen laat")
_PARLIAMENT = d._wordset("kamer commissie parlement kamercommissie commissieleden leden")
_AGENTS = d._wordset("ik we wij")
KIND_WORDS = d._DELIVERABLE_WORDS | d._IMPERSONAL.tokens  # every word detector._kinds needs to find anything
_MOOD_OR_HOUSE = _MODAL_FUTURE | _PARLIAMENT | d._wordset("komt komen eraan krijgt krijgen")


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
