"""The one person matcher of the imports: which person of the register a name (and perhaps an
open-data id) from a transcript, a spreadsheet or open data means, creating the person when none is.

The rules, in order:

1. An external id (Person.tk_id, the Tweede Kamer's open-data id) decides first.
2. Then the name, folded (names.fold_name: case, accents and spacing ignored, word boundaries kept):
   the person whose full name is that name; else, when either name is a bare surname, the one person
   of that surname. Stricter than names.same_name on purpose: that one asks whether two labels in ONE
   sitting can name one speaker (an initial or a missing given name may match); this one decides
   identity across the whole register and all years, where a lenient match would silently merge two
   people of the same surname.
3. A name never joins two ids: a same-named person who has another id is someone else.
4. More than one candidate: nobody is chosen (the caller is told, see `ambiguous`).
5. Nobody: a new person, whose surname keeps its tussenvoegsel ("J. de Smet" → "De Smet").
"""

from __future__ import annotations

from django.utils.text import slugify

from tracker.extraction.names import fold_name, surname_of
from tracker.models import Honorific, Person

# The name parts a person may carry besides full name and surname (Person's fields).
NAME_PARTS = ("initials", "first_name", "suffix", "title")


def surname_for(name: str) -> str:
    """The surname a new person gets from a full name: its particles kept, capitalised as a surname
    standing alone is ("J. de Smet" → "De Smet")."""
    surname = surname_of(name) or name
    return surname[:1].upper() + surname[1:]


class PersonMatcher:
    """Matches names (and ids) to the register's persons, loaded once; creates the ones it lacks.

    With create=False nothing is saved: the persons it would create are kept in memory only, so a
    count before writing matches names exactly as the import will. Subclasses hear of what happened
    through `matched`, `created` and `ambiguous`."""

    def __init__(self, *, create: bool = True):
        self.create = create
        self.by_surname: dict[str, list[Person]] = {}
        self.by_name: dict[str, list[Person]] = {}
        self.by_id: dict[str, Person] = {}
        self.slugs: set[str] = set()
        fields = ("id", "full_name", "surname", "slug", "honorific", "party", "tk_id", *NAME_PARTS)
        for person in Person.objects.order_by("pk").only(*fields):
            self._add(person)

    def _add(self, person: Person) -> None:
        self.by_surname.setdefault(fold_name(person.surname or person.full_name), []).append(person)
        self.by_name.setdefault(fold_name(person.full_name), []).append(person)
        if person.tk_id:
            self.by_id[person.tk_id] = person
        if person.slug:
            self.slugs.add(person.slug)

    # -- hooks ---------------------------------------------------------------------------------------

    def matched(self, person: Person) -> None:
        """A name was matched to a person already in the register."""

    def created(self, person: Person) -> None:
        """A new person was made (saved unless create=False)."""

    def ambiguous(self, name: str, persons: list[Person]) -> None:
        """A name fits several persons; none was chosen."""

    def by_other_id(self, tk_id: str) -> Person | None:
        """A person some other kind of id names (open data: our own export's ids)."""
        return None

    # -- matching ------------------------------------------------------------------------------------

    def candidates(self, name: str, surname: str = "") -> list[Person]:
        """The persons a name can mean (rule 2)."""
        key = fold_name(name)
        exact = self.by_name.get(key, [])
        if exact:
            return list(exact)
        bare = fold_name(surname or surname_of(name) or name)
        return [p for p in self.by_surname.get(bare, []) if fold_name(p.full_name) == bare or key == bare]

    def resolve(
        self,
        *,
        name: str | None,
        surname: str | None = "",
        tk_id: str = "",
        honorific: str | None = None,
        party: str | None = None,
        parts: dict[str, str] | None = None,
    ) -> Person | None:
        """The person meant (rules 1–5), or None for no name or an ambiguous one."""
        if tk_id:
            person = self.by_id.get(tk_id) or self.by_other_id(tk_id)
            if person is not None:
                return person
        if not name:
            return None
        found = self.candidates(name, surname or "")
        if tk_id:
            found = [p for p in found if not p.tk_id][:1]  # rule 3; the first free one takes the id
        if len(found) > 1:
            self.ambiguous(name, found)
            return None
        if found:
            person = found[0]
            if tk_id:
                self._adopt_id(person, tk_id)
            self.matched(person)
            return person
        return self._new(name, surname or surname_for(name), tk_id=tk_id, honorific=honorific, party=party, parts=parts)

    def _adopt_id(self, person: Person, tk_id: str) -> None:
        person.tk_id = tk_id
        if self.create:
            person.save(update_fields=["tk_id"])
        self.by_id[tk_id] = person

    def _new(self, name: str, surname: str, *, tk_id: str, honorific, party, parts) -> Person:
        person = Person(
            full_name=name[:255],
            surname=surname[:150],
            honorific=honorific if honorific in Honorific.values else "",
            party=(party or "")[:100],
            tk_id=tk_id,
            **{part: value for part, value in (parts or {}).items() if value},
        )
        if self.create:
            self.before_create(person)
            person.slug = self._unique_slug(name)
            person.save()
        self._add(person)
        self.created(person)
        return person

    def before_create(self, person: Person) -> None:
        """Called before a new person is saved: a subclass may refuse (raise) here."""

    def _unique_slug(self, name: str) -> str:
        base = slugify(name)[:140] or "persoon"
        slug, n = base, 1
        while slug in self.slugs:
            n += 1
            slug = f"{base}-{n}"
        return slug


def fill_name_parts(person: Person, parts: dict[str, str]) -> list[str]:
    """Give a matched person the name parts a source states and the register lacks. A part the
    person already has with another value is left as it is (a clerk may have corrected it): returned,
    so the import can say it was not kept."""
    missing, differing = [], []
    for part, value in parts.items():
        current = getattr(person, part)
        if not value or current == value:
            continue
        if current:
            differing.append(part)
        else:
            setattr(person, part, value)
            missing.append(part)
    if missing and person.pk:
        person.save(update_fields=missing)
    return differing
