"""Find the deadline a speaker attaches to a promise and, where the words allow it, turn it into a date.

Ministers rarely name a calendar date: they say "volgende week", "voor het zomerreces", "zodra de
studie is opgeleverd". The register needs both the words (clerks quote them back in a rappel) and a
date it can sort on and chase. So `resolve_due` always returns the exact words it found, and a date
only when the words and a reference date (the meeting's date) pin one down. A deadline tied to an
event ("zodra …", "na de evaluatie") has no date at all: it is marked `event_bound` so a clerk sets
the date once the event is known.

Assumptions about the parliamentary calendar, all of them the Flemish Parliament's:

* the summer recess starts on 21 July (the Flemish national holiday falls on 11 July and the last
  plenary sittings run until just before Belgium's national day on 21 July), so "voor het
  zomerreces" and — because parliamentary Dutch means the recess by it — "voor/tegen de zomer" are
  due on 21 July; "na het zomerreces" / "na de zomer" are due on 30 September, the end of the month
  in which committees resume;
* "voor de zomervakantie" / "de grote vakantie" follows the school year: 30 June;
* the Christmas recess starts around 21 December: "voor het kerstreces" is due on 20 December;
* seasons follow the astronomical calendar: spring ends on 20 June ("in het voorjaar"), summer on
  22 September, autumn on 20 December ("in het najaar"), winter on 19 March;
* "eind <maand>" is the last day of that month, "begin <maand>" the 10th, "midden <maand>" the 15th;
  "tegen <maand>" the 1st; a weekday-less "week" ends on its Friday (the working week);
* a date without a year that has already passed this year means next year;
* a range ("over 2-3 jaar", "over een maand of twee") is due at its upper bound: that is when the
  promise becomes overdue; "in de week van 15 maart" is due on that week's Friday;
* a bare weekday ("ik bezorg het vrijdag") gets no date: in speech it names the past as often as the
  future, so the words are left to the clerk. "Zo snel mogelijk", "binnenkort" keep their words only.

Events: "zodra …", "nadat …", "eens …" always open one; "wanneer/als/indien …" only when the clause has
a finite verb and reads as an event ("als de studie klaar is", "als de cijfers gevalideerd zijn"), not
a condition ("als de minister dat wil") or a comparison ("zowel X als Y"). "Na de evaluatie", "na
afloop van …", "voor de volgende commissievergadering" are events too.

Each rule runs only when one of its gate words occurs in the sentence: most sentences name no time,
and a substring test costs far less than a regular expression.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple

__all__ = ["DueInfo", "resolve_due"]


class DueInfo(NamedTuple):
    due_text: str  # exact substring of the sentence; "" when no deadline was found
    due_date: date | None
    event_bound: bool


NO_DUE = DueInfo("", None, False)

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "febr": 2, "feb": 2, "maart": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "juli": 7, "augustus": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "okt": 10, "october": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:januari|februari|febr\.?|maart|april|mei|juni|juli|augustus|september|sept\.?|oktober|november|"
    r"december)"
)

NUMBER_WORDS = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60,
    "negentig": 90, "honderd": 100, "anderhalf": 1.5, "anderhalve": 1.5,
}  # fmt: skip
_NUM_ATOM = r"(?:\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
# "2-3", "twee à drie", "drie tot zes": a range is due at its upper bound.
_NUM = rf"(?:{_NUM_ATOM}(?:\s*(?:-|–|à|a|tot|of)\s*{_NUM_ATOM})?)"

WEEKDAYS = {
    "maandag": 0, "dinsdag": 1, "woensdag": 2, "donderdag": 3, "vrijdag": 4, "zaterdag": 5, "zondag": 6,
}  # fmt: skip
_WEEKDAY = "(?:" + "|".join(WEEKDAYS) + ")"

# A deadline preposition; "op" is allowed because "op 15 maart bezorg ik" is a deadline too.
_BY = (
    r"(?:(?:ten\s+laatste|uiterlijk)(?:\s+(?:tegen|voor|vóór|op|tot))?|"
    r"(?:(?:nog|zeker|pas)\s+)?(?:tegen|voor|vóór|op|tot))"
)
_F = re.IGNORECASE


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F)


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# (rank, regex, resolver-name): lower rank wins; among equal ranks the first in the sentence wins.
_EXPLICIT = _rx(
    rf"\b(?:{_BY}\s+)(?:{_WEEKDAY}\s+)?(?P<day>\d{{1,2}})(?:e|ste|de)?\s+(?P<month>{_MONTH})"
    rf"(?:\s+(?P<year>(?:19|20)\d\d))?(?!\w)"
)
_DAY_MONTH = r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})(?:[/.-](?P<year>(?:19|20)?\d\d))?"
_NUMERIC = _rx(rf"\b(?:{_BY})\s+{_DAY_MONTH}\b")
_MONTH_PART = _rx(
    rf"\b(?:(?:(?:ten laatste|uiterlijk)\s+)?(?:tegen|voor|vóór|in|tot)\s+)?(?:het\s+)?"
    rf"(?P<part>eind|einde|begin|midden|half|medio)(?:\s+van)?\s+(?:de\s+maand\s+)?(?P<month>{_MONTH})"
    rf"(?:\s+(?P<year>(?:19|20)\d\d))?(?!\w)"
)
_MONTH_ONLY = _rx(
    rf"\b(?P<prep>(?:(?:ten laatste|uiterlijk)\s+)?(?:tegen|voor|vóór)|in de loop van|in|tijdens|ergens in)"
    rf"\s+(?:de\s+maand\s+)?(?P<month>{_MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?(?!\w)"
)
_SEASON = _rx(
    r"\b(?P<prep>(?:(?:ten laatste|uiterlijk|nog)\s+)?(?:tegen|voor|vóór)|na|in de loop van|in|tijdens|"
    r"eind|einde|begin|op het einde van|aan het einde van|tegen het einde van|voor het einde van|"
    r"tegen het begin van|in het begin van|aan het begin van)"
    r"\s+(?:(?P<det>het|de|dit|deze|volgend|volgende|komend|komende)\s+)?"
    r"(?P<season>voorjaar|lente|zomer|najaar|herfst|winter)(?:\s+(?:van\s+)?(?P<year>(?:19|20)\d\d))?(?!\w)"
)
_SEASON_BARE = _rx(
    r"\b(?P<det>dit|deze|volgend|volgende|komend|komende)\s+(?P<season>voorjaar|lente|zomer|najaar|herfst|winter)\b"
)
_RECESS = _rx(
    r"\b(?P<prep>(?:(?:ten laatste|uiterlijk|nog|zeker)\s+)?(?:tegen|voor|vóór)|na|tijdens)\s+(?:het|de)\s+"
    r"(?P<what>zomerreces|parlementair reces|reces|zomervakantie|grote vakantie|kerstreces|kerstvakantie|"
    r"kerstperiode|jaarwisseling|jaareinde)\b"
)
_CHRISTMAS = _rx(r"\b(?P<prep>(?:tegen|voor|vóór|na))\s+(?P<what>kerstmis|kerst|nieuwjaar)\b")
_YEAR = _rx(
    r"\b(?P<prep>(?:(?:ten laatste|uiterlijk|nog)\s+)?(?:tegen|voor|vóór)\s+(?:het\s+)?(?:einde|eind)\s+van|"
    r"(?:(?:ten laatste|uiterlijk|nog)\s+)?(?:tegen|voor|vóór)\s+(?:het\s+)?(?:einde|eind|begin)|"
    r"(?:op|aan)\s+het\s+einde\s+van|in\s+de\s+loop\s+van|in\s+het\s+begin\s+van|aan\s+het\s+begin\s+van|"
    r"(?:ten laatste|uiterlijk)\s+(?:tegen|in)|eind|einde|begin|midden|half|medio|tegen|in|tijdens|"
    r"ergens in)?\s*"
    r"(?P<which>volgend jaar|volgende jaar|komend jaar|het komende jaar|dit jaar|het jaar|dit kalenderjaar|"
    r"het lopende jaar|(?P<year>(?:19|20)\d\d))(?:\s+nog)?(?!\w|-)"
)
_YEAR_END = _rx(r"\b(?:tegen|voor|vóór)\s+(?:de\s+)?(?P<which>jaarwisseling|het jaareinde|jaareinde)\b")
_QUARTER = _rx(
    r"\b(?P<prep>tegen|voor|vóór|in|tijdens|in de loop van|eind|tegen het einde van|voor het einde van)\s+"
    r"(?:het\s+)?(?P<n>eerste|tweede|derde|vierde|laatste)\s+(?P<unit>kwartaal|semester|jaarhelft|helft)"
    r"(?:\s+(?:van\s+)?(?P<which>volgend jaar|dit jaar|(?P<year>(?:19|20)\d\d)))?\b"
)
_MONTH_REL = _rx(
    r"\b(?P<prep>(?:(?:ten laatste|uiterlijk|nog)\s+)?(?:tegen|voor|vóór)\s+(?:het\s+)?(?:einde|eind)\s+van|"
    r"(?:tegen|voor|vóór)\s+(?:het\s+)?(?:einde|eind)|(?:op|aan)\s+het\s+einde\s+van|in\s+de\s+loop\s+van|"
    r"(?:in\s+het\s+)?begin|(?:ergens\s+)?in|eind|einde|midden|half|nog|tijdens)?\s*"
    r"(?P<which>deze maand|de maand|volgende maand|komende maand|de volgende maand|de komende maand)(?!\w)"
)
_WEEK = _rx(
    r"\b(?P<prep>(?:ten laatste|uiterlijk|nog)?\s*(?:tegen|voor|vóór)\s+(?:het\s+)?(?:einde|eind)\s+van|"
    r"(?:tegen\s+|vóór\s+|voor\s+)?(?:het\s+)?(?:einde|eind)|(?:in\s+het\s+)?begin|in de loop van|nog|"
    r"ten laatste|uiterlijk|tegen|in)?\s*"
    r"(?P<which>deze week|de week|volgende week|komende week|de volgende week|de komende week|het weekend|"
    r"dit weekend)(?!\w)"
)
_DAY = _rx(
    r"(?<!')\b(?P<which>(?:nog\s+)?vandaag(?:\s+nog)?|vanmiddag|vannamiddag|vanavond|vanochtend|vanmorgen|"
    r"vanvoormiddag|deze (?:namiddag|middag|voormiddag|avond)|in de loop van de dag|"
    r"na (?:de|deze) (?:vergadering|commissievergadering|commissie|zitting)|overmorgen|"
    r"morgen(?:vroeg|ochtend|middag|namiddag|voormiddag|avond)?)\b"
)
# "in de week van 15 maart": due on the Friday of that week.
_WEEK_OF = _rx(
    rf"\b(?:(?:in|tijdens|tegen|voor)\s+)?de\s+week\s+van\s+(?:{_WEEKDAY}\s+)?(?P<day>\d{{1,2}})(?:e|ste|de)?\s+"
    rf"(?P<month>{_MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?(?!\w)"
)
_WEEKDAY_RX = _rx(
    rf"(?<!\bvan )(?<!\bvorige )(?<!\bafgelopen )(?<!\bsinds )\b(?P<prep>(?:(?:ten laatste|uiterlijk)\s+)?"
    rf"(?:tegen|voor|vóór|op)\s+)?(?:(?:volgende|komende|deze)\s+)?(?P<wd>{_WEEKDAY})(?!\s+\d)\b"
)
_WITHIN = _rx(
    rf"\b(?P<prep>binnen|over|na|(?:in|tijdens)\s+de\s+komende|de\s+komende|ten laatste binnen|"
    rf"uiterlijk binnen)"
    rf"\s+(?:de\s+|een\s+termijn\s+van\s+|een\s+periode\s+van\s+|(?:ongeveer|pakweg|maximaal|maximum|hooguit)\s+)?"
    rf"(?P<n>{_NUM})\s+(?P<unit>werkdagen|dagen|dag|weken|week|maanden|maand|jaren|jaar|kwartalen)(?!\w)"
)
# "over een maand of twee": about two months.
_ONE_UNIT = r"(?P<unit>dag|week|maand|jaar)"
_ABOUT = _rx(rf"\b(?P<prep>binnen|over|na)\s+een\s+{_ONE_UNIT}\s+of\s+(?P<n>{_NUM_ATOM})(?!\w)")
_WITHIN_ONE = _rx(r"\bbinnen\s+(?P<art>de|het)\s+(?P<unit>week|maand|jaar)(?!\w)")
_VAGUE = _rx(
    r"\b(?:zo\s+(?:snel|spoedig|vlug|gauw|rap)\s+(?:mogelijk|als\s+mogelijk|het\s+kan)|zo\s+snel\s+als\s+ik\s+kan|"
    r"asap|binnenkort|eerstdaags|op\s+(?:korte|zeer\s+korte)\s+termijn|binnen\s+afzienbare\s+tijd|"
    r"(?:in\s+)?de\s+komende\s+(?:dagen|weken|maanden)|in\s+de\s+nabije\s+toekomst|onverwijld|"
    r"in\s+de\s+loop\s+van\s+de\s+(?:komende|volgende)\s+(?:dagen|weken|maanden))\b"
)
# Subordinate clauses that tie a deadline to an event: Dutch puts their verbs last, so the clause
# ends at punctuation or right after its verb cluster.
_EVENT_START = _rx(
    r"\b(?:(?:van\s+)?zodra|eens(?=\s+(?:de|het|die|dat|deze|dit|mijn|onze|uw|alle)\b)|nadat|"
    r"(?:wanneer|als|indien)(?=\s+(?:de|het|die|dat|deze|dit|mijn|onze|alle|er)\b))\s"
)
_EVENT_NOUN_START = _rx(
    r"\b(?:na\s+afloop\s+van|na\s+ontvangst\s+van|bij\s+de\s+afronding\s+van|na\s+de\s+afronding\s+van|"
    r"(?:na|bij|tegen|voor|vóór)\s+(?:de|het)\s+(?:volgende|eerstvolgende)\s+"
    r"(?:vergadering|commissievergadering|commissie|regeling\s+van\s+de\s+werkzaamheden|begrotingsbespreking|"
    r"begrotingsaanpassing|begrotingsopmaak|zitting|plenaire)|"
    r"na\s+(?:de|het)\s+(?:\w+\s+)?(?:evaluatie|goedkeuring|bespreking|besprekingen|oplevering|afronding|"
    r"analyse|publicatie|beslissing|verkiezingen|onderhandelingen|overleg|consultatie|audit|doorlichting|"
    r"bevraging|stemming|studie|advies|rapport|screening|proefperiode|pilootfase|proefproject|testfase|"
    r"lezing|begrotingsopmaak|begrotingsaanpassing|begrotingscontrole|hoorzitting|conferentie|ministerraad|"
    r"resultaten|bevindingen|rondetafel|gesprekken|onderzoek|monitoring|inventarisatie|eindrapport))"
)
_EVENT_PAST_PARTICIPLE = re.compile(
    r"(?:ge|opge|afge|voorge|vastge|goedge|uitge|binnenge|doorge|rondge|klaarge|bekendge|ingedi|bezorg|"
    r"verstuur|ontvang|verkreg|besprok|beslis|overgemaak|afgerond|gefinaliseerd|gepubliceerd|voltooid|"
    r"geëvalueerd|aangenom|verschen|gekend|bekend|klaar|gereed|rond|beschikbaar|af|binnen|opgeleverd)\w*$",
    _F,
)
_EVENT_AUX = _wordset(
    "is zijn wordt worden heb hebben heeft hebt had hadden ligt liggen komt komen verschijnt verschijnen "
    "kan kunnen zal zullen ben bent gebeurd weet weten"
)
_EVENT_STOP = _wordset(
    "zal zullen zult kan kunnen wil ga gaan kom komt komen bezorg bezorgen stuur sturen ik we wij jullie "
    "dan en maar om krijgt krijgen leg maak breng hou houd nodig plan geef zet laat wordt worden zullen"
)
_EVENT_WORDS = _rx(
    r"\b(?:opgeleverd|klaar|gereed|afgerond|af|rond|beschikbaar|bekend|gekend|gefinaliseerd|goedgekeurd|gepubliceerd|"
    r"voltooid|afgewerkt|binnen|ingediend|beslist|uitgevoerd|verschenen|ontvangen|geëvalueerd|geanalyseerd|"
    r"besproken|aangenomen|opgemaakt|verwerkt|geactualiseerd|geüpdatet|opgestart|gelanceerd|gestart|"
    r"er is|er zijn|afgesloten|ondertekend|doorgelicht|vastgelegd|beëindigd|afgelopen|gebeurd|"
    r"meer duidelijkheid|meer zicht)\b"
)
# A past participle ("gevalideerd", "goedgekeurd", "afgerond"): a clause with one describes an event.
_PARTICIPLE_SHAPE = re.compile(r"\b\w{0,6}ge\w{3,}[dtn]\b|\b\w+eerd\b", _F)
_CLAUSE_END = re.compile(r"[,.;:!?()\n–—]")
_WORD = re.compile(r"[\w'’-]+")


def resolve_due(text: str, reference_date: date | None) -> DueInfo:
    """Return the deadline expression in `text` (a sentence or a few), with a date where possible."""
    best: tuple[int, int, DueInfo] | None = None
    low = text.lower()
    for rank, rx, resolver, gate in _RULES:
        if best is not None and rank > best[0]:
            break  # rules are ordered by rank: nothing later can win
        if not any(map(low.__contains__, gate)):
            continue
        for m in rx.finditer(text):
            found = resolver(m, reference_date, text)
            if found is None:
                continue
            if isinstance(found, DueInfo):
                found = (m.start(), found)
            start, info = found
            if best is None or (rank, start) < (best[0], best[1]):
                best = (rank, start, info)
    return best[2] if best else NO_DUE


def _about(m: re.Match[str], ref: date | None, _text: str) -> DueInfo:
    n = _number(m["n"]) or 1
    unit = {"dag": (1, "d"), "week": (7, "d"), "maand": (1, "m"), "jaar": (12, "m")}[m["unit"].lower()]
    return _due(m, _add(ref, n * unit[0], unit[1]))


def _within_one(m: re.Match[str], ref: date | None, _text: str) -> DueInfo:
    n = {"week": (7, "d"), "maand": (1, "m"), "jaar": (12, "m")}[m["unit"].lower()]
    return _due(m, _add(ref, *n))


def _vague(m: re.Match[str], _ref: date | None, _text: str) -> DueInfo:
    return DueInfo(m.group(0), None, False)


def _due(m: re.Match[str], d: date | None) -> DueInfo:
    return DueInfo(m.group(0).strip(), d, False)


# --- calendar arithmetic ------------------------------------------------------------------------


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _next_after(ref: date | None, month: int, day: int, *, strict: bool = False) -> date | None:
    """The first (month, day) on or after the reference date: a date already past means next year."""
    if ref is None:
        return None
    d = _safe_date(ref.year, month, day) or _last_day(ref.year, month)
    if d < ref or (strict and d == ref):
        d = _safe_date(ref.year + 1, month, day) or _last_day(ref.year + 1, month)
    return d


def _add(ref: date | None, n: float, unit: str) -> date | None:
    if ref is None:
        return None
    if unit == "d":
        return ref + timedelta(days=round(n))
    if unit == "bd":  # working days: skip weekends
        d, left = ref, round(n)
        while left > 0:
            d += timedelta(days=1)
            if d.weekday() < 5:
                left -= 1
        return d
    months = round(n)
    extra_days = round((n - int(n)) * 30) if unit == "m" else 0
    total = ref.year * 12 + ref.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    day = min(ref.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=extra_days)


def _friday(ref: date | None, weeks_ahead: int) -> date | None:
    if ref is None:
        return None
    monday = ref - timedelta(days=ref.weekday())
    friday = monday + timedelta(days=4 + 7 * weeks_ahead)
    return max(friday, ref) if weeks_ahead == 0 else friday


def _number(word: str) -> float | None:
    parts = re.split(r"\s*(?:-|–|à|\ba\b|\btot\b|\bof\b)\s*", word.strip().lower())
    values = []
    for p in parts:
        if not p:
            continue
        if p.isdigit():
            values.append(int(p))
        elif p in NUMBER_WORDS:
            values.append(NUMBER_WORDS[p])
    return max(values) if values else None


def _month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


# --- resolvers ----------------------------------------------------------------------------------


def _explicit(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    month = _month_number(m["month"])
    day = int(m["day"])
    if m["year"]:
        return _due(m, _safe_date(int(m["year"]), month, day))
    return _due(m, _next_after(ref, month, day) if _safe_date(2024, month, day) else None)


def _numeric(m: re.Match[str], ref: date | None, _text: str = ""):
    day, month = int(m["day"]), int(m["month"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if m["year"]:
        year = int(m["year"])
        year = year + 2000 if year < 100 else year
        return m.start(), _due(m, _safe_date(year, month, day))
    return m.start(), _due(m, _next_after(ref, month, day))


def _in_year(m: re.Match[str], ref: date | None, month: int, day: int) -> date | None:
    if m["year"]:
        return _safe_date(int(m["year"]), month, day) or _last_day(int(m["year"]), month)
    return _next_after(ref, month, day)


def _month_part(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    month = _month_number(m["month"])
    part = m["part"].lower()
    if part in ("eind", "einde"):
        day = 31
    elif part == "begin":
        day = 10
    else:
        day = 15
    return _due(m, _in_year(m, ref, month, day))


def _month_only(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    month = _month_number(m["month"])
    prep = m["prep"].lower()
    # "tegen juni" means by the start of June; "in juni" by its end.
    day = 1 if prep.endswith(("tegen", "voor", "vóór")) else 31
    return _due(m, _in_year(m, ref, month, day))


def _week(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo | None:
    which = m["which"].lower()
    prep = (m["prep"] or "").strip().lower()
    ahead = 1 if ("volgende" in which or "komende" in which) else 0
    if which in ("de week", "het weekend") and not prep:
        return None  # "de week van de zorg" names no deadline
    if ref is None:
        return _due(m, None)
    if "begin" in prep:
        monday = ref - timedelta(days=ref.weekday()) + timedelta(days=7 * ahead)
        return _due(m, max(monday, ref))
    if "weekend" in which:
        return _due(m, _friday(ref, 0))
    return _due(m, _friday(ref, ahead))


def _day(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    which = m["which"].lower()
    if which.startswith("overmorgen"):
        return _due(m, _add(ref, 2, "d"))
    if which.startswith("morgen"):
        return _due(m, _add(ref, 1, "d"))
    return _due(m, ref)


def _weekday(m: re.Match[str], ref: date | None, _text: str = ""):
    # A bare weekday is too often a past reference ("dinsdag zei u"): require a preposition or
    # "volgende/komende".
    text = m.group(0).lower()
    if not m["prep"] and not text.startswith(("volgende", "komende", "deze")):
        return None
    if ref is None:
        return m.start(), _due(m, None)
    target = WEEKDAYS[m["wd"].lower()]
    delta = (target - ref.weekday()) % 7 or 7
    return m.start(), _due(m, ref + timedelta(days=delta))


def _within(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    n = _number(m["n"])
    unit = m["unit"].lower()
    if n is None:
        return _due(m, None)
    if unit.startswith("werkdag"):
        return _due(m, _add(ref, n, "bd"))
    if unit.startswith("dag"):
        return _due(m, _add(ref, n, "d"))
    if unit.startswith("we"):
        return _due(m, _add(ref, 7 * n, "d"))
    if unit.startswith("maand"):
        return _due(m, _add(ref, n, "m"))
    if unit.startswith("kwarta"):
        return _due(m, _add(ref, 3 * n, "m"))
    return _due(m, _add(ref, 12 * n, "m"))


def _month_rel(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo | None:
    which = m["which"].lower()
    prep = (m["prep"] or "").strip().lower()
    if which == "de maand" and not prep:
        return None
    if ref is None:
        return _due(m, None)
    base = _add(ref, 1, "m") if ("volgende" in which or "komende" in which) else ref
    if "begin" in prep:
        return _due(m, max(date(base.year, base.month, 10), ref))
    if "midden" in prep or "half" in prep:
        return _due(m, max(date(base.year, base.month, 15), ref))
    return _due(m, _last_day(base.year, base.month))


_SEASONS = {  # (start month, start day, end month, end day)
    "voorjaar": (3, 20, 6, 20), "lente": (3, 20, 6, 20), "zomer": (6, 21, 9, 22),
    "najaar": (9, 23, 12, 20), "herfst": (9, 23, 12, 20), "winter": (12, 21, 3, 19),
}  # fmt: skip


def _season(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    season = m["season"].lower()
    prep = (m.groupdict().get("prep") or "").lower()
    det = (m["det"] or "").lower()
    sm, sd, em, ed = _SEASONS[season]
    if prep == "na":
        if season == "zomer":
            return _due(m, _after_summer(m, ref))
        return _due(m, None)  # "na het voorjaar" names no deadline worth a date
    by_start = prep.endswith(("tegen", "voor", "vóór")) or "begin" in prep
    if season == "zomer" and prep.endswith(("tegen", "voor", "vóór")):
        month, day = 7, 21  # parliamentary Dutch: "voor de zomer" = before the summer recess
    elif by_start:
        month, day = sm, sd
    else:
        month, day = em, ed
    year = m.groupdict().get("year")
    if year:
        y = int(year)
        if season == "winter" and not by_start:
            y += 1
        return _due(m, _safe_date(y, month, day))
    if ref is None:
        return _due(m, None)
    d = _next_after(ref, month, day)
    if det in ("volgend", "volgende", "komend", "komende"):
        # "volgend voorjaar" said during the spring means next year's.
        start = _safe_date(d.year if (sm, sd) <= (month, day) else d.year - 1, sm, sd)
        if start is not None and start <= ref:
            d = _safe_date(d.year + 1, month, day)
    return _due(m, d)


def _after_summer(m: re.Match[str], ref: date | None) -> date | None:
    year = m.groupdict().get("year")
    if year:
        return date(int(year), 9, 30)
    return _next_after(ref, 9, 30)


def _recess(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    what = m["what"].lower()
    prep = m["prep"].lower()
    after = prep == "na"
    if what in ("zomerreces", "parlementair reces", "reces"):
        return _due(m, _after_summer(m, ref) if after else _next_after(ref, 7, 21))
    if what in ("zomervakantie", "grote vakantie"):
        return _due(m, _next_after(ref, 8, 31) if after else _next_after(ref, 6, 30))
    if what in ("kerstreces", "kerstvakantie", "kerstperiode"):
        return _due(m, _next_after(ref, 1, 31) if after else _next_after(ref, 12, 20))
    return _due(m, _next_after(ref, 1, 31) if after else _next_after(ref, 12, 31))


def _christmas(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    after = m["prep"].lower() == "na"
    if m["what"].lower() == "nieuwjaar":
        return _due(m, _next_after(ref, 1, 31) if after else _next_after(ref, 12, 31))
    return _due(m, _next_after(ref, 1, 31) if after else _next_after(ref, 12, 24))


def _quarter(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    n = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": 4}[m["n"].lower()]
    unit = m["unit"].lower()
    prep = m["prep"].lower()
    months_per = 3 if unit == "kwartaal" else 6
    if unit != "kwartaal" and n > 2:
        return _due(m, None)
    by_start = prep in ("tegen", "voor", "vóór")
    end_month = months_per * n
    start_month = end_month - months_per + 1
    month, day = (start_month, 1) if by_start else (end_month, 31)
    which = (m["which"] or "").lower()
    if m["year"]:
        return _due(m, _safe_date(int(m["year"]), month, day) or _last_day(int(m["year"]), month))
    if ref is None:
        return _due(m, None)
    if "volgend" in which:
        return _due(m, _safe_date(ref.year + 1, month, day) or _last_day(ref.year + 1, month))
    if which:
        return _due(m, _safe_date(ref.year, month, day) or _last_day(ref.year, month))
    return _due(m, _next_after(ref, month, day) if day != 31 else _next_after(ref, month, 31))


def _year(m: re.Match[str], ref: date | None, _text: str = ""):
    which = m["which"].lower()
    prep = re.sub(r"\s+", " ", (m["prep"] or "").lower())
    if not prep and not which.startswith(("volgend", "komend", "het komende", "dit jaar")):
        return None  # a bare "2019" or "het jaar" is a reference, not a deadline
    if m["year"]:
        year = int(m["year"])
        if ref is not None and year < ref.year:
            return None  # a year gone by is history, not a deadline
        if prep in ("voor", "vóór") and ref is None:
            return m.start(), _due(m, None)
    elif ref is None:
        return m.start(), _due(m, None)
    elif which in ("volgend jaar", "volgende jaar", "komend jaar", "het komende jaar"):
        year = ref.year + 1
    else:
        year = ref.year
    if prep.endswith("begin") or prep.endswith("begin van"):
        d = date(year, 3, 31)
    elif prep in ("midden", "half", "medio"):
        d = date(year, 6, 30)
    elif prep in ("tegen", "voor", "vóór") and m["year"]:
        d = date(year, 1, 1)  # "tegen 2026": by the start of that year
    else:
        d = date(year, 12, 31)
    return m.start(), _due(m, d)


def _event_clause(m: re.Match[str], _ref: date | None, text: str):
    """A "zodra …"/"wanneer de studie klaar is" clause, cut where its verb cluster ends."""
    start = m.start()
    stop = _CLAUSE_END.search(text, m.end())
    limit = stop.start() if stop else len(text)
    words = list(_WORD.finditer(text, m.end(), limit))
    end = None
    for i, w in enumerate(words[:16]):
        token = w.group(0).lower()
        if token in _EVENT_AUX:
            end = w.end()
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is not None and _EVENT_PAST_PARTICIPLE.match(nxt.group(0)):
                end = nxt.end()
            break
    keyword = m.group(0).strip().lower()
    conditional = keyword in ("wanneer", "als", "indien", "eens")
    if end is None:
        # "zowel de oproep X als de oproep Y", "eens de cijfers bekijken": without a finite verb the
        # clause names no event.
        if conditional or len(words) > 16 or not words:
            return None
        end = words[-1].end()
    clause = text[start:end]
    eventful = _EVENT_WORDS.search(clause) or _PARTICIPLE_SHAPE.search(clause)
    if keyword != "eens" and conditional and not eventful:
        return None  # "als de minister dat wil" is a condition, not an event
    return start, DueInfo(clause, None, True)


def _event_phrase(m: re.Match[str], _ref: date | None, text: str):
    """ "na de evaluatie (van het decreet)", "na afloop van de proefperiode": up to the next verb."""
    start = m.start()
    stop = _CLAUSE_END.search(text, m.end())
    limit = stop.start() if stop else len(text)
    end = m.end()
    for count, w in enumerate(_WORD.finditer(text, m.end(), limit)):
        if w.group(0).lower() in _EVENT_STOP or count >= 8:
            break
        end = w.end()
    return start, DueInfo(text[start:end], None, True)


def _week_of(m: re.Match[str], ref: date | None, _text: str = "") -> DueInfo:
    month = _month_number(m["month"])
    day = int(m["day"])
    if m["year"]:
        d = _safe_date(int(m["year"]), month, day)
    else:
        d = _next_after(ref, month, day) if _safe_date(2024, month, day) else None
    if d is None:
        return _due(m, None)
    return _due(m, d + timedelta(days=max(0, 4 - d.weekday())))


def _year_end(m: re.Match[str], ref: date | None, _text: str) -> DueInfo:
    return _due(m, _next_after(ref, 12, 31))


_MONTH_GATE = ("jan", "feb", "maart", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
_SEASON_GATE = ("voorjaar", "lente", "zomer", "najaar", "herfst", "winter")
_DIGITS = tuple("0123456789")

# (rank, pattern, resolver, gate): the lowest rank wins, then the earliest position. Explicit dates
# beat relative ones, which beat seasons and recesses, which beat events, which beat "zo snel
# mogelijk". A rule runs only when one of its gate strings occurs in the lower-cased text: most
# sentences name no time at all, and a substring test is far cheaper than a regular expression.
_RULES = (
    (0, _EXPLICIT, _explicit, _MONTH_GATE),
    (0, _NUMERIC, _numeric, _DIGITS),
    (1, _WEEK_OF, _week_of, ("week van",)),
    (1, _MONTH_PART, _month_part, _MONTH_GATE),
    (1, _MONTH_ONLY, _month_only, _MONTH_GATE),
    (1, _WEEK, _week, ("week",)),
    (
        1,
        _DAY,
        _day,
        (
            "vandaag",
            "middag",
            "avond",
            "ochtend",
            "morgen",
            "loop van de dag",
            "vergadering",
            "zitting",
            "commissie",
        ),
    ),
    (1, _WEEKDAY_RX, _weekday, ("dag",)),
    (1, _ABOUT, _about, (" of ",)),
    (1, _WITHIN, _within, ("dag", "week", "weken", "maand", "jaar", "jaren", "kwarta")),
    (1, _WITHIN_ONE, _within_one, ("binnen",)),
    (1, _MONTH_REL, _month_rel, ("maand",)),
    (2, _RECESS, _recess, ("reces", "vakantie", "kerst", "jaarwisseling", "jaareinde")),
    (2, _CHRISTMAS, _christmas, ("kerst", "nieuwjaar")),
    (2, _SEASON, _season, _SEASON_GATE),
    (2, _SEASON_BARE, _season, _SEASON_GATE),
    (2, _QUARTER, _quarter, ("kwartaal", "semester", "helft")),
    (2, _YEAR_END, _year_end, ("jaarwisseling", "jaareinde")),
    (2, _YEAR, _year, ("jaar", "19", "20")),
    (3, _EVENT_START, _event_clause, ("zodra", "eens", "nadat", "wanneer", "als", "indien")),
    (3, _EVENT_NOUN_START, _event_phrase, ("na ", "afronding", "volgende")),
    (
        4,
        _VAGUE,
        _vague,
        (
            "zo ",
            "asap",
            "binnenkort",
            "eerstdaags",
            "termijn",
            "afzienbare",
            "komende",
            "toekomst",
            "onverwijld",
            "volgende",
        ),
    ),
)
