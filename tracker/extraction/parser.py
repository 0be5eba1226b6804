"""Split a committee transcript into agenda items and speeches.

The parser reads the layouts in which Flemish and Dutch parliamentary reports reach the clerks:

* the Flemish Parliament web page: "Mevrouw X heeft het woord." lines (the chair giving the floor),
  optionally followed by a header line naming the speaker in full ("Minister Hilde Crevits");
* the older PDF-era Flemish reports: "De heer X (N-VA): text" labels inline, running page headers and
  a table of contents of item titles ("VRAAG OM UITLEG van … tot … over … – 2260 (2014-2015)");
* Dutch Handelingen: a label alone on its line ending in a colon ("Minister Donner:"), or inline.

It works line by line with small, bounded patterns, so its cost is linear in the input and no input
can make a pattern backtrack for long. Everything it does not keep as speech is kept as a Note, or
reported in Transcript.warnings, never dropped silently (page chrome excepted).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .decode import TranscriptError
from .names import is_particle, same_name, surname_of
from .types import Header, Item, Note, Speech, Transcript

__all__ = ["normalise_name", "parse_transcript", "same_person"]

# --------------------------------------------------------------------------------------------------
# Names and labels
# --------------------------------------------------------------------------------------------------

_HONORIFICS = {
    "mevrouw": "Mevrouw",
    "mevr.": "Mevrouw",
    "de heer": "De heer",
    "dhr.": "De heer",
    "mijnheer": "De heer",
    "meneer": "De heer",
    "mr.": "Mr.",
    "mrs.": "Mrs.",
    "ms.": "Ms.",
    "dr.": "Dr.",
    "drs.": "Drs.",
    "prof.": "Prof.",
    "ir.": "Ir.",
    "ing.": "Ing.",
}
_HONORIFIC = re.compile(
    r"(mevrouw|mevr\.|de\s+heer|dhr\.|mijnheer|meneer|mr\.|mrs\.|ms\.|dr\.|drs\.|prof\.|ir\.|ing\.)(?:\s+|$)",
    re.IGNORECASE,
)
# Longer functions first: "minister" must not win over "minister-president".
_FUNCTION = re.compile(
    r"(?:de\s+)?(viceminister-president|vice-eersteminister|minister-president|vlaamse?\s+minister|"
    r"eerste\s+minister|minister|staatssecretaris|ondervoorzitter|voorzitter|premier|rapporteur|"
    r"regeringscommissaris|commissaris)(?=\s|$)\s*",
    re.IGNORECASE,
)
_FUNCTION_NAMES = {
    "viceminister-president": "Viceminister-president",
    "vice-eersteminister": "Vice-eersteminister",
    "minister-president": "Minister-president",
    "vlaams minister": "Vlaams minister",
    "vlaamse minister": "Vlaams minister",
    "eerste minister": "Eerste minister",
    "premier": "Eerste minister",
    "minister": "Minister",
    "staatssecretaris": "Staatssecretaris",
    "ondervoorzitter": "Ondervoorzitter",
    "voorzitter": "Voorzitter",
    "rapporteur": "Rapporteur",
    "regeringscommissaris": "Regeringscommissaris",
    "commissaris": "Commissaris",
}
_MINISTER_FUNCTIONS = frozenset(
    {
        "Viceminister-president",
        "Vice-eersteminister",
        "Minister-president",
        "Vlaams minister",
        "Eerste minister",
        "Minister",
        "Staatssecretaris",
    }
)
_CHAIR_FUNCTIONS = frozenset({"Voorzitter", "Ondervoorzitter"})
_PARTY = re.compile(r"\s*\(([^()]{1,40})\)\s*$")
_NAME_TOKEN = re.compile(r"(?:[^\W\d_]\.){1,5}|[^\W\d_][\w'’.\-]{0,40}")
_WHITESPACE = re.compile(r"\s+")
# A remainder in lower case after a function is a portfolio ("Minister van Binnenlandse Zaken"), not a name.
_PORTFOLIO = re.compile(r"(?:van|voor|belast|bevoegd)\b")
_MAX_NAME_TOKENS = 7


@dataclass(frozen=True, slots=True)
class _Parts:
    name: str
    surname: str
    honorific: str | None
    party: str | None
    function: str | None
    valid: bool  # every part was recognised: a usable speaker label


def _analyse(label: str) -> _Parts:
    text = _WHITESPACE.sub(" ", label).strip().rstrip(":").strip()
    party = None
    match = _PARTY.search(text)
    if match:
        party, text = match.group(1).strip(), text[: match.start()].strip()
    head, comma, tail = text.partition(",")
    head = head.strip()
    if comma and party is None and (match := _PARTY.search(head)):
        party, head = match.group(1).strip(), head[: match.start()].strip()
    honorific = function = None
    for _ in range(3):  # "Mevrouw de voorzitter", "Prof. dr. …": a few prefixes may stack
        if (match := _HONORIFIC.match(head)) is not None:
            honorific = honorific or _HONORIFICS[_WHITESPACE.sub(" ", match.group(1).lower())]
        elif (match := _FUNCTION.match(head)) is not None and function is None:
            function = _FUNCTION_NAMES[_WHITESPACE.sub(" ", match.group(1).lower())]
        else:
            break
        head = head[match.end() :].strip()
    valid = True
    if comma:
        # "Hilde Crevits, viceminister-president van de Vlaamse Regering": only a function may follow.
        match = _FUNCTION.match(tail.strip())
        if match is None:
            valid = False
        elif function is None:
            function = _FUNCTION_NAMES[_WHITESPACE.sub(" ", match.group(1).lower())]
    name = head
    if function is not None and _PORTFOLIO.match(name):
        name = ""
    if name and not _valid_name(name):
        valid = False
    if function in _CHAIR_FUNCTIONS and party and _valid_name(party) and len(party.split()) > 1:
        name, party = party, None  # "De voorzitter (Jan Peumans)" names the chair, not a party
    return _Parts(name, surname_of(name), honorific, party, function, valid)


def _valid_name(name: str) -> bool:
    tokens = name.split()
    if not 0 < len(tokens) <= _MAX_NAME_TOKENS or len(name) > 80:
        return False
    for token in tokens:
        if not _NAME_TOKEN.fullmatch(token):
            return False
        if not (token[0].isupper() or is_particle(token) or token[:2].lower() in ("d'", "d’")):
            return False
    return tokens[-1][0].isupper() and not is_particle(tokens[-1])


def normalise_name(label: str) -> tuple[str, str, str | None, str | None, str | None]:
    """(name, surname, honorific, party, function) of a speaker label as printed.

    "De heer Jos De Meyer (CD&V)" → ("Jos De Meyer", "De Meyer", "De heer", "CD&V", None);
    "Minister Hilde Crevits" → ("Hilde Crevits", "Crevits", None, None, "Minister").
    """
    parts = _analyse(label if isinstance(label, str) else "")
    return parts.name, parts.surname, parts.honorific, parts.party, parts.function


def same_person(a: str, b: str) -> bool:
    """Whether two speaker labels can name the same person (names.same_name, on the names the labels
    print once honorific, function and party are taken off): "Mevrouw Vandromme" = "Katrien Vandromme (CD&V)".
    """
    name_a, surname_a, *_ = normalise_name(a)
    name_b, surname_b, *_ = normalise_name(b)
    return same_name(name_a, name_b, surname_a=surname_a, surname_b=surname_b)


@dataclass(frozen=True, slots=True)
class _Who:
    label: str
    name: str
    surname: str
    role: str
    honorific: str | None = None
    party: str | None = None
    function: str | None = None


_CHAIR = _Who(label="De voorzitter", name="", surname="", role="chair", function="Voorzitter")


def _role(parts: _Parts) -> str:
    if parts.function in _MINISTER_FUNCTIONS:
        return "minister"
    if parts.function in _CHAIR_FUNCTIONS:
        return "chair"
    if parts.function is not None:
        return "other"
    if parts.honorific or parts.party or parts.name:
        return "member"
    return "other"


def _who(label: str, *, need_evidence: bool, need_name: bool) -> _Who | None:
    """The speaker a label names, or None when the text does not read as a speaker label."""
    label = _WHITESPACE.sub(" ", label).strip()
    if not label or len(label) > 120 or not label[0].isupper():
        return None
    parts = _analyse(label)
    if not parts.valid:
        return None
    evidence = parts.honorific or parts.function or parts.party
    if need_evidence and not evidence:
        return None
    role = _role(parts)
    # Only a function may stand without a name ("De voorzitter", "De minister van Financiën").
    if not parts.name and (parts.function is None or (need_name and role != "chair")):
        return None
    return _Who(label, parts.name, parts.surname, role, parts.honorific, parts.party, parts.function)


def _merge(announced: _Who, header: _Who) -> _Who:
    """The header line names the speaker in full; the announcement may add the honorific."""
    return _Who(
        label=header.label,
        name=header.name or announced.name,
        surname=header.surname or announced.surname,
        role=header.role if header.role != "member" or announced.role == "member" else announced.role,
        honorific=header.honorific or announced.honorific,
        party=header.party or announced.party,
        function=header.function or announced.function,
    )


# --------------------------------------------------------------------------------------------------
# Line patterns. Every pattern is anchored and bounded; long lines are only tested on a short prefix.
# --------------------------------------------------------------------------------------------------

_MAX_MARKER_LINE = 250
_TURN = re.compile(
    r"(?P<who>[^!?:;]{2,110}?) heeft (?:nu |opnieuw |thans |dan |eerst |ook )?het woord(?: [^.!?]{1,80})?\."
)
# Sentences a chair uses inside a labelled speech to give the floor (Handelingen style).
_GIVE_FLOOR = re.compile(
    r"(?:Het woord is (?:nu |dan )?aan|(?:Ik geef|Dan geef ik|Ik verleen)(?: nu| dan)? het woord aan) "
    r"(?P<who>[^.!?:;]{2,110})\."
)
_LAST_SENTENCE = re.compile(r"(?:^|(?<=[.!?])\s+)([^.!?]{2,200}[.!?])$")
_CLOSER = re.compile(
    r"(?:De|Het) (?:samengevoegde )?(?P<kind>vragen om uitleg|vraag om uitleg|interpellaties|interpellatie|"
    r"actuele vragen|actuele vraag|gedachtewisselingen|gedachtewisseling|incident|debat|bespreking) "
    r"(?:is|zijn|wordt|worden) (?:afgehandeld|gesloten|beëindigd)\.",
    re.IGNORECASE,
)
_CLOSER_KINDS = {
    "vragen om uitleg": "vraag_om_uitleg",
    "vraag om uitleg": "vraag_om_uitleg",
    "interpellaties": "interpellatie",
    "interpellatie": "interpellatie",
    "actuele vragen": "actuele_vraag",
    "actuele vraag": "actuele_vraag",
    "gedachtewisselingen": "gedachtewisseling",
    "gedachtewisseling": "gedachtewisseling",
}
_DASH_LINE = re.compile(r"[–—-] ?(?=[^\W\d_])")
# A dash line inside a speech is only editorial when it reads like a clerk's remark, not a list item.
_EDITORIAL_WORDS = re.compile(
    r"\b(?:vergadering|geschorst|hervat|gesloten|geopend|voorzitterschap|videoconferentie|"
    r"coronamaatregelen|behandeld|samengevoegd|ingetrokken|omgezet|stemming|motie|moties|"
    r"ingediend|voorgelezen|afwezig|verontschuldigd)\b",
    re.IGNORECASE,
)
_MAX_EDITORIAL = 600
_MAX_EDITORIAL_LINES = 6
_PAREN_EDITORIAL = re.compile(r"\((?=[^\W\d_])[^()]{1,200}\)\.?")
_PLAIN_EDITORIAL = re.compile(
    r"(?:De (?:vergadering|beraadslaging|behandeling|zitting) (?:wordt|is) [^.!?]{0,120}"
    r"(?:geschorst|hervat|gesloten|geopend|heropend)[^.!?]{0,80}\.|"
    r"(?:Sluiting|Opening|Schorsing|Hervatting)(?: om| te)? \d{1,2}[.:u]\d{2}(?: uur)?\.?)"
)

_TITLE_KINDS = {
    "vraag om uitleg": "vraag_om_uitleg",
    "vragen om uitleg": "vraag_om_uitleg",
    "samengevoegde vragen om uitleg": "vraag_om_uitleg",
    "interpellatie": "interpellatie",
    "interpellaties": "interpellatie",
    "samengevoegde interpellaties": "interpellatie",
    "actuele vraag": "actuele_vraag",
    "actuele vragen": "actuele_vraag",
    "gedachtewisseling": "gedachtewisseling",
    # The heading the readers of published XML (Handelingen, ParlaMint) write above each agenda item.
    "agendapunt": "other",
}
_AGENDA_HEADING = "AGENDAPUNT"
_TITLE_UPPER = re.compile(
    r"(?P<kind>SAMENGEVOEGDE VRAGEN OM UITLEG|SAMENGEVOEGDE INTERPELLATIES|VRAGEN OM UITLEG|VRAAG OM UITLEG|"
    r"INTERPELLATIES|INTERPELLATIE|ACTUELE VRAGEN|ACTUELE VRAAG|GEDACHTEWISSELING|AGENDAPUNT)(?= |$)"
)
_TITLE_MIXED = re.compile(
    r"(?P<kind>Samengevoegde vragen om uitleg|Samengevoegde interpellaties|Vragen om uitleg|Vraag om uitleg|"
    r"Interpellaties|Interpellatie|Actuele vragen|Actuele vraag|Gedachtewisseling) (?:van|over|met|tot|aan) "
)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,6}) \((\d{4})-(\d{4})\)")
_TITLE_DONE = re.compile(r"\(\d{4}-\d{4}\)\s*(?:(?:\.{2,}|…+)?\s*\d{1,4})?$")
# Table-of-contents entries end in a page number, sometimes after dot leaders.
_TOC_PAGE = re.compile(r"(?:(?<=\))|\s)(?:\s*(?:\.{2,}|…+))?\s*(\d{1,4})$")
_MAX_TITLE_LINES = 6
_PAGE_NUMBER = re.compile(r"(?:\.{2,}|…+)? ?\d{1,4}")

_MONTH_NAMES = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_WEEKDAY = r"(?:maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag)"
_DATE = re.compile(rf"(?<!\w)(?:{_WEEKDAY} )?(\d{{1,2}}) ({'|'.join(_MONTH_NAMES)}) (\d{{4}})(?!\d)", re.IGNORECASE)
_DATE_LINE = re.compile(
    rf"(?:(?:vergadering )?van )?(?P<date>(?:{_WEEKDAY} )?\d{{1,2}} [a-z]{{3,9}} \d{{4}})"
    r"(?:,? (?:om )?(?P<time>\d{1,2}(?:[.:u]\d{2})? ?(?:u|uur)?))?\.?",
    re.IGNORECASE,
)
# Every header pattern below needs one of these; one search saves trying them all on ordinary lines.
_HEADER_GATE = re.compile(r"\d|van |Commissie|[Vv]ergadering|Report|Verslag|Zitting|Handelingen|oorzitter")
_YEAR = re.compile(r"\((\d{4}-\d{4})\)|\b(?:Zitting|Handelingen I{0,2}) ?(\d{4}-\d{4})\b")
_NUMBER_LINE = re.compile(r"(\d{1,6}) \((\d{4})-(\d{4})\)")
_ASKED_LINE = re.compile(r"van (?P<askers>[^:;]{2,200}?) (?:aan|tot) (?P<to>[^:;]{2,150})")
_MEETING_LINE = re.compile(
    r"(?:Commissievergadering|Plenaire vergadering|Openbare vergadering|Vergadering)"
    r"(?: nr\. ?[A-Z]{0,4}\d{1,5})?(?: \(\d{4}-\d{4}\))?",
    re.IGNORECASE,
)
_COMMITTEE_LINE = re.compile(r"(?:Verenigde )?Commissie (?:voor|van) [^.!?]{3,200}|Commissie [A-Z][^.!?]{2,200}")
_CHAIR_META = re.compile(r"(?:Voorzitter|Voorzitterschap|Ondervoorzitter)\s*:\s*(?P<name>[^!?:;]{0,120})")
_REPORT_MEETING = re.compile(r"(?:Report meeting|Verslag (?:van de )?vergadering(?: van de)?) (?P<committee>.{3,200})")

# One alternation, so that a line costs one match: page headers of Flemish reports, of Handelingen,
# and bare page numbers ("12", "- 12 -", "blz. 12", "3/40").
_RUNNING_HEADER = re.compile(
    r"(?:\d{1,4} )?(?:Vlaams Parlement ?[–—-] ?)?(?i:Commissievergadering|Plenaire vergadering) "
    r"nr\. ?[A-Z]{0,4} ?\d{1,5} ?\(\d{4}-\d{4}\)(?: ?[–—-] ?[^–—]{0,60})?"
    r"|Handelingen (?:I{1,2} |Eerste Kamer |Tweede Kamer )?\d{4}-\d{4}\b.{0,100}"
    r"|(?:Eerste|Tweede) Kamer\b[^.!?]{0,100}\d[^.!?]{0,60}"
    r"|(?i:blz\.|pagina|p\.) ?\d{1,4}(?: ?(?:van|/) ?\d{1,4})?"
    r"|[–—-]? ?\d{1,4} ?[–—-]?"
    r"|\d{1,4} ?/ ?\d{1,4}"
)
_CHROME_LINES = frozenset(
    {"u bent hier", "you are here", "report", "verslag", "integraal verslag", "voorlopig verslag"}
    | {"vlaams parlement", "menu", "zoeken", "home", "naar boven", "terug naar boven", "deel deze pagina"}
    | {"delen", "afdrukken", "print", "bekijk de video", "bekijk video", "video", "inhoud", "inhoudstafel"}
    | {"inhoudsopgave", "samenstelling", "commissievergadering", "plenaire vergadering"}
    | {"eerste kamer der staten-generaal", "tweede kamer der staten-generaal"}
)
# The address footer on every page of a Flemish PDF report.
_ADDRESS_FOOTER = re.compile(r"[^\n]{0,120}\bwww\.vlaamsparlement\.be\b[^\n]{0,80}", re.IGNORECASE)
_BREADCRUMB = re.compile(r"(?:U bent hier|You are here)\b.{0,200}|[^>›]{1,60}(?: [>›] [^>›]{1,60}){1,10}")
_FOOTER_LINES = frozenset({"vergadering bijwonen", "attend a meeting", "attend meeting"})

# Unattributed chair lines (see _split_chair_remark).
# The chair speaking for the committee, declaratively: "Dat doen we zeker.", "We nemen dat mee naar
# de regeling van de werkzaamheden." A member's proposal ("Kunnen we …", "Ik stel voor …") is no match.
_COMMITTEE_VOICE = re.compile(
    r"(?:(?:Akkoord|Goed|Prima|Zeker|Oké|Dat is goed),? )?"
    r"(?:(?:we|wij) (?:nemen|zullen|bespreken|agenderen|brengen|plannen|zetten)\b"
    r"|(?:Dat|Dit|Die|Het|Dan) (?:doen|nemen|zullen|bespreken|agenderen|brengen|plannen|zetten|gaan) (?:we|wij)\b"
    r"|Dat wordt (?:zeker )?(?:geagendeerd|meegenomen)\b"
    r"|(?:Het|Ons) secretariaat (?:bezorgt|stuurt|bezorgen|zal)\b)",
    re.IGNORECASE,
)
# What only the committee decides: a minister's "we" is the government, unless it names these.
_COMMITTEE_BUSINESS = re.compile(
    r"\b(?:regeling van (?:de )?werkzaamheden|agenda|agenderen|hoorzitting|commissie)\b", re.IGNORECASE
)
_THANKS = re.compile(
    r"(?:Dank (?:u|je)(?: wel)?|Bedankt|Merci),? (?:(?:mevrouw|mijnheer|meneer|de heer|collega) )?"
    r"(?P<who>[^.!?,]{1,60})[.!]?",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:ik|mij|me|mijn|m'n)\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|wij|ons|onze)\b", re.IGNORECASE)
_ACKNOWLEDGE = re.compile(r"(?:Zeker|Uiteraard|Akkoord|Prima|Goed|Oké|Ok|Natuurlijk|Genoteerd|Dat is genoteerd)\b")
_ADDRESS_GOVERNMENT = re.compile(r"\b(?:minister|staatssecretaris|voorzitter|minister-president)\b", re.IGNORECASE)
_COMMITTEE_REQUEST = re.compile(
    r"\b(?:jullie|de commissie|deze commissie|voorzitter|agender\w*|meenemen|meeneemt|hoorzitting|"
    r"uitnodig\w*|bespreken|regeling van (?:de )?werkzaamheden|secretariaat|stel(?:len)? voor dat (?:we|wij))\b",
    re.IGNORECASE,
)
# The chair proposing to hear the minister again: a minister does not invite "de minister".
_INVITE_MINISTER = re.compile(
    r"\b(?:we|wij)\b.{0,60}\bde minister\b(?! van\b).{0,80}\b(?:uitnodig\w*|horen|agender\w*)\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
_MAX_CHAIR_REMARK = 200
_MAX_STRUCTURAL_REMARK = 160
_MAX_WARNINGS = 50
_MAX_CHAIR_ORPHANS = 3
_MOTION = re.compile(r"\bmoties?\b|\btot besluit\b", re.IGNORECASE)
_QUESTION_KINDS = frozenset({"vraag_om_uitleg", "interpellatie", "actuele_vraag"})


# --------------------------------------------------------------------------------------------------
# Line classifiers: small pure functions of one stripped line
# --------------------------------------------------------------------------------------------------


def _turn(line: str) -> _Who | None:
    """ "Mevrouw Vandromme heeft het woord." → the person given the floor."""
    if len(line) > _MAX_MARKER_LINE or "heeft" not in line:
        return None
    match = _TURN.fullmatch(line)
    return _subject(match.group("who")) if match else None


def _subject(text: str) -> _Who | None:
    who = _who(text, need_evidence=False, need_name=False)
    if who is None:
        return None
    # A bare name must look like a full name: "Iedereen heeft het woord." gives nobody the floor.
    if not (who.honorific or who.function or who.party) and len(who.name.split()) < 2:
        return None
    return who


def _announced_in(text: str) -> _Who | None:
    """The person a chair's speech ends by giving the floor to, if any."""
    tail = text[-300:]
    match = _LAST_SENTENCE.search(tail)
    if match is None:
        return None
    sentence = match.group(1).strip()
    found = _TURN.fullmatch(sentence) or _GIVE_FLOOR.fullmatch(sentence)
    if found is None:
        return None
    who = found.group("who")
    # "Het woord is aan de heer X": the object is lower case in running text.
    return _subject(who[:1].upper() + who[1:])


def _inline_label(line: str) -> tuple[_Who, str] | None:
    """ "Minister Ollongren: text" or "De voorzitter:" alone → (speaker, text after the colon)."""
    colon = line.find(":", 0, 121)
    if colon <= 0:
        return None
    who = _who(line[:colon], need_evidence=True, need_name=False)
    if who is None:
        return None
    return who, line[colon + 1 :].strip()


def _speaker_header(line: str) -> _Who | None:
    """A line naming a speaker in full: "Minister Hilde Crevits", "Joris Poschet (CD&V)", "Voorzitter"."""
    if len(line) > 100 or line[-1] in ".?!,;:":
        return None
    return _who(line, need_evidence=True, need_name=True)


def _closer(line: str) -> str | None:
    """The item kind a closing line names ("" when it names none), or None when it is no closer."""
    if len(line) > 120:
        return None
    match = _CLOSER.fullmatch(line)
    if match is None:
        return None
    return _CLOSER_KINDS.get(match.group("kind").lower(), "")


def _editorial(text: str, *, in_speech: bool) -> bool:
    """Whether a paragraph is a clerk's remark: "– De vergadering wordt geschorst …", "(Gelach)"."""
    if len(text) > _MAX_EDITORIAL:
        return False
    flat = _WHITESPACE.sub(" ", text)
    if _PAREN_EDITORIAL.fullmatch(flat) or _PLAIN_EDITORIAL.fullmatch(flat):
        return True
    if _DASH_LINE.match(flat) and flat[-1] in ".)":
        return not in_speech or _EDITORIAL_WORDS.search(flat) is not None
    return False


def _may_open_editorial(line: str) -> bool:
    return line[0] in "(–—-" or line.startswith(("De ", "Sluiting", "Opening", "Schorsing", "Hervatting"))


def _title_start(line: str, *, at_paragraph_start: bool) -> str | None:
    """The item kind when the line starts an item title."""
    match = _TITLE_UPPER.match(line)
    if match:
        return _TITLE_KINDS[match.group("kind").lower()]
    if not at_paragraph_start:
        return None
    match = _TITLE_MIXED.match(line)
    if match is None or len(line) > 600:
        return None
    body = _TOC_PAGE.sub("", line) if _TITLE_DONE.search(line) else line
    if body[-1] in ".?!:;,":
        return None
    return _TITLE_KINDS[match.group("kind").lower()]


def _chrome(line: str) -> bool:
    """Page furniture: breadcrumbs, navigation words, running headers and page numbers."""
    if len(line) > 200:
        return False
    if line.casefold() in _CHROME_LINES:
        return True
    if _BREADCRUMB.fullmatch(line) or _ADDRESS_FOOTER.fullmatch(line):
        return True
    return _RUNNING_HEADER.fullmatch(line) is not None


def _parse_date(text: str) -> date | None:
    match = _DATE.search(text)
    if match is None:
        return None
    try:
        return date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)))
    except ValueError:
        return None


def _person_list(text: str) -> list[str]:
    """Normalised names in "de heer A, mevrouw B en C"; stops at the first part that is no name."""
    names = []
    for part in _LIST_SEPARATOR.split(text):
        name, _, _, _, function = normalise_name(part)
        if not name or function is not None or not _valid_name(name):
            break
        names.append(name)
    return names


_LIST_SEPARATOR = re.compile(r",\s*|\s+en\s+(?:van\s+)?")
_ASKER_STOP = re.compile(r" (?:tot|aan|over|met) | [–—-] |\s*\(\d|$")
_ADDRESSEE_STOP = re.compile(r", | over | en | [–—-] |\s*\(\d|$")
_JOINER = re.compile(r"\ben van ")
_ADDRESSEE = re.compile(r" (?:tot|aan|met) ")


def _askers_and_addressee(body: str) -> tuple[tuple[str, ...], str | None]:
    """Askers and addressee of "van A tot M, function, over X en van B tot M over Y – 12 (2014-2015)"."""
    body = body[:1000]
    askers: list[str] = []
    if body.startswith("van "):
        stop = _ASKER_STOP.search(body, 4)
        askers.extend(_person_list(body[4 : stop.start() if stop else len(body)]))
    for joiner in _JOINER.finditer(body):
        stop = _ASKER_STOP.search(body, joiner.end())
        end = stop.start() if stop else len(body)
        segment = body[joiner.end() : end]
        # "Vlaams minister van Onderwijs en van Welzijn" is no joiner: a joined asker has an
        # honorific or an addressee of their own.
        joined = body[end : end + 5] in (" tot ", " aan ") or _HONORIFIC.match(segment) is not None
        if joined:
            askers.extend(name for name in _person_list(segment) if name not in askers)
    addressee = None
    found = _ADDRESSEE.search(body)
    if found:
        stop = _ADDRESSEE_STOP.search(body, found.end())
        name = normalise_name(body[found.end() : stop.start() if stop else len(body)])[0]
        addressee = name if name and _valid_name(name) else None
    return tuple(askers), addressee


def _parse_title(title: str, kind: str) -> tuple[str | None, tuple[str, ...], str | None]:
    """(number, askers, addressed_to) from an item title."""
    number_match = _NUMBER.search(title)
    number = f"{number_match.group(1)} ({number_match.group(2)}-{number_match.group(3)})" if number_match else None
    match = _TITLE_UPPER.match(title) or _TITLE_MIXED.match(title)
    body = title[match.end("kind") :].strip() if match else title
    if kind == "gedachtewisseling" and not body.startswith("van "):
        return number, (), _askers_and_addressee(" " + body)[1]
    askers, addressee = _askers_and_addressee(body)
    return number, askers, addressee


# --------------------------------------------------------------------------------------------------
# The state machine over lines
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _OpenSpeech:
    who: _Who
    line: int
    source: str  # "announce" (floor given, web layout), "label" (printed label) or "chair" (chair header)
    paragraphs: list[list[str]] = field(default_factory=list)
    paragraph_lines: list[int] = field(default_factory=list)


@dataclass(slots=True)
class _ItemDraft:
    kind: str | None
    titled: bool
    line: int
    toc: bool = False  # the title ended in a page number: a table-of-contents entry
    title: str | None = None
    number: str | None = None
    askers: tuple[str, ...] = ()
    addressed_to: str | None = None
    closer_kind: str | None = None
    speeches: list[tuple[_Who, int, str]] = field(default_factory=list)  # (speaker, line, text)
    notes: list[tuple[int, str, str]] = field(default_factory=list)  # (line, kind, text)


@dataclass(slots=True)
class _HeaderDraft:
    date: date | None = None
    time_text: str | None = None
    committee: str | None = None
    number: str | None = None
    parliamentary_year: str | None = None
    askers: tuple[str, ...] = ()
    minister: str | None = None
    running_date: date | None = None
    running_year: str | None = None


class _Parser:
    def __init__(self, lines: list[str], *, paragraph_per_line: bool) -> None:
        self.lines = lines
        self.paragraph_per_line = paragraph_per_line
        self.header = _HeaderDraft()
        self.items: list[_ItemDraft] = []
        self.loose_notes: list[tuple[int, str, str]] = []  # before any item
        self.warnings: list[str] = []
        self.speech: _OpenSpeech | None = None
        self.announced: _Who | None = None
        self.expect_header = False  # the line after a turn-giving line may name the speaker in full
        self.item_closed = False
        self.seen_speech = False
        # Notes between a closing line and the next item: motions belong to the closed item, a remark
        # such as "– Wegens de coronamaatregelen werd deze vraag …" to the next one.
        self.pending_notes: list[tuple[int, str, str]] = []
        self.orphans: list[tuple[int, list[str]]] = []  # paragraphs without a speaker: (line, lines)
        # Paragraph state: a blank line ends a paragraph, unless only page furniture sat between.
        self.blank_since = True
        self.chrome_since = False

    # -- helpers -----------------------------------------------------------------------------------

    def warn(self, line_number: int, message: str) -> None:
        if len(self.warnings) < _MAX_WARNINGS:
            self.warnings.append(f"regel {line_number}: {message}")
        elif len(self.warnings) == _MAX_WARNINGS:
            self.warnings.append("meer regels overgeslagen; alleen de eerste meldingen zijn getoond")

    def current_item(self, line_number: int) -> _ItemDraft:
        if not self.items or self.item_closed:
            self.items.append(_ItemDraft(kind=None, titled=False, line=line_number))
            self.attach_pending_notes()
            self.item_closed = False
            if len(self.items) == 1:
                # On a one-item web page, remarks above the first speech belong to that item.
                self.items[0].notes.extend(self.loose_notes)
                self.loose_notes.clear()
        return self.items[-1]

    def attach_pending_notes(self) -> None:
        """Share the notes seen after a closing line between the closed item and the new last one."""
        if not self.pending_notes:
            return
        closed = self.items[-2] if len(self.items) > 1 else self.items[-1]
        for note in self.pending_notes:
            (closed if note[1] == "closer" or _MOTION.search(note[2]) else self.items[-1]).notes.append(note)
        self.pending_notes.clear()

    def add_note(self, line_number: int, kind: str, text: str) -> None:
        if self.item_closed and kind != "closer":
            self.pending_notes.append((line_number, kind, text))
        elif self.items:
            self.items[-1].notes.append((line_number, kind, text))
        else:
            self.loose_notes.append((line_number, kind, text))

    def emit(self, who: _Who, line_number: int, paragraphs: list[list[str]]) -> None:
        text = "\n\n".join("\n".join(paragraph) for paragraph in paragraphs if paragraph)
        if not text:
            return
        self.current_item(line_number).speeches.append((who, line_number, text))
        self.seen_speech = True

    def flush(self, trigger: str | None) -> None:
        """Close the open speech; trigger says what ends it ("turn", "closer", "title", "end")."""
        speech, self.speech = self.speech, None
        if speech is None or not speech.paragraphs:
            return
        remark = _split_chair_remark(speech, trigger)
        if remark is not None:
            self.emit(speech.who, speech.line, speech.paragraphs[:-1])
            if trigger == "turn":
                self.speech = _OpenSpeech(_CHAIR, remark, "chair", [speech.paragraphs[-1]], [remark])
            else:
                self.emit(_CHAIR, remark, [speech.paragraphs[-1]])
            return
        self.emit(speech.who, speech.line, speech.paragraphs)
        if speech.who.role == "chair":
            announced = _announced_in(speech.paragraphs[-1][-1])
            if announced is not None:
                self.announced = announced
                self.expect_header = True

    def open_speech(self, who: _Who, line_number: int, source: str) -> None:
        self.speech = _OpenSpeech(who, line_number, source)

    def add_text(self, line_number: int, text: str) -> None:
        speech = self.speech
        if speech is None:
            return
        continues = (
            speech.paragraphs
            and not self.paragraph_per_line
            and (not self.blank_since or (self.chrome_since and not _ends_sentence(speech.paragraphs[-1][-1])))
        )
        if continues:
            speech.paragraphs[-1].append(text)
        else:
            speech.paragraphs.append([text])
            speech.paragraph_lines.append(line_number)
            if len(speech.paragraphs) == 1:
                self.current_item(line_number)
        self.seen_speech = True
        self.blank_since = self.chrome_since = False

    def at_paragraph_start(self) -> bool:
        return self.speech is None or not self.speech.paragraphs or self.blank_since or self.paragraph_per_line

    # -- the loop ----------------------------------------------------------------------------------

    def run(self) -> None:
        index = 0
        while index < len(self.lines):
            index = self.step(index)
        self.flush("end")
        self.claim_orphans(by_chair=False)
        if self.items:
            self.items[-1].notes.extend(self.pending_notes)
            self.pending_notes.clear()

    def step(self, index: int) -> int:
        number = index + 1
        line = self.lines[index].strip()
        if index == 0:
            line = line.lstrip("\ufeff").strip()
        if not line:
            self.blank_since = True
            return index + 1
        if line.casefold() in _FOOTER_LINES:
            return len(self.lines)  # the site footer: nothing after it is part of the report
        if not self.seen_speech and self.header_line(line, number):
            return index + 1
        if _chrome(line):
            self.chrome(line)
            return index + 1
        kind = _closer(line)
        if kind is not None:
            self.closer(number, line, kind)
            return index + 1
        if _may_open_editorial(line):
            end = self.editorial_end(index)
            if end:
                self.add_note(number, "editorial", "\n".join(part.strip() for part in self.lines[index:end]))
                self.blank_since = True
                return end
        kind = _title_start(line, at_paragraph_start=self.at_paragraph_start())
        if kind is not None:
            return self.title(index, kind)
        who = _turn(line)
        if who is not None:
            self.turn(number, line, who)
            return index + 1
        labelled = _inline_label(line)
        if labelled is not None:
            who, text = labelled
            if who.role == "chair" and (kind := _closer(text)) is not None:
                self.closer(number, text, kind)  # "De voorzitter: De vraag om uitleg is afgehandeld."
            else:
                self.label(number, who, text)
            return index + 1
        if self.at_paragraph_start() and self.speaker_line(index, line):
            return index + 1
        self.text(number, line)
        return index + 1

    def header_line(self, line: str, number: int) -> bool:
        """Facts printed above the first speech: meeting, date, asker and minister, item number."""
        if len(line) > 300 or _HEADER_GATE.search(line) is None:
            return False
        header = self.header
        if (match := _DATE_LINE.fullmatch(line)) is not None and (parsed := _parse_date(line)) is not None:
            header.date = header.date or parsed
            header.time_text = header.time_text or match.group("time")
            return True
        if (match := _NUMBER_LINE.fullmatch(line)) is not None:
            header.number = header.number or line
            header.parliamentary_year = header.parliamentary_year or f"{match.group(2)}-{match.group(3)}"
            return True
        if _MEETING_LINE.fullmatch(line):
            if (year := _YEAR.search(line)) is not None:
                header.parliamentary_year = header.parliamentary_year or year.group(1)
            return True
        if (match := _ASKED_LINE.fullmatch(line)) is not None and line[-1] not in ".?!":
            askers, minister = _askers_and_addressee(line)
            if askers:
                header.askers = header.askers or askers
                header.minister = header.minister or minister
                return True
        if (match := _REPORT_MEETING.fullmatch(line)) is not None:
            header.committee = header.committee or match.group("committee").strip()
            return True
        if _COMMITTEE_LINE.fullmatch(line):
            header.committee = header.committee or line
            return True
        if (match := _YEAR.fullmatch(line)) is not None:
            header.parliamentary_year = header.parliamentary_year or match.group(1) or match.group(2)
            return True
        if (match := _CHAIR_META.fullmatch(line)) is not None:
            # "Voorzitter: mevrouw Kathleen Helsen" on a cover page names the chair; it is no speech.
            name = match.group("name").strip()
            return not name or _who(name[:1].upper() + name[1:], need_evidence=False, need_name=True) is not None
        return False

    def chrome(self, line: str) -> None:
        # Text above page furniture ("U bent hier", a running header) is no chair's introduction.
        self.claim_orphans(by_chair=False)
        self.chrome_since = True
        # Running headers still tell the date and year when the cover page is missing.
        if self.header.running_date is None:
            self.header.running_date = _parse_date(line)
        if self.header.running_year is None and (year := _YEAR.search(line)) is not None:
            self.header.running_year = year.group(1) or year.group(2)

    def closer(self, number: int, line: str, kind: str) -> None:
        self.claim_orphans(by_chair=False)
        self.flush("closer")
        self.add_note(number, "closer", line)
        if self.items:
            self.items[-1].closer_kind = self.items[-1].closer_kind or kind or None
            self.item_closed = True
        self.announced = None
        self.expect_header = False
        self.blank_since = True

    def title(self, index: int, kind: str) -> int:
        text, end = self.read_title(index)
        toc = _page_number_follows(self.lines, end)
        if _TITLE_DONE.search(text):
            stripped = _TOC_PAGE.sub("", text).rstrip(" .…")
            toc, text = toc or stripped != text, stripped
        self.claim_orphans(by_chair=False)
        self.flush("title")
        number, askers, addressee = _parse_title(text, kind)
        if text.startswith(_AGENDA_HEADING):
            text = text.removeprefix(_AGENDA_HEADING).strip()  # the readers' marker, not the title
        draft = _ItemDraft(
            kind=kind,
            titled=True,
            line=index + 1,
            title=text,
            number=number,
            askers=askers,
            addressed_to=addressee,
            toc=toc,
        )
        last = self.items[-1] if self.items else None
        if last is not None and last.titled and not last.speeches and not self.item_closed:
            if last.toc or not (last.number or last.askers or last.addressed_to):
                # A table-of-contents entry or a bare heading ("VRAGEN OM UITLEG"): the item it names
                # starts where the body repeats its title.
                draft.notes = self.items.pop().notes
            elif not last.notes and not toc:
                # Titles printed one after the other name joined questions, discussed as one item.
                last.title = f"{last.title}\n{text}"
                last.askers += tuple(name for name in askers if name not in last.askers)
                last.addressed_to = last.addressed_to or addressee
                last.number = last.number or number
                draft = None
        if draft is not None:
            self.items.append(draft)
            self.attach_pending_notes()
        self.item_closed = False
        self.announced = None
        self.expect_header = False
        self.blank_since = True
        return end

    def read_title(self, index: int) -> tuple[str, int]:
        """The title starting at index, joined over its lines, and the index after it."""
        parts = [self.lines[index].strip()]
        end = index + 1
        # PDF titles wrap over several lines; a web title is one line.
        wraps = _TITLE_UPPER.match(parts[0]) is not None
        while wraps and not _TITLE_DONE.search(parts[-1]) and end < len(self.lines) and len(parts) < _MAX_TITLE_LINES:
            following = self.lines[end].strip()
            if not following or following[-1] in ".?!" or not self.title_continuation(following):
                break
            parts.append(following)
            end += 1
        return _WHITESPACE.sub(" ", " ".join(parts))[:1000], end

    def stands_alone(self, index: int) -> bool:
        before = index == 0 or not self.lines[index - 1].strip()
        after = index + 1 >= len(self.lines) or not self.lines[index + 1].strip()
        return before and after

    def editorial_end(self, index: int) -> int | None:
        """End (exclusive) of the editorial remark starting at index, or None when there is none.

        A PDF wraps a long remark over several lines, so the whole paragraph is tried first; a short
        remark ("(Gelach)") may also stand on one line inside a paragraph.
        """
        in_speech = self.speech is not None
        end = index + 1
        if self.at_paragraph_start():
            while not self.paragraph_per_line and end < len(self.lines) and end - index < _MAX_EDITORIAL_LINES:
                following = self.lines[end].strip()
                if not following or not self.title_continuation(following) or _speaker_header(following):
                    break
                end += 1
            if end > index + 1:
                if _editorial("\n".join(part.strip() for part in self.lines[index:end]), in_speech=in_speech):
                    return end
                end = index + 1
        return end if _editorial(self.lines[index].strip(), in_speech=in_speech) else None

    @staticmethod
    def title_continuation(line: str) -> bool:
        return not (
            _chrome(line)
            or _closer(line) is not None
            or _editorial(line, in_speech=False)
            or _title_start(line, at_paragraph_start=True)
            or _turn(line)
            or _inline_label(line)
        )

    def turn(self, number: int, line: str, who: _Who) -> None:
        self.claim_orphans(by_chair=True)
        speech = self.speech
        if speech is not None and speech.who.role == "chair" and speech.source != "announce":
            # The chair's own speech (after a "De voorzitter" header) ends by giving the floor.
            self.add_text(number, line)
            self.flush(None)
        else:
            self.flush("turn")
            if self.speech is None:
                self.open_speech(_CHAIR, number, "chair")
            self.blank_since = True  # the turn-giving sentence is a paragraph of its own
            self.add_text(number, line)
            self.flush(None)
        self.announced = who
        self.expect_header = True
        self.blank_since = True

    def label(self, number: int, who: _Who, text: str) -> None:
        self.claim_orphans(by_chair=False)
        self.flush(None)
        self.open_speech(who, number, "label")
        self.announced = None
        self.expect_header = False
        self.blank_since = True
        if text:
            self.add_text(number, text)

    def speaker_line(self, index: int, line: str) -> bool:
        """A line naming the next speaker in full (web layout); True when it was one."""
        if len(line) > 100 or line[-1] in ".?!,;:":
            return False
        number = index + 1
        announced = self.announced if self.expect_header else None
        who = _speaker_header(line)
        if who is not None and announced is None and who.role != "chair" and not self.stands_alone(index):
            # Without a turn-giving line before it, a name is only a speaker header when it stands
            # alone between blank lines; a list of names ("Kamerleden …") is no speech.
            who = None
        if who is None and announced is not None:
            # Without honorific, function or party, a header is only believed when it names the
            # person just given the floor, in full.
            candidate = _who(line, need_evidence=False, need_name=True)
            if candidate and len(candidate.name.split()) > 1 and same_person(candidate.name, announced.label):
                who = candidate
        if who is None:
            return False
        if announced is not None and who.role != "chair" and same_person(who.label, announced.label):
            who = _merge(announced, who)
        self.claim_orphans(by_chair=False)
        self.flush(None)
        self.open_speech(who, number, "chair" if who.role == "chair" else "announce")
        self.announced = None
        self.expect_header = False
        self.blank_since = True
        return True

    def text(self, number: int, line: str) -> None:
        if self.speech is None:
            if self.announced is None:
                self.orphan(number, line)
                return
            self.open_speech(self.announced, number, "announce")
            self.announced = None
        self.expect_header = False
        self.add_text(number, line)

    def orphan(self, number: int, line: str) -> None:
        """Keep text without a speaker until it is clear whose it is (see claim_orphans)."""
        if self.orphans and not self.blank_since and not self.paragraph_per_line:
            self.orphans[-1][1].append(line)
        else:
            self.orphans.append((number, [line]))
        self.blank_since = self.chrome_since = False

    def claim_orphans(self, by_chair: bool) -> None:
        """Orphan sentences right before a turn-giving line are the chair's; anything else is reported.

        The chair speaks before giving the floor ("We gaan verder met de vraag van mevrouw X."), and
        the web pages print no label for it.
        """
        orphans, self.orphans = self.orphans, []
        if not orphans:
            return
        sentences = all(lines[-1][-1] in ".!?" for _, lines in orphans)
        if by_chair and self.speech is None and sentences and len(orphans) <= _MAX_CHAIR_ORPHANS:
            self.speech = _OpenSpeech(
                _CHAIR,
                orphans[0][0],
                "chair",
                [lines for _, lines in orphans],
                [number for number, _ in orphans],
            )
            self.current_item(orphans[0][0])
            self.seen_speech = True
            return
        where = "vóór de eerste spreker" if not self.seen_speech else "zonder spreker"
        for number, lines in orphans:
            self.warn(number, f"tekst {where} niet verwerkt: {_excerpt(lines[0])}")

    # -- the result --------------------------------------------------------------------------------

    def build(self) -> Transcript:
        items: list[Item] = []
        index = 0
        for position, draft in enumerate(self.items):
            speeches = []
            for who, line_number, text in draft.speeches:
                speeches.append(
                    Speech(
                        index=index,
                        item_position=position,
                        label=who.label,
                        name=who.name,
                        surname=who.surname,
                        role=who.role,
                        text=text,
                        line=line_number,
                        honorific=who.honorific,
                        party=who.party,
                        function=who.function,
                    )
                )
                index += 1
            items.append(self.build_item(position, draft, tuple(speeches)))
        return Transcript(
            header=self.build_header(items),
            items=tuple(items),
            notes=tuple(Note(line=line, kind=kind, text=text) for line, kind, text in self.loose_notes),
            warnings=tuple(self.warnings),
        )

    def build_item(self, position: int, draft: _ItemDraft, speeches: tuple[Speech, ...]) -> Item:
        header = self.header
        kind = draft.kind or draft.closer_kind or "other"
        askers, addressed_to, number = draft.askers, draft.addressed_to, draft.number
        if position == 0:
            # The header block above the first speech describes the first item.
            askers = askers or header.askers
            addressed_to = addressed_to or header.minister
            number = number or header.number
        if kind in _QUESTION_KINDS:
            # By procedure the asker speaks first among the members and the minister addressed answers.
            if not askers:
                askers = tuple(s.name for s in speeches if s.role == "member" and s.name)[:1]
            if addressed_to is None:
                addressed_to = next((s.name for s in speeches if s.role == "minister" and s.name), None)
        notes = tuple(
            Note(line=line, kind=note_kind, text=text, item_position=position)
            for line, note_kind, text in sorted(draft.notes)
        )
        return Item(
            position=position,
            kind=kind,
            number=number,
            title=draft.title,
            askers=askers,
            addressed_to=addressed_to,
            speeches=speeches,
            notes=notes,
        )

    def build_header(self, items: list[Item]) -> Header:
        header = self.header
        kinds = {item.kind for item in items}
        item_kind = kinds.pop() if len(kinds) == 1 else None
        only = items[0] if len(items) == 1 else None
        number = header.number or (only.number if only and self.items[0].titled else None)
        year = header.parliamentary_year or header.running_year
        if year is None and number and (match := _NUMBER.search(number)):
            year = f"{match.group(2)}-{match.group(3)}"
        stated_askers = header.askers or (self.items[0].askers if only and self.items[0].titled else ())
        minister = header.minister or (self.items[0].addressed_to if only and self.items[0].titled else None)
        return Header(
            date=header.date or header.running_date,
            time_text=header.time_text,
            committee=header.committee,
            item_kind=item_kind if item_kind != "other" else None,
            number=number,
            parliamentary_year=year,
            asker=stated_askers[0] if stated_askers else None,
            minister=minister,
            title=only.title if only else None,
        )


def _page_number_follows(lines: list[str], index: int) -> bool:
    """Whether the title that ends before index is followed by a page number alone on its line."""
    for line in lines[index : index + 3]:
        if line.strip():
            return _PAGE_NUMBER.fullmatch(line.strip()) is not None
    return False


def _ends_sentence(line: str) -> bool:
    return line[-1:] in ".?!:\"'”’)"


def _excerpt(line: str) -> str:
    return f"“{line[:60]}…”" if len(line) > 60 else f"“{line}”"


def _split_chair_remark(speech: _OpenSpeech, trigger: str | None) -> int | None:
    """Line number of a final paragraph that is the chair's although it follows another speaker's text.

    On the web pages the chair's own short remarks carry no turn-giving line, so they run on after
    the last speaker. The last paragraph of a speech given the floor (not a labelled one) is the
    chair's when it is short (one or two sentences) and either
    * addresses the speaker themself ("Dank u, mevrouw Vandromme." at the end of Vandromme's speech);
    * or, at the end of an item, speaks for the committee about its own business ("We nemen dat mee
      naar de regeling van de werkzaamheden.") or proposes to hear the minister again;
    * or, anywhere, answers in the committee's voice a member who just asked the committee ("Ik stel
      voor dat we … uitnodigen." → "Dat is goed, we plannen dat in.");
    * or, at the end of an item, answers a member whose preceding paragraph asked the committee for
      something ("… ik hoop dat jullie dat meenemen." → "Dat doen we zeker."): in the committee's
      voice, or, right before a closing line, as a short reply with "we" or "zeker"/"akkoord" and
      without "ik" or an address to the minister or chair.
    Anything else stays with the speaker: normal multi-paragraph speech is never split.
    """
    if trigger is None or speech.source != "announce" or speech.who.role == "chair":
        return None
    if len(speech.paragraphs) < 2 or len(speech.paragraphs[-1]) != 1:
        return None
    remark = speech.paragraphs[-1][0]
    if len(remark) > _MAX_CHAIR_REMARK or remark.endswith("?") or len(_SENTENCE_END.findall(remark)) > 2:
        return None
    line_number = speech.paragraph_lines[-1]
    if _addresses_self(remark, speech.who):
        return line_number
    # A member's "we" may be their party ("We zullen dit blijven opvolgen."), a minister's the
    # government: the committee's voice shows in what it decides, or in answering a request to it.
    asked_committee = speech.who.role == "member" and _asks_committee(speech.paragraphs[-2][-1])
    if trigger == "turn":
        # Mid-item only the plainest case: the member asked the committee and is answered in its voice.
        return line_number if asked_committee and _COMMITTEE_VOICE.match(remark) else None
    if trigger not in ("closer", "title", "end"):
        return None
    if _COMMITTEE_VOICE.match(remark) and (asked_committee or _COMMITTEE_BUSINESS.search(remark)):
        return line_number
    if speech.who.role == "minister" and _INVITE_MINISTER.search(remark):
        return line_number
    if trigger != "closer" or not asked_committee or len(remark) > _MAX_STRUCTURAL_REMARK:
        return None
    if _FIRST_PERSON.search(remark) or _ADDRESS_GOVERNMENT.search(remark):
        return None
    return line_number if _WE.search(remark) or _ACKNOWLEDGE.match(remark) else None


def _asks_committee(line: str) -> bool:
    """Whether the end of a member's paragraph asks the committee or the chair for something."""
    return _COMMITTEE_REQUEST.search(line[-250:]) is not None


def _addresses_self(remark: str, who: _Who) -> bool:
    match = _THANKS.fullmatch(remark)
    if match is None:
        return False
    addressed = match.group("who").strip()
    if who.role == "minister" and addressed.lower().startswith(("minister", "de minister", "staatssecretaris")):
        return True
    return bool(who.surname) and same_person(addressed, who.name or who.surname)


def _paragraph_per_line(lines: list[str]) -> bool:
    """Text copied from a web page without blank lines: every line is a paragraph of its own."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return False
    first = next(index for index, line in enumerate(lines) if line.strip())
    last = max(index for index, line in enumerate(lines) if line.strip())
    blanks = last - first + 1 - len(filled)
    if len(filled) < 3 or blanks > len(filled) // 20:
        return False
    long_lines = sum(1 for line in filled if len(line) > 200)
    return long_lines >= max(2, len(filled) // 10)


def parse_transcript(text: str, *, filename: str | None = None) -> Transcript:
    """Split a transcript into header, items, speeches and notes.

    Raises TranscriptError when the text holds no speaker at all; its message starts with filename
    when one is given (callers that name the file themselves leave it out).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_transcript expects str, not {type(text).__name__}; decode bytes first")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parser = _Parser(lines, paragraph_per_line=_paragraph_per_line(lines))
    parser.run()
    transcript = parser.build()
    if not transcript.speeches:
        reason = "geen sprekers gevonden; is dit wel een verslag van een vergadering?"
        raise TranscriptError(f"{filename}: {reason}" if filename else reason)
    return transcript
