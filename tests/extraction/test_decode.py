"""Tests for turning uploaded bytes into transcript text."""

from __future__ import annotations

import codecs

import pytest

from tracker.extraction.decode import TranscriptError, decode_transcript
from tracker.extraction.parser import parse_transcript

SAMPLE = "Mevrouw Vandromme heeft het woord.\n\nMinister, collega’s, één vraag: wat plant u?\n"


def test_plain_utf8_is_returned_unchanged() -> None:
    assert decode_transcript(SAMPLE.encode("utf-8")) == (SAMPLE, [])


@pytest.mark.parametrize(
    "data", [b"", b"   ", b"\n\r\n\t \n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b" \n", "\u00a0\n".encode()]
)
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(TranscriptError, match=r"^verslag\.txt is leeg\.$"):
        decode_transcript(data, filename="verslag.txt")


def test_too_large_input_is_refused_unread_with_size_and_limit(monkeypatch) -> None:
    def read(*args, **kwargs):
        raise AssertionError("the content of an oversized upload was read")

    monkeypatch.setattr("tracker.extraction.decode._decode_bytes", read)
    data = b"a" * 10_485_760
    with pytest.raises(TranscriptError) as error:
        decode_transcript(data, filename="groot.txt")
    message = str(error.value)
    assert message.startswith("groot.txt is te groot")
    assert "10.485.760 bytes" in message and "5.000.000 bytes" in message


def test_limit_is_configurable() -> None:
    decode_transcript(b"x" * 100, max_bytes=100)
    with pytest.raises(TranscriptError, match="101 bytes"):
        decode_transcript(b"x" * 101, max_bytes=100)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Mevrouw\x00Vandromme heeft het woord.", "binair"),
        (bytes(range(1, 32)) * 50 + b"tekst", "binair"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", r"\.doc"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
    ],
)
def test_binary_input_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(TranscriptError, match=reason) as error:
        decode_transcript(data, filename="upload.bin")
    assert str(error.value).startswith("upload.bin ")


def test_transcript_error_is_a_value_error() -> None:
    assert issubclass(TranscriptError, ValueError)


def test_utf8_bom_is_stripped() -> None:
    text, warnings = decode_transcript(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"))
    assert text == SAMPLE
    assert warnings == []


def test_invalid_utf8_is_read_as_cp1252_with_a_warning() -> None:
    data = "Minister Crevits: “Ik bezorg u de nota’s vóór 1 mei.” – 50 €\n".encode("cp1252")
    text, warnings = decode_transcript(data, filename="oud.txt")
    assert text == "Minister Crevits: “Ik bezorg u de nota’s vóór 1 mei.” – 50 €\n"
    (warning,) = warnings
    assert warning.startswith("oud.txt: geen geldige UTF-8")
    assert "Windows-1252" in warning


def test_bytes_undefined_in_cp1252_are_kept_as_latin1() -> None:
    text, warnings = decode_transcript(b"De heer X: caf\xe9 \x81 \x9d tekst")
    assert text == "De heer X: café \x81 \x9d tekst"
    assert len(warnings) == 1


def test_utf16_with_bom_is_decoded() -> None:
    text, warnings = decode_transcript(SAMPLE.encode("utf-16"), filename="w.txt")
    assert text == SAMPLE
    assert warnings == ["w.txt: gelezen als UTF-16."]


@pytest.mark.parametrize("ending", ["\r\n", "\r"])
def test_line_endings_are_normalised(ending: str) -> None:
    text, _ = decode_transcript(SAMPLE.replace("\n", ending).encode("utf-8"))
    assert text == SAMPLE


HTML = """<!DOCTYPE html>
<html lang="nl">
<head><title>Verslag</title><style>p { color: red; }</style>
<script>var x = "<p>Mevrouw X heeft het woord.</p>";</script></head>
<body>
<nav><a href="/">U bent hier</a></nav>
<main>
<p>Mevrouw Vandromme heeft het
   woord.</p>
<h2>Katrien Vandromme (CD&amp;V)</h2>
<p>Minister, collega&#8217;s, &eacute;&eacute;n vraag.<br>Een tweede regel.</p>
<div>Minister Crevits heeft het woord.</div>
<p>Ik bezorg u de nota &lt;vandaag&gt;.</p>
<noscript>Zet JavaScript aan.</noscript>
</main>
</body></html>
"""


def test_html_is_reduced_to_text_with_a_warning() -> None:
    text, warnings = decode_transcript(HTML.encode("utf-8"), filename="pagina.html")
    assert warnings == ["pagina.html: HTML herkend; de opmaak is verwijderd en alleen de tekst is behouden."]
    assert text == (
        "Verslag\n\nU bent hier\n\nMevrouw Vandromme heeft het woord.\n\nKatrien Vandromme (CD&V)\n\n"
        "Minister, collega’s, één vraag.\nEen tweede regel.\n\nMinister Crevits heeft het woord.\n\n"
        "Ik bezorg u de nota <vandaag>.\n"
    )
    assert "color" not in text and "var x" not in text and "JavaScript" not in text


def test_html_fragment_with_many_tags_is_recognised() -> None:
    fragment = (
        "<p>Mevrouw Peeters heeft het woord.</p>\n<p>Vraag.</p>\n<p>Minister Jansen heeft het woord.</p>\n"
        "<p>Antwoord.</p>\n<p>Dank u.</p>"
    )
    text, warnings = decode_transcript(fragment.encode("utf-8"))
    assert text.startswith("Mevrouw Peeters heeft het woord.\n\nVraag.\n\n")
    assert len(warnings) == 1


def test_text_mentioning_a_tag_is_not_html() -> None:
    data = b"De heer X (N-VA): de tag <p> staat in de code.\n"
    assert decode_transcript(data) == (data.decode(), [])


def test_decoded_html_parses() -> None:
    text, _ = decode_transcript(HTML.encode("utf-8"))
    speeches = parse_transcript(text).speeches
    assert [(s.role, s.label) for s in speeches] == [
        ("chair", "De voorzitter"),
        ("member", "Katrien Vandromme (CD&V)"),
        ("chair", "De voorzitter"),
        ("minister", "Minister Crevits"),
    ]
    assert speeches[1].text == "Minister, collega’s, één vraag.\nEen tweede regel."


def test_html_with_only_markup_is_empty() -> None:
    with pytest.raises(TranscriptError, match="is leeg"):
        decode_transcript(b"<!DOCTYPE html><html><head><script>x()</script></head><body></body></html>")
