"""Candidate retrieval for letter matching: the database's text rank, the sender's own commitments and the
sittings the letter names, bounded whatever the register's size."""

import datetime

import pytest

from tests.factories import LETTER_TEXT, letter_commitment
from tracker.letters import matching, services

pytestmark = pytest.mark.django_db

LETTER = matching.Letter(
    text=LETTER_TEXT,
    sender="De Minister van Volksgezondheid, Welzijn en Sport, E.I. Schippers",
    date=datetime.date(2023, 5, 2),
    title="Evaluatie eigen bijdrage wijkverpleging",
)


def _candidates():
    return services.candidate_ids(letter=LETTER, found=matching.passages(LETTER))


def test_text_rank_finds_a_commitment_of_another_minister_and_another_day():
    target = letter_commitment(
        quote="Wij sturen de evaluatie van de eigen bijdrage in de wijkverpleging.",
        promiser="Hugo de Jonge",
        sitting_date=datetime.date(2022, 1, 5),
    )
    letter_commitment(quote="Ik stuur een brief over de luchtvaart.", promiser="Mark Harbers")
    assert target.pk in _candidates()


def test_the_sender_s_own_and_the_named_sitting_s_commitments_are_candidates():
    own = letter_commitment(quote="Ik kom terug op de tandzorg.", sitting_date=datetime.date(2021, 6, 1))
    same_day = letter_commitment(
        quote="Ik stuur een brief over de pensioenen.",
        promiser="Wouter Koolmees",
        sitting_date=datetime.date(2023, 3, 12),
    )
    other = letter_commitment(
        quote="Ik stuur een brief over de visserij.", promiser="Carola Schouten", sitting_date=datetime.date(2020, 1, 1)
    )
    found = _candidates()
    assert own.pk in found and same_day.pk in found and other.pk not in found


def test_only_pending_commitments_are_candidates():
    done = letter_commitment(quote="Ik stuur de evaluatie van de eigen bijdrage wijkverpleging.", status="lapsed")
    assert done.pk not in _candidates()


def test_the_candidate_set_is_bounded(monkeypatch):
    monkeypatch.setattr(services, "BY_TEXT", 3)
    monkeypatch.setattr(services, "BY_PROMISER", 2)
    monkeypatch.setattr(services, "BY_DATE", 2)
    for i in range(12):
        letter_commitment(
            quote=f"Ik stuur de evaluatie van de eigen bijdrage wijkverpleging, deel {i}.",
            sitting_date=datetime.date(2023, 3, 12),
        )
    assert 0 < len(_candidates()) <= 3 + 2 + 2


def test_no_promise_passage_means_no_database_work(django_assert_num_queries):
    letter = matching.Letter(text="Hierbij de antwoorden op de vragen.", sender="", date=datetime.date(2023, 5, 2))
    with django_assert_num_queries(0):
        assert services.proposals_for(letter=letter) == ([], {})
