"""Names: how two written names compare, and folding them for comparison. The one place that decides
when two spellings are "the same".

Two foldings, kept apart on purpose:

- ``fold_key``: case, accents, spaces and punctuation all dropped ("De Meyer" = "Demeyer" =
  "de-meyer"). For comparing one surname or a vocative inside a transcript, where the
  stenographer's spacing and hyphens vary from line to line.
- ``fold_name``: case and accents dropped, runs of whitespace collapsed, but word boundaries and
  punctuation kept ("Van Dijk" ≠ "Vandijk"). For looking a full name up in the register, where
  two spellings that only differ in spacing may be two different people.

And the parts of a written name: ``surname_of`` (the surname keeps its tussenvoegsel: "Elke Van den
Brandt" → "Van den Brandt"), ``given_names`` and ``same_name`` (whether two names can be one person:
same surname, and given names that do not disagree, an initial matching any given name with that
letter). Honorifics and functions ("De heer", "Minister") are not part of a name: the parser's label
analysis takes them off before asking.

Pure Python, no Django: used by extraction and by the importers (tracker.exchange.persons) alike.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["PARTICLES", "fold_key", "fold_name", "given_names", "is_initials", "is_particle", "same_name", "surname_of"]

# Particles that belong to a Dutch or Flemish surname ("De Smet", "van der Molen", "Faber-van de Klashorst").
PARTICLES = frozenset((
    "van", "von", "de", "den", "der", "des", "du", "di", "da", "del", "della", "la", "le", "ten", "ter", "te",
    "'t", "’t", "t'", "vande", "vanden", "vander", "d'", "d’", "op", "in", "het", "zu",
))  # fmt: skip
_INITIALS = re.compile(r"(?:[^\W\d_]\.){1,5}")


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


def is_particle(token: str) -> bool:
    lowered = token.lower()
    if lowered in PARTICLES:
        return True
    # "Faber-van de Klashorst": a token ending in "-van" starts the surname.
    head, dash, particle = lowered.rpartition("-")
    return bool(dash and head and particle in PARTICLES)


def is_initials(token: str) -> bool:
    """'J.' or 'J.P.': initials, which match any given name with those letters."""
    return _INITIALS.fullmatch(token) is not None


def surname_of(name: str) -> str:
    """The surname in a full name, with its particles, as written: 'J. de Smet' → 'de Smet'."""
    tokens = name.split()
    if not tokens:
        return ""
    start = len(tokens) - 1
    while start > 0 and is_particle(tokens[start - 1]):
        start -= 1
    return " ".join(tokens[start:])


def given_names(name: str, surname: str = "") -> list[str]:
    """What precedes the surname: 'Jan Peter de Smet' → ['Jan', 'Peter']."""
    surname = surname or surname_of(name)
    return name[: len(name) - len(surname)].split()


def same_name(name_a: str, name_b: str, *, surname_a: str = "", surname_b: str = "") -> bool:
    """Whether two names can name the same person: equal surnames, ignoring case, accents and spacing.

    Given names only count against a match when both names print one and they differ ("Hilde Crevits"
    vs "Jan Crevits"); an initial matches any given name with that letter ("K. Daniëls" = "Koen
    Daniels"). A bare surname matches every name with that surname: this says who *can* be meant, and
    is lenient on purpose; deciding identity across the register is tracker.exchange.persons' job."""
    surname_a = surname_a or surname_of(name_a)
    surname_b = surname_b or surname_of(name_b)
    if not surname_a or not surname_b or fold_key(surname_a) != fold_key(surname_b):
        return False
    given_a, given_b = given_names(name_a, surname_a), given_names(name_b, surname_b)
    if not given_a or not given_b:
        return True
    first_a, first_b = fold_key(given_a[0]), fold_key(given_b[0])
    if not first_a or not first_b:
        return True
    if is_initials(given_a[0]) or is_initials(given_b[0]):
        return first_a[0] == first_b[0]
    return first_a == first_b
