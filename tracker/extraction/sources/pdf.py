"""PDF reports (the Vlaams Parlement publishes its verslagen as PDF): text per page with pypdf.

What a PDF adds to the text is page furniture: a running header and footer on every page ("Vlaams
Parlement – Commissievergadering nr. C123 (2016-2017) – 8 maart 2017", "www.vlaamsparlement.be") and
page numbers, and words hyphenated at line ends. Lines that repeat at the top or bottom of most pages
(digits ignored, so "12" and "13" count as the same footer) and bare page numbers are dropped, and
"toezeg-" + "ging" becomes "toezegging"; the rest goes to the parser as the text of a PDF-era report.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from ..decode import TranscriptError

__all__ = ["read_pdf"]

# How many lines at each end of a page may be header or footer.
_EDGE_LINES = 3
# A line counts as running furniture when it is at an edge of at least this share of the pages.
_REPEAT_SHARE = 0.6
_MIN_REPEAT_PAGES = 2
_PAGE_NUMBER = re.compile(
    r"(?:[-–—]\s*)?(?:(?:blz\.|pagina|p\.)\s*)?\d{1,4}(?:\s*(?:/|van)\s*\d{1,4})?(?:\s*[-–—])?", re.IGNORECASE
)
_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"(?<=[^\W\d_])-$")
_MAX_PAGES = 2000


def _shape(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def _pages(data: bytes, filename: str) -> list[list[str]]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs every repaired cross-reference table; the clerk gets the warnings that matter.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise TranscriptError(f"{filename} is een beveiligde (versleutelde) PDF; sla hem onbeveiligd op.")
        pages = reader.pages
        if len(pages) > _MAX_PAGES:
            raise TranscriptError(f"{filename} heeft {len(pages)} pagina's; maximaal {_MAX_PAGES}.")
        return [(page.extract_text() or "").splitlines() for page in pages]
    except TranscriptError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise TranscriptError(f"{filename} is geen leesbare PDF ({exc}).") from None
    except Exception as exc:  # pypdf raises many kinds on broken files; name the file, never crash
        if "crypt" in str(exc).lower():
            raise TranscriptError(f"{filename} is een beveiligde (versleutelde) PDF; sla hem onbeveiligd op.") from None
        raise TranscriptError(f"{filename} is geen leesbare PDF ({type(exc).__name__}: {exc}).") from None


def _furniture(pages: list[list[str]]) -> set[str]:
    """Shapes of the lines that repeat at the top or bottom of most pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        filled = [line for line in lines if line.strip()]
        edges = {_shape(line) for line in filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]}
        counts.update(edges)
    needed = max(_MIN_REPEAT_PAGES, int(len(pages) * _REPEAT_SHARE + 0.999))
    return {shape for shape, count in counts.items() if count >= needed and shape.strip("# ")}


def _clean_page(lines: list[str], furniture: set[str]) -> tuple[list[str], int]:
    filled = [index for index, line in enumerate(lines) if line.strip()]
    edges = set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:])
    kept: list[str] = []
    dropped = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if index in edges and (_shape(stripped) in furniture or _PAGE_NUMBER.fullmatch(stripped)):
            dropped += 1
            continue
        kept.append(line.rstrip())
    return kept, dropped


def _join_hyphens(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        stripped = line.strip()
        if joined and _HYPHENATED.search(joined[-1]) and stripped[:1].islower():
            head, _, rest = stripped.partition(" ")
            joined[-1] = joined[-1][:-1] + head
            if rest:
                joined.append(rest)
            continue
        joined.append(line)
    return joined


def read_pdf(data: bytes, *, filename: str) -> tuple[str, list[str]]:
    """Text of a PDF report without its page furniture, and the warnings for it; or TranscriptError."""
    pages = _pages(data, filename)
    if not any(line.strip() for lines in pages for line in lines):
        raise TranscriptError(
            f"{filename}: de PDF bevat geen tekst ({len(pages)} pagina's), waarschijnlijk een scan. "
            "Gebruik een PDF met tekst of de tekstversie van het verslag."
        )
    furniture = _furniture(pages) if len(pages) >= _MIN_REPEAT_PAGES else set()
    lines: list[str] = []
    dropped = 0
    for page in pages:
        kept, count = _clean_page(page, furniture)
        dropped += count
        lines.extend(kept)
    text = "\n".join(_join_hyphens(lines)).strip() + "\n"
    warning = f"{filename}: PDF: {len(pages)} pagina's, kop- en voetregels verwijderd ({dropped} regels)."
    return text, [warning]
