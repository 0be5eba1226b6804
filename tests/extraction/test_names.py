"""The two name foldings: one drops word boundaries, the other keeps them."""

import pytest

from tracker.extraction.names import fold_key, fold_name


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
