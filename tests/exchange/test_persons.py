"""The one person matcher of the imports: id before name, a name never joins two ids, surnames keep
their tussenvoegsel, and identity across the register is decided strictly (initials alone never merge)."""

import pytest

from tracker.exchange.persons import PersonMatcher, fill_name_parts, surname_for
from tracker.models import Person

pytestmark = pytest.mark.django_db


def person(full_name, surname, **more):
    slug = more.pop("slug", full_name.lower().replace(" ", "-").replace(".", ""))
    return Person.objects.create(full_name=full_name, surname=surname, slug=slug, **more)


class Recording(PersonMatcher):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.heard = []

    def matched(self, p):
        self.heard.append(("matched", p.full_name))

    def created(self, p):
        self.heard.append(("created", p.full_name))

    def ambiguous(self, name, persons):
        self.heard.append(("ambiguous", name, len(persons)))


def test_the_id_beats_the_name():
    by_id = person("Jan de Smet", "De Smet", tk_id="id-1")
    person("Piet Jansen", "Jansen", slug="piet-jansen")
    # The record spells the name otherwise (or names someone else): the id decides.
    assert PersonMatcher().resolve(name="Piet Jansen", tk_id="id-1") == by_id


def test_the_same_name_with_two_ids_stays_two_people():
    first = PersonMatcher().resolve(name="J. de Smet", tk_id="id-1")
    matcher = Recording()
    second = matcher.resolve(name="J. de Smet", tk_id="id-2")
    assert first.pk != second.pk
    assert sorted(Person.objects.values_list("tk_id", flat=True)) == ["id-1", "id-2"]
    assert matcher.heard == [("created", "J. de Smet")]
    # Without an id the name fits both: nobody is chosen, and the caller hears why.
    assert matcher.resolve(name="j. DE smet") is None
    assert matcher.heard[-1] == ("ambiguous", "j. DE smet", 2)


def test_a_known_name_without_an_id_takes_the_id_once():
    known = person("Jan de Smet", "De Smet")
    assert PersonMatcher().resolve(name="Jan de Smet", tk_id="id-9") == known
    known.refresh_from_db()
    assert known.tk_id == "id-9"


def test_case_and_accents_do_not_make_a_new_person():
    known = person("Nadia Sminaté", "Sminaté")
    assert PersonMatcher().resolve(name="nadia SMINATE") == known
    assert Person.objects.count() == 1


def test_initials_alone_do_not_merge_two_people_across_the_register():
    person("Jan de Smet", "De Smet")
    created = PersonMatcher().resolve(name="J. de Smet", surname="De Smet")
    assert created.full_name == "J. de Smet" and Person.objects.count() == 2


def test_a_bare_surname_finds_the_one_person_of_that_surname():
    known = person("Katrien Vandromme", "Vandromme")
    matcher = Recording()
    assert matcher.resolve(name="Vandromme") == known
    assert matcher.heard == [("matched", "Katrien Vandromme")]


def test_a_new_person_keeps_the_tussenvoegsel_in_the_surname():
    created = PersonMatcher().resolve(name="Elke van den Brandt")
    assert (created.full_name, created.surname) == ("Elke van den Brandt", "Van den Brandt")
    assert [surname_for(n) for n in ("J. de Smet", "Faber-van de Klashorst", "Mark Rutte")] == [
        "De Smet",
        "Faber-van de Klashorst",
        "Rutte",
    ]


def test_counting_creates_nothing_but_matches_a_name_once():
    matcher = Recording(create=False)
    first = matcher.resolve(name="Hilde Crevits")
    assert matcher.resolve(name="Hilde Crevits") is first
    assert not Person.objects.exists() and matcher.heard == [("created", "Hilde Crevits"), ("matched", "Hilde Crevits")]


def test_new_name_parts_fill_empty_fields_and_a_clerk_s_value_stays():
    known = person("E. Heinen", "Heinen", first_name="Eelko")
    differing = fill_name_parts(known, {"initials": "E.", "first_name": "Eelco", "title": ""})
    known.refresh_from_db()
    assert (known.initials, known.first_name, known.title) == ("E.", "Eelko", "")
    assert differing == ["first_name"]
