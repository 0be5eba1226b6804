"""Official Handelingen XML (officielebekendmakingen h-tk-…): real files, through decode → parser → detector."""

from pathlib import Path

import pytest

from tracker.extraction import TranscriptError, decode_transcript, detect_commitments, parse_transcript

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "handelingen"
VAO = SAMPLES / "h-tk-20172018-61-10.xml"
OPENING = SAMPLES / "h-tk-20172018-50-1.xml"


@pytest.fixture(scope="module")
def vao():
    text, warnings = decode_transcript(VAO.read_bytes(), filename=VAO.name)
    return text, warnings, parse_transcript(text)


def test_recognised_and_said_so(vao):
    _, warnings, _ = vao
    assert warnings == [
        "h-tk-20172018-61-10.xml: Officiële Handelingen-XML herkend: 1 agendapunt(en), 41 spreekbeurten."
    ]


def test_agenda_item_keeps_its_official_title(vao):
    _, _, transcript = vao
    (item,) = transcript.items
    assert item.title == "Ondernemen en Bedrijfsfinanciering"
    assert item.kind == "other"
    # The clerk's line under the title and the closing of the debate are notes, not speech.
    notes = [note.text for note in item.notes]
    assert "– Aan de orde is het VAO Ondernemen en Bedrijfsfinanciering (AO d.d. 22/02)." in notes
    assert "De beraadslaging wordt gesloten." in notes


def test_speakers_parties_functions_and_chair(vao):
    _, _, transcript = vao
    speeches = transcript.speeches
    first = [(s.role, s.name, s.party, s.function) for s in speeches[:3]]
    assert first == [
        ("chair", "", None, "Voorzitter"),
        ("member", "Wörsdörfer", "VVD", None),
        ("chair", "", None, "Voorzitter"),  # the chair numbering the motion (<motie-info>)
    ]
    by_label = {s.label: s for s in speeches}
    assert by_label["De heer Van der Lee (GroenLinks)"].surname == "Van der Lee"
    assert by_label["Staatssecretaris Keijzer"].role == "minister"
    assert by_label["Staatssecretaris Keijzer"].function == "Staatssecretaris"
    assert {s.party for s in speeches if s.role == "member"} == {"VVD", "D66", "GroenLinks", "PVV", "CDA"}
    assert sum(s.label == "Staatssecretaris Keijzer" for s in speeches) == 7


def test_paragraph_order_and_motions_stay_with_their_speaker(vao):
    _, _, transcript = vao
    speech = transcript.speeches[1]
    paragraphs = speech.text.split("\n\n")
    assert paragraphs[0].startswith("Dank u wel, voorzitter. Veel mkb-ondernemers")
    assert paragraphs[1].startswith("In het rapport van de Wereldbank bungelt Nederland")
    assert paragraphs[2:4] == ["Motie", "De Kamer,"]
    assert paragraphs[-1] == "en gaat over tot de orde van de dag."
    # Loose text between turns is the chair's ("Gaat u verder."), not the previous speaker's.
    chair, resumed = transcript.speeches[2:4]
    assert chair.role == "chair" and chair.text.split("\n\n")[-1] == "Gaat u verder."
    assert resumed.name == "Wörsdörfer" and resumed.text.startswith("We spraken ook over financieringsfondsen")


def test_proposals_come_from_the_same_detector(vao):
    _, _, transcript = vao
    found = detect_commitments(transcript, reference_date=None, threshold=0.5)
    quotes = {(c.speaker, c.quote) for c in found}
    assert ("Keijzer", "Ik wil daar ook zeker op terugkomen bij de Kamer.") in quotes
    assert all(c.role == "minister" for c in found)


def test_sitting_without_speaking_turns_is_refused_by_name():
    # The real opening of a sitting: attendance only, nobody speaks.
    with pytest.raises(TranscriptError, match=r"h-tk-20172018-50-1\.xml: Handelingen-XML zonder sprekers"):
        decode_transcript(OPENING.read_bytes(), filename=OPENING.name)


def test_broken_xml_names_file_and_line():
    broken = VAO.read_bytes().replace(b"</spreker>", b"", 1)
    with pytest.raises(TranscriptError, match=r"kapot\.xml is geen geldige Handelingen-XML: regel \d+"):
        decode_transcript(broken, filename="kapot.xml")


def test_entities_are_not_expanded():
    hostile = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"<officiele-publicatie><handelingen><agendapunt><item-titel>T</item-titel><spreekbeurt>"
        b"<spreker>De voorzitter:</spreker><tekst><al>Voor &secret; na.</al></tekst></spreekbeurt>"
        b"</agendapunt></handelingen></officiele-publicatie>"
    )
    text, _ = decode_transcript(hostile, filename="x.xml")
    assert "root:" not in text
