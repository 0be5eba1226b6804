"""What every stage of the open-data exchange shares: the namespaces, the stable ids, the mapping of
statuses and links, the container agenda item, and the small helpers for reading one element."""

from __future__ import annotations

import datetime
import functools
import sys
import uuid
from pathlib import Path

from django.utils import timezone
from lxml import etree

from tracker.models import LinkKind, Status

TK_NS = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
ATOM_NS = "http://www.w3.org/2005/Atom"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
SCHEMA_FILE = Path(__file__).resolve().parent.parent / "opendata_schema" / "tkData-v1-0-toezegging.xsd"
CONTAINER_TAG = "toezeggingen"

# Entity ids are uuid5 names in this namespace, so the same commitment always gets the same id.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:toezeggingen:opendata")

STATUS_TO_TK = {
    Status.OPEN: "Openstaand",
    Status.PARTIALLY_FULFILLED: "Deels Voldaan",
    Status.FULFILLED: "Voldaan",
    Status.LAPSED: "Vervallen",
}
TK_TO_STATUS = {label: code for code, label in STATUS_TO_TK.items()}
# Used by the live register, missing from the official schema.
STATUS_ALIASES = {"Afgedaan": "Voldaan", "Deels Afgedaan": "Deels Voldaan"}

LINK_ELEMENTS = {
    LinkKind.REPEATS: "isHerhalingVan",
    LinkKind.SUPPLEMENTS: "isAanvullingOp",
    LinkKind.AMENDS: "isWijzigingVan",
}

# Names of records in the register: they stay Dutch whatever language the clerk reads the admin in.
CONTAINER_COMMITTEE = ("tweede-kamer", "Tweede Kamer")
CONTAINER_SESSION = ("tweede-kamer-opendata", "Toezeggingen uit de open data van de Tweede Kamer")
CONTAINER_QUESTION = (1, "Toezeggingen uit open data")


def limit(name: str) -> int:
    """A limit as the package holds it at this moment: tests and the import command lower
    `opendata.MAX_OPENDATA_BYTES` (and the like) on the package, so the stages read it from there."""
    return getattr(sys.modules["tracker.exchange.opendata"], name)


def entity_id(kind: str, name: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{kind}:{name}"))


@functools.cache
def toezegging_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE)))


def tk(name: str) -> str:
    return f"{{{TK_NS}}}{name}"


def atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def short(text: str) -> str:
    """An element name as a clerk reads it: tk:toezegging, not {http://…}toezegging."""
    return text.replace(f"{{{TK_NS}}}", "tk:")


def number(n: int) -> str:
    """A count written the Dutch way (50.000), as in the messages that quote the limits."""
    return f"{n:,}".replace(",", ".")


def is_nil(el) -> bool:
    return el.get(XSI_NIL) in ("true", "1")


def child(el, name: str):
    found = el.find(tk(name))
    return None if found is None or is_nil(found) else found


def text(el, name: str) -> str | None:
    found = child(el, name)
    if found is None:
        return None
    return (found.text or "").strip()


def annotation(el) -> str | None:
    note = el.find(tk("annotatie"))
    content = "".join(note.itertext()).strip() if note is not None else ""
    return content or None


def parse_datetime(value: str) -> datetime.datetime:
    parsed = datetime.datetime.fromisoformat(value)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
