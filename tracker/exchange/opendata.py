"""Tweede Kamer open data: commitments as `toezegging` entities (tkData v1.0), out and in.

The official schema (tracker/exchange/opendata_schema/, copied from the Tweede Kamer's tkData v1.0) declares
`toezegging` as a global element but no container for several of them. An export is therefore a
container of our own, ``<toezeggingen>`` in no namespace, holding one ``tk:toezegging`` per
commitment; each ``tk:toezegging`` is valid against the schema on its own. The importer accepts that
container (or any other root element whose children are ``tk:toezegging`` elements), a single
``tk:toezegging`` as the root, and pages of the Kamer's SyncFeed (an Atom ``<feed>`` whose entries'
``<content>`` each hold one ``tk:toezegging``; README, "The Tweede Kamer's SyncFeed").

Mapping (register → open data; the import reads it back the same way):

=========================  ==========================================================================
toezegging/@id             uuid5 of the reference (stable across exports and databases)
@tk:verwijderd             always "false" (only public, existing commitments are exported)
@tk:bijgewerkt             Commitment.updated, UTC
toegezegdAanFractie        the party of the first promised_to person, when known: ref = uuid5 of the
                           party name, the name in an ``annotatie``
toegezegdAanPersoon        the first promised_to person (ordered by surname): ref = uuid5 of the
                           person's slug, the full name in an ``annotatie``
isHerhalingVan             CommitmentLink "repeats"      } ref = uuid5 of the target's reference,
isAanvullingOp             CommitmentLink "supplements"  } tk:bijgewerkt = the target's updated, the
isWijzigingVan             CommitmentLink "amends"       } target's reference in an ``annotatie``
aanmaakdatum               Commitment.created, UTC
nummer                     Commitment.reference
naam / achternaam          promised_by.full_name / promised_by.surname (left out without a person)
functie                    promised_by_function
status                     open → Openstaand, partially_fulfilled → Deels Voldaan,
                           fulfilled → Voldaan, lapsed → Vervallen
datumNakoming              fulfilled_on when fulfilled, else an agreed due_date (a dateTime at midnight)
kamerbriefNakoming         evidence title (or URL) of the latest history event that made it fulfilled
ministerie                 Commitment.ministry (left out when empty)
tekst                      summary, or the quote when there is no summary
=========================  ==========================================================================

Candidates and rejected commitments are internal to the griffie and are never exported, whatever is
passed in; links to them are left out too.

Importing: the live register also uses the statuses "Afgedaan" and "Deels Afgedaan", which the
schema does not list; they are read as "Voldaan" and "Deels Voldaan" (normalised before validation,
and counted in the report). Open data has no transcript, so imported commitments are filed under one
container agenda item: committee "tweede-kamer", session "tweede-kamer-opendata", question 1
"Toezeggingen uit open data"; `tekst` becomes their quote. A commitment already in the register
(same reference) is updated in place and keeps its agenda item; for those `tekst` is compared with and
written to the summary (the verbatim quote is never replaced by a clerk's sentence). A record marked
``verwijderd`` withdraws the commitment (the non-public rejected state, with a history event); what
the register cannot hold (relations to unknown commitments or persons) is reported, never dropped
silently. A pending record's ``datumNakoming`` is its term (the due date); only a fulfilled one's is
the fulfilment date.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify
from lxml import etree

from tracker.exchange.base import run_import
from tracker.exchange.fixtures_import import BATCH_SIZE, LOOKUP_CHUNK, RecordsRefused, _chunks, hand_edited_commitments
from tracker.extraction.names import fold_name
from tracker.models import (
    INTERNAL_STATUSES,
    Commitment,
    CommitmentEvent,
    CommitmentKind,
    CommitmentLink,
    Committee,
    LinkKind,
    Origin,
    Person,
    Question,
    QuestionKind,
    Session,
    SessionKind,
    Status,
)
from tracker.register import history, rules

TK_NS = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
ATOM_NS = "http://www.w3.org/2005/Atom"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
SCHEMA_FILE = Path(__file__).resolve().parent / "opendata_schema" / "tkData-v1-0-toezegging.xsd"
CONTAINER_TAG = "toezeggingen"

# Entity ids are uuid5 names in this namespace, so the same commitment always gets the same id.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:toezeggingen:opendata")

# Checked on the size before parsing. Set in settings (TRACKER_MAX_BYTES); a module name, so tests can lower it.
MAX_OPENDATA_BYTES = settings.TRACKER_MAX_BYTES["opendata"]
# A toezegging has some twenty elements; the schema lets its links repeat without end, this does not.
# With TRACKER_OPENDATA_MAX_RECORDS it bounds what one file can make the parser hold and walk.
MAX_ELEMENTS_PER_RECORD = 1_000

STATUS_TO_TK = {
    Status.OPEN: "Openstaand",
    Status.PARTIALLY_FULFILLED: "Deels Voldaan",
    Status.FULFILLED: "Voldaan",
    Status.LAPSED: "Vervallen",
}
TK_TO_STATUS = {label: code for code, label in STATUS_TO_TK.items()}
# Used by the live register, missing from the official schema.
STATUS_ALIASES = {"Afgedaan": "Voldaan", "Deels Afgedaan": "Deels Voldaan"}

# What the live SyncFeed is known to publish outside the schema, read anyway (README, "Afwijkingen").
DEVIATIONS = {
    "toegezegdAan": "tk:toegezegdAan (niet in het schema, soms herhaald) gelezen als ontvanger(s) via hun id",
    "kamerbriefNakoming": "tk:kamerbriefNakoming herhaald: de brieven samen bewaard als bewijs van nakoming",
    "verwijderd": "tk:verwijderd met hoofdletters (“True”/“False”) gelezen als “true”/“false”",
    "zeven-decimalen": "tijdstip met 7 decimalen en zonder tijdzone gelezen als Nederlandse tijd (op de microseconde)",
}
_SEVEN_DIGITS = re.compile(r"\.\d{7}$")
# Particles that belong to a Dutch or Flemish surname ("De Smet", "van der Molen").
_PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "ten",
    "ter",
    "te",
    "het",
    "'t",
    "la",
    "le",
    "du",
    "d'",
    "vanden",
    "vander",
}

LINK_ELEMENTS = {
    LinkKind.REPEATS: "isHerhalingVan",
    LinkKind.SUPPLEMENTS: "isAanvullingOp",
    LinkKind.AMENDS: "isWijzigingVan",
}

CONTAINER_COMMITTEE = ("tweede-kamer", "Tweede Kamer")
CONTAINER_SESSION = ("tweede-kamer-opendata", "Toezeggingen uit de open data van de Tweede Kamer")
CONTAINER_QUESTION = (1, "Toezeggingen uit open data")

# Characters XML 1.0 cannot carry (PDF transcripts bring form feeds): dropped from exported text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def entity_id(kind: str, name: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{name}"))


@functools.cache
def toezegging_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def _tk(name: str) -> str:
    return f"{{{TK_NS}}}{name}"


def _atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _clean_text(value: str) -> str:
    return _NOT_XML.sub("", value)


# --------------------------------------------------------------------------------------------------
# Export


def _public(commitments) -> models.QuerySet:
    """The public ones among what was passed in (a queryset or any iterable of commitments)."""
    if isinstance(commitments, models.QuerySet):
        pks = commitments.order_by().values("pk")
    else:
        pks = [c.pk for c in commitments]
    return Commitment.objects.public().filter(pk__in=pks)


def opendata_export(*, commitments) -> bytes:
    """XML with one schema-valid `tk:toezegging` per public commitment, in a `<toezeggingen>` container."""
    root = etree.Element(CONTAINER_TAG, nsmap={"tk": TK_NS})
    for commitment in _export_rows(commitments):
        root.append(_toezegging(commitment))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def opendata_export_records(*, commitments) -> Iterator[tuple[str, bytes]]:
    """(file name, XML) per public commitment: each file a whole document valid against the official
    schema, which declares no container (one entity per document, as the Kamer serves an entity by id)."""
    for commitment in _export_rows(commitments):
        el = _toezegging(commitment)
        yield f"{el.get('id')}.xml", etree.tostring(el, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _export_rows(commitments) -> models.QuerySet:
    fulfilling = CommitmentEvent.objects.filter(to_status=Status.FULFILLED).order_by("at", "pk")
    return (
        _public(commitments)
        .select_related("promised_by")
        .prefetch_related(
            Prefetch("promised_to", queryset=Person.objects.order_by("surname", "full_name", "pk")),
            Prefetch(
                "links_out",
                queryset=CommitmentLink.objects.exclude(target__status__in=INTERNAL_STATUSES)
                .select_related("target")
                .order_by("target__reference"),
            ),
            Prefetch("events", queryset=fulfilling, to_attr="fulfilling_events"),
        )
        .order_by("reference")
    )


def _toezegging(c: Commitment) -> etree._Element:
    el = etree.Element(_tk("toezegging"), nsmap={"tk": TK_NS})
    el.set("id", entity_id("toezegging", c.reference))
    el.set(_tk("verwijderd"), "false")
    el.set(_tk("bijgewerkt"), _utc(c.updated))

    def add(name: str, text: str | None = None, **attrs) -> etree._Element:
        child = etree.SubElement(el, _tk(name))
        for key, value in attrs.items():
            child.set(key, value)
        if text is not None:
            child.text = _clean_text(text)
        return child

    promised_to = list(c.promised_to.all())
    first = promised_to[0] if promised_to else None
    if first is not None and first.party:
        etree.SubElement(
            add("toegezegdAanFractie", ref=entity_id("fractie", first.party)), _tk("annotatie")
        ).text = _clean_text(first.party)
    if first is not None:
        etree.SubElement(
            add("toegezegdAanPersoon", ref=entity_id("persoon", first.slug)), _tk("annotatie")
        ).text = _clean_text(first.full_name)
    links = list(c.links_out.all())
    for kind, name in LINK_ELEMENTS.items():
        for link in (link for link in links if link.kind == kind):
            ref = add(name, ref=entity_id("toezegging", link.target.reference))
            ref.set(_tk("bijgewerkt"), _utc(link.target.updated))
            etree.SubElement(ref, _tk("annotatie")).text = _clean_text(link.target.reference)
    add("aanmaakdatum", _utc(c.created))
    add("nummer", c.reference)
    if c.promised_by is not None:
        add("naam", c.promised_by.full_name)
        if c.promised_by.surname:
            add("achternaam", c.promised_by.surname)
    if c.promised_by_function:
        add("functie", c.promised_by_function)
    add("status", STATUS_TO_TK[c.status])
    # datumNakoming: the day it was fulfilled, or the term of one not fulfilled (README: "datumNakoming").
    # Our standard term is left out: it was not agreed, and an import computes it again.
    nakoming = c.fulfilled_on if c.status == Status.FULFILLED else (None if c.due_is_default else c.due_date)
    if nakoming is not None:
        add("datumNakoming", f"{nakoming.isoformat()}T00:00:00")
    if c.status == Status.FULFILLED:
        evidence = [e for e in c.fulfilling_events if e.evidence_title or e.evidence_url]
        if evidence:
            add("kamerbriefNakoming", evidence[-1].evidence_title or evidence[-1].evidence_url)
    if c.ministry:
        add("ministerie", c.ministry)
    add("tekst", c.summary or c.quote)
    return el


# --------------------------------------------------------------------------------------------------
# Import


class OpendataRefused(RecordsRefused):
    """The open-data file cannot be imported (errors are OpendataError)."""


@dataclass(frozen=True)
class OpendataError:
    file: str
    message: str
    index: int | None = None  # 1-based position among the toezegging elements
    line: int | None = None
    number: str = ""
    field: str = ""

    def __str__(self):
        where = [self.file]
        if self.line is not None:
            where.append(f"regel {self.line}")
        if self.index is not None:
            where.append(f"toezegging {self.index}" + (f" ({self.number})" if self.number else ""))
        place = ", ".join(where)
        if self.field:
            place += f", veld “{self.field}”"
        return f"{place}: {self.message}"


@dataclass
class OpendataReport:
    filename: str
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # marked verwijderd in the source, not in the register
    withdrawn: list[str] = field(default_factory=list)  # marked verwijderd in the source: taken off public pages
    refused: list[str] = field(default_factory=list)  # invalid records left out of a feed page ("id: reason")
    normalised: dict[str, int] = field(default_factory=dict)
    deviations: dict[str, int] = field(default_factory=dict)
    not_kept: dict[str, int] = field(default_factory=dict)  # name parts the register has no field for
    persons_created: list[str] = field(default_factory=list)
    links_created: int = 0
    container_created: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)

    def merge(self, other: OpendataReport) -> None:
        """Add another page's report to this one (several pages of a feed, one report)."""
        for name in ("created", "updated", "unchanged", "locked", "skipped", "withdrawn", "refused"):
            getattr(self, name).extend(getattr(other, name))
        for name in ("normalised", "deviations", "not_kept"):
            mine = getattr(self, name)
            for key, count in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + count
        self.persons_created.extend(other.persons_created)
        self.links_created += other.links_created
        self.container_created = self.container_created or other.container_created
        self.warnings.extend(other.warnings)

    def lines(self) -> list[str]:
        lines = [
            f"Toezeggingen: {len(self.created)} aangemaakt, {len(self.updated)} bijgewerkt, "
            f"{len(self.unchanged)} ongewijzigd, {len(self.withdrawn)} ingetrokken, {len(self.refused)} geweigerd"
            + (f", {len(self.locked)} met de hand bewerkt en niet overschreven" if self.locked else "")
            + (f", {len(self.skipped)} overgeslagen (verwijderd in de bron)" if self.skipped else "")
        ]
        for key, count in self.deviations.items():
            lines.append(f"Afwijking van het schema ({count}×): {DEVIATIONS[key]}.")
        for name, count in self.not_kept.items():
            lines.append(
                f"Niet bewaard ({count}×): tk:{name}; het register heeft er geen veld voor en bewaart de naam "
                "zoals gepubliceerd (naam, of initialen, tussenvoegsel en achternaam)."
            )
        for alias, count in self.normalised.items():
            lines.append(
                f"Status “{alias}” ({count}×) gelezen als “{STATUS_ALIASES[alias]}”: het echte register gebruikt "
                "die waarde, het officiële schema niet."
            )
        if self.persons_created:
            lines.append(f"Nieuwe personen: {', '.join(self.persons_created)}")
        if self.links_created:
            lines.append(f"Nieuwe relaties tussen toezeggingen: {self.links_created}")
        if self.container_created:
            lines.append(
                f"Nieuw agendapunt voor open data: {CONTAINER_SESSION[0]}, punt {CONTAINER_QUESTION[0]} "
                f"(commissie {CONTAINER_COMMITTEE[0]})."
            )
        lines.extend(self.locked)
        lines.extend(f"Geweigerd: {reason}" for reason in self.refused)
        if not self.changed:
            lines.append("Niets gewijzigd.")
        elif self.dry_run:
            lines.append("Proefdraai: er werd niets opgeslagen.")
        return lines


@dataclass
class _Item:
    index: int
    line: int | None
    number: str = ""
    text: str = ""
    status: str = ""
    name: str | None = None
    surname: str | None = None
    function: str | None = None
    ministry: str = ""
    fulfilled_on: datetime.date | None = None
    letter: str | None = None
    created: datetime.datetime | None = None
    promised_to: str | None = None
    party: str | None = None
    due_on: datetime.date | None = None  # datumNakoming of a commitment not (yet) fulfilled: its term
    tk_id: str = ""
    tk_updated: datetime.datetime | None = None
    deleted: bool = False
    activity_id: str = ""
    activity_number: str = ""
    party_id: str = ""
    person_id: str = ""
    receiver_ids: list[str] = field(default_factory=list)  # tk:toegezegdAan, outside the schema
    links: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # kind, reference, ref guid


def _is_nil(el) -> bool:
    return el.get(XSI_NIL) in ("true", "1")


def _child(el, name: str):
    child = el.find(_tk(name))
    return None if child is None or _is_nil(child) else child


def _text(el, name: str) -> str | None:
    child = _child(el, name)
    if child is None:
        return None
    return (child.text or "").strip()


def _annotation(el) -> str | None:
    note = el.find(_tk("annotatie"))
    text = "".join(note.itertext()).strip() if note is not None else ""
    return text or None


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _forget(el) -> None:
    """Drop a finished child of the root, and the ones before it, from the tree being built."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    while el.getprevious() is not None:
        del parent[0]


def _parse_datetime(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class _Importer:
    def __init__(self, *, data: bytes, filename: str, dry_run: bool, overwrite: bool, by, strict: bool | None = None):
        self.data, self.filename = data, filename
        self.dry_run, self.overwrite, self.by = dry_run, overwrite, by
        self.strict, self.feed = strict, False
        self.withdrawals: list[_Item] = []
        self.report = OpendataReport(filename=filename, dry_run=dry_run)
        self.errors: list[OpendataError] = []
        self.items: list[_Item] = []
        self.today = rules.today()
        self.stamps: list[tuple[str, str]] = []  # (id, bijgewerkt) of each record on a feed page, from the survey

    def error(self, message: str, *, item: _Item | None = None, field_name: str = "", line=None, index=None):
        if item is not None:
            line, index = item.line if line is None else line, item.index
        self.errors.append(
            OpendataError(
                self.filename, message, index=index, line=line, number=item.number if item else "", field=field_name
            )
        )

    def refuse(self):
        raise OpendataRefused(sorted(self.errors, key=lambda e: (e.index or 0, e.line or 0)))

    # -- parsing and validation --------------------------------------------------------------------

    def parse(self) -> Iterator:
        """The toezegging elements, streamed: the file is read once to check it (syntax, DOCTYPE, what the
        root holds, the limits) and then again one toezegging at a time, so memory does not grow with it."""
        if len(self.data) > MAX_OPENDATA_BYTES:
            self.error(
                f"het bestand is te groot ({len(self.data):,} bytes); de grens is {MAX_OPENDATA_BYTES:,} bytes "
                f"({MAX_OPENDATA_BYTES / 2**20:g} MB).".replace(",", ".")
            )
            self.refuse()
        if not self.data.strip():
            self.error("het bestand is leeg; verwacht XML met toezegging-elementen.")
            self.refuse()
        single = self._survey()
        return self._records(single=single)

    def _iterparse(self, **options):
        # No entities, no network, no DTD: the file comes from outside. huge_tree off keeps libxml2's
        # limits on nesting depth and on the length of one text.
        return etree.iterparse(
            io.BytesIO(self.data), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, **options
        )

    def _refuse_only(self, message: str, *, line: int | None = None):
        """Refuse for this one reason: errors noted before it would only bury it."""
        self.errors = []
        self.error(message, line=line)
        self.refuse()

    def _survey(self) -> bool:
        """Read the file once, keeping nothing: refuses bad XML, a DOCTYPE and files over the limits, and
        reports elements other than toezeggingen under the root. True when the root is one toezegging."""
        root, single, found, record = None, False, False, (None, None)
        depth = children = inside = 0
        try:
            for event, el in self._iterparse(events=("start", "end")):
                if event == "end":
                    depth -= 1
                    if depth == 1 and not single:
                        _forget(el)
                    continue
                depth += 1
                if root is None:
                    root, single = el.tag, el.tag == _tk("toezegging")
                    self.feed = el.tag == _atom("feed")
                    if el.getroottree().docinfo.doctype:
                        self._refuse_only("een DOCTYPE-declaratie is niet toegestaan.", line=1)
                    record, found, inside = (el.tag, el.sourceline), single, 1
                    continue
                if depth == 2 and not single:
                    children, inside, record = children + 1, 0, (el.tag, el.sourceline)
                    found = self._survey_child(el, number=children, root=root) or found
                elif depth == 4 and self.feed and el.getparent().tag == _atom("content"):
                    found = self._survey_content(el) or found
                inside += 1
                if inside > MAX_ELEMENTS_PER_RECORD:
                    self._refuse_only(
                        f"<{_short(record[0])}> bevat meer dan {_number(MAX_ELEMENTS_PER_RECORD)} elementen; een "
                        f"toezegging mag er hoogstens {_number(MAX_ELEMENTS_PER_RECORD)} bevatten.",
                        line=record[1],
                    )
        except etree.XMLSyntaxError as exc:
            line, column = exc.position if exc.position else (exc.lineno, 0)
            self._refuse_only(f"geen geldige XML op regel {line}, kolom {column}: {exc.msg}", line=line)
        if not found and not self.errors:
            self.error(
                f"geen toezegging-elementen gevonden (het hoofdelement is <{_short(root)}>; verwacht "
                f"tk:toezegging in de namespace {TK_NS})."
            )
        return single

    def _survey_child(self, el, *, number: int, root: str) -> bool:
        """Whether this child of the root is a toezegging; refuses the file past the records limit."""
        limit = settings.TRACKER_OPENDATA_MAX_RECORDS
        if number > limit:
            self._refuse_only(
                f"meer dan {_number(limit)} elementen onder <{_short(root)}>; een bestand mag hoogstens "
                f"{_number(limit)} toezeggingen bevatten (instelling TRACKER_OPENDATA_MAX_RECORDS).",
                line=el.sourceline,
            )
        if el.tag == _tk("toezegging"):
            return True
        if self.feed:
            # A SyncFeed page: the feed's own elements (title, link rel="next", …) and one entry per record.
            return False
        self.error(
            f"onverwacht element <{_short(el.tag)}>; verwacht alleen tk:toezegging (namespace {TK_NS}).",
            line=el.sourceline,
        )
        return False

    def _survey_content(self, el) -> bool:
        """An entry's content on a SyncFeed page: a toezegging, or an error naming what it holds instead."""
        if el.tag == _tk("toezegging"):
            self.stamps.append((el.get("id") or "", el.get(_tk("bijgewerkt")) or ""))
            return True
        self.error(
            f"onverwacht element <{_short(el.tag)}> in een entry; verwacht alleen tk:toezegging (category=Toezegging).",
            line=el.sourceline,
        )
        return False

    def _records(self, *, single: bool) -> Iterator:
        """The toezegging elements one at a time; each is dropped from the tree once the caller moves on."""
        for _event, el in self._iterparse(events=("end",), tag=_tk("toezegging")):
            parent = el.getparent()
            if self.feed:
                entry = parent.getparent() if parent is not None and parent.tag == _atom("content") else None
                if entry is not None and entry.getparent() is not None and entry.getparent().getparent() is None:
                    yield el
                    # The entry is still being parsed: drop the finished ones before it, and this record.
                    el.clear(keep_tail=False)
                    while entry.getprevious() is not None:
                        del entry.getparent()[0]
            elif single:
                if parent is None:
                    yield el
            elif parent is not None and parent.getparent() is None:
                yield el
                _forget(el)
            # Any other toezegging is nested in one of these and belongs to it (the schema judges it there).

    def validate(self, elements: Iterable) -> None:
        """Check and read every record. A feed page is a log of changes: a later entry for the same record
        replaces an earlier one, and (unless strict) an invalid record is refused on its own."""
        if self.strict is None:
            self.strict = not self.feed
        schema = toezegging_schema()
        latest: dict[str, _Item] = {}
        stale = self._stale_records()
        if stale is not None and len(stale) == len(self.stamps):
            # A replayed page: every record is a version already applied; not even read again.
            self.report.unchanged.extend(stale.values())
            return
        for index, el in enumerate(elements, start=1):
            if stale and index - 1 in stale:
                self.report.unchanged.append(stale[index - 1])
                continue
            before = len(self.errors)
            item = self._check(el, index, schema)
            if len(self.errors) > before and not self.strict:
                reasons = "; ".join(
                    (f"veld “{e.field}”: " if e.field else "") + e.message for e in self.errors[before:]
                )
                self.report.refused.append(f"toezegging {index} ({item.number or item.tk_id or '?'}): {reasons}")
                del self.errors[before:]
                continue
            if item is None or len(self.errors) > before:
                continue
            if self.feed:
                latest.pop(item.tk_id or item.number, None)
                latest[item.tk_id or item.number] = item
            elif item.deleted:
                self.withdrawals.append(item)
            else:
                self.items.append(item)
        if self.feed:
            self.items = [i for i in latest.values() if not i.deleted]
            self.withdrawals = [i for i in latest.values() if i.deleted]
        seen: dict[str, _Item] = {}
        for item in self.items:
            if item.number in seen:
                self.error(f"dubbel nummer: ook toezegging {seen[item.number].index}.", item=item, field_name="nummer")
            seen.setdefault(item.number, item)

    def _stale_records(self) -> dict[int, str] | None:
        """On a feed page, the records (position → reference) whose bijgewerkt is not newer than the version
        the register holds: left alone without validating them, so a re-run costs one query per page. None
        when this does not apply (not a feed page, or --overwrite, which re-applies every record)."""
        if not self.feed or self.overwrite or not self.stamps:
            return None
        ids = {tk_id for tk_id, _ in self.stamps if tk_id}
        stored = {
            tk_id: (stamp, reference)
            for chunk in _chunks(sorted(ids), LOOKUP_CHUNK)
            for tk_id, stamp, reference in Commitment.objects.filter(
                tk_id__in=chunk, tk_updated__isnull=False
            ).values_list("tk_id", "tk_updated", "reference")
        }
        stale = {}
        for position, (tk_id, raw) in enumerate(self.stamps):
            if tk_id not in stored:
                continue
            try:
                stamp = _parse_datetime(raw)
            except ValueError:
                continue  # validation reports it
            if stamp <= stored[tk_id][0]:
                stale[position] = stored[tk_id][1]
        return stale

    def _check(self, el, index: int, schema) -> _Item | None:
        status = el.find(_tk("status"))
        if status is not None and status.text and status.text.strip() in STATUS_ALIASES:
            alias = status.text.strip()
            status.text = STATUS_ALIASES[alias]
            self.report.normalised[alias] = self.report.normalised.get(alias, 0) + 1
        item = _Item(index=index, line=el.sourceline, number=_text(el, "nummer") or "", tk_id=el.get("id") or "")
        self._accept_deviations(el, item)
        if not schema.validate(el):
            for entry in schema.error_log:
                self.error(f"voldoet niet aan het schema: {_short(entry.message)}", item=item, line=entry.line)
            return item
        try:
            item.tk_updated = _parse_datetime(el.get(_tk("bijgewerkt")) or "")
        except ValueError:
            self.error("is geen datum en tijd die het register kan lezen.", item=item, field_name="bijgewerkt")
        if el.get(_tk("verwijderd")) in ("true", "1"):
            item.deleted = True
            return item
        self._read(el, item)
        return item

    def _deviation(self, key: str) -> None:
        self.report.deviations[key] = self.report.deviations.get(key, 0) + 1

    def _accept_deviations(self, el, item: _Item) -> None:
        """Bring what the live feed is known to publish outside the schema back within it (see DEVIATIONS)."""
        deleted = el.get(_tk("verwijderd"))
        if deleted is not None and deleted not in ("true", "false", "1", "0") and deleted.lower() in ("true", "false"):
            el.set(_tk("verwijderd"), deleted.lower())
            self._deviation("verwijderd")
        receivers = el.findall(_tk("toegezegdAan"))
        for receiver in receivers:
            if receiver.get("ref"):
                item.receiver_ids.append(receiver.get("ref"))
            el.remove(receiver)
        if receivers:
            self._deviation("toegezegdAan")
        letters = el.findall(_tk("kamerbriefNakoming"))
        if len(letters) > 1:
            texts = [(letter.text or "").strip() for letter in letters if not _is_nil(letter)]
            letters[0].text = "; ".join(t for t in dict.fromkeys(texts) if t)
            for letter in letters[1:]:
                el.remove(letter)
            self._deviation("kamerbriefNakoming")
        for name in ("aanmaakdatum", "datumNakoming"):
            value = _text(el, name)
            if value and _SEVEN_DIGITS.search(value):
                self._deviation("zeven-decimalen")

    def _read(self, el, item: _Item) -> None:
        limits = _max_lengths()
        if not item.number:
            self.error("ontbreekt; het nummer identificeert de toezegging.", item=item, field_name="nummer")
        elif len(item.number) > limits["reference"]:
            self.error(f"langer dan {limits['reference']} tekens.", item=item, field_name="nummer")
        item.text = _text(el, "tekst") or ""
        if not item.text:
            self.error(
                "ontbreekt of is leeg; de tekst wordt het citaat van de toezegging.", item=item, field_name="tekst"
            )
        tk_status = _text(el, "status")
        if not tk_status:
            self.error("ontbreekt.", item=item, field_name="status")
        else:
            item.status = TK_TO_STATUS[tk_status]
        item.name, item.surname = _promiser_name(el)
        self._count_not_kept(el, item)
        item.function = _text(el, "functie") or None
        for name, value, limit in (
            ("naam", item.name, 255),
            ("achternaam", item.surname, 150),
            ("functie", item.function, limits["promised_by_function"]),
        ):
            if value and len(value) > limit:
                self.error(f"langer dan {limit} tekens.", item=item, field_name=name)
        self._read_dates(el, item)
        if item.status:
            # The register's one rule (also for fixtures and the workflow): a date not kept is an error, not
            # a warning. Open data names no sitting, so "not before the sitting" cannot apply here.
            for _name, message in rules.fulfilment_problems(
                status=item.status, fulfilled_on=item.fulfilled_on, on=self.today
            ):
                self.error(message, item=item, field_name="datumNakoming")
        letter = _text(el, "kamerbriefNakoming")
        if letter:
            if len(letter) > 500:
                self.error("langer dan 500 tekens.", item=item, field_name="kamerbriefNakoming")
            elif item.status != Status.FULFILLED:
                self.report.warnings.append(
                    f"toezegging {item.index} ({item.number}): kamerbriefNakoming “{letter}” genegeerd: het register "
                    "bewaart die bij de nakoming, en de toezegging is niet voldaan."
                )
            else:
                item.letter = letter
        item.ministry = _text(el, "ministerie") or ""
        if len(item.ministry) > limits["ministry"]:
            self.error(f"langer dan {limits['ministry']} tekens.", item=item, field_name="ministerie")
        self._read_relations(el, item)

    def _count_not_kept(self, el, item: _Item) -> None:
        """Name parts with no field of their own are said to be left out, not dropped silently."""
        kept = (item.name or "").split()
        for name in ("voornaam", "achtervoegsel", "titulatuur"):
            value = _text(el, name)
            if value and not all(word in kept for word in value.split()):
                self.report.not_kept[name] = self.report.not_kept.get(name, 0) + 1

    def _read_dates(self, el, item: _Item) -> None:
        for name in ("datumNakoming", "aanmaakdatum"):
            value = _text(el, name)
            if not value:
                continue
            try:
                moment = _parse_datetime(value)
            except ValueError:
                self.error(f"“{value}” is geen datum en tijd die het register kan lezen.", item=item, field_name=name)
                continue
            day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
            if name == "aanmaakdatum":
                item.created = moment
            elif item.status == Status.FULFILLED:
                item.fulfilled_on = day
            else:
                # The register's term for a commitment not yet fulfilled (README: "datumNakoming").
                item.due_on = day

    def _read_relations(self, el, item: _Item) -> None:
        limits = _max_lengths()
        party = _child(el, "toegezegdAanFractie")
        if party is not None:
            item.party, item.party_id = _annotation(party), party.get("ref") or ""
            if item.party and len(item.party) > limits["promised_to_party"]:
                self.error(
                    f"langer dan {limits['promised_to_party']} tekens.", item=item, field_name="toegezegdAanFractie"
                )
        person = _child(el, "toegezegdAanPersoon")
        if person is not None:
            item.promised_to, item.person_id = _annotation(person), person.get("ref") or ""
        activity = _child(el, "activiteit")
        if activity is not None:
            item.activity_id = activity.get("ref") or ""
        item.activity_number = _text(el, "activiteitNummer") or ""
        if len(item.activity_number) > limits["tk_activity_number"]:
            self.error(f"langer dan {limits['tk_activity_number']} tekens.", item=item, field_name="activiteitNummer")
        for kind, name in LINK_ELEMENTS.items():
            for rel in el.findall(_tk(name)):
                item.links.append((kind, _annotation(rel), rel.get("ref")))

    # -- writing -----------------------------------------------------------------------------------

    def write(self) -> None:
        if not self.items and not self.withdrawals:
            return  # a replayed page: no need to load the register's persons and commitments
        # Only created when a new commitment needs it: re-importing changes nothing, not even this.
        question = Question.objects.filter(session__slug=CONTAINER_SESSION[0], position=CONTAINER_QUESTION[0]).first()
        existing = self._existing()
        locks = hand_edited_commitments([c.pk for c in existing.values()])
        self.locked: set[str] = set()
        persons = _PersonMatcher(self.report)
        note = f"Ingelezen uit open data ({Path(self.filename).name})" + (
            f" door {self.by.get_username()}." if self.by is not None else "."
        )
        now = timezone.now()
        new: list[tuple[_Item, Commitment]] = []
        events: list[CommitmentEvent] = []
        promised_to: list[tuple[Commitment, Person]] = []
        for item in self.items:
            promiser = persons.resolve(item.name, item.surname) if item.name else None
            receivers = self._receivers(item, persons)
            current = existing.get(item.number)
            if current is None:
                question = question or self._container()
                commitment = self._new(item, question=question, promiser=promiser)
                new.append((item, commitment))
                promised_to.extend((commitment, r) for r in receivers)
                continue
            if item.tk_updated and current.tk_updated and item.tk_updated < current.tk_updated:
                # An older version of the record than the one applied: a replayed page.
                self.report.unchanged.append(item.number)
                continue
            changes = self._changes(item, current, promiser, question)
            have = {p.pk for p in current.promised_to.all()}
            receivers_new = [r for r in receivers if r.pk not in have]
            if receivers_new:
                changes["promised_to"] = ("", ", ".join(r.full_name for r in receivers_new))
            if not changes:
                self.report.unchanged.append(item.number)
                continue
            if current.pk in locks and not self.overwrite:
                self.locked.add(item.number)
                self.report.locked.append(
                    f"{item.number}: niet overschreven ({', '.join(changes)}): {locks[current.pk]}. "
                    "Gebruik --overwrite om toch te overschrijven."
                )
                continue
            events.extend(self._apply(item, current, changes, promiser, note, now))
            promised_to.extend((current, r) for r in receivers_new)
            self.report.updated.append(item.number)
        events.extend(self._withdraw(note=note, now=now))
        self._save_new(new, events, note=note, now=now)
        CommitmentEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        through = Commitment.promised_to.through
        through.objects.bulk_create(
            [through(commitment_id=c.pk, person_id=p.pk) for c, p in promised_to], batch_size=BATCH_SIZE
        )
        self._links(existing, {c.reference: c for _, c in new})

    def _existing(self) -> dict[str, Commitment]:
        """The register's commitments this file names, by reference, looked up in chunks."""
        return {
            c.reference: c
            for chunk in _chunks([i.number for i in self.items], LOOKUP_CHUNK)
            for c in Commitment.objects.filter(reference__in=chunk)
            .select_related("promised_by")
            .prefetch_related("promised_to")
        }

    def _new(self, item: _Item, *, question: Question, promiser: Person | None) -> Commitment:
        commitment = Commitment(
            reference=item.number,
            question=question,
            quote=item.text,
            kind=CommitmentKind.OTHER,
            promised_by=promiser,
            promised_by_function=item.function or "",
            ministry=item.ministry,
            status=item.status,
            fulfilled_on=item.fulfilled_on,
            origin=Origin.IMPORTED,
            **self._source_fields(item),
        )
        self._standard_deadline(commitment, item)
        return commitment

    def _save_new(self, new: list[tuple[_Item, Commitment]], events: list, *, note: str, now) -> None:
        """Insert the new commitments with their creation events (added to `events`) and their own dates."""
        Commitment.objects.bulk_create([c for _, c in new], batch_size=BATCH_SIZE)
        stamped = []
        for item, commitment in new:
            self.report.created.append(item.number)
            events.append(
                history.build(
                    history.created(
                        commitment, status=commitment.status, evidence_title=item.letter or "", note=note, at=now
                    )
                )
            )
            if item.created is not None:
                commitment.created = item.created
                stamped.append(commitment)
        Commitment.objects.bulk_update(stamped, ["created"], batch_size=BATCH_SIZE)

    def _receivers(self, item: _Item, persons: _PersonMatcher) -> list[Person]:
        """The persons promised to: toegezegdAanPersoon (by id, else by name), then each toegezegdAan by id."""
        found = []
        if item.promised_to or item.person_id:
            person = persons.resolve(item.promised_to, None, party=item.party, tk_id=item.person_id, receiver=True)
            if person is None:
                self.report.warnings.append(
                    f"toezegging {item.index} ({item.number}): toegezegdAanPersoon {item.person_id} is onbekend en "
                    "heeft geen naam (annotatie); niet gekoppeld."
                )
            else:
                found.append(person)
        for ref in item.receiver_ids:
            person = persons.resolve(None, None, tk_id=ref)
            if person is None:
                self.report.warnings.append(
                    f"toezegging {item.index} ({item.number}): toegezegdAan {ref} is geen bekende persoon; "
                    "niet gekoppeld."
                )
            elif person not in found:
                found.append(person)
        return found

    @staticmethod
    def _source_fields(item: _Item) -> dict:
        """Where the record came from in the Tweede Kamer's data. Our own export's ids are uuid5 names of the
        reference, not the Kamer's: those are not kept."""
        tk_id = "" if item.tk_id == entity_id("toezegging", item.number) else item.tk_id
        # Our export names the party of the first person promised to; that party is kept on the person.
        own_party = bool(item.party) and item.party_id == entity_id("fractie", item.party)
        return {
            "tk_id": tk_id,
            "tk_updated": item.tk_updated if tk_id else None,
            "tk_activity_id": item.activity_id,
            "tk_activity_number": item.activity_number,
            "promised_to_party": "" if own_party else item.party or "",
            "tk_party_id": "" if own_party else item.party_id,
        }

    def _withdraw(self, *, note: str, now) -> list[CommitmentEvent]:
        """Records marked verwijderd: the commitment leaves the public pages (status rejected, the register's
        non-public state) with an event saying why; nothing is deleted."""
        if not self.withdrawals:
            return []
        ids = {i.tk_id for i in self.withdrawals if i.tk_id}
        numbers = {i.number for i in self.withdrawals if i.number}
        found = list(Commitment.objects.filter(models.Q(tk_id__in=ids) | models.Q(reference__in=numbers)))
        known = {c.tk_id: c for c in found if c.tk_id} | {c.reference: c for c in found}
        if any(i.tk_id not in known and i.number not in known for i in self.withdrawals):
            # Our own export names a commitment by a uuid5 of its reference.
            own = {entity_id("toezegging", r): r for r in Commitment.objects.values_list("reference", flat=True)}
            more = [own[i.tk_id] for i in self.withdrawals if i.tk_id in own]
            known |= {entity_id("toezegging", c.reference): c for c in Commitment.objects.filter(reference__in=more)}
        locks = hand_edited_commitments([c.pk for c in known.values()])
        events, done = [], set()
        for item in self.withdrawals:
            label = item.number or item.tk_id
            current = known.get(item.tk_id) or known.get(item.number)
            if current is None:
                self.report.skipped.append(label)
                self.report.warnings.append(
                    f"toezegging {item.index} ({label}): verwijderd in de bron en niet in het register; overgeslagen."
                )
                continue
            if current.pk in done or current.status == Status.REJECTED:
                self.report.unchanged.append(current.reference)
                continue
            if current.pk in locks and not self.overwrite:
                self.locked.add(current.reference)
                self.report.locked.append(
                    f"{current.reference}: niet ingetrokken: {locks[current.pk]}. "
                    "Gebruik --overwrite om toch in te trekken."
                )
                continue
            done.add(current.pk)
            events.append(
                history.build(
                    history.transition(
                        current,
                        from_status=current.status,
                        to_status=Status.REJECTED,
                        note=f"{note}\nIngetrokken: de Tweede Kamer heeft deze toezegging (id {item.tk_id}) als "
                        "verwijderd gemarkeerd; ze staat niet meer op de openbare pagina's.",
                        at=now,
                    )
                )
            )
            current.status = Status.REJECTED
            # The withdrawal is the record's latest version: an older one replayed must not bring it back.
            if (
                item.tk_updated
                and current.tk_id
                and (current.tk_updated is None or item.tk_updated > current.tk_updated)
            ):
                current.tk_updated = item.tk_updated
            current.save(update_fields=["status", "tk_updated", "updated"])
            self.report.withdrawn.append(current.reference)
        return events

    def _container(self) -> Question:
        committee, created_c = Committee.objects.get_or_create(
            slug=CONTAINER_COMMITTEE[0], defaults={"name": CONTAINER_COMMITTEE[1]}
        )
        session, created_s = Session.objects.get_or_create(
            slug=CONTAINER_SESSION[0],
            defaults={"committee": committee, "kind": SessionKind.COMMITTEE, "title": CONTAINER_SESSION[1]},
        )
        question, created_q = Question.objects.get_or_create(
            session=session,
            position=CONTAINER_QUESTION[0],
            defaults={"kind": QuestionKind.OTHER, "title": CONTAINER_QUESTION[1]},
        )
        self.report.container_created = created_c or created_s or created_q
        return question

    def _changes(self, item: _Item, current: Commitment, promiser, question) -> dict:
        changes = {}
        # Open data's text is the clerk's sentence: for our own commitments it is the summary.
        text_field = "quote" if question is not None and current.question_id == question.pk else "summary"
        if (current.summary or current.quote) != item.text:
            changes[text_field] = (getattr(current, text_field), item.text)
        if current.status != item.status:
            changes["status"] = (current.status, item.status)
        if current.fulfilled_on != item.fulfilled_on:
            changes["fulfilled_on"] = (current.fulfilled_on, item.fulfilled_on)
        if current.promised_by_function != (item.function or ""):
            changes["promised_by_function"] = (current.promised_by_function, item.function or "")
        if current.ministry != item.ministry:
            changes["ministry"] = (current.ministry, item.ministry)
        if item.due_on is not None and current.due_date != item.due_on:
            changes["due_date"] = (current.due_date, item.due_on)
        for name, value in self._source_fields(item).items():
            # An id once known is kept: our own export (no Kamer id) does not erase it. The version stamp
            # alone is no change worth an event; it is written with the changes (_apply).
            if name != "tk_updated" and value and getattr(current, name) != value:
                changes[name] = (getattr(current, name), value)
        if (current.promised_by_id or None) != (promiser.pk if promiser else None):
            changes["promised_by"] = (current.promised_by, promiser)
        return changes

    def _apply(self, item, current: Commitment, changes: dict, promiser, note, now) -> list[CommitmentEvent]:
        events = []
        for name, (_old, new) in changes.items():
            if name == "promised_to":
                continue
            setattr(current, name, new)
        if "promised_by" in changes:
            current.promised_by = promiser
        if "due_date" in changes:
            current.due_is_default = False
        current.tk_updated = self._source_fields(item)["tk_updated"] or current.tk_updated
        if "status" in changes:
            old_deadline = current.due_date
            if rules.apply_standard_deadline(current):
                changes["due_date"] = (old_deadline, current.due_date)
        current.save()
        rest = {k: v for k, v in changes.items() if k != "status"}
        if "status" in changes:
            # The workflow's transition event; no e-mail to followers (history.py says why).
            events.append(
                history.build(
                    history.transition(
                        current,
                        from_status=changes["status"][0],
                        to_status=item.status,
                        evidence_title=item.letter or "",
                        note=note,
                        at=now,
                    )
                )
            )
        elif item.letter:
            last = (
                current.events.filter(to_status=Status.FULFILLED).exclude(evidence_title="").order_by("at", "pk").last()
            )
            if last is None or last.evidence_title != item.letter:
                self.report.warnings.append(
                    f"{item.number}: kamerbriefNakoming “{item.letter}” wijkt af van de historiek; niet overgenomen "
                    "(de historiek wordt niet herschreven)."
                )
        if rest:
            events.append(history.build(history.edited(current, changes=rest, note=note, at=now)))
        return events

    def _standard_deadline(self, commitment: Commitment, item: _Item) -> None:
        """A new pending commitment gets the standard term from its creation date (open data names no sitting)."""
        if item.due_on is not None:
            commitment.due_date = item.due_on
            return
        start = timezone.localtime(item.created).date() if item.created else self.today
        rules.apply_standard_deadline(commitment, session_date=start)

    def _links(self, existing: dict[str, Commitment], created: dict[str, Commitment]) -> None:
        known = {**existing, **created}
        by_guid: dict[str, str] | None = None
        wanted = []
        for item in self.items:
            source = known.get(item.number)
            if source is None or item.number in self.locked:
                continue
            for kind, reference, guid in item.links:
                target_ref = reference
                if target_ref is None and guid:
                    if by_guid is None:
                        by_guid = {
                            entity_id("toezegging", r): r
                            for r in Commitment.objects.values_list("reference", flat=True)
                        }
                        by_guid.update({entity_id("toezegging", r): r for r in created})
                    target_ref = by_guid.get(guid)
                wanted.append((item, source, kind, target_ref or guid))
        targets = {
            c.reference: c
            for c in Commitment.objects.filter(reference__in=[t for *_, t in wanted if t and t not in known])
        }
        targets.update(known)
        present = set(
            CommitmentLink.objects.filter(source__in=[s for _, s, *_ in wanted]).values_list(
                "source_id", "kind", "target_id"
            )
        )
        links = []
        for item, source, kind, target_ref in wanted:
            target = targets.get(target_ref)
            if target is None:
                self.report.warnings.append(
                    f"{item.number}: relatie {LINK_ELEMENTS[kind]} naar “{target_ref}” overgeslagen: die toezegging "
                    "staat niet in het register."
                )
                continue
            if target.pk == source.pk or (source.pk, kind, target.pk) in present:
                continue
            present.add((source.pk, kind, target.pk))
            links.append(CommitmentLink(source=source, kind=kind, target=target))
            if item.number not in self.report.created and item.number not in self.report.updated:
                self.report.unchanged.remove(item.number)
                self.report.updated.append(item.number)
        CommitmentLink.objects.bulk_create(links, batch_size=BATCH_SIZE)
        self.report.links_created = len(links)


class _PersonMatcher:
    """Finds the person open data refers to: by the open-data id first, then by name (accents and case
    ignored), else creates one. A name never joins two ids: a same-named person with another id is someone else."""

    def __init__(self, report: OpendataReport):
        self.report = report
        self.by_name: dict[str, list[Person]] = {}
        self.by_id: dict[str, Person] = {}
        self._own_ids: dict[str, Person] | None = None
        for person in Person.objects.order_by("pk").only("pk", "full_name", "slug", "surname", "tk_id"):
            self.by_name.setdefault(fold_name(person.full_name), []).append(person)
            if person.tk_id:
                self.by_id[person.tk_id] = person
        self.slugs = set(Person.objects.values_list("slug", flat=True))

    def _by_own_id(self, ref: str) -> Person | None:
        # Our own export names a person by a uuid5 of the slug (see the mapping above).
        if self._own_ids is None:
            self._own_ids = {entity_id("persoon", p.slug): p for ps in self.by_name.values() for p in ps}
        return self._own_ids.get(ref)

    def resolve(
        self, name: str | None, surname: str | None, *, party: str | None = None, tk_id: str = "", receiver=False
    ) -> Person | None:
        if tk_id:
            person = self.by_id.get(tk_id) or self._by_own_id(tk_id)
            if person is not None:
                return person
        if not name:
            return None
        for person in self.by_name.get(fold_name(name), []):
            if not tk_id:
                return person
            if not person.tk_id:
                person.tk_id = tk_id
                person.save(update_fields=["tk_id"])
                self.by_id[tk_id] = person
                return person
        return self._create(name, surname, party=party, tk_id=tk_id, receiver=receiver)

    def _create(self, name: str, surname: str | None, *, party, tk_id: str, receiver: bool) -> Person:
        base = slugify(name)[:140] or "persoon"
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        if not surname:
            surname = surname_from_name(name) if receiver else name.split()[-1]
        person = Person.objects.create(
            full_name=name, surname=surname[:150], party=(party or "")[:100], slug=slug, tk_id=tk_id
        )
        self.slugs.add(slug)
        self.by_name.setdefault(fold_name(name), []).append(person)
        if tk_id:
            self.by_id[tk_id] = person
        self.report.persons_created.append(name)
        return person


def _promiser_name(el) -> tuple[str | None, str | None]:
    """Full name and surname of the promiser. The surname keeps its particles ("De Smet"); the full name is
    `naam` as published, or composed from the parts (titulatuur, initialen, tussenvoegsel …) without it."""
    parts = {n: _text(el, n) or "" for n in ("naam", "achternaam", "initialen", "tussenvoegsel", "voornaam")}
    surname = " ".join(p for p in (parts["tussenvoegsel"], parts["achternaam"]) if p)
    surname = surname[:1].upper() + surname[1:]
    name = parts["naam"] or " ".join(
        p for p in (parts["initialen"] or parts["voornaam"], parts["tussenvoegsel"], parts["achternaam"]) if p
    )
    return name or None, surname or None


def surname_from_name(name: str) -> str:
    """The surname in a full name: from its first particle on ("J. de Smet" → "De Smet"), else the last word."""
    words = name.split()
    for i, word in enumerate(words):
        if word.casefold() in _PARTICLES:
            rest = " ".join(words[i:])
            return rest[:1].upper() + rest[1:]
    return words[-1] if words else name


@functools.cache
def _max_lengths() -> dict[str, int]:
    return {f.name: f.max_length for f in Commitment._meta.fields if getattr(f, "max_length", None)}


def _short(text: str) -> str:
    return text.replace(f"{{{TK_NS}}}", "tk:")


def opendata_import(
    *, data: bytes, filename: str, dry_run: bool = False, by=None, overwrite: bool = False, strict: bool | None = None
) -> OpendataReport:
    """Import `toezegging` elements (Tweede Kamer open data) from a record file, our export or a SyncFeed page.

    Strict (the default for record files and our export): all valid and written in one transaction, or
    nothing; raises OpendataRefused with every problem found (element, line, field, reason). A SyncFeed
    page is not strict unless asked: an invalid record is refused on its own (report.refused, with its id
    and reason) and the rest of the page is imported. Idempotent by `nummer` (the reference): importing
    the same file again reports every commitment unchanged. Commitments a clerk has edited by hand are
    left alone unless `overwrite` (as for fixtures).
    """
    importer = _Importer(data=data, filename=filename, dry_run=dry_run, overwrite=overwrite, by=by, strict=strict)
    elements = importer.parse()
    if importer.errors:
        importer.refuse()
    importer.validate(elements)
    if importer.errors:
        importer.refuse()
    run_import(importer.write, dry_run=dry_run)
    return importer.report


def _natural(path: Path) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", path.name)]


def opendata_pages(paths: Iterable[str | Path]) -> list[Path]:
    """The files to import, in order: each path as given; a directory stands for its .xml files, sorted
    by name with numbers in numeric order (page2 before page10), as a SyncFeed download names its pages."""
    pages: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            pages.extend(
                sorted((p for p in path.iterdir() if p.suffix.lower() == ".xml" and p.is_file()), key=_natural)
            )
        else:
            pages.append(path)
    return pages


def opendata_import_pages(
    *, pages: Iterable[Path], read=None, dry_run: bool = False, by=None, overwrite: bool = False, strict: bool = False
) -> OpendataReport:
    """Import several files (SyncFeed pages) in order, one report. Strict: every page or nothing. Otherwise
    each page is written on its own; a page refused as a whole (not XML, too large) is reported in
    `refused` and the next pages are still imported, as later pages repeat the records that changed."""
    read = read or read_opendata_file
    pages = list(pages)
    total = OpendataReport(filename=", ".join(str(p) for p in pages), dry_run=dry_run)

    def write_pages():
        for page in pages:
            try:
                with transaction.atomic():
                    report = opendata_import(
                        data=read(str(page)), filename=str(page), by=by, overwrite=overwrite, strict=strict or None
                    )
            except OpendataRefused as exc:
                if strict:
                    raise
                total.refused.extend(str(e) for e in exc.errors)
                continue
            total.merge(report)
        return total

    return run_import(write_pages, dry_run=dry_run)


def read_opendata_file(path: str | Path) -> bytes:
    """The bytes of an open-data file, refused by size before reading."""
    file = Path(path)
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise OpendataRefused([OpendataError(str(path), "bestand niet gevonden.")]) from None
    if file.is_dir():
        raise OpendataRefused([OpendataError(str(path), "dit is een map, geen bestand.")])
    if size > MAX_OPENDATA_BYTES:
        raise OpendataRefused(
            [
                OpendataError(
                    str(path),
                    f"het bestand is te groot ({size:,} bytes); de grens is {MAX_OPENDATA_BYTES:,} bytes "
                    f"({MAX_OPENDATA_BYTES / 2**20:g} MB).".replace(",", "."),
                )
            ]
        )
    return file.read_bytes()
