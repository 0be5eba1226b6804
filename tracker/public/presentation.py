"""Small display helpers shared by the clerks' screens and the public pages."""

import re
from typing import NamedTuple

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# What XML 1.0, iCalendar (RFC 5545) and spreadsheets refuse or choke on: C0 control characters but tab and
# newline, DEL, and the noncharacters U+FFFE/U+FFFF. Text pasted from PDFs brings form feeds and the like.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def _replace_control(match: re.Match) -> str:
    # A line or page break (CR, form feed, vertical tab, the file/group/record/unit separators) separated
    # words: keep a space, or the words would run together. The rest carries nothing readable.
    return " " if match.group().isspace() else ""


def clean_text(text: str) -> str:
    """The text without control characters (tab and newline kept); CR LF and CR become a newline."""
    if not text or not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_replace_control, text.replace("\r\n", "\n").replace("\r", "\n"))


def quote_in_context(text: str, quote: str, *, sentences: int = 2) -> SafeString:
    """The quote highlighted with <mark>, with a few sentences of its speech on either side."""
    # The quote was cleaned of control characters when it was stored; the speech, imported in bulk, may not be.
    text, quote = clean_text(text), clean_text(quote)
    start = text.find(quote) if quote else -1
    if start < 0:
        return format_html("<mark>{}</mark>", quote)
    end = start + len(quote)
    before_bounds = [m.end() for m in _SENTENCE_END.finditer(text, 0, start)]
    after_bounds = [m.start() for m in _SENTENCE_END.finditer(text, end)]
    left = before_bounds[-sentences] if len(before_bounds) >= sentences else 0
    right = after_bounds[sentences - 1] if len(after_bounds) >= sentences else len(text)
    parts = [
        "… " if left > 0 else "",
        escape(text[left:start]),
        "<mark>",
        escape(quote),
        "</mark>",
        escape(text[end:right]),
        " …" if right < len(text) else "",
    ]
    return mark_safe("".join(parts).replace("\n\n", "<br><br>"))  # noqa: S308 - every piece is escaped above


class Span(NamedTuple):
    start: int
    end: int
    label: str = ""
    url: str = ""


def highlight(text: str, spans) -> SafeString:
    """The text with each span wrapped in <mark>, linked when it has a URL. Spans (sorted by start) that
    overlap, such as two commitments with the same words, share one <mark> with a link for each, so
    every commitment can be found where it was said."""
    out, pos, spans, i = [], 0, list(spans), 0
    while i < len(spans):
        group, end = [spans[i]], spans[i].end
        i += 1
        while i < len(spans) and spans[i].start < end:
            group.append(spans[i])
            end = max(end, spans[i].end)
            i += 1
        start = max(group[0].start, pos)
        inner = escape(text[start:end])
        linked = [s for s in group if getattr(s, "url", "")]
        for n, span in enumerate(linked):
            ref = f'<span class="tz-ref">[{escape(span.label)}]</span>'
            link = f'<a href="{escape(span.url)}" id="{escape(span.label)}">'
            inner = f"{link}{inner} {ref}</a>" if n == 0 else f"{inner} {link}{ref}</a>"
        out += [escape(text[pos:start]), "<mark>", inner, "</mark>"]
        pos = max(pos, end)
    out.append(escape(text[pos:]))
    return mark_safe("".join(out).replace("\n\n", "<br><br>"))  # noqa: S308 - every piece is escaped above


def status_chart(rows: list[tuple[str, int]], *, width: int = 240) -> dict:
    """Bars for a small server-rendered SVG chart (no script, fits a strict CSP)."""
    biggest = max([n for _, n in rows] + [1])
    bars = [
        {"label": label, "count": n, "width": round(width * n / biggest), "y": 22 * i, "class": f"tz-bar-{i}"}
        for i, (label, n) in enumerate(rows)
    ]
    return {"bars": bars, "height": 22 * len(rows), "total": sum(n for _, n in rows)}
