"""Turn the bytes of an uploaded transcript into clean text, or refuse them with a clear reason.

Clerks upload whatever their browser saved: UTF-8 with or without BOM, Windows-1252 from old Word
exports, or a whole web page. Everything the parser sees goes through here first, so the parser only
ever deals with ``str`` and ``\\n`` line endings.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from html.parser import HTMLParser

__all__ = ["TranscriptError", "decode_transcript"]


class TranscriptError(ValueError):
    """The input cannot be used as a transcript; the message says which file and why, in Dutch."""


# Magic numbers of the formats clerks most often upload by mistake: naming them helps more than
# "binary file". (A PDF is read, by sources/pdf.py.)
_MAGIC = (
    (b"PK\x03\x04", "een ZIP-archief (bijvoorbeeld een .docx- of .odt-bestand)"),
    (b"\xd0\xcf\x11\xe0", "een oud Office-bestand (.doc)"),
    (b"{\\rtf", "een RTF-bestand"),
    (b"\x89PNG", "een afbeelding (PNG)"),
    (b"\xff\xd8\xff", "een afbeelding (JPEG)"),
)
# Share of control characters above which a text is judged binary; real transcripts have none, but a
# stray one in a short text should not get it refused.
_MAX_CONTROL_SHARE = 0.02
_MIN_CONTROLS = 8
_SAMPLE_CHARS = 100_000
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")

_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:p|div|br|span|a|h[1-6]|li|ul|ol|table|tr|td|th|section|article|header|footer|nav|main|strong|em|b|i)"
    r"(?:\s[^<>]{0,500})?/?>",
    re.IGNORECASE,
)
_MIN_HTML_TAGS = 5
_BLANK_RUNS = re.compile(r"\n{3,}")


def decode_transcript(
    data: bytes,
    *,
    filename: str = "<invoer>",
    max_bytes: int = 5_000_000,
    pdf_max_bytes: int | None = None,
    person_list: bytes | None = None,
) -> tuple[str, list[str]]:
    """Return (text, warnings) for the raw bytes of a transcript, or raise TranscriptError.

    Besides text and web pages, three published forms are recognised by their content and turned
    into a layout the parser reads: official Handelingen XML, ParlaMint TEI (its speakers resolved
    through ``person_list``, the corpus's listPerson file, when given) and PDF reports, which may be
    up to ``pdf_max_bytes`` (a PDF carries fonts and images besides its text).
    """
    size = len(data)
    is_pdf = bytes(data[:1024]).lstrip().startswith(b"%PDF")
    if is_pdf and pdf_max_bytes is not None:
        max_bytes = max(max_bytes, pdf_max_bytes)
    # Refuse oversized input before touching its content, so a huge upload costs nothing.
    if size > max_bytes:
        raise TranscriptError(
            f"{filename} is te groot: {_dutch_int(size)} bytes, terwijl maximaal "
            f"{_dutch_int(max_bytes)} bytes zijn toegestaan."
        )
    data = bytes(data)
    if not data.strip():
        raise TranscriptError(f"{filename} is leeg.")
    published = _read_published(data, filename=filename, is_pdf=is_pdf, person_list=person_list)
    if published is not None:
        return published
    warnings: list[str] = []
    text = _decode_bytes(data, filename, warnings)
    _refuse_binary_text(text, filename)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if _looks_like_html(text):
        text = _html_to_text(text)
        warnings.append(f"{filename}: HTML herkend; de opmaak is verwijderd en alleen de tekst is behouden.")
    if not text.strip():
        raise TranscriptError(f"{filename} is leeg.")
    return text, warnings


def _read_published(
    data: bytes, *, filename: str, is_pdf: bool, person_list: bytes | None
) -> tuple[str, list[str]] | None:
    """(text, warnings) when data is a PDF, Handelingen XML or ParlaMint TEI; None for anything else."""
    # Imported here: the readers raise TranscriptError from this module.
    from .sources import read_handelingen, read_parlamint, read_pdf, xml_root_name
    from .sources.handelingen_xml import HANDELINGEN_ROOTS
    from .sources.parlamint_tei import TEI_ROOTS

    if is_pdf:
        text, warnings = read_pdf(data, filename=filename)
    else:
        root = xml_root_name(data)
        if root in HANDELINGEN_ROOTS:
            text, warnings = read_handelingen(data, filename=filename)
        elif root in TEI_ROOTS:
            text, warnings = read_parlamint(data, filename=filename, person_list=person_list)
        else:
            return None
    # The readers build text from parsed structure; NUL and stray controls cannot survive, but a
    # page of a PDF may still carry them.
    text = "".join(char for char in text if char in _ALLOWED_CONTROLS or unicodedata.category(char) != "Cc")
    if not text.strip():
        raise TranscriptError(f"{filename} is leeg.")
    return text, warnings


def _dutch_int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _decode_bytes(data: bytes, filename: str, warnings: list[str]) -> str:
    # A UTF-16 file is full of NUL bytes, so recognise its BOM before the binary check below.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TranscriptError(f"{filename} is geen geldige UTF-16-tekst (byte {exc.start}).") from exc
        warnings.append(f"{filename}: gelezen als UTF-16.")
        return text
    for magic, description in _MAGIC:
        if data.startswith(magic):
            raise TranscriptError(f"{filename} is {description}, geen tekstbestand. Sla het op als tekst (.txt).")
    if b"\x00" in data:
        raise TranscriptError(f"{filename} lijkt een binair bestand (bevat NUL-tekens), geen tekstbestand.")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        position = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so nothing is lost.
        text = data.decode("latin-1")
    warnings.append(
        f"{filename}: geen geldige UTF-8 (eerste fout bij byte {position}); gelezen als Windows-1252. "
        "Controleer letters met accenten en aanhalingstekens."
    )
    return text


def _refuse_binary_text(text: str, filename: str) -> None:
    sample = text[:_SAMPLE_CHARS]
    controls = sum(
        1
        for char in sample
        if char == "\ufffd" or (char not in _ALLOWED_CONTROLS and unicodedata.category(char) == "Cc")
    )
    if controls > max(_MIN_CONTROLS, _MAX_CONTROL_SHARE * len(sample)):
        raise TranscriptError(
            f"{filename} lijkt een binair bestand ({controls} stuurtekens in de eerste {len(sample)} "
            "tekens), geen tekstbestand."
        )


def _looks_like_html(text: str) -> bool:
    if _HTML_START.match(text[:2000]):
        return True
    # Stop at the first few tags: a long plain text should not be scanned to the end.
    return any(count >= _MIN_HTML_TAGS for count, _ in enumerate(_HTML_TAG.finditer(text), 1))


_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "figcaption", "figure"}
    | {"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p"}
    | {"pre", "section", "table", "tbody", "thead", "tfoot", "tr", "ul", "title"}
)
_DROPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
_INLINE_SPACE = re.compile(r"[ \t\n\f\v]+")


class _TextExtractor(HTMLParser):
    """Collect the visible text; block elements become paragraph breaks, as a browser shows them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropped_depth = 0
        self._pre_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED_TAGS:
            self._dropped_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
            if tag == "pre":
                self._pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/> and <hr/> have no end tag; never count them as opening a dropped element.
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            self._dropped_depth = max(0, self._dropped_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if self._dropped_depth:
            return
        # Outside <pre>, source line breaks are just spaces to a browser.
        self.parts.append(data if self._pre_depth else _INLINE_SPACE.sub(" ", data))


def _html_to_text(html: str) -> str:
    """Visible text of an HTML document: one paragraph per block element, entities unescaped."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (line.strip() for line in "".join(extractor.parts).split("\n"))
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n") + "\n"
