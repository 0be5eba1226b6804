"""Reading: the file, a record file, our export or a SyncFeed page, checked once as a stream (syntax,
DOCTYPE, what the root holds, the limits) and then handed out one toezegging at a time, so memory does
not grow with the file."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from .common import TK_NS, atom, limit, number, short, tk
from .report import OpendataError, OpendataRefused, Problems


def too_large(size: int, *, more_than: bool = False) -> str:
    """Why a file over the size limit is refused, with the limit in bytes and in MB."""
    most = limit("MAX_OPENDATA_BYTES")
    values = {"size": number(size), "limit": number(most), "mb": f"{most / 2**20:g}"}
    if more_than:
        return _("the file is too large (more than %(size)s bytes); the limit is %(limit)s bytes (%(mb)s MB).") % values
    return _("the file is too large (%(size)s bytes); the limit is %(limit)s bytes (%(mb)s MB).") % values


def _forget(el) -> None:
    """Drop a finished child of the root, and the ones before it, from the tree being built."""
    el.clear(keep_tail=False)
    parent = el.getparent()
    while el.getprevious() is not None:
        del parent[0]


class Reader(Problems):
    """Streams one file's toezegging elements. Sets `feed` (a SyncFeed page) and `stamps` (id and
    bijgewerkt of each record on a feed page, seen while surveying)."""

    data: bytes

    def parse(self) -> Iterator:
        """The toezegging elements, streamed: the file is read once to check it and then again one
        toezegging at a time."""
        if len(self.data) > limit("MAX_OPENDATA_BYTES"):
            self.error(too_large(len(self.data)))
            self.refuse()
        if not self.data.strip():
            self.error(_("the file is empty; expected XML with toezegging elements."))
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
        self.forget_errors()
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
                    root, single = el.tag, el.tag == tk("toezegging")
                    self.feed = el.tag == atom("feed")
                    if el.getroottree().docinfo.doctype:
                        self._refuse_only(_("a DOCTYPE declaration is not allowed."), line=1)
                    record, found, inside = (el.tag, el.sourceline), single, 1
                    continue
                if depth == 2 and not single:
                    children, inside, record = children + 1, 0, (el.tag, el.sourceline)
                    found = self._survey_child(el, count=children, root=root) or found
                elif depth == 4 and self.feed and el.getparent().tag == atom("content"):
                    found = self._survey_content(el) or found
                inside += 1
                if inside > limit("MAX_ELEMENTS_PER_RECORD"):
                    self._too_many_elements(record)
        except etree.XMLSyntaxError as exc:
            line, column = exc.position if exc.position else (exc.lineno, 0)
            self._refuse_only(
                _("not valid XML at line %(line)s, column %(column)s: %(reason)s")
                % {"line": line, "column": column, "reason": exc.msg},
                line=line,
            )
        if not found and not self.errors:
            self.error(
                _(
                    "no toezegging elements found (the root element is <%(root)s>; expected tk:toezegging in the "
                    "namespace %(ns)s)."
                )
                % {"root": short(root), "ns": TK_NS}
            )
        return single

    def _too_many_elements(self, record) -> None:
        most = number(limit("MAX_ELEMENTS_PER_RECORD"))
        self._refuse_only(
            _("<%(tag)s> holds more than %(limit)s elements; a toezegging may hold at most %(limit)s.")
            % {"tag": short(record[0]), "limit": most},
            line=record[1],
        )

    def _survey_child(self, el, *, count: int, root: str) -> bool:
        """Whether this child of the root is a toezegging; refuses the file past the records limit."""
        most = settings.TRACKER_OPENDATA_MAX_RECORDS
        if count > most:
            self._refuse_only(
                _(
                    "more than %(limit)s elements under <%(root)s>; a file may hold at most %(limit)s toezeggingen "
                    "(setting TRACKER_OPENDATA_MAX_RECORDS)."
                )
                % {"limit": number(most), "root": short(root)},
                line=el.sourceline,
            )
        if el.tag == tk("toezegging"):
            return True
        if self.feed:
            # A SyncFeed page: the feed's own elements (title, link rel="next", …) and one entry per record.
            return False
        self.error(
            _("unexpected element <%(tag)s>; expected only tk:toezegging (namespace %(ns)s).")
            % {"tag": short(el.tag), "ns": TK_NS},
            line=el.sourceline,
        )
        return False

    def _survey_content(self, el) -> bool:
        """An entry's content on a SyncFeed page: a toezegging, or an error naming what it holds instead."""
        if el.tag == tk("toezegging"):
            self.stamps.append((el.get("id") or "", el.get(tk("bijgewerkt")) or ""))
            return True
        self.error(
            _("unexpected element <%(tag)s> in an entry; expected only tk:toezegging (category=Toezegging).")
            % {"tag": short(el.tag)},
            line=el.sourceline,
        )
        return False

    def _records(self, *, single: bool) -> Iterator:
        """The toezegging elements one at a time; each is dropped from the tree once the caller moves on."""
        for _event, el in self._iterparse(events=("end",), tag=tk("toezegging")):
            parent = el.getparent()
            if self.feed:
                entry = parent.getparent() if parent is not None and parent.tag == atom("content") else None
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


def read_opendata_file(path: str | Path) -> bytes:
    """The bytes of an open-data file, refused by size before reading."""
    file = Path(path)
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise OpendataRefused([OpendataError(str(path), _("file not found."))]) from None
    if file.is_dir():
        raise OpendataRefused([OpendataError(str(path), _("this is a directory, not a file."))])
    if size > limit("MAX_OPENDATA_BYTES"):
        raise OpendataRefused([OpendataError(str(path), too_large(size))])
    return file.read_bytes()
