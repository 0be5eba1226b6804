"""ParlaMint TEI (Parla-CLARIN): one sitting per file, speakers resolved through the corpus's person list.

A sitting is ``<TEI>`` with ``<div>`` sections (an optional ``<head>`` title), ``<note type="speaker">``
labels as printed, utterances ``<u who="#PersonId" ana="#chair|#regular|#guest">`` of ``<seg>``
paragraphs, and editorial ``<note>``s. Who spoke is in the corpus's ``listPerson`` (its own file in a
ParlaMint release, or inside the header): names, sex, and affiliations with from/to dates (party
membership, minister or state secretary). The sitting is written in the Handelingen layout the
parser reads, with labels built from the person list at the sitting's date, e.g. "Mevrouw Khadija
Arib (PvdA):", "Minister Wopke Hoekstra:", "De voorzitter (Jan Anthonie Bruijn):".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from ..decode import TranscriptError
from .xml import local, parse_xml, text_of

__all__ = ["TEI_ROOTS", "read_parlamint"]

TEI_ROOTS = frozenset({"TEI", "teiCorpus"})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
# Affiliations that are a house, a government or a ministry, not a party.
_INSTITUTION = re.compile(r"#(?:TK|EK|GOV|ministry\.|government\.|be_federal_parliament|parliament)", re.IGNORECASE)
_GOVERNMENT = re.compile(r"#(?:GOV|ministry\.|government\.)", re.IGNORECASE)
_FUNCTIONS = {"minister": "Minister", "secretaryOfState": "Staatssecretaris"}
# "01.01 Roberto D'Amico (PVDA-PTB):" – the Belgian Kamer numbers its turns.
_TURN_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\s+")
# "01 Vraag van Roberto D'Amico aan Mathieu Michel (…) over …": the Kamer's numbered agenda items.
_QUESTION_HEADING = re.compile(r"\d{1,3}\s+(?:Vraag|Vragen|Samengevoegde vragen|Interpellatie|Interpellaties)\b")


@dataclass(frozen=True, slots=True)
class _Affiliation:
    role: str
    ref: str
    start: str  # ISO dates compare as strings; "" is open-ended
    end: str

    def holds_on(self, day: str) -> bool:
        return (not self.start or self.start <= day) and (not self.end or day <= self.end)


@dataclass(slots=True)
class _Person:
    forename: str
    surname: str
    sex: str
    affiliations: list[_Affiliation] = field(default_factory=list)

    @property
    def name(self) -> str:
        surname = self.surname[:1].upper() + self.surname[1:] if not self.forename else self.surname
        return " ".join(part for part in (self.forename, surname) if part)

    def party_on(self, day: str) -> str | None:
        for affiliation in self.affiliations:
            if affiliation.role == "member" and not _INSTITUTION.match(affiliation.ref) and affiliation.holds_on(day):
                return affiliation.ref.lstrip("#").removeprefix("party.")
        return None

    def function_on(self, day: str) -> str | None:
        held = [a for a in self.affiliations if a.holds_on(day)]
        for role, function in _FUNCTIONS.items():
            if any(a.role == role for a in held):
                return function
        # Some corpora (ParlaMint-BE) only record membership of the government: a member of the
        # government speaks as its minister.
        if any(a.role == "member" and _GOVERNMENT.match(a.ref) for a in held):
            return "Minister"
        return None


def _persons(root: etree._Element) -> dict[str, _Person]:
    persons: dict[str, _Person] = {}
    for element in root.iter("{*}person"):
        person_id = element.get(_XML_ID)
        if not person_id:
            continue
        pers_name = element.find("{*}persName")
        forename = surname = ""
        if pers_name is not None:
            forename = " ".join(text_of(e) for e in pers_name.findall("{*}forename"))
            surname = " ".join(text_of(e) for e in pers_name.findall("{*}surname"))
        sex = element.find("{*}sex")
        person = _Person(forename, surname, sex.get("value", "") if sex is not None else "")
        for affiliation in element.iter("{*}affiliation"):
            person.affiliations.append(
                _Affiliation(
                    affiliation.get("role", ""),
                    affiliation.get("ref", ""),
                    affiliation.get("from", ""),
                    affiliation.get("to", ""),
                )
            )
        persons[person_id] = person
    return persons


def _sitting_date(root: etree._Element) -> str:
    for path in ("{*}teiHeader//{*}setting/{*}date", "{*}teiHeader//{*}sourceDesc//{*}date"):
        element = root.find(path)
        if element is not None and element.get("when"):
            return element.get("when", "")[:10]
    return ""


def _dutch_date(day: str) -> str | None:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return None
    return f"{parsed.day} {_MONTHS[parsed.month - 1]} {parsed.year}"


def _note_label(note: str) -> str:
    return _TURN_NUMBER.sub("", note).strip().rstrip(":").strip()


@dataclass(slots=True)
class _Reader:
    filename: str
    persons: dict[str, _Person]
    day: str
    language: str
    blocks: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    note_label: str | None = None
    current: str | None = None
    utterances: int = 0
    unresolved: set[str] = field(default_factory=set)
    gaps: int = 0
    other_language_notes: int = 0

    def label(self, utterance: etree._Element) -> str:
        who = utterance.get("who", "").lstrip("#")
        chair = "#chair" in utterance.get("ana", "").split()
        person = self.persons.get(who)
        if person is None:
            self.unresolved.add(who)
            if chair:
                return "De voorzitter:"
            if self.note_label:
                return f"{self.note_label}:"
            # Neither the person list nor the text says who this is: guessing a name from the id
            # would put words in someone's mouth.
            raise TranscriptError(
                f"{self.filename}: tussenkomst {utterance.get(_XML_ID, '?')} van #{who} heeft geen "
                "sprekerslabel en de spreker staat niet in de personenlijst; geef de listPerson van het "
                "corpus mee."
            )
        if chair:
            return f"De voorzitter ({person.name}):" if person.name else "De voorzitter:"
        function = person.function_on(self.day)
        if function:
            return f"{function} {person.name}:"
        honorific = {"F": "Mevrouw", "M": "De heer"}.get(person.sex, "")
        party = person.party_on(self.day)
        label = " ".join(part for part in (honorific, person.name) if part)
        if party:
            label += f" ({party})"
        if not (honorific or party) and self.note_label:
            return f"{self.note_label}:"  # nothing in the list marks the name as a speaker's
        return f"{label}:"

    def note(self, element: etree._Element) -> None:
        kind = element.get("type", "")
        text = text_of(element)
        if kind == "speaker":
            self.note_label = _note_label(text)
            return
        if element.get(_XML_LANG, self.language) != self.language:
            self.other_language_notes += 1  # the same remark in the other language of a bilingual house
            return
        if _QUESTION_HEADING.match(text):
            self.blocks.append(f"AGENDAPUNT {text}")
            self.current = None
        elif text:
            # Clerks' remarks ("De beraadslaging wordt gesloten.") in the parenthesised form the
            # parser keeps as editorial notes.
            self.blocks.append(f"({text})")
            self.current = None

    def utterance(self, element: etree._Element) -> None:
        self.utterances += 1
        label = self.label(element)
        self.note_label = None
        paragraphs = [text_of(seg) for seg in element.iter("{*}seg")]
        paragraphs = [p for p in paragraphs if p] or ([text_of(element)] if text_of(element) else [])
        if not paragraphs:
            return
        if label != self.current:
            self.blocks.append(label)
            self.current = label
        self.blocks.extend(paragraphs)

    def section(self, element: etree._Element) -> None:
        for child in element:
            tag = local(child.tag)
            if tag == "head":
                self.blocks.append(f"AGENDAPUNT {text_of(child)}")
                self.current = None
            elif tag == "note":
                self.note(child)
            elif tag == "u":
                self.utterance(child)
            elif tag == "gap":
                self.gaps += 1
            elif tag == "div":
                self.section(child)


def read_parlamint(data: bytes, *, filename: str, person_list: bytes | None = None) -> tuple[str, list[str]]:
    """Text in the Handelingen layout and the warnings for it, or TranscriptError."""
    root = parse_xml(data, filename=filename, what="TEI")
    persons = _persons(root)  # a corpus file may carry its own listPerson
    if person_list is not None:
        listed = parse_xml(person_list, filename=f"{filename} (personenlijst)", what="TEI-personenlijst")
        persons.update(_persons(listed))
    day = _sitting_date(root)
    reader = _Reader(filename=filename, persons=persons, day=day, language=root.get(_XML_LANG, "nl"))
    if (spoken := _dutch_date(day)) is not None:
        reader.blocks.append(f"Vergadering van {spoken}")
    for body in root.iter("{*}body"):
        reader.section(body)
    if not reader.utterances:
        raise TranscriptError(f"{filename}: TEI zonder sprekers (geen <u>-elementen); niets in te lezen.")
    warnings = [f"{filename}: ParlaMint-TEI herkend: {reader.utterances} tussenkomsten op {day or 'onbekende datum'}."]
    if reader.unresolved:
        names = ", ".join(sorted(reader.unresolved))
        warnings.append(
            f"{filename}: {len(reader.unresolved)} spreker(s) niet in de personenlijst ({names}); "
            "hun label komt uit de tekst. Geef de listPerson van het corpus mee om ze op te lossen."
        )
    if reader.gaps:
        warnings.append(f"{filename}: {reader.gaps} weggelaten passage(s) (<gap>) in de bron.")
    if reader.other_language_notes:
        warnings.append(
            f"{filename}: {reader.other_language_notes} opmerking(en) van de griffie in een andere taal "
            "overgeslagen (dezelfde opmerking staat er ook in de taal van het verslag)."
        )
    return "\n\n".join(reader.blocks) + "\n", warnings
