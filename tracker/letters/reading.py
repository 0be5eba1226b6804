"""A minister's letter as clerks get it: text, a saved web page, a PDF or official kamerstuk XML (``kst-…``).

Pure Python, no Django: bytes in, a LetterText (or TranscriptError naming the file and the reason) out.
Text and HTML go through the transcript decoder (encodings, BOM, binary files, size cap), PDF through the
PDF reader, XML through the same hardened parser as the Handelingen (no entities, no network, no DTD).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tracker.extraction.decode import TranscriptError, decode_transcript
from tracker.extraction.sources.pdf import read_pdf
from tracker.extraction.sources.xml import local, parse_xml, text_of, xml_root_name

from .matching import letter_dates

__all__ = ["LetterText", "TranscriptError", "read_letter"]

KAMERSTUK_ROOTS = frozenset({"officiele-publicatie", "kamerstuk"})
_BLOCK_TAGS = frozenset({"al", "tussenkop", "kop", "li", "titel"})
_SKIPPED = frozenset({"metadata", "meta", "nr", "noot"})
# "De Minister van Financiën," or "De Staatssecretaris van …," opens the signature; the name follows.
# Belgian and Flemish letters put a word between ("De Vlaamse minister van Werk, …", "De federale minister").
_SIGNATURE = re.compile(
    r"^\s*(De\s+(?:[A-Za-z]+\s+)?(?:[Mm]inister|[Ss]taatssecretaris)\b[^\n]{0,150})\n+\s*([^\n]{2,80})\s*$", re.M
)
# The letter's own date stands on a line of its own ("Datum 2 mei 2023", "Den Haag, 2 mei 2023", "Brussel,
# 15 januari 2027"): at most a place before it; a date inside a sentence is usually the sitting's, so it is
# not taken for the letter's.
_DATE_LINE = re.compile(
    r"^\s*(?:(?i:datum):?\s*|'s-(?i:gravenhage),?\s*|[A-Z][\w'’-]*(?:\s[A-Za-z][\w'’-]*){0,2},\s*)?"
    r"(\d{1,2}\s+[a-z]+\s+(?:19|20)\d\d)\s*$",
    re.M,
)
_NUMBER = re.compile(r"\b(\d{5})(?:-([A-Z]{1,3}|\d{1,3}))?,\s*nr\.\s*(\d{1,4})\b")
MAX_BYTES = 5_000_000
MAX_PDF_BYTES = 20_000_000


@dataclass
class LetterText:
    text: str
    title: str = ""
    number: str = ""
    date: date | None = None
    sender: str = ""
    warnings: list[str] = field(default_factory=list)


def read_letter(data: bytes, *, filename: str, max_bytes: int = MAX_BYTES) -> LetterText:
    """The letter in `data`, its metadata where the file carries it; TranscriptError when unreadable."""
    if not bytes(data[:1024]).strip():
        raise TranscriptError(f"{filename} is leeg.")
    if bytes(data[:1024]).lstrip().startswith(b"%PDF"):
        if len(data) > MAX_PDF_BYTES:
            raise TranscriptError(f"{filename} is te groot: {len(data)} bytes, maximaal {MAX_PDF_BYTES}.")
        text, warnings = read_pdf(bytes(data), filename=filename)
        return _from_text(text, warnings)
    if xml_root_name(bytes(data)) in KAMERSTUK_ROOTS:
        if len(data) > max_bytes:
            raise TranscriptError(f"{filename} is te groot: {len(data)} bytes, maximaal {max_bytes}.")
        return _from_xml(bytes(data), filename)
    text, warnings = decode_transcript(data, filename=filename, max_bytes=max_bytes)
    return _from_text(text, warnings)


def _from_text(text: str, warnings: list[str]) -> LetterText:
    """Title, number, date and signature guessed from a plain text: its first line, a kamerstuk number
    ('31 322, nr. 123' is written '31322, nr. 123' once spaces are gone), a date on a line of its own, the
    signature."""
    text = text.strip()
    if not text:
        raise TranscriptError("De brief bevat geen tekst.")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    number = _NUMBER.search(re.sub(r"(\d{2}) (\d{3})", r"\1\2", text[:3000]))
    dates = letter_dates("\n".join(_DATE_LINE.findall(text[:3000])), letter_date=None)
    return LetterText(
        text=text,
        title=first[:500],
        number=_number_text(number.group(1), number.group(2), number.group(3)) if number else "",
        date=dates[0] if dates else None,
        sender=_signature(text),
        warnings=list(warnings),
    )


def _number_text(dossier: str, part: str | None, nr: str) -> str:
    return f"kamerstuk {dossier}{'-' + part if part else ''}, nr. {nr}"


def _signature(text: str) -> str:
    found = list(_SIGNATURE.finditer(text[-1500:]))
    if not found:
        return ""
    head, name = found[-1].group(1), found[-1].group(2)
    return f"{head.rstrip(', ')}, {name.strip()}"[:255]


def _meta(root) -> dict[str, str]:
    found: dict[str, str] = {}
    for element in root.iter("{*}meta", "meta"):
        name, content = element.get("name"), element.get("content")
        if name and content and name not in found:
            found[name] = content.strip()
    return found


def _first(root, tag: str) -> str:
    for element in root.iter(f"{{*}}{tag}", tag):
        text = text_of(element)
        if text:
            return text
    return ""


def _blocks(element, out: list[str]) -> None:
    for child in element:
        tag = local(child.tag)
        if not tag or tag in _SKIPPED:
            continue
        if tag in _BLOCK_TAGS:
            text = text_of(child)
            if text:
                out.append(text)
        else:
            _blocks(child, out)


def _from_xml(data: bytes, filename: str) -> LetterText:
    root = parse_xml(data, filename=filename, what="kamerstuk-XML")
    meta = _meta(root)
    blocks: list[str] = []
    _blocks(root, blocks)
    text = "\n\n".join(blocks).strip()
    if not text:
        raise TranscriptError(f"{filename}: kamerstuk-XML zonder tekst (geen <al>); niets in te lezen.")
    dossier = meta.get("OVERHEIDop.dossiernummer") or _first(root, "dossiernr")
    nr = meta.get("OVERHEIDop.ondernummer") or _first(root, "ondernummer")
    number = f"kamerstuk {dossier.split(';')[0].strip()}, nr. {nr}" if dossier and nr else ""
    signed = _first(root, "ondertekening")
    raw_date = meta.get("OVERHEIDop.datumOndertekening") or meta.get("DCTERMS.issued") or meta.get("DC.date", "")
    try:
        day = date.fromisoformat(raw_date[:10]) if raw_date else None
    except ValueError:
        day = None
    title = meta.get("DC.title") or _first(root, "titel")
    fallback = _from_text(text, [])
    return LetterText(
        text=text,
        title=title[:500],
        number=number or fallback.number,
        date=day or fallback.date,
        sender=(signed or fallback.sender)[:255],
        warnings=[f"{filename}: kamerstuk-XML herkend ({len(blocks)} alinea's)."],
    )
