"""Official Handelingen XML of the Tweede and Eerste Kamer (officielebekendmakingen ``h-tk-…``, ``h-ek-…``).

The XML carries the structure the printed Handelingen show: agenda items (``<agendapunt>`` or
``<item>`` with a title), speaking turns (``<spreekbeurt>``) opened by a ``<spreker>`` whose text is
the printed label ("De heer <naam>Wörsdörfer</naam> (<politiek>VVD</politiek>):", "Staatssecretaris
Keijzer:", "De voorzitter:") and paragraphs ``<al>``. It is written out in the Handelingen layout the
parser reads: the label alone on its line, paragraphs separated by blank lines, every agenda item
under an "AGENDAPUNT <titel>" heading.
"""

from __future__ import annotations

import re

from lxml import etree

from ..decode import TranscriptError
from .xml import local, parse_xml, text_of

__all__ = ["HANDELINGEN_ROOTS", "read_handelingen"]

HANDELINGEN_ROOTS = frozenset({"officiele-publicatie", "handelingen"})
_ITEM_TAGS = frozenset({"agendapunt", "item"})
_TITLE_TAGS = frozenset({"item-titel", "titel"})
_SKIPPED = frozenset({"metadata", "meta", "nr", "vergadering-nummer", "vergadertijd"})
# Text directly under an agenda item, outside any speaking turn, is the chair's: the Handelingen
# print the chair's short interjections ("Gaat u verder.") without repeating the label.
_CHAIR = "De voorzitter:"


_SPACE_BEFORE = re.compile(r"\s+([:),])")
_SPACE_AFTER = re.compile(r"([(])\s+")


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.want: str | None = None  # the label the next paragraph belongs to
        self.current: str | None = None  # the label last written
        self.items = 0
        self.turns = 0

    def paragraph(self, text: str) -> None:
        if not text:
            return
        if self.want is not None and self.want != self.current:
            self.blocks.append(self.want)
            self.current = self.want
        self.blocks.append(text)

    def heading(self, title: str) -> None:
        self.items += 1
        self.blocks.append(f"AGENDAPUNT {title}" if title else "AGENDAPUNT")
        self.want = self.current = None

    def walk(self, element: etree._Element) -> None:
        for child in element:
            tag = local(child.tag)
            if not tag or tag in _SKIPPED:
                continue
            if tag in _ITEM_TAGS:
                self.item(child)
            elif tag == "vergaderdatum":
                self.blocks.append(text_of(child))
            elif tag == "spreekbeurt":
                self.turn(child)
            elif tag == "spreker":
                # A label inside a turn's text (the chair numbering a motion in <motie-info>).
                self.want = _label(child)
            elif tag == "motie-info":
                saved = self.want
                self.walk(child)
                self.want = saved
            elif tag in ("al", "titel"):
                self.paragraph(text_of(child))
            else:
                self.walk(child)

    def item(self, element: etree._Element) -> None:
        title = next((text_of(child) for child in element if local(child.tag) in _TITLE_TAGS), "")
        self.heading(title)
        for child in element:
            tag = local(child.tag)
            if tag in _TITLE_TAGS or not tag or tag in _SKIPPED:
                continue
            if tag == "tekst":
                self.want = _CHAIR
                self.walk(child)
            elif tag == "onderwerp":
                # "Aan de orde is het VAO …": the clerk's line under the title, no one's speech; the
                # dash marks it as an editorial remark, as the printed reports do.
                for line in child.iter("{*}al"):
                    self.blocks.append(f"– {text_of(line)}")
            else:
                self.walk(etree_wrap(child))

    def turn(self, element: etree._Element) -> None:
        speaker = next((child for child in element if local(child.tag) == "spreker"), None)
        self.turns += 1
        self.want = _label(speaker) if speaker is not None else _CHAIR
        for child in element:
            if child is not speaker:
                self.walk(etree_wrap(child))


def etree_wrap(element: etree._Element) -> list[etree._Element]:
    """A one-element list, so walk() treats the element itself as a child."""
    return [element]


def _label(speaker: etree._Element) -> str:
    # "De heer <naam>X</naam> (<politiek>VVD</politiek>):" leaves spaces where the markup was.
    label = _SPACE_BEFORE.sub(r"\1", _SPACE_AFTER.sub(r"\1", text_of(speaker))).strip()
    return label if label.endswith(":") else f"{label}:"


def read_handelingen(data: bytes, *, filename: str) -> tuple[str, list[str]]:
    """Text in the Handelingen layout and the warnings for it, or TranscriptError."""
    root = parse_xml(data, filename=filename, what="Handelingen-XML")
    writer = _Writer()
    writer.walk([root])
    if not writer.turns:
        raise TranscriptError(f"{filename}: Handelingen-XML zonder sprekers (geen <spreekbeurt>); niets in te lezen.")
    text = "\n\n".join(writer.blocks) + "\n"
    warning = (
        f"{filename}: Officiële Handelingen-XML herkend: {writer.items} agendapunt(en), {writer.turns} spreekbeurten."
    )
    return text, [warning]
