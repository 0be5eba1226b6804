"""Plain data produced by the transcript parser and the commitment detector.

Nothing here imports Django: the parser and detector are pure functions of text, so they can be
tested against stored input/output pairs and reused outside the web application.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ROLES = ("chair", "member", "minister", "other")
ITEM_KINDS = ("vraag_om_uitleg", "interpellatie", "actuele_vraag", "gedachtewisseling", "other")
COMMITMENT_KINDS = ("send_document", "report_back", "hearing", "agenda", "publish", "evaluate", "other")


@dataclass(frozen=True, slots=True)
class Header:
    """Facts the transcript states about itself; every field is None when the text does not say."""

    date: date | None = None
    time_text: str | None = None  # "10.00u" as printed
    committee: str | None = None  # committee name as printed
    item_kind: str | None = None  # one of ITEM_KINDS
    number: str | None = None  # "2229 (2016-2017)"
    parliamentary_year: str | None = None  # "2016-2017"
    asker: str | None = None  # "Elke Van den Brandt" from "van X aan minister Y"
    minister: str | None = None  # "Sven Gatz"
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """A line that is not speech but must not be lost: editorial remarks and closers."""

    line: int  # 1-based line number in the input text
    kind: str  # "editorial" ("– Wegens de coronamaatregelen …", "(Gelach)") or "closer"
    text: str
    item_position: int | None = None


@dataclass(frozen=True, slots=True)
class Speech:
    index: int  # 0-based, in order over the whole transcript
    item_position: int  # 0-based position of the agenda item this speech belongs to
    label: str  # the speaker as printed: "Minister Hilde Crevits", "Mevrouw Vandromme", "De voorzitter"
    name: str  # normalised: no honorific, function or party: "Hilde Crevits", "Vandromme", "" for an unnamed chair
    surname: str  # "Crevits", "Vandromme", "Van den Brandt"; "" when unknown
    role: str  # one of ROLES
    text: str  # paragraphs joined with "\n\n"; verbatim apart from whitespace at line ends
    line: int  # 1-based line number where the speech starts
    honorific: str | None = None  # "Mevrouw" / "De heer"
    party: str | None = None  # "CD&V" when printed
    function: str | None = None  # "Minister", "Vlaams minister", "Minister-president", "Voorzitter" …


@dataclass(frozen=True, slots=True)
class Item:
    """An agenda item (vraag om uitleg, interpellatie …) with its speeches in order."""

    position: int
    kind: str  # one of ITEM_KINDS
    number: str | None = None
    title: str | None = None
    askers: tuple[str, ...] = ()  # normalised names of the asker(s), first asker first
    addressed_to: str | None = None  # normalised name of the minister addressed
    speeches: tuple[Speech, ...] = ()
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, slots=True)
class Transcript:
    header: Header
    items: tuple[Item, ...]
    notes: tuple[Note, ...] = ()  # notes outside any item
    warnings: tuple[str, ...] = ()

    @property
    def speeches(self) -> tuple[Speech, ...]:
        return tuple(s for item in self.items for s in item.speeches)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed commitment: never registered until a clerk says so."""

    speech_index: int  # the speech whose text contains the quote (the promiser's own speech)
    speaker: str  # normalised name of the promiser ("" for an unnamed chair)
    role: str  # role of the promiser
    quote: str  # exact substring: speech.text[start:end] == quote
    start: int
    end: int
    kind: str  # one of COMMITMENT_KINDS
    promiser: str  # "speaker", "government" (a minister's "we") or "committee" (the chair's "we")
    promised_to: tuple[str, ...] = ()  # normalised names of the members it was promised to
    to_committee: bool = False  # "jullie", "de commissie", "het parlement"
    due_text: str = ""  # the words used: "volgende week", "zodra die studie is opgeleverd"
    due_date: date | None = None  # only when the words and a reference date allow it
    event_bound: bool = False  # the deadline is an event ("zodra …"), not a date
    confidence: float = 0.5  # 0..1
    rule: str = ""  # the name of the rule that fired
    request_speech_index: int | None = None  # for an accepted request: the speech that asked
    request_quote: str = ""  # exact substring of that speech
