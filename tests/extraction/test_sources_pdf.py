"""PDF reports: page furniture and hyphenation removed, then the same parser.

The fixture is rendered from the real Vlaams Parlement example (tests/samples/pdf/render_examples.py;
no public copy of a real report PDF was found in a public repository): four A5 pages, each with a
running header, an address footer and a page number.
"""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from tracker.extraction import TranscriptError, decode_transcript, parse_transcript
from tracker.extraction.sources.pdf import _join_hyphens

PDF = Path(__file__).resolve().parent.parent / "samples" / "pdf" / "vlaams-parlement-03.pdf"


@pytest.fixture(scope="module")
def decoded():
    return decode_transcript(PDF.read_bytes(), filename=PDF.name)


def test_furniture_dropped_and_said_so(decoded):
    text, warnings = decoded
    assert warnings == ["vlaams-parlement-03.pdf: PDF: 4 pagina's, kop- en voetregels verwijderd (12 regels)."]
    raw = "\n".join(page.extract_text() for page in PdfReader(PDF).pages)
    assert "www.vlaamsparlement.be" in raw and "Commissievergadering nr. C118" in raw  # they were there
    assert "vlaamsparlement" not in text and "Commissievergadering" not in text
    assert not any(line.strip().isdigit() for line in text.splitlines())


def test_hyphenated_words_are_joined(decoded):
    text, _ = decoded
    raw = "\n".join(page.extract_text() for page in PdfReader(PDF).pages)
    assert "burgerparticipatie met unan-" in raw
    assert "unanimiteit" in text and "unan-" not in text
    assert "succesfactor" in text


def test_speakers_through_the_same_parser(decoded):
    text, _ = decoded
    speeches = parse_transcript(text).speeches
    assert [(s.role, s.name) for s in speeches] == [
        ("chair", ""),
        ("member", "Schiltz"),
        ("chair", ""),
        ("minister", "Lydia Peeters"),
    ]
    assert speeches[1].text.startswith("Minister, in februari 2018, een klein jaar geleden dus")
    # A paragraph that runs over a page break continues in the same speech.
    assert "gegeven en resulteerde in het rapport" in speeches[1].text


def test_hyphen_join_keeps_real_compounds():
    assert _join_hyphens(["de Noord-", "Zuidverbinding"]) == ["de Noord-", "Zuidverbinding"]
    assert _join_hyphens(["een toezeg-", "ging van de minister"]) == ["een toezegging", "van de minister"]


def test_pdf_without_text_is_refused_as_a_scan():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(
        TranscriptError, match=r"scan\.pdf: de PDF bevat geen tekst \(1 pagina's\), waarschijnlijk een scan"
    ):
        decode_transcript(buffer.getvalue(), filename="scan.pdf")


def test_encrypted_pdf_is_refused():
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password="geheim", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(TranscriptError, match=r"slot\.pdf is een beveiligde \(versleutelde\) PDF"):
        decode_transcript(buffer.getvalue(), filename="slot.pdf")


def test_broken_pdf_is_refused_by_name():
    with pytest.raises(TranscriptError, match=r"stuk\.pdf"):
        decode_transcript(b"%PDF-1.7\n" + b"\x00garbage" * 50, filename="stuk.pdf")


def test_pdf_may_have_its_own_byte_cap():
    data = PDF.read_bytes()
    with pytest.raises(TranscriptError, match="te groot"):
        decode_transcript(data, filename="v.pdf", max_bytes=100)
    text, _ = decode_transcript(data, filename="v.pdf", max_bytes=100, pdf_max_bytes=len(data))
    assert "Schiltz" in text
