"""Tests for the transcript parser: golden files, the seed, each layout rule, and fuzzing.

Golden files live in tests/extraction/golden/: <name>.txt is the input, <name>.json what the parser
must produce. The seed's input is fixtures/transcripts/vraag-om-uitleg-maatwerkbedrijven.txt. To rewrite
the JSON after a deliberate change run

    GOLDEN_UPDATE=1 python -m pytest -p no:django tests/extraction/test_parser.py -k golden

and review every diff by eye: a golden file records what is right, not what the code happens to say.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.extraction.decode import TranscriptError, decode_transcript
from tracker.extraction.parser import normalise_name, parse_transcript, same_person
from tracker.extraction.types import ITEM_KINDS, ROLES, Transcript

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
SEED = ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"


# --------------------------------------------------------------------------------------------------
# Golden files
# --------------------------------------------------------------------------------------------------


def golden_cases() -> list[tuple[Path, Path]]:
    cases = [(SEED, GOLDEN / f"{SEED.stem}.json")]
    cases += [(path, path.with_suffix(".json")) for path in sorted(GOLDEN.glob("*.txt"))]
    return cases


def parse_file(path: Path) -> Transcript:
    text, _ = decode_transcript(path.read_bytes(), filename=path.name)
    return parse_transcript(text, filename=path.name)


def as_golden(transcript: Transcript) -> dict:
    header = transcript.header
    return {
        "header": {
            "date": header.date.isoformat() if header.date else None,
            "time_text": header.time_text,
            "committee": header.committee,
            "item_kind": header.item_kind,
            "number": header.number,
            "parliamentary_year": header.parliamentary_year,
            "asker": header.asker,
            "minister": header.minister,
            "title": header.title,
        },
        "items": [
            {
                "position": item.position,
                "kind": item.kind,
                "number": item.number,
                "title": item.title,
                "askers": list(item.askers),
                "addressed_to": item.addressed_to,
                "speeches": [speech.index for speech in item.speeches],
                "notes": [_note(note) for note in item.notes],
            }
            for item in transcript.items
        ],
        "speeches": [
            {
                "index": speech.index,
                "item_position": speech.item_position,
                "line": speech.line,
                "label": speech.label,
                "name": speech.name,
                "surname": speech.surname,
                "role": speech.role,
                "honorific": speech.honorific,
                "party": speech.party,
                "function": speech.function,
                "paragraphs": speech.text.count("\n\n") + 1,
                "text_start": speech.text[:60],
                "text_end": speech.text[-40:],
            }
            for speech in transcript.speeches
        ],
        "notes": [_note(note) for note in transcript.notes],
        "warnings": list(transcript.warnings),
    }


def _note(note) -> dict:
    return {"line": note.line, "kind": note.kind, "text": note.text, "item_position": note.item_position}


@pytest.mark.parametrize(("source", "expected"), golden_cases(), ids=lambda value: value.stem)
def test_golden(source: Path, expected: Path) -> None:
    actual = as_golden(parse_file(source))
    if os.environ.get("GOLDEN_UPDATE") == "1":
        expected.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    assert actual == json.loads(expected.read_text(encoding="utf-8"))


def test_enough_golden_files() -> None:
    assert len(list(GOLDEN.glob("*.txt"))) >= 5
    for source, expected in golden_cases():
        assert expected.exists(), f"no expected output for {source.name}"


# --------------------------------------------------------------------------------------------------
# The seed
# --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Transcript:
    return parse_file(SEED)


def test_seed_speakers_in_order(seed: Transcript) -> None:
    speeches = seed.speeches
    assert [(s.role, s.label) for s in speeches] == [
        ("chair", "De voorzitter"),
        ("member", "Mevrouw Vandromme"),
        ("chair", "De voorzitter"),
        ("minister", "Minister Hilde Crevits"),
        ("chair", "De voorzitter"),
        ("member", "Mevrouw Vandromme"),
        ("chair", "De voorzitter"),
        ("member", "Mevrouw Claes"),
        ("chair", "De voorzitter"),
        ("minister", "Minister Hilde Crevits"),
        ("chair", "De voorzitter"),
        ("member", "Mevrouw Vandromme"),
        ("chair", "De voorzitter"),
    ]
    assert [s.index for s in speeches] == list(range(13))
    assert speeches[0].text == "Mevrouw Vandromme heeft het woord."
    assert speeches[0].name == ""
    assert speeches[2].text == "Minister Crevits heeft het woord."


def test_seed_names(seed: Transcript) -> None:
    vandromme, crevits, claes = seed.speeches[1], seed.speeches[3], seed.speeches[7]
    assert (vandromme.name, vandromme.surname, vandromme.honorific) == ("Vandromme", "Vandromme", "Mevrouw")
    assert (crevits.name, crevits.surname, crevits.function) == ("Hilde Crevits", "Crevits", "Minister")
    assert (claes.name, claes.surname, claes.role) == ("Claes", "Claes", "member")


def test_seed_last_member_speech_and_chair_remark(seed: Transcript) -> None:
    last_member, chair = seed.speeches[11], seed.speeches[12]
    assert last_member.text.startswith("Ik heb niet veel extra info meer.")
    assert last_member.text.endswith("ik hoop dat jullie dat meenemen.")
    assert (chair.role, chair.label, chair.name, chair.text) == (
        "chair",
        "De voorzitter",
        "",
        "Dat doen we zeker.",
    )


def test_seed_paragraphs_are_kept(seed: Transcript) -> None:
    crevits = seed.speeches[3]
    assert crevits.text.startswith("Collega Vandromme, dank voor uw vraag.")
    assert crevits.text.count("\n\n") == 10  # eleven paragraphs, as printed
    assert "Acht, ik moet het ook mee vermelden" in crevits.text


def test_seed_notes_and_item(seed: Transcript) -> None:
    (item,) = seed.items
    assert item.kind == "vraag_om_uitleg"
    assert seed.header.item_kind == "vraag_om_uitleg"
    assert [(note.kind, note.text) for note in item.notes] == [
        (
            "editorial",
            "– Wegens de coronamaatregelen werd deze vraag om uitleg via videoconferentie behandeld.",
        ),
        ("closer", "De vraag om uitleg is afgehandeld."),
    ]
    assert all(note.item_position == 0 for note in item.notes)
    assert item.askers == ("Vandromme",)
    assert item.addressed_to == "Hilde Crevits"


def test_seed_drops_page_chrome(seed: Transcript) -> None:
    for speech in seed.speeches:
        for chrome in ("U bent hier", "Vergadering bijwonen", "publiekstribune", "YouTube", "afgehandeld"):
            assert chrome not in speech.text
        assert "coronamaatregelen" not in speech.text
    assert seed.warnings == ()


def test_seed_parses_fast(seed: Transcript) -> None:
    text = SEED.read_text(encoding="utf-8")
    start = time.thread_time()  # CPU time of this thread: a busy machine's scheduling does not count
    for _ in range(100):
        parse_transcript(text)
    # Budget: a few ms per seed-sized text, so that parsing and detecting run at 200 transcripts/s.
    assert (time.thread_time() - start) / 100 < 0.005


# --------------------------------------------------------------------------------------------------
# Web layout
# --------------------------------------------------------------------------------------------------

WEB_HEADER = """U bent hier

Commissievergadering

donderdag 26 februari 2015, 14.00u

Voorzitter
van Jan De Ridder aan minister Sara Van den Bossche
1096 (2014-2015)
De voorzitter

De heer De Ridder heeft het woord.

De heer Jan De Ridder (CD&V)

Voorzitter, minister, ik heb een vraag over het investeringsprogramma.

Minister Van den Bossche heeft het woord.

Minister Sara Van den Bossche

Ik zal u het programma volgende week bezorgen.

De vraag om uitleg is afgehandeld.
"""


def test_web_header_block() -> None:
    transcript = parse_transcript(WEB_HEADER)
    header = transcript.header
    assert header.date == date(2015, 2, 26)
    assert header.time_text == "14.00u"
    assert (header.number, header.parliamentary_year) == ("1096 (2014-2015)", "2014-2015")
    assert (header.asker, header.minister) == ("Jan De Ridder", "Sara Van den Bossche")
    assert header.item_kind == "vraag_om_uitleg"
    (item,) = transcript.items
    assert (item.number, item.askers, item.addressed_to) == (
        "1096 (2014-2015)",
        ("Jan De Ridder",),
        "Sara Van den Bossche",
    )
    chair, member, _, minister = transcript.speeches
    assert (chair.role, chair.text) == ("chair", "De heer De Ridder heeft het woord.")
    assert member.label == "De heer Jan De Ridder (CD&V)"
    assert (member.name, member.surname, member.party, member.honorific) == (
        "Jan De Ridder",
        "De Ridder",
        "CD&V",
        "De heer",
    )
    assert member.text == "Voorzitter, minister, ik heb een vraag over het investeringsprogramma."
    assert (minister.label, minister.name, minister.surname) == (
        "Minister Sara Van den Bossche",
        "Sara Van den Bossche",
        "Van den Bossche",
    )
    assert transcript.warnings == ()


def test_web_title_and_header_block_describe_the_same_item() -> None:
    text = (
        "U bent hier\n\nVraag om uitleg over de Brusselnorm\n\nCommissievergadering\n\n"
        "woensdag 7 juni 2017, 10.00u\n\nvan Elke Van den Brandt aan minister Sven Gatz\n2229 (2016-2017)\n"
        "De voorzitter\n\nMevrouw Van den Brandt heeft het woord.\n\nElke Van den Brandt (Groen)\n\nVraag.\n"
    )
    transcript = parse_transcript(text)
    (item,) = transcript.items
    assert (item.kind, item.title, item.number, item.askers, item.addressed_to) == (
        "vraag_om_uitleg",
        "Vraag om uitleg over de Brusselnorm",
        "2229 (2016-2017)",
        ("Elke Van den Brandt",),
        "Sven Gatz",
    )
    header = transcript.header
    assert (header.title, header.item_kind, header.date, header.time_text) == (
        "Vraag om uitleg over de Brusselnorm",
        "vraag_om_uitleg",
        date(2017, 6, 7),
        "10.00u",
    )
    assert transcript.warnings == ()


def test_turn_giving_without_header_names_the_announced_speaker() -> None:
    transcript = parse_transcript("Mevrouw Van den Brandt heeft het woord.\n\nMinister, dank u.\n")
    speech = transcript.speeches[1]
    assert (speech.label, speech.name, speech.surname, speech.honorific, speech.role) == (
        "Mevrouw Van den Brandt",
        "Van den Brandt",
        "Van den Brandt",
        "Mevrouw",
        "member",
    )


@pytest.mark.parametrize(
    ("turn", "header", "function"),
    [
        ("Minister Crevits heeft het woord.", "Minister Hilde Crevits", "Minister"),
        ("Minister Gatz heeft het woord.", "Vlaams minister Sven Gatz", "Vlaams minister"),
        ("Minister-president Jambon heeft het woord.", "Minister-president Jan Jambon", "Minister-president"),
        (
            "Minister Crevits heeft het woord.",
            "Viceminister-president Hilde Crevits",
            "Viceminister-president",
        ),
        ("Staatssecretaris Peeters heeft het woord.", "Staatssecretaris Ann Peeters", "Staatssecretaris"),
    ],
)
def test_minister_functions(turn: str, header: str, function: str) -> None:
    transcript = parse_transcript(f"{turn}\n\n{header}\n\nIk antwoord graag.\n")
    speech = transcript.speeches[1]
    assert (speech.role, speech.label, speech.function) == ("minister", header, function)
    assert speech.text == "Ik antwoord graag."


def test_header_line_without_party_is_only_believed_for_the_announced_person() -> None:
    text = "Mevrouw Peeters heeft het woord.\n\nAnn Peeters\n\nMinister, een vraag.\n"
    assert parse_transcript(text).speeches[1].label == "Ann Peeters"
    # A short first paragraph that is no name stays text.
    text = "Mevrouw Peeters heeft het woord.\n\nDank u wel\n\nMinister, een vraag.\n"
    speech = parse_transcript(text).speeches[1]
    assert (speech.label, speech.text) == ("Mevrouw Peeters", "Dank u wel\n\nMinister, een vraag.")


def test_web_text_without_blank_lines_has_one_paragraph_per_line() -> None:
    long = "Dit is een lange alinea over het beleid. " * 8
    text = f"Mevrouw Peeters heeft het woord.\n{long}\n{long}\nMinister Jansen heeft het woord.\n{long}\n"
    speech = parse_transcript(text).speeches[1]
    assert speech.text == f"{long.strip()}\n\n{long.strip()}"


def test_footer_and_everything_after_it_is_dropped() -> None:
    text = (
        "Mevrouw Peeters heeft het woord.\n\nMinister, een vraag.\n\nVergadering bijwonen\n\nDe heer X (CD&V): nee.\n"
    )
    transcript = parse_transcript(text)
    assert [s.text for s in transcript.speeches] == [
        "Mevrouw Peeters heeft het woord.",
        "Minister, een vraag.",
    ]


def test_chair_sentences_before_a_turn_giving_line_are_the_chairs() -> None:
    text = (
        "U bent hier\n\nWe gaan verder met de vraag van mevrouw Peeters.\n\n"
        "Mevrouw Peeters heeft het woord.\n\nVraag.\n"
    )
    chair = parse_transcript(text).speeches[0]
    assert chair.role == "chair"
    assert chair.text == "We gaan verder met de vraag van mevrouw Peeters.\n\nMevrouw Peeters heeft het woord."


def test_text_without_any_speaker_is_reported_not_dropped_silently() -> None:
    transcript = parse_transcript("Een losse titel\n\nMinister Jansen:\nIk antwoord.\n")
    assert transcript.warnings == ("regel 1: tekst vóór de eerste spreker niet verwerkt: “Een losse titel”",)


# --------------------------------------------------------------------------------------------------
# Unattributed chair remarks
# --------------------------------------------------------------------------------------------------


def _speeches(text: str) -> list[tuple[str, str]]:
    return [(s.role, s.text) for s in parse_transcript(text).speeches]


def test_chair_thanks_the_speaker_before_giving_the_floor() -> None:
    text = (
        "De heer Claes heeft het woord.\n\nIk sluit me aan bij de vraag.\n\nDank u, mijnheer Claes.\n\n"
        "Minister Jansen heeft het woord.\n\nIk antwoord.\n"
    )
    assert _speeches(text) == [
        ("chair", "De heer Claes heeft het woord."),
        ("member", "Ik sluit me aan bij de vraag."),
        ("chair", "Dank u, mijnheer Claes.\n\nMinister Jansen heeft het woord."),
        ("minister", "Ik antwoord."),
    ]


@pytest.mark.parametrize(
    "remark",
    [
        "We nemen dat mee naar de regeling van de werkzaamheden.",
        "Dat doen we zeker.",
        "Dat zullen we agenderen.",
        "Dank u, mevrouw Peeters.",
    ],
)
def test_chair_remark_at_the_end_of_an_item(remark: str) -> None:
    text = (
        "Mevrouw Peeters heeft het woord.\n\nDank u, minister.\n\nKan de commissie dat bespreken?\n\n"
        f"{remark}\n\n"
        "De vraag om uitleg is afgehandeld.\n"
    )
    assert _speeches(text)[-1] == ("chair", remark)
    assert _speeches(text)[-2] == ("member", "Dank u, minister.\n\nKan de commissie dat bespreken?")


@pytest.mark.parametrize(
    "last",
    [
        "Ik zal dit blijven opvolgen.",  # the member's own promise: first person
        "Dank u, minister.",  # addresses the minister
        "Wat plant u nog?",  # a question
        "We kijken uit naar de resultaten.",  # a "we" without any request to the committee before it
    ],
)
def test_member_keeps_a_short_last_paragraph(last: str) -> None:
    text = (
        f"Mevrouw Peeters heeft het woord.\n\nIk heb de cijfers gelezen.\n\n{last}\n\n"
        "De vraag om uitleg is afgehandeld.\n"
    )
    assert _speeches(text)[-1] == ("member", f"Ik heb de cijfers gelezen.\n\n{last}")


@pytest.mark.parametrize(
    "last",
    [
        "We zullen dit dossier blijven opvolgen.",  # the member's party, not the committee
        "Dat doen we ook in onze gemeente.",  # no request to the committee before it
    ],
)
def test_member_keeps_a_we_paragraph_that_answers_no_request(last: str) -> None:
    text = (
        f"Mevrouw Peeters heeft het woord.\n\nDank u, minister, voor uw antwoord.\n\n{last}\n\n"
        "De vraag om uitleg is afgehandeld.\n"
    )
    assert _speeches(text)[-1] == ("member", f"Dank u, minister, voor uw antwoord.\n\n{last}")


@pytest.mark.parametrize(
    ("last", "role"),
    [
        ("Dat zullen we doen.", "minister"),  # the government's "we"
        ("We nemen dat mee naar de regeling van de werkzaamheden.", "chair"),  # committee business
        ("Dan zullen we dat op de regeling van de werkzaamheden voorleggen.", "chair"),
        ("Ik stel voor dat we de minister na het reces opnieuw uitnodigen.", "chair"),  # not about oneself
        ("We nodigen de minister van Financiën uit om mee te werken.", "minister"),  # a colleague
    ],
)
def test_we_after_a_minister(last: str, role: str) -> None:
    text = (
        f"Minister Jansen heeft het woord.\n\nIk zal de studie voorstellen in de commissie.\n\n{last}\n\n"
        "De vraag om uitleg is afgehandeld.\n"
    )
    assert _speeches(text)[-1][0] == role


@pytest.mark.parametrize(
    ("request_", "answer"),
    [
        ("Voorzitter, ik stel voor dat we de regulator uitnodigen.", "Dat is goed, we plannen dat in."),
        ("Kan het secretariaat de presentatie aan de leden bezorgen?", "Het secretariaat bezorgt u de presentatie."),
        ("Ik stel voor dat we na het reces de gouverneur horen.", "Akkoord, we agenderen dat na het reces."),
    ],
)
def test_chair_answers_a_request_to_the_committee_before_giving_the_floor(request_: str, answer: str) -> None:
    text = (
        f"Mevrouw Peeters heeft het woord.\n\nDank u, minister.\n\n{request_}\n\n{answer}\n\n"
        "Minister Jansen heeft het woord.\n\nIk antwoord.\n"
    )
    assert _speeches(text)[1:] == [
        ("member", f"Dank u, minister.\n\n{request_}"),
        ("chair", f"{answer}\n\nMinister Jansen heeft het woord."),
        ("minister", "Ik antwoord."),
    ]


def test_member_keeps_a_committee_voice_paragraph_mid_item_without_a_request() -> None:
    text = (
        "Mevrouw Peeters heeft het woord.\n\nIk heb de cijfers gelezen.\n\nDat is goed, we plannen dat in.\n\n"
        "Minister Jansen heeft het woord.\n\nIk antwoord.\n"
    )
    assert _speeches(text)[1] == ("member", "Ik heb de cijfers gelezen.\n\nDat is goed, we plannen dat in.")


def test_minister_keeps_a_short_last_paragraph() -> None:
    text = (
        "Minister Jansen heeft het woord.\n\nIk antwoord.\n\nDat komt in orde.\n\nDe vraag om uitleg is afgehandeld.\n"
    )
    assert _speeches(text)[-1] == ("minister", "Ik antwoord.\n\nDat komt in orde.")


def test_labelled_speech_is_never_split() -> None:
    text = "De heer Claes (CD&V): Ik heb een vraag.\n\nDat doen we zeker.\n\nDe vraag om uitleg is afgehandeld.\n"
    assert _speeches(text) == [("member", "Ik heb een vraag.\n\nDat doen we zeker.")]


def test_single_paragraph_speech_is_never_split() -> None:
    text = "Mevrouw Peeters heeft het woord.\n\nDat doen we zeker.\n\nDe vraag om uitleg is afgehandeld.\n"
    assert _speeches(text)[-1] == ("member", "Dat doen we zeker.")


# --------------------------------------------------------------------------------------------------
# PDF-era inline layout
# --------------------------------------------------------------------------------------------------


def test_inline_labels_and_turn_giving() -> None:
    text = (
        "De voorzitter: De heer Anseeuw heeft het woord.\n\n"
        "De heer Björn Anseeuw (N-VA): Mevrouw de voorzitter, ik heb een vraag.\n\n"
        "Minister Hilde Crevits: Ik antwoord.\n"
    )
    chair, member, minister = parse_transcript(text).speeches
    assert (chair.role, chair.label, chair.text) == (
        "chair",
        "De voorzitter",
        "De heer Anseeuw heeft het woord.",
    )
    assert (member.label, member.name, member.party, member.text) == (
        "De heer Björn Anseeuw (N-VA)",
        "Björn Anseeuw",
        "N-VA",
        "Mevrouw de voorzitter, ik heb een vraag.",
    )
    assert (minister.role, minister.name) == ("minister", "Hilde Crevits")


def test_running_headers_and_page_numbers_are_dropped_and_split_paragraphs_rejoined() -> None:
    text = (
        "De heer Anseeuw (N-VA): De scholen vragen al lang\n\n"
        "Vlaams Parlement – Commissievergadering nr. C123 (2014-2015) – 3 maart 2015\n"
        "12\n\n"
        "om duidelijkheid.\n\n"
        "Commissievergadering nr. C123 (2014-2015) – 3 maart 2015 13\n\n"
        "Een nieuwe alinea.\n"
    )
    transcript = parse_transcript(text)
    (speech,) = transcript.speeches
    assert speech.text == "De scholen vragen al lang\nom duidelijkheid.\n\nEen nieuwe alinea."
    assert transcript.header.date == date(2015, 3, 3)
    assert transcript.header.parliamentary_year == "2014-2015"


def test_table_of_contents_entries_do_not_become_items() -> None:
    text = (
        "INHOUD\n\n"
        "VRAAG OM UITLEG van de heer Jan Peeters tot minister Ann Jansen over de scholen – 12 (2014-2015) 3\n"
        "\n"
        "INTERPELLATIE van mevrouw Els Claes tot minister Ann Jansen over de bussen – 15 (2014-2015) .... 7\n"
        "\n"
        "VRAAG OM UITLEG van de heer Jan Peeters tot minister Ann Jansen over de scholen – 12 (2014-2015)\n\n"
        "De voorzitter: De heer Peeters heeft het woord.\n\n"
        "De heer Jan Peeters (Groen): Vraag.\n\n"
        "De vraag om uitleg is afgehandeld.\n\n"
        "INTERPELLATIE van mevrouw Els Claes tot minister Ann Jansen over de bussen – 15 (2014-2015)\n\n"
        "De voorzitter: Mevrouw Claes heeft het woord.\n\n"
        "Mevrouw Els Claes (N-VA): Interpellatie.\n\n"
        "De interpellatie is afgehandeld.\n"
    )
    transcript = parse_transcript(text)
    assert [(i.position, i.kind, i.number, i.askers, i.addressed_to) for i in transcript.items] == [
        (0, "vraag_om_uitleg", "12 (2014-2015)", ("Jan Peeters",), "Ann Jansen"),
        (1, "interpellatie", "15 (2014-2015)", ("Els Claes",), "Ann Jansen"),
    ]
    assert [s.index for s in transcript.speeches] == [0, 1, 2, 3]
    assert [s.item_position for s in transcript.speeches] == [0, 0, 1, 1]
    assert transcript.items[1].notes[0].item_position == 1
    assert transcript.header.item_kind is None  # two kinds of item


@pytest.mark.parametrize(
    ("title", "kind", "askers", "addressed_to"),
    [
        (
            "VRAAG OM UITLEG van de heer Björn Anseeuw tot mevrouw Hilde Crevits, viceminister-president "
            "van de Vlaamse Regering, Vlaams minister van Onderwijs, over de leerkrachten – 2260 (2014-2015)",
            "vraag_om_uitleg",
            ("Björn Anseeuw",),
            "Hilde Crevits",
        ),
        (
            "Vraag om uitleg van mevrouw An Claes tot minister Jo Peeters over de bussen en van de heer Tim "
            "Wouters tot minister Jo Peeters over de trams – 44 (2019-2020)",
            "vraag_om_uitleg",
            ("An Claes", "Tim Wouters"),
            "Jo Peeters",
        ),
        (
            "INTERPELLATIE van de heer Jan Maes tot mevrouw Ann Smet, Vlaams minister van Onderwijs en van "
            "Welzijn, over de scholen – 7 (2014-2015)",
            "interpellatie",
            ("Jan Maes",),
            "Ann Smet",
        ),
        (
            "ACTUELE VRAAG van mevrouw Els Claes en de heer Jan Maes aan minister-president Geert Wouters "
            "over de begroting",
            "actuele_vraag",
            ("Els Claes", "Jan Maes"),
            "Geert Wouters",
        ),
        (
            "GEDACHTEWISSELING met minister Ben Weyts over het jaarprogramma",
            "gedachtewisseling",
            (),
            "Ben Weyts",
        ),
    ],
)
def test_item_titles(title: str, kind: str, askers: tuple[str, ...], addressed_to: str) -> None:
    transcript = parse_transcript(f"{title}\n\nDe voorzitter: Welkom.\n")
    (item,) = transcript.items
    assert (item.kind, item.askers, item.addressed_to) == (kind, askers, addressed_to)
    assert item.title == title


def test_speeches_before_any_title_form_item_zero() -> None:
    text = (
        "De voorzitter: Goedemorgen.\n\n"
        "GEDACHTEWISSELING over het jaarprogramma\n\n"
        "Minister Ben Weyts: Ik licht het programma toe.\n"
    )
    transcript = parse_transcript(text)
    assert [(i.position, i.kind, len(i.speeches)) for i in transcript.items] == [
        (0, "other", 1),
        (1, "gedachtewisseling", 1),
    ]


# --------------------------------------------------------------------------------------------------
# Handelingen layout
# --------------------------------------------------------------------------------------------------


def test_labels_alone_on_their_line() -> None:
    text = (
        "Handelingen I 2009-2010, nr. 29 – blz. 1223\n\n"
        "Minister Donner:\nVoorzitter. Ik ben bereid om de Kamer te informeren.\n\n(…)\n\n"
        "Dat zeg ik toe.\n\n"
        "Mevrouw Goyert (CDA):\nDank u.\n\n"
        "De heer Ester:\nNog een vraag.\n\n"
        "De voorzitter:\nIk dank de minister.\n"
    )
    transcript = parse_transcript(text)
    assert [(s.role, s.label, s.name, s.party) for s in transcript.speeches] == [
        ("minister", "Minister Donner", "Donner", None),
        ("member", "Mevrouw Goyert (CDA)", "Goyert", "CDA"),
        ("member", "De heer Ester", "Ester", None),
        ("chair", "De voorzitter", "", None),
    ]
    assert transcript.speeches[0].text == (
        "Voorzitter. Ik ben bereid om de Kamer te informeren.\n\n(…)\n\nDat zeg ik toe."
    )
    assert transcript.speeches[0].line == 3
    assert transcript.header.parliamentary_year == "2009-2010"


def test_inline_handelingen_label() -> None:
    text = (
        "Minister Ollongren: Dan een vraag van mevrouw Nooren (…) over de aantallen.\n\n"
        "Mevrouw Bikker (ChristenUnie): Ja.\n"
    )
    first, second = parse_transcript(text).speeches
    assert (first.label, first.text) == (
        "Minister Ollongren",
        "Dan een vraag van mevrouw Nooren (…) over de aantallen.",
    )
    assert (second.party, second.text) == ("ChristenUnie", "Ja.")


@pytest.mark.parametrize(
    "line",
    [
        "Minister, u zei: dat klopt niet.",
        "Mevrouw de voorzitter, collega's, ik heb drie vragen: één, twee en drie.",
        "De Standaard: een krant.",
        "Conclusie: het werkt.",
    ],
)
def test_colons_in_running_text_are_no_labels(line: str) -> None:
    transcript = parse_transcript(f"Mevrouw Peeters heeft het woord.\n\nEerst dit.\n\n{line}\n")
    assert [s.role for s in transcript.speeches] == ["chair", "member"]
    assert transcript.speeches[1].text.endswith(line)


# --------------------------------------------------------------------------------------------------
# Notes
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "(Gelach)",
        "(Applaus)",
        "– De vergadering wordt geschorst om 11.32 uur.",
        "– De vergadering wordt hervat om 11.40 uur.",
        "– De heer Jan Maes neemt het voorzitterschap over.",
        "De beraadslaging wordt gesloten.",
    ],
)
def test_editorial_lines_become_notes_inside_a_speech(line: str) -> None:
    text = f"Minister Jansen heeft het woord.\n\nEerst dit.\n\n{line}\n\nDan dat.\n"
    transcript = parse_transcript(text)
    assert transcript.speeches[1].text == "Eerst dit.\n\nDan dat."
    assert [(n.kind, n.text, n.line, n.item_position) for n in transcript.items[0].notes] == [("editorial", line, 5, 0)]


def test_list_items_with_dashes_stay_speech() -> None:
    text = "Minister Jansen heeft het woord.\n\nIk noem er twee:\n\n– Er is de oproep voor scholen.\n\n- de databank.\n"
    assert parse_transcript(text).speeches[1].text == (
        "Ik noem er twee:\n\n– Er is de oproep voor scholen.\n\n- de databank."
    )


@pytest.mark.parametrize(
    ("closer", "kind"),
    [
        ("De vraag om uitleg is afgehandeld.", "vraag_om_uitleg"),
        ("De vragen om uitleg zijn afgehandeld.", "vraag_om_uitleg"),
        ("De interpellatie is afgehandeld.", "interpellatie"),
        ("De actuele vraag is afgehandeld.", "actuele_vraag"),
        ("De gedachtewisseling is afgehandeld.", "gedachtewisseling"),
    ],
)
def test_closers(closer: str, kind: str) -> None:
    transcript = parse_transcript(f"Mevrouw Peeters heeft het woord.\n\nVraag.\n\n{closer}\n")
    (item,) = transcript.items
    assert item.kind == kind
    assert transcript.header.item_kind == kind
    assert [(n.kind, n.text) for n in item.notes] == [("closer", closer)]


def test_closer_after_a_chair_label() -> None:
    text = "De heer Claes (CD&V): Vraag.\n\nDe voorzitter: De vraag om uitleg is afgehandeld.\n"
    transcript = parse_transcript(text)
    assert [s.text for s in transcript.speeches] == ["Vraag."]
    assert [(n.kind, n.text, n.line) for n in transcript.items[0].notes] == [
        ("closer", "De vraag om uitleg is afgehandeld.", 3)
    ]


def test_notes_after_a_closer_go_to_the_next_item_unless_they_are_motions() -> None:
    text = (
        "Mevrouw Peeters heeft het woord.\n\nVraag.\n\nDe interpellatie is afgehandeld.\n\n"
        "– Door mevrouw Peeters werd een met redenen omklede motie ingediend.\n\n"
        "– Wegens de coronamaatregelen werd deze vraag om uitleg via videoconferentie behandeld.\n\n"
        "De heer Maes heeft het woord.\n\nTweede vraag.\n\nDe vraag om uitleg is afgehandeld.\n"
    )
    first, second = parse_transcript(text).items
    assert [n.kind for n in first.notes] == ["closer", "editorial"]
    assert "motie" in first.notes[1].text
    assert [n.text[:20] for n in second.notes] == ["– Wegens de coronama", "De vraag om uitleg i"]
    assert (first.kind, second.kind) == ("interpellatie", "vraag_om_uitleg")


# --------------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Mevrouw Vandromme", ("Vandromme", "Vandromme", "Mevrouw", None, None)),
        ("Minister Hilde Crevits", ("Hilde Crevits", "Crevits", None, None, "Minister")),
        ("Joris Poschet (CD&V)", ("Joris Poschet", "Poschet", None, "CD&V", None)),
        ("De heer Jos De Meyer (CD&V)", ("Jos De Meyer", "De Meyer", "De heer", "CD&V", None)),
        ("Elke Van den Brandt (Groen)", ("Elke Van den Brandt", "Van den Brandt", None, "Groen", None)),
        ("Vlaams minister Ben Weyts", ("Ben Weyts", "Weyts", None, None, "Vlaams minister")),
        ("Minister-president Jan Jambon", ("Jan Jambon", "Jambon", None, None, "Minister-president")),
        (
            "Viceminister-president Hilde Crevits",
            ("Hilde Crevits", "Crevits", None, None, "Viceminister-president"),
        ),
        ("Staatssecretaris Knops:", ("Knops", "Knops", None, None, "Staatssecretaris")),
        ("De voorzitter", ("", "", None, None, "Voorzitter")),
        ("Mevrouw de voorzitter", ("", "", "Mevrouw", None, "Voorzitter")),
        ("Mr. M.H. Bikker (ChristenUnie)", ("M.H. Bikker", "Bikker", "Mr.", "ChristenUnie", None)),
        (
            "Mevrouw Faber-van de Klashorst (PVV)",
            ("Faber-van de Klashorst", "Faber-van de Klashorst", "Mevrouw", "PVV", None),
        ),
        ("de heer Björn Anseeuw", ("Björn Anseeuw", "Anseeuw", "De heer", None, None)),
        (
            "mevrouw Hilde Crevits, viceminister-president van de Vlaamse Regering",
            ("Hilde Crevits", "Crevits", "Mevrouw", None, "Viceminister-president"),
        ),
        ("De Minister van Binnenlandse Zaken", ("", "", None, None, "Minister")),
    ],
)
def test_normalise_name(label: str, expected: tuple) -> None:
    assert normalise_name(label) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Vandromme", "Katrien Vandromme", True),
        ("Crevits", "Hilde Crevits", True),
        ("Mevrouw Vandromme", "Katrien Vandromme (CD&V)", True),
        ("Minister Crevits", "Viceminister-president Hilde Crevits", True),
        ("Van den Brandt", "Elke Van den Brandt", True),
        ("van den brandt", "Elke Van den Brandt", True),
        ("Daniëls", "Koen Daniels", True),
        ("K. Daniëls", "Koen Daniëls", True),
        ("Hilde Crevits", "Jan Crevits", False),
        ("Vandromme", "Claes", False),
        ("Brandt", "Elke Van den Brandt", False),
        ("", "Claes", False),
        ("De voorzitter", "De voorzitter", False),  # no surname: never the same known person
    ],
)
def test_same_person(a: str, b: str, expected: bool) -> None:
    assert same_person(a, b) is expected
    assert same_person(b, a) is expected


# --------------------------------------------------------------------------------------------------
# Errors, purity and limits
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "Gewone tekst zonder sprekers.\n\nNog een alinea.",
        "U bent hier\n\nVergadering bijwonen\n",
    ],
)
def test_no_speakers_is_a_transcript_error(text: str) -> None:
    with pytest.raises(TranscriptError, match="geen sprekers gevonden"):
        parse_transcript(text)


def test_error_names_the_file_when_given() -> None:
    with pytest.raises(TranscriptError, match=r"^verslag\.txt: geen sprekers gevonden"):
        parse_transcript("Niets.", filename="verslag.txt")
    # Callers that name the file themselves get the bare reason.
    with pytest.raises(TranscriptError, match=r"^geen sprekers gevonden"):
        parse_transcript("Niets.")


def test_bytes_are_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_transcript(b"Minister Donner: ja.")  # type: ignore[arg-type]


def test_extraction_package_does_not_import_django() -> None:
    package = ROOT / "tracker" / "extraction"
    for path in package.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path.name


PATHOLOGICAL = [
    "a" * 2_000_000,
    "Mevrouw " * 250_000,
    "De heer " * 250_000 + ":",
    "(" * 2_000_000,
    "heeft het woord " * 130_000 + ".",
    "VRAAG OM UITLEG van " * 100_000,
    "van de heer Jan tot " * 100_000,
    ("Mevrouw Peeters heeft het woord.\n" + "x " * 50 + "\n") * 15_000,
    "\n" * 2_000_000,
    ":" * 2_000_000,
    "– " * 1_000_000 + ".",
    "Minister Jan " * 150_000 + ": tekst",
]


@pytest.mark.parametrize("text", PATHOLOGICAL, ids=lambda text: repr(text[:20]))
def test_pathological_input_is_linear(text: str) -> None:
    start = time.thread_time()
    with contextlib.suppress(TranscriptError):
        parse_transcript(text)
    assert time.thread_time() - start < 5


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Mevrouw " * 1_300_000,
        ("Minister Jansen: " + "tekst " * 20 + "\n") * 80_000,
        "(Gelach)\n" * 1_100_000,
        "a\n" * 5_000_000,  # the worst case: five million lines, each tried against every rule
    ],
    ids=["one-line", "labels", "notes", "short-lines"],
)
def test_ten_megabytes_of_pathological_input(text: str) -> None:
    # Cost is linear in the number of lines (a few microseconds each); nothing may backtrack.
    start = time.thread_time()
    with contextlib.suppress(TranscriptError):
        parse_transcript(text)
    assert time.thread_time() - start < 60


# --------------------------------------------------------------------------------------------------
# Fuzzing
# --------------------------------------------------------------------------------------------------

MARKERS = [
    "Mevrouw Vandromme heeft het woord.",
    "De heer Van den Brandt heeft het woord.",
    "Minister Crevits heeft het woord.",
    "Minister Hilde Crevits",
    "Joris Poschet (CD&V)",
    "De voorzitter",
    "Voorzitter",
    "De voorzitter: De heer Anseeuw heeft het woord.",
    "De heer Björn Anseeuw (N-VA): Mevrouw de voorzitter, ik heb een vraag.",
    "Minister Donner:",
    "Minister Ollongren: Dat zeg ik toe.",
    "Mevrouw Goyert (CDA):",
    "De vraag om uitleg is afgehandeld.",
    "De interpellatie is afgehandeld.",
    "– Wegens de coronamaatregelen werd deze vraag om uitleg via videoconferentie behandeld.",
    "– De vergadering wordt",
    "(Gelach)",
    "(…)",
    "U bent hier",
    "Vergadering bijwonen",
    "Commissievergadering",
    "woensdag 7 juni 2017, 10.00u",
    "van Elke Van den Brandt aan minister Sven Gatz",
    "2229 (2016-2017)",
    "VRAAG OM UITLEG van de heer Björn Anseeuw tot mevrouw Hilde Crevits, viceminister-president van",
    "de Vlaamse Regering, over de leraren – 2260 (2014-2015) 3",
    "INTERPELLATIE van mevrouw An Claes tot minister Jo Peeters en van de heer Tim Wouters tot minister",
    "Vlaams Parlement – Commissievergadering nr. C123 (2014-2015) – 3 maart 2015",
    "12",
    "Handelingen I 2009-2010, nr. 29 – blz. 1223",
    "Dat doen we zeker.",
    "Dank u, mevrouw Vandromme.",
    "Ik hoop dat jullie dat meenemen.",
    "Report meeting Commissie voor Onderwijs",
    "",
    "",
]

lines = st.one_of(st.sampled_from(MARKERS), st.text(max_size=80), st.text(alphabet=" :()–-.\n\t\r", max_size=10))
marker_texts = st.lists(lines, max_size=40).map("\n".join)


def _check(text: str) -> None:
    try:
        transcript = parse_transcript(text)
    except TranscriptError:
        return
    assert isinstance(transcript, Transcript)
    source_lines = {line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")}
    source = "\n".join(source_lines)
    speeches = transcript.speeches
    assert speeches
    assert [s.index for s in speeches] == list(range(len(speeches)))
    assert [i.position for i in transcript.items] == list(range(len(transcript.items)))
    for item in transcript.items:
        assert item.kind in ITEM_KINDS
        assert all(s.item_position == item.position for s in item.speeches)
        assert all(n.item_position == item.position for n in item.notes)
    for speech in speeches:
        assert speech.role in ROLES
        assert speech.text
        # Every line of a speech is (the end of) an input line: nothing invented, nothing reordered
        # inside a line.
        for line in speech.text.split("\n"):
            if line:
                assert line in source
    for note in transcript.notes + tuple(n for i in transcript.items for n in i.notes):
        for line in note.text.split("\n"):
            assert line in source


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_fuzz_any_text(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(marker_texts)
def test_fuzz_marker_mix(text: str) -> None:
    _check(text)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(marker_texts, st.text(max_size=2000)))
def test_fuzz_heavy(text: str) -> None:
    _check(text)
