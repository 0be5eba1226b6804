"""Safe XML parsing shared by the readers: the files come from outside."""

from __future__ import annotations

import re

from lxml import etree

from ..decode import TranscriptError

# The first element name after the prolog, comments and a doctype; enough to choose a reader
# without parsing the document twice.
_FIRST_ELEMENT = re.compile(rb"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)[\s/>]")
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*", re.DOTALL)
_SNIFF_BYTES = 4096


def xml_root_name(data: bytes) -> str | None:
    """Local name of the root element when data starts like an XML document, else None."""
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf")
    prolog = _PROLOG.match(head)
    start = prolog.end() if prolog else 0
    match = _FIRST_ELEMENT.match(head, start)
    return match.group(2).decode("ascii", "replace") if match else None


def parse_xml(data: bytes, *, filename: str, what: str) -> etree._Element:
    """The root element, or TranscriptError naming the file, the line and the reason."""
    # No entities, no network, no DTD (as in exchange/opendata/reading.py): a hostile file can neither read local
    # files nor make the server fetch anything.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else exc.lineno
        raise TranscriptError(f"{filename} is geen geldige {what}: regel {line}: {exc.msg}") from None


def local(tag: object) -> str:
    """Tag name without namespace; comments and processing instructions have none."""
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def text_of(element: etree._Element) -> str:
    """All text inside element, whitespace collapsed as a reader sees it."""
    return " ".join("".join(element.itertext()).split())
