"""Tests for deadline expressions: the words found, the date they resolve to, and event-bound deadlines."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.extraction.dates import DueInfo, resolve_due

# Wednesday 10 March 2021: a weekday in the middle of a week and of a parliamentary year.
REF = date(2021, 3, 10)


@pytest.mark.parametrize(
    ("sentence", "due_text", "due_date"),
    [
        # days and weeks
        ("Die cijfers bezorg ik u volgende week.", "volgende week", date(2021, 3, 19)),
        ("Ik bezorg het u deze week nog.", "deze week", date(2021, 3, 12)),
        ("Morgen krijgt u de lijst.", "Morgen", date(2021, 3, 11)),
        ("Ik stuur u morgenvoormiddag de lijst.", "morgenvoormiddag", date(2021, 3, 11)),
        ("De minister bezorgt mij het plan vanmiddag.", "vanmiddag", REF),
        ("U krijgt het vandaag nog.", "vandaag nog", REF),
        ("Ik bezorg het u tegen maandag.", "tegen maandag", date(2021, 3, 15)),
        ("Dat zal in de week van 15 maart gebeuren.", "in de week van 15 maart", date(2021, 3, 19)),
        # periods from the meeting
        ("Ik stuur het binnen twee weken door.", "binnen twee weken", date(2021, 3, 24)),
        ("Binnen de 14 dagen krijgt u een antwoord.", "Binnen de 14 dagen", date(2021, 3, 24)),
        (
            "De cijfers laat ik u binnen de veertien dagen geworden.",
            "binnen de veertien dagen",
            date(2021, 3, 24),
        ),
        ("Dat komt binnen drie maanden.", "binnen drie maanden", date(2021, 6, 10)),
        ("Binnen twee à drie maanden is het klaar.", "Binnen twee à drie maanden", date(2021, 6, 10)),
        ("Binnen de maand krijgt u het.", "Binnen de maand", date(2021, 4, 10)),
        ("Dat zal over een maand of twee klaar zijn.", "over een maand of twee", date(2021, 5, 10)),
        ("De Kamer wordt over 2-3 jaar geïnformeerd.", "over 2-3 jaar", date(2024, 3, 10)),
        # months
        ("Ik bezorg het tegen eind juni.", "tegen eind juni", date(2021, 6, 30)),
        ("Eind juni heeft u het.", "Eind juni", date(2021, 6, 30)),
        ("Ik kom daar in juni op terug.", "in juni", date(2021, 6, 30)),
        ("Ik bezorg het u tegen het einde van de maand.", "tegen het einde van de maand", date(2021, 3, 31)),
        ("Dat gebeurt deze maand nog.", "deze maand", date(2021, 3, 31)),
        # explicit dates; a date already past this year means next year
        ("Ik bezorg het voor 1 april.", "voor 1 april", date(2021, 4, 1)),
        ("Ik bezorg het voor 1 maart.", "voor 1 maart", date(2022, 3, 1)),
        ("Tegen 15 september 2021 ligt het er.", "Tegen 15 september 2021", date(2021, 9, 15)),
        ("Ik bezorg het u ten laatste op 30 april.", "ten laatste op 30 april", date(2021, 4, 30)),
        ("Ik bezorg het u uiterlijk 15/04.", "uiterlijk 15/04", date(2021, 4, 15)),
        # the parliamentary calendar and the seasons
        (
            "Ik leg het plan voor het zomerreces aan de commissie voor.",
            "voor het zomerreces",
            date(2021, 7, 21),
        ),
        ("Na het zomerreces komen we erop terug.", "Na het zomerreces", date(2021, 9, 30)),
        ("Ik leg het plan tegen de zomer voor.", "tegen de zomer", date(2021, 7, 21)),
        ("We plannen dat na de zomer.", "na de zomer", date(2021, 9, 30)),
        ("In het voorjaar stel ik het voor.", "In het voorjaar", date(2021, 6, 20)),
        ("In het najaar volgt de evaluatie.", "In het najaar", date(2021, 12, 20)),
        ("Voor het kerstreces krijgt u het.", "Voor het kerstreces", date(2021, 12, 20)),
        ("Tegen het einde van het jaar leg ik het voor.", "Tegen het einde van het jaar", date(2021, 12, 31)),
        ("Ik kom daar begin volgend jaar op terug.", "begin volgend jaar", date(2022, 3, 31)),
        (
            "In het eerste kwartaal van volgend jaar.",
            "In het eerste kwartaal van volgend jaar",
            date(2022, 3, 31),
        ),
    ],
)
def test_dated_deadlines(sentence, due_text, due_date):
    assert resolve_due(sentence, REF) == DueInfo(due_text, due_date, False)


@pytest.mark.parametrize(
    ("sentence", "due_text"),
    [
        ("Zodra die studie is opgeleverd, nodigen we de POM uit.", "Zodra die studie is opgeleverd"),
        (
            "Het lijkt mij handig om, zodra die studie is opgeleverd, ook de update eens te bekijken.",
            "zodra die studie is opgeleverd",
        ),
        ("Wanneer de studie is opgeleverd, kom ik terug.", "Wanneer de studie is opgeleverd"),
        ("Als de studie klaar is, stuur ik ze door.", "Als de studie klaar is"),
        ("Als de cijfers gevalideerd zijn, bezorg ik ze.", "Als de cijfers gevalideerd zijn"),
        ("We doen dat eens de cijfers gevalideerd zijn.", "eens de cijfers gevalideerd zijn"),
        ("Na de evaluatie kom ik terug naar de commissie.", "Na de evaluatie"),
        ("We komen terug na de evaluatie van het decreet.", "na de evaluatie van het decreet"),
        ("Na afloop van de proefperiode breng ik verslag uit.", "Na afloop van de proefperiode"),
        ("Ik bezorg het evaluatierapport aan de Kamer, zodra het gereed is.", "zodra het gereed is"),
        (
            "Ik zal het u voor de volgende commissievergadering bezorgen.",
            "voor de volgende commissievergadering",
        ),
    ],
)
def test_event_bound_deadlines(sentence, due_text):
    assert resolve_due(sentence, REF) == DueInfo(due_text, None, True)


@pytest.mark.parametrize(
    ("sentence", "due_text"),
    [
        ("Ik stuur u de lijst zo snel mogelijk door.", "zo snel mogelijk"),
        ("We gaan dat op korte termijn doen.", "op korte termijn"),
        ("Ik bezorg het u in de loop van de volgende weken.", "in de loop van de volgende weken"),
    ],
)
def test_vague_deadlines_keep_their_words_without_a_date(sentence, due_text):
    assert resolve_due(sentence, REF) == DueInfo(due_text, None, False)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ik geef u acht voorbeelden van hoe we de positie van onze maatwerkondernemingen versterken.",
        "Als de minister dat wil, doen we het.",  # a condition, not an event
        "we moeten eens de cijfers bekijken",  # "eens" as an adverb
        "dus zowel de oproep 'Blended business models' als de oproep rond circulair werk",
        "In 2019 hebben we dat gedaan.",  # a year gone by
        "Vanaf 1 januari 2022 geldt de nieuwe regeling.",
        "Ik zal het u vrijdag bezorgen.",  # a bare weekday is too often the past: left to the clerk
        "",
    ],
)
def test_no_deadline(sentence):
    assert resolve_due(sentence, REF) == DueInfo("", None, False)


def test_relative_words_are_kept_without_a_reference_date():
    info = resolve_due("Die cijfers bezorg ik u volgende week.", None)
    assert info == DueInfo("volgende week", None, False)
    assert resolve_due("Ik bezorg het tegen eind juni.", None) == DueInfo("tegen eind juni", None, False)
    assert resolve_due("Tegen 15 september 2021 ligt het er.", None).due_date == date(2021, 9, 15)


def test_an_explicit_date_beats_a_vaguer_expression():
    info = resolve_due("Ik bezorg het zo snel mogelijk, en zeker voor 1 juni.", REF)
    assert info.due_text == "zeker voor 1 juni" and info.due_date == date(2021, 6, 1)


def test_seasons_said_during_them_mean_the_next_one():
    assert resolve_due("Volgend voorjaar is het klaar.", date(2021, 4, 15)).due_date == date(2022, 6, 20)
    assert resolve_due("In het najaar volgt de evaluatie.", date(2021, 12, 28)).due_date == date(2022, 12, 20)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            list("abcdeginorstuvwz .,;:–0123456789/-")
            + ["zodra ", "binnen ", "tegen ", "eind ", "juni ", "week ", "als de ", " is ", "na de ", "zomer"]
        ),
        max_size=80,
    ).map("".join),
    st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))),
)
def test_any_text_gives_its_own_words(text, ref):
    info = resolve_due(text, ref)
    assert info.due_text in text
    assert not (info.event_bound and info.due_date is not None)
    if not info.due_text:
        assert info == DueInfo("", None, False)
