"""ParlaMint TEI (ParlaMint-NL and ParlaMint-BE samples, CC BY 4.0): speakers through the person list."""

from pathlib import Path

import pytest

from tracker.extraction import TranscriptError, decode_transcript, parse_transcript
from tracker.extraction.sources.parlamint_tei import read_parlamint

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "parlamint"
NL = SAMPLES / "ParlaMint-NL_2017-01-26-tweedekamer-4.xml"
NL_PERSONS = SAMPLES / "ParlaMint-NL-listPerson.xml"
BE = SAMPLES / "ParlaMint-BE_2022-07-13-voorlopig-55-commissie-ic862x.xml"


def decode(path, persons=None):
    return decode_transcript(path.read_bytes(), filename=path.name, person_list=persons)


def test_nl_chair_resolved_through_the_person_list():
    text, warnings = decode(NL, NL_PERSONS.read_bytes())
    assert (
        warnings[0]
        == "ParlaMint-NL_2017-01-26-tweedekamer-4.xml: ParlaMint-TEI herkend: 4 tussenkomsten op 2017-01-26."
    )
    transcript = parse_transcript(text)
    assert transcript.header.date.isoformat() == "2017-01-26"
    (item,) = transcript.items
    assert item.title == "Verbod op winstuitkering door zorgverzekeraars"
    speeches = transcript.speeches
    assert [(s.role, s.name, s.party) for s in speeches] == [
        ("chair", "Khadija Arib", None),
        ("member", "Bouwmeester", "PvdA"),  # not in the trimmed list: her printed label is used
        ("chair", "Khadija Arib", None),
        ("chair", "Khadija Arib", None),
    ]
    paragraphs = speeches[1].text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Voorzitter. Drie partijen")
    assert paragraphs[-1].startswith("Draagt het uitkeren van winst")
    assert "(De algemene beraadslaging wordt gesloten.)" in [note.text for note in item.notes]
    assert any("LeaBouwmeester" in w and "niet in de personenlijst" in w for w in warnings)
    assert any("1 weggelaten passage" in w for w in warnings)


def test_without_person_list_the_chair_keeps_its_printed_role():
    text, _ = decode(NL)
    speeches = parse_transcript(text).speeches
    assert (speeches[0].role, speeches[0].name, speeches[0].label) == ("chair", "", "De voorzitter")


def test_party_and_function_at_the_sitting_date():
    """Wopke Hoekstra (real list entry): CDA member, Minister of Finance from 2017-10-26."""
    persons = NL_PERSONS.read_bytes()
    sitting = NL.read_bytes().replace(b'"#LeaBouwmeester"', b'"#WopkeHoekstra"')
    text, _ = read_parlamint(sitting, filename="nl.xml", person_list=persons)
    assert "Mevrouw Bouwmeester (PvdA):" not in text
    # On 2017-01-26 he was not yet minister: a member, labelled with his party.
    assert "De heer Wopke Hoekstra (CDA):" in text
    later = sitting.replace(b'when="2017-01-26"', b'when="2019-05-16"')
    text, _ = read_parlamint(later, filename="nl.xml", person_list=persons)
    assert "Minister Wopke Hoekstra:" in text
    speech = next(s for s in parse_transcript(text).speeches if s.surname == "Hoekstra")
    assert (speech.role, speech.function) == ("minister", "Minister")


def test_be_numbered_labels_and_questions_as_items():
    text, warnings = decode(BE)
    transcript = parse_transcript(text)
    assert transcript.header.date.isoformat() == "2022-07-13"
    question = transcript.items[-1]
    assert question.title.startswith("01 Vraag van Roberto D'Amico aan Mathieu Michel")
    assert [(s.role, s.name, s.party) for s in question.speeches] == [
        ("member", "Roberto D'Amico", "PVDA-PTB"),
        ("member", "Olivier Vajda", "Ecolo-Groen"),
    ]
    chair = transcript.items[0].speeches[0]
    assert chair.role == "chair"  # "La présidente:" with ana="#chair"
    assert chair.text.startswith("Les questions n° 55028132C")
    # The Kamer prints each remark in both languages; the French copy is counted, not doubled.
    notes = [note.text for item in transcript.items for note in item.notes]
    assert "(Het incident is gesloten.)" in notes
    assert not any("clos" in note for note in notes)
    assert any("4 opmerking(en) van de griffie in een andere taal" in w for w in warnings)


def test_utterance_with_neither_person_nor_label_is_refused():
    anonymous = NL.read_bytes().replace(b"Mevrouw Bouwmeester (PvdA)</note>", b"</note>")
    anonymous = anonymous.replace(
        b'<note type="speaker" xml:id="ParlaMint-NL_2017-01-26-tweedekamer-4.note4"></note>', b""
    )
    with pytest.raises(
        TranscriptError, match=r"nl\.xml: tussenkomst .*u2 van #LeaBouwmeester heeft geen sprekerslabel"
    ):
        decode_transcript(anonymous, filename="nl.xml")


def test_tei_without_speakers_is_refused():
    empty = b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div><head>Niets</head></div></body></text></TEI>'
    with pytest.raises(TranscriptError, match=r"leeg\.xml: TEI zonder sprekers"):
        decode_transcript(empty, filename="leeg.xml")


def test_broken_person_list_is_named():
    with pytest.raises(TranscriptError, match=r"nl\.xml \(personenlijst\) is geen geldige TEI-personenlijst"):
        decode_transcript(NL.read_bytes(), filename="nl.xml", person_list=b"<listPerson><person>")
