"""The pure letter scorer (tracker/letters/matching.py): no database, no Django."""

import ast
import json
from datetime import date
from pathlib import Path

import pytest

from tracker.letters import evaluate, matching

SENDER = "De Minister van Volksgezondheid, Welzijn en Sport, E.I. Schippers"
TEXT = """Geachte voorzitter,

Tijdens het commissiedebat Zorgverzekeringsstelsel van 12 maart heb ik uw Kamer toegezegd de evaluatie van de
eigen bijdrage in de wijkverpleging te sturen. Met deze brief kom ik die toezegging na.

Het weer was goed.
"""
LETTER = matching.Letter(text=TEXT, sender=SENDER, date=date(2023, 5, 2), title="Evaluatie eigen bijdrage")
TARGET = matching.Promise(
    key="target",
    quote="Ik zal de Kamer de evaluatie van de eigen bijdrage wijkverpleging sturen.",
    promiser="Edith Schippers",
    ministry="Volksgezondheid, Welzijn en Sport",
    sitting_date=date(2023, 3, 12),
    sitting_title="Commissiedebat Zorgverzekeringsstelsel",
)
SAME_MINISTER = matching.Promise(
    key="same-minister",
    quote="Ik stuur de Kamer een brief over de wachtlijsten in de jeugdzorg.",
    promiser="Edith Schippers",
    ministry="Volksgezondheid, Welzijn en Sport",
    sitting_date=date(2023, 2, 1),
)
SAME_DAY = matching.Promise(
    key="same-day",
    quote="De minister informeert de Kamer over de pensioenen van zelfstandigen.",
    promiser="Wouter Koolmees",
    ministry="Sociale Zaken en Werkgelegenheid",
    sitting_date=date(2023, 3, 12),
)
POOL = [SAME_MINISTER, SAME_DAY, TARGET]


def test_promise_passage_is_found_with_its_neighbours_and_date():
    [passage] = matching.passages(LETTER)
    assert passage.cue == "commissiedebat Zorgverzekeringsstelsel van 12 maart"  # the first cue in the sentence
    assert "Met deze brief kom ik die toezegging na" in passage.text
    assert passage.dates == (date(2023, 3, 12),)  # no year written: the last 12 March before the letter


@pytest.mark.parametrize(
    "sentence",
    [
        "Hiermee informeer ik uw Kamer, zoals toegezegd tijdens het commissiedebat.",
        "Met deze brief kom ik terug op de vraag van het lid Van Dijk.",
        "In het notaoverleg van 4 april heb ik de Kamer beloofd dit te onderzoeken.",
        "Hiermee doe ik mijn toezegging gestand.",
    ],
)
def test_the_phrases_letters_use_for_a_promise_are_cues(sentence):
    assert matching.passages(matching.Letter(text=f"Geachte voorzitter,\n\n{sentence}"))


def test_a_letter_without_a_promise_passage_gets_no_proposals():
    letter = matching.Letter(
        text="Hierbij stuur ik u de antwoorden op de vragen over de eigen bijdrage in de wijkverpleging.",
        sender=SENDER,
        date=date(2023, 5, 2),
    )
    assert matching.passages(letter) == []
    assert matching.rank(letter, POOL, threshold=0.0) == []


def test_the_promise_named_ranks_first_with_its_reasons():
    ranked = matching.rank(LETTER, POOL, threshold=0.0)
    assert ranked[0].key == "target"
    kinds = {r.kind: r for r in ranked[0].reasons}
    assert set(kinds) == {"minister", "ministry", "date", "deliverable", "words"}
    assert kinds["date"].detail == "2023-03-12"
    assert "wijkverpleging" in kinds["words"].detail and kinds["deliverable"].detail == "evaluatie"
    assert ranked[0].score == pytest.approx(sum(r.points for r in ranked[0].reasons), abs=1e-3)


def test_minister_or_date_alone_stays_below_the_threshold():
    ranked = {p.key: p.score for p in matching.rank(LETTER, POOL, threshold=0.0)}
    assert ranked["same-day"] < matching.THRESHOLD
    assert ranked["same-minister"] < matching.THRESHOLD
    assert [p.key for p in matching.rank(LETTER, POOL)] == ["target"]


def test_a_date_named_outside_the_passage_counts_for_less():
    far = "Op 12 maart 2023 sprak ik met de zorgverzekeraars. Eerste zin. Tweede zin. Derde zin. "
    text = far + TEXT.replace(" van 12 maart", "")
    [top] = matching.rank(matching.Letter(text=text, sender=SENDER, date=date(2023, 5, 2)), [TARGET], threshold=0)
    reasons = {r.kind: r for r in top.reasons}
    assert "date" not in reasons
    assert reasons["date_elsewhere"].points == pytest.approx(matching.WEIGHTS["date"] * matching.DATE_ELSEWHERE)


def test_rare_words_weigh_more_than_common_ones():
    common = [matching.Promise(key=i, quote=f"De eigen bijdrage in geval {i}.") for i in range(20)]
    vocabulary = matching.Vocabulary.of([*common, TARGET])
    assert vocabulary.idf("wijkverpleging") > vocabulary.idf("eigen")


def test_surnames_in_brackets_or_asides_are_not_names():
    promise = matching.Promise(
        key="x", quote="Ik stuur de evaluatie.", promiser="(niet genoemd in het beschikbare deel)"
    )
    letter = matching.Letter(text=TEXT, sender="De Minister (ondertekening niet in het beschikbare deel)")
    [top] = matching.rank(letter, [promise], threshold=0.0)
    assert "minister" not in {r.kind for r in top.reasons}


def test_matching_module_is_pure():
    source = Path(matching.__file__).read_text(encoding="utf-8")
    imported = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert not [n for n in imported if "django" in (getattr(n, "module", None) or "") + str([a.name for a in n.names])]


def test_evaluation_counts_top1_top3_and_false_proposals(tmp_path):
    fulfilling = {
        "id": "kst-1-1",
        "part": "dev",
        "letter": {"title": "Evaluatie", "number": "", "date": "2023-05-02", "sender": SENDER, "text": TEXT},
        "fulfils": ["c1"],
        "commitments": [
            {
                "id": "c1",
                "quote": TARGET.quote,
                "promiser": "Edith Schippers",
                "ministry": "Volksgezondheid, Welzijn en Sport",
                "sitting_date": "2023-03-12",
                "sitting_title": "Commissiedebat Zorgverzekeringsstelsel",
                "commitment_from": "register",
            }
        ],
    }
    unrelated = {
        "id": "kst-2-1",
        "part": "dev",
        "letter": {"title": "Antwoorden", "number": "", "date": "2023-05-02", "sender": SENDER, "text": "Antwoorden."},
        "fulfils": [],
        "commitments": [],
    }
    for raw in (fulfilling, unrelated):
        (tmp_path / f"{raw['id']}.json").write_text(json.dumps(raw), encoding="utf-8")
    cases, promises = evaluate.load_letters(tmp_path)
    tallies = evaluate.evaluate(cases, promises, threshold=matching.THRESHOLD, verbose=False, out=None)
    overall = tallies["all"]
    assert (overall.fulfilling, overall.top1, overall.top3, overall.unrelated, overall.false_proposals) == (
        1,
        1,
        1,
        1,
        0,
    )
    assert tallies["independent"].top1 == 1 and tallies["circular"].fulfilling == 0


def test_a_sitting_named_with_its_date_or_a_promise_to_send_is_a_cue():
    text = "Tijdens het Algemeen Overleg Gevangeniswezen op 8 februari jl. heb ik aangegeven het u te zullen toesturen."
    [passage] = matching.passages(matching.Letter(text=text, date=date(2017, 5, 8)))
    assert passage.dates == (date(2017, 2, 8),)
