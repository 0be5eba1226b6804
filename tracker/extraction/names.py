"""Folding names for comparison: the one place that decides when two spellings are "the same".

Two meanings, kept apart on purpose:

- ``fold_key``: case, accents, spaces and punctuation all dropped ("De Meyer" = "Demeyer" =
  "de-meyer"). For comparing one surname or a vocative inside a transcript, where the
  stenographer's spacing and hyphens vary from line to line.
- ``fold_name``: case and accents dropped, runs of whitespace collapsed, but word boundaries and
  punctuation kept ("Van Dijk" ≠ "Vandijk"). For looking a full name up in the register, where
  two spellings that only differ in spacing may be two different people.

Pure Python, no Django: used by extraction and by the importers alike.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["fold_key", "fold_name"]


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=4096)  # the detector folds the same few surnames for every sentence
def fold_key(text: str) -> str:
    """Case- and accent-free letters and digits only: 'Van den Brandt' → 'vandenbrandt'."""
    return "".join(char for char in _strip_accents(text).casefold() if char.isalnum())


def fold_name(text: str) -> str:
    """Case- and accent-free, whitespace collapsed: '  Nadia  Sminaté ' → 'nadia sminate'."""
    return " ".join(_strip_accents(text).casefold().split())
