"""The two name foldings: one drops word boundaries, the other keeps them."""

import pytest

from tracker.extraction.names import fold_key, fold_name, given_names, is_initials, same_name, surname_of


@pytest.mark.parametrize(
    ("a", "b"),
    [("De Meyer", "Demeyer"), ("de-meyer", "DE MEYER"), ("Sminaté", "sminate"), ("Van den Brandt", "vandenbrandt")],
)
def test_fold_key_ignores_case_accents_spacing_and_punctuation(a, b):
    assert fold_key(a) == fold_key(b)


def test_fold_key_keeps_only_letters_and_digits():
    assert fold_key("  Ö. Çelik-Van 2 ") == "ocelikvan2"


def test_fold_name_ignores_case_accents_and_extra_whitespace():
    assert fold_name("  Nadia   Sminaté ") == "nadia sminate"
    assert fold_name("NADIA SMINATE") == fold_name("nadia sminaté")


@pytest.mark.parametrize(("a", "b"), [("Van Dijk", "Vandijk"), ("De Meyer", "De-Meyer")])
def test_fold_name_keeps_word_boundaries_and_punctuation(a, b):
    # Two register entries that differ only in spacing may be two people: fold_name keeps them apart.
    assert fold_name(a) != fold_name(b)
    assert fold_key(a) == fold_key(b)


@pytest.mark.parametrize(
    ("name", "surname"),
    [
        ("Elke Van den Brandt", "Van den Brandt"),
        ("J. de Smet", "de Smet"),
        ("Anja Faber-van de Klashorst", "Faber-van de Klashorst"),
        ("Crevits", "Crevits"),
        ("", ""),
    ],
)
def test_the_surname_keeps_its_tussenvoegsel(name, surname):
    assert surname_of(name) == surname


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("K. Daniëls", "Koen Daniels", True),  # an initial matches a given name with that letter
        ("J.P. de Smet", "Jan de Smet", True),
        ("K. Daniëls", "Jan Daniëls", False),  # an initial that disagrees
        ("Hilde Crevits", "Jan Crevits", False),
        ("Vandromme", "Katrien Vandromme", True),  # a bare surname can be anyone of that name
        ("elke van den brandt", "Elke Van den Brandt", True),  # case and accents
        ("Elke Van den Brandt", "Elke Brandt", False),  # the tussenvoegsel is part of the surname
        ("", "Claes", False),
    ],
)
def test_same_name_compares_surnames_then_given_names(a, b, expected):
    assert same_name(a, b) is expected
    assert same_name(b, a) is expected


def test_same_name_takes_the_surname_when_the_caller_knows_it():
    # "Jan Peter" is two given names, not a surname "Peter Smit": a label analysis may say so.
    assert same_name("Jan Peter Smit", "J. Smit", surname_a="Smit")
    assert given_names("Jan Peter de Smet") == ["Jan", "Peter"]
    assert is_initials("J.P.") and not is_initials("Jan")
