"""Tests for the commitment detector's rules, one Dutch construction at a time.

Speeches are built directly, so each test states the words it is about; the annotated transcripts
and the seed are measured in test_evaluation.py. The rules are features of the learned scorer; these
tests pin what each rule proposes on its own (RULES_ONLY weights), while the learned weights are
measured on real text (test_learning.py, python -m tracker.extraction.evaluate).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.extraction import detect_commitments, parse_transcript
from tracker.extraction.detector import detect_in_speeches
from tracker.extraction.scorer import RULES_ONLY
from tracker.extraction.types import COMMITMENT_KINDS, ROLES, Candidate, Speech

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"
REF = date(2021, 3, 10)  # a Wednesday


def minister(text: str, index: int = 1) -> Speech:
    return Speech(
        index,
        0,
        "Minister Hilde Crevits",
        "Hilde Crevits",
        "Crevits",
        "minister",
        text,
        1,
        None,
        None,
        "Minister",
    )


def member(text: str, index: int = 0, name: str = "Vandromme") -> Speech:
    return Speech(index, 0, f"Mevrouw {name}", name, name, "member", text, 1, "Mevrouw")


def chair(text: str, index: int = 2) -> Speech:
    return Speech(index, 0, "De voorzitter", "", "", "chair", text, 1, None, None, "Voorzitter")


def detect(
    *speeches: Speech,
    askers: tuple[str, ...] = ("Vandromme",),
    ref: date | None = REF,
) -> list[Candidate]:
    return detect_in_speeches(speeches, askers=askers, reference_date=ref, weights=RULES_ONLY)


def one(text: str, **kwargs) -> Candidate:
    found = detect(minister(text), **kwargs)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------------------------------
# What must be caught
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Ik zal u de nota over de wachtlijsten bezorgen.", "send_document"),
        ("We zullen de experts uitnodigen in de commissie.", "hearing"),
        ("Ik kan u de lijst van de projecten meegeven.", "send_document"),
        ("Ik kom daarop terug.", "report_back"),
        ("Ik hou u op de hoogte.", "report_back"),
        ("Ik zal de commissie informeren over de stand van de onderhandelingen.", "report_back"),
        ("Ik engageer mij om de commissie een volledig overzicht te geven.", "send_document"),
        ("Ik zeg u toe dat de regeling er komt.", "other"),
        ("Ik beloof dat we daar werk van maken.", "other"),
        ("Die cijfers bezorg ik u volgende week.", "send_document"),
        ("Ik stuur u de lijst zo snel mogelijk door.", "send_document"),
        ("Ik leg het plan voor de zomer aan de commissie voor.", "send_document"),
        ("Het overzicht maak ik u binnen de veertien dagen over.", "send_document"),
        ("We zullen het rapport in het voorjaar op de website publiceren.", "publish"),
        ("Ik zal de regeling evalueren en de resultaten aan de commissie voorleggen.", "evaluate"),
        ("De evaluatie zal aan de commissie worden bezorgd.", "evaluate"),
        ("Dan komt er informatie naar het parlement.", "report_back"),
        ("U krijgt de definitieve cijfers tegen eind juni.", "send_document"),
        ("We doen alles om u zo snel mogelijk een antwoord te geven.", "report_back"),
        ("De technische vragen zal ik u schriftelijk beantwoorden.", "report_back"),
        ("Wat ik wel kan doen, is u de totalen per provincie bezorgen.", "send_document"),
        ("Ik ben bereid om de studie in de commissie toe te lichten.", "report_back"),
        ("Ik laat het u weten zodra de beslissing valt.", "report_back"),
        ("Het verslag gaat uw richting uit zodra het er is.", "send_document"),
        ("Volgende week geef ik u een overzicht van de dossiers.", "send_document"),
        ("Ik kom dat graag in de commissie toelichten.", "report_back"),
        ("Ik stuur het rapport door zodra ik het heb.", "send_document"),
        ("Ik ga na of de cijfers beschikbaar zijn en bezorg ze u in dat geval.", "send_document"),
        ("Ik heb u beloofd dat ik zou terugkomen op de opleiding, en dat zal ik ook doen.", "report_back"),
        ("De kaart stuur ik de Kamer vóór de zomer toe.", "send_document"),
        (
            "Zodra de gemeenten hun inventaris hebben doorgegeven, krijgt de commissie een overzicht.",
            "send_document",
        ),
    ],
)
def test_promises_to_the_parliament(text, kind):
    candidate = one(text)
    assert candidate.kind == kind
    assert candidate.quote == text
    assert candidate.speaker == "Hilde Crevits" and candidate.role == "minister"


@pytest.mark.parametrize(
    "text",
    [
        "Zal ik u de lijst bezorgen?",
        "Ik zal u die lijst niet bezorgen.",
        "Dat kan ik niet bezorgen.",
        "Ik kan u geen cijfers bezorgen, want ze zijn niet betrouwbaar.",
        "Ik sluit niet uit dat we u de cijfers later bezorgen.",
        "Ik kan niets beloven.",
        "Misschien kan ik u de lijst bezorgen.",
        "We bekijken of we u de cijfers kunnen bezorgen.",
        "Ik hoop u tegen het einde van de maand het cijfer te kunnen geven.",
        "U hebt in juli toegezegd om de lijst te bezorgen.",
        "U zei dat u de lijst zou bezorgen.",
        "Vorig jaar beloofde u een nota aan de commissie.",
        "Ik heb u vorige week de lijst bezorgd.",
        "De lijst werd u vorige week al bezorgd.",
        "We zullen de middelen verhogen.",
        "Ik ga de procedure vereenvoudigen.",
        "Ik zal ze kort duiden.",
        "Ik geef u acht voorbeelden van hoe we de maatwerkbedrijven versterken.",
        "Ik kan u meegeven dat de cijfers gestegen zijn.",
        "Ik deel u mee dat de subsidies zijn uitbetaald.",
        "Ik kom daar straks op terug.",
        "Het zou heel nuttig zijn om de studie eens voor te stellen in de commissie.",
        "Als de oproep gelanceerd is, kun je alle informatie op de website terugvinden.",
        "We zullen de sector uitnodigen om mee te werken aan een actieplan.",
        "We zullen de scholen een handleiding bezorgen.",
        "Ik zal de zorgkassen vragen om hun cijfers door te sturen naar het agentschap.",
        "Ik zou de commissie graag meer informatie geven, maar de wet laat dat niet toe.",
        "De meeste gegevens zijn al publiek beschikbaar op de website.",
        # announcements of what follows in the speech
        "Ik zal u een overzicht geven van de maatregelen die we genomen hebben.",
        "Ik zal u een antwoord geven op uw drie vragen.",
        "Ik zal de cijfers toelichten.",
        "Ik zal uitleggen waarom we daarvoor gekozen hebben.",
        "Ik kan u de cijfers geven: in 2020 waren er 312 aanvragen.",
        "Ik kom daar zo op terug.",
        "Ik kom nu tot uw tweede vraag.",
        "Ik kom tot de conclusie dat het systeem werkt.",
        # deliveries to others than the parliament, and generic "u"
        "Ik zal de burgemeester een brief sturen.",
        "We zullen de gemeenten een omzendbrief bezorgen.",
        "Het agentschap zal de aanvragers informeren.",
        "We informeren de burgers via een campagne.",
        "Als u vandaag een woning koopt, krijgt u een premie.",
        "Ik zal mijn federale collega daarover aanschrijven.",
        "We sturen de inspectie langs bij alle scholen.",
        "Ik stuur aan op een snelle beslissing.",
        # the past, and facts
        "Vorige week stuurde ik u de lijst.",
        "Ik bezorgde de commissie vorige maand al een nota.",
        "Het rapport van het Rekenhof werd vorige week aan het parlement bezorgd.",
        "We hebben die cijfers gisteren aan het secretariaat bezorgd.",
        "We hebben de sector uitgenodigd voor een overleg.",
        "De cijfers worden jaarlijks gepubliceerd.",
        "De lijst staat op de website van het agentschap.",
        "Ik verwijs naar mijn antwoord op de schriftelijke vraag van collega Peeters.",
        "Zoals ik u vorige keer heb gezegd, blijft de regeling ongewijzigd.",
        # policy
        "We zullen het plan in overleg met de sector uitwerken.",
        "We zullen de sector betrekken bij de uitwerking van het plan.",
        "We leggen de laatste hand aan het decreet.",
        "Ik kan u verzekeren dat we alles doen wat mogelijk is.",
        "Ik kan mij voorstellen dat u de site eens wilt bezoeken.",
        "Mevrouw Bromet vroeg wanneer de Kamer de doelen per gebied krijgt.",
        "Ik verwacht dat de Kamer de doorlichting dan ook krijgt, maar dat is aan het RIVM.",
    ],
)
def test_no_promise(text):
    assert detect(minister(text)) == []


def test_nothing_a_member_says_is_a_candidate():
    text = "Ik zal u de nota bezorgen. Ik engageer mij om de commissie te informeren. Dat doen we zeker."
    assert detect(member(text)) == []


def test_passive_with_an_event():
    candidate = one("Zodra het rapport binnen is, zal het aan de commissie worden bezorgd.")
    assert candidate.rule == "passive" and candidate.promiser == "government"
    assert candidate.event_bound and candidate.due_text == "Zodra het rapport binnen is"
    assert candidate.to_committee


def test_the_minister_speaks_for_the_government_with_we():
    assert one("We zullen u de cijfers bezorgen.").promiser == "government"
    assert one("Ik zal u de cijfers bezorgen.").promiser == "speaker"


def test_the_chair_speaks_for_the_committee_with_we():
    found = detect(chair("We nodigen de POM uit voor een hoorzitting na het zomerreces."))
    assert len(found) == 1
    assert found[0].promiser == "committee" and found[0].kind == "hearing" and found[0].role == "chair"
    assert found[0].due_date == date(2021, 9, 30)


def test_the_chair_relays_a_promise_of_the_minister():
    """The quote stays in the chair's speech; the minister owes it, so the promiser is the government."""
    found = detect(chair("De minister bezorgt mij het plan vanmiddag."))
    assert len(found) == 1
    candidate = found[0]
    assert candidate.role == "chair" and candidate.speaker == ""
    assert candidate.promiser == "government" and candidate.rule == "chair_relay"
    assert candidate.kind == "send_document"
    assert candidate.due_text == "vanmiddag" and candidate.due_date == REF


# --------------------------------------------------------------------------------------------------
# Accepted requests
# --------------------------------------------------------------------------------------------------


def test_a_minister_accepts_a_request():
    request = member("Minister, kunt u de commissie de studie over de wachtlijsten bezorgen tegen eind juni?")
    turn = chair("Minister Crevits heeft het woord.", index=1)
    found = detect(request, turn, minister("Dat zal ik doen.", index=2))
    assert len(found) == 1
    candidate = found[0]
    assert candidate.quote == "Dat zal ik doen." and candidate.speech_index == 2
    assert candidate.rule == "accepted_request" and candidate.kind == "send_document"
    assert candidate.request_speech_index == 0 and candidate.request_quote == request.text
    assert candidate.due_text == "tegen eind juni" and candidate.due_date == date(2021, 6, 30)
    assert candidate.promised_to == ("Vandromme",)


def test_the_chair_accepts_a_proposal_to_invite():
    request = member("Ik stel voor dat we de sector uitnodigen voor een hoorzitting.", name="Peeters")
    found = detect(request, chair("Dat is goed, we plannen dat in.", index=1), askers=("Peeters",))
    assert len(found) == 1
    assert found[0].kind == "hearing" and found[0].promiser == "committee"
    assert found[0].request_speech_index == 0 and found[0].promised_to == ("Peeters",)


def test_a_bare_yes_takes_the_promise_that_follows():
    request = member("Minister, kunt u ons de samenstelling van de stuurgroep bezorgen?")
    found = detect(request, minister("Zeker. Ik laat u die lijst nog deze week bezorgen.", index=1))
    assert len(found) == 1
    assert found[0].quote == "Zeker. Ik laat u die lijst nog deze week bezorgen."
    assert found[0].request_speech_index == 0 and found[0].due_text == "nog deze week"


def test_no_acceptance_without_an_open_request():
    assert detect(minister("Dat doen we zeker.")) == []
    request = member("Kunt u ons de lijst bezorgen?")
    answered = minister("Ik kijk daarnaar.", index=1)
    assert detect(request, answered, chair("Dat doen we zeker.", index=2)) == []


def test_a_refused_request_is_no_acceptance():
    request = member("Kunt u ons de lijst bezorgen?")
    assert detect(request, minister("Dat zal ik niet doen.", index=1)) == []


def test_the_deadline_of_an_earlier_proposal_carries_over():
    earlier = member(
        "Het lijkt mij nuttig om, zodra die studie is opgeleverd, de POM uit te nodigen in deze commissie."
    )
    answer = minister("Dat is een goed idee.", index=1)
    later = member(
        "Ik ben bereid om te luisteren naar de hoorzitting van de POM. Ik hoop dat jullie dat meenemen.",
        index=2,
    )
    found = detect(earlier, answer, later, chair("Dat doen we zeker.", index=3))
    assert len(found) == 1
    assert found[0].request_speech_index == 2
    assert found[0].due_text == "zodra die studie is opgeleverd" and found[0].event_bound


# --------------------------------------------------------------------------------------------------
# Quotes, merging and who is promised what
# --------------------------------------------------------------------------------------------------


def test_adjacent_sentences_of_one_promise_are_one_candidate():
    text = (
        "Collega Vandromme, ik kan u de lijst van de projecten meegeven. "
        "Ik zal die gegevens verzamelen en aan jullie allemaal bezorgen."
    )
    candidate = one(text)
    assert candidate.quote == text
    assert candidate.promised_to == ("Vandromme",) and candidate.to_committee


def test_two_promises_side_by_side_stay_two():
    first = "Het overzicht maak ik u binnen de maand over."
    second = "Ik leg het plan voor de zomer aan de commissie voor."
    found = detect(minister(f"{first} {second}"))
    assert [c.due_text for c in found] == ["binnen de maand", "voor de zomer"]


def test_a_time_in_the_next_sentence_belongs_to_the_promise():
    candidate = one(
        "Ik zal de commissie de resultaten bezorgen zodra het Steunpunt ze heeft gevalideerd. "
        "Dat zou normaal voor het zomerreces moeten lukken."
    )
    assert candidate.quote.endswith("moeten lukken.")
    assert candidate.event_bound and candidate.due_text == "zodra het Steunpunt ze heeft gevalideerd"


def test_promised_to_follows_the_vocative():
    text = "Mevrouw Claes, u vroeg naar de kosten. Ik bezorg u het overzicht volgende week."
    found = detect(member("Vraag.", name="Claes"), minister(text), askers=("Vandromme", "Claes"))
    assert len(found) == 1
    assert found[0].promised_to == ("Claes",)


def test_promised_to_defaults_to_the_askers():
    found = detect(minister("Ik bezorg u het overzicht volgende week."), askers=("Vandromme", "Claes"))
    assert found[0].promised_to == ("Vandromme", "Claes")


def test_relative_deadlines_need_a_reference_date():
    candidate = one("Die cijfers bezorg ik u volgende week.", ref=None)
    assert candidate.due_text == "volgende week" and candidate.due_date is None


def test_detect_commitments_uses_the_meeting_date():
    text = (
        "U bent hier\n\nCommissievergadering\n\ndinsdag 9 maart 2021, 14.00u\n\n"
        "van Katrien Schoofs aan minister Wim Verheyden\n1245 (2020-2021)\nDe voorzitter\n\n"
        "Mevrouw Schoofs heeft het woord.\n\nKatrien Schoofs (CD&V)\n\nMinister, waar blijven de cijfers?\n\n"
        "Minister Verheyden heeft het woord.\n\nMinister Wim Verheyden\n\n"
        "Die cijfers bezorg ik u volgende week.\n\n"
        "De vraag om uitleg is afgehandeld.\n"
    )
    transcript = parse_transcript(text)
    assert transcript.header.date == date(2021, 3, 9)
    [candidate] = detect_commitments(transcript, weights=RULES_ONLY)
    assert candidate.due_date == date(2021, 3, 19)
    assert candidate.promised_to == ("Katrien Schoofs",)
    [overridden] = detect_commitments(transcript, reference_date=date(2021, 3, 17), weights=RULES_ONLY)
    assert overridden.due_date == date(2021, 3, 26)


# --------------------------------------------------------------------------------------------------
# Robustness and speed
# --------------------------------------------------------------------------------------------------

WORDS = [
    "ik",
    "we",
    "u",
    "jullie",
    "zal",
    "zullen",
    "kan",
    "bezorg",
    "bezorgen",
    "stuur",
    "door",
    "leg",
    "voor",
    "kom",
    "terug",
    "hoogte",
    "niet",
    "geen",
    "misschien",
    "zodra",
    "de",
    "het",
    "die",
    "dat",
    "studie",
    "lijst",
    "cijfers",
    "commissie",
    "parlement",
    "volgende",
    "week",
    "eind",
    "juni",
    "minister",
    "dat",
    "doen",
    "we",
    "zeker",
    "bereid",
    "uitnodigen",
    "hoorzitting",
    "agenderen",
    "publiceren",
    "zou",
    "heb",
    "bezorgd",
    "Collega",
    "Vandromme",
]


@st.composite
def speeches(draw) -> list[Speech]:
    result = []
    for index in range(draw(st.integers(min_value=1, max_value=4))):
        pieces = draw(
            st.lists(
                st.one_of(
                    st.sampled_from(WORDS),
                    st.sampled_from([" ", ", ", ". ", "? ", "\n", "\n\n", "; ", " – "]),
                ),
                max_size=60,
            )
        )
        noise = draw(st.text(max_size=40))
        text = " ".join(pieces) + noise
        role = draw(st.sampled_from(ROLES))
        name = "" if role == "chair" else "Jan Peeters"
        result.append(Speech(index, 0, "X", name, "Peeters", role, text, 1))
    return result


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(speeches(), st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2050, 1, 1))))
def test_any_speeches_give_well_formed_candidates(items, ref):
    found = detect_in_speeches(items, askers=("Peeters",), reference_date=ref)
    by_index = {s.index: s for s in items}
    for candidate in found:
        speech = by_index[candidate.speech_index]
        assert speech.role != "member"
        assert candidate.quote == speech.text[candidate.start : candidate.end]
        assert candidate.quote.strip() == candidate.quote and candidate.quote
        assert candidate.kind in COMMITMENT_KINDS
        assert candidate.promiser in ("speaker", "government", "committee")
        assert 0.0 <= candidate.confidence <= 1.0
        if candidate.request_speech_index is not None:
            assert candidate.request_quote in by_index[candidate.request_speech_index].text


def test_long_and_hostile_text_stays_linear():
    hostile = ("ik zal u de lijst stuur stuur stuur maak maak leg leg " * 400) + "door."
    pieces = ["Ik zal u de nota bezorgen zodra de studie klaar is. " * 300, hostile, "a. " * 5000]
    start = time.process_time()
    for text in pieces:
        detect(minister(text))
    assert time.process_time() - start < 2.0


def test_the_seed_is_detected_quickly():
    """Detection costs a few times what parsing costs, not more.

    Parsing the seed takes under a millisecond on an idle core. The rules alone took about 2.5 times
    that; the learned scorer reads every sentence that passes the recall gate as well (features, word
    n-grams, a deadline for each proposal), which brings detection to 5-6 times parsing: about 4 ms,
    over 200 seed-sized transcripts a second with parsing (benchmarks/bench_transcripts.py).
    CPU time of this thread, not wall time: on a busy machine the scheduler pauses the longer
    detect batches more often than the shorter parse batches (28 % failures with two busy neighbours
    on two cores when measured by the wall clock).
    """
    text = SEED.read_text("utf-8")
    transcript = parse_transcript(text)
    parse_runs, detect_runs = [], []
    for _ in range(15):
        start = time.thread_time()
        for _ in range(5):
            parse_transcript(text)
        parse_runs.append((time.thread_time() - start) / 5)
        start = time.thread_time()
        for _ in range(5):
            detect_commitments(transcript)
        detect_runs.append((time.thread_time() - start) / 5)
    detect, parse = min(detect_runs), min(parse_runs)
    assert detect < 7 * parse, f"detect {detect * 1000:.2f} ms, parse {parse * 1000:.2f} ms"
    assert detect < 0.02
