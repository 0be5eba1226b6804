"""Exporting: one schema-valid `tk:toezegging` per public commitment (the mapping is in the package's
docstring)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from django.db import models
from django.db.models import Prefetch
from lxml import etree

from tracker.models import INTERNAL_STATUSES, Commitment, CommitmentEvent, CommitmentLink, Person, Status

from .common import CONTAINER_TAG, LINK_ELEMENTS, STATUS_TO_TK, TK_NS, entity_id, tk

# Characters XML 1.0 cannot carry (PDF transcripts bring form feeds): dropped from exported text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The promiser's name parts beyond naam and achternaam, in the schema's order: element → Person field.
NAME_PARTS = {"initialen": "initials", "voornaam": "first_name", "achtervoegsel": "suffix", "titulatuur": "title"}


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _clean_text(value: str) -> str:
    return _NOT_XML.sub("", value)


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


class _Builder:
    """Appends the children of one toezegging, in the schema's order."""

    def __init__(self, el: etree._Element):
        self.el = el

    def add(self, name: str, text: str | None = None, **attrs) -> etree._Element:
        child = etree.SubElement(self.el, tk(name))
        for key, value in attrs.items():
            child.set(key, value)
        if text is not None:
            child.text = _clean_text(text)
        return child

    def annotated(self, name: str, note: str, **attrs) -> etree._Element:
        child = self.add(name, **attrs)
        etree.SubElement(child, tk("annotatie")).text = _clean_text(note)
        return child


def _toezegging(c: Commitment) -> etree._Element:
    el = etree.Element(tk("toezegging"), nsmap={"tk": TK_NS})
    el.set("id", entity_id("toezegging", c.reference))
    el.set(tk("verwijderd"), "false")
    el.set(tk("bijgewerkt"), _utc(c.updated))
    out = _Builder(el)
    promised_to = list(c.promised_to.all())
    first = promised_to[0] if promised_to else None
    if first is not None and first.party:
        out.annotated("toegezegdAanFractie", first.party, ref=entity_id("fractie", first.party))
    if first is not None:
        out.annotated("toegezegdAanPersoon", first.full_name, ref=entity_id("persoon", first.slug))
    links = list(c.links_out.all())
    for kind, name in LINK_ELEMENTS.items():
        for link in (link for link in links if link.kind == kind):
            ref = out.annotated(name, link.target.reference, ref=entity_id("toezegging", link.target.reference))
            ref.set(tk("bijgewerkt"), _utc(link.target.updated))
    out.add("aanmaakdatum", _utc(c.created))
    out.add("nummer", c.reference)
    _promiser(out, c.promised_by)
    if c.promised_by_function:
        out.add("functie", c.promised_by_function)
    out.add("status", STATUS_TO_TK[c.status])
    # datumNakoming: the day it was fulfilled, or the term of one not fulfilled (README: "datumNakoming").
    # Our standard term is left out: it was not agreed, and an import computes it again.
    nakoming = c.fulfilled_on if c.status == Status.FULFILLED else (None if c.due_is_default else c.due_date)
    if nakoming is not None:
        out.add("datumNakoming", f"{nakoming.isoformat()}T00:00:00")
    if c.status == Status.FULFILLED:
        evidence = [e for e in c.fulfilling_events if e.evidence_title or e.evidence_url]
        if evidence:
            out.add("kamerbriefNakoming", evidence[-1].evidence_title or evidence[-1].evidence_url)
    if c.ministry:
        out.add("ministerie", c.ministry)
    out.add("tekst", c.summary or c.quote)
    return el


def _promiser(out: _Builder, person: Person | None) -> None:
    """naam, achternaam (with its tussenvoegsel, as the register keeps it) and the name parts it holds."""
    if person is None:
        return
    out.add("naam", person.full_name)
    if person.surname:
        out.add("achternaam", person.surname)
    for element, field_name in NAME_PARTS.items():
        if getattr(person, field_name):
            out.add(element, getattr(person, field_name))
