"""Importing a minister's letter (issue #15): formats, bad input, idempotence, dry run, matching on import."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import KST_LETTER_XML as KST_XML
from tests.factories import LETTER_TEXT, letter_commitment
from tracker.letters import services
from tracker.letters.models import Document, LetterMatch, MatchState
from tracker.letters.reading import TranscriptError, read_letter

pytestmark = pytest.mark.django_db


def _pdf(text: str) -> bytes:
    """A one-page PDF with the text, written with pypdf's own objects (no PDF fixture file needed)."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    lines = " ".join(f"({line}) Tj T*" for line in text.splitlines())
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 10 Tf 12 TL 40 800 Td {lines} ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def promise():
    return letter_commitment(
        quote="Ik zal de Kamer voor de zomer de evaluatie van de eigen bijdrage wijkverpleging sturen.",
        sitting_date=datetime.date(2023, 3, 12),
        sitting_title="Commissiedebat Zorgverzekeringsstelsel",
    )


@pytest.fixture
def distractor():
    return letter_commitment(
        quote="Ik stuur de Kamer een brief over de wachtlijsten in de jeugdzorg.",
        promiser="Hugo de Jonge",
        sitting_date=datetime.date(2023, 2, 1),
        sitting_title="Commissiedebat Jeugd",
    )


def test_plain_text_letter_is_stored_and_its_commitment_proposed_first(promise, distractor):
    letter = services.letter_read(data=LETTER_TEXT.encode(), filename="brief.txt")
    report = services.letter_import(letter=letter, date=datetime.date(2023, 5, 2))
    doc = report.document
    assert doc.pk and doc.title == "Evaluatie eigen bijdrage wijkverpleging"
    assert doc.sender == "De Minister van Volksgezondheid, Welzijn en Sport, E.I. Schippers"
    assert [m.commitment for m in report.proposals][:1] == [promise]
    kinds = {r["kind"] for r in report.proposals[0].reasons}
    assert {"minister", "date", "words", "deliverable"} <= kinds
    assert distractor.pk not in {m.commitment_id for m in report.proposals}
    assert LetterMatch.objects.get(commitment=promise).state == MatchState.PROPOSED


def test_kamerstuk_xml_gives_number_date_title_and_signature(promise):
    letter = read_letter(KST_XML.encode(), filename="kst-29689-1203.xml")
    assert letter.number == "kamerstuk 29689, nr. 1203"
    assert letter.date == datetime.date(2023, 5, 2)
    assert letter.title.startswith("Zorgverzekeringsstelsel; Brief regering")
    assert "Schippers" in letter.sender
    report = services.letter_import(letter=letter)
    assert report.proposals[0].commitment == promise


def test_html_letter_is_read_as_text(promise):
    html = (
        "<html><body><h1>Evaluatie</h1>" + "".join(f"<p>{p}</p>" for p in LETTER_TEXT.split("\n\n")) + "</body></html>"
    )
    letter = read_letter(html.encode(), filename="brief.html")
    assert "<p>" not in letter.text and "toezegging na" in letter.text


def test_pdf_letter_is_read_through_the_pdf_reader():
    letter = read_letter(_pdf("Geachte voorzitter,\nHiermee kom ik mijn toezegging na."), filename="brief.pdf")
    assert "toezegging na" in letter.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "leeg"),
        (b"PK\x03\x04" + b"\x00" * 100, "ZIP"),
        (b"<officiele-publicatie><kamerstuk><al>open", "regel"),
        (b"<officiele-publicatie><kamerstuk></kamerstuk></officiele-publicatie>", "geen <al>"),
        (b"%PDF-1.4 broken", "PDF"),
    ],
)
def test_unreadable_letters_are_refused_naming_the_file(data, reason):
    with pytest.raises(TranscriptError, match=reason) as caught:
        read_letter(data, filename="kapot.bin")
    assert "kapot.bin" in str(caught.value) or reason == "geen <al>"


def test_the_same_letter_twice_changes_nothing(promise):
    letter = services.letter_read(data=LETTER_TEXT.encode(), filename="brief.txt")
    first = services.letter_import(letter=letter, date=datetime.date(2023, 5, 2))
    again = services.letter_import(
        letter=services.letter_read(data=LETTER_TEXT.encode()), date=datetime.date(2023, 5, 2)
    )
    assert again.unchanged and again.document == first.document
    assert Document.objects.count() == 1 and LetterMatch.objects.count() == len(first.proposals)


def test_dry_run_reports_proposals_and_writes_nothing(promise):
    letter = services.letter_read(data=LETTER_TEXT.encode(), filename="brief.txt")
    report = services.letter_import(letter=letter, date=datetime.date(2023, 5, 2), dry_run=True)
    assert report.proposals and report.proposals[0].commitment == promise
    assert not Document.objects.exists() and not LetterMatch.objects.exists()


def test_a_letter_without_date_is_refused():
    letter = services.letter_read(data=b"Geen datum.\n\nHiermee kom ik mijn toezegging na.", filename="x.txt")
    with pytest.raises(services.LetterRefused, match="no date|geen datum"):
        services.letter_import(letter=letter)
    assert not Document.objects.exists()


def test_command_imports_reports_and_is_idempotent(tmp_path, promise):
    path = tmp_path / "brief.txt"
    path.write_text(LETTER_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("import_letter", str(path), "--date", "2023-05-02", stdout=out, stderr=io.StringIO())
    assert promise.reference in out.getvalue() and Document.objects.count() == 1
    out = io.StringIO()
    call_command("import_letter", str(path), "--date", "2023-05-02", stdout=out, stderr=io.StringIO())
    assert Document.objects.count() == 1 and LetterMatch.objects.count() == 1
    assert "ongewijzigd" in out.getvalue() or "unchanged" in out.getvalue()


def test_command_dry_run_writes_nothing(tmp_path, promise):
    path = tmp_path / "brief.txt"
    path.write_text(LETTER_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("import_letter", str(path), "--date", "2023-05-02", "--dry-run", stdout=out, stderr=io.StringIO())
    assert promise.reference in out.getvalue()
    assert not Document.objects.exists()


def test_command_with_one_bad_file_imports_none(tmp_path, promise):
    good, bad = tmp_path / "brief.txt", tmp_path / "kapot.xml"
    good.write_text(LETTER_TEXT, encoding="utf-8")
    bad.write_bytes(b"<officiele-publicatie><kamerstuk><al>open")
    with pytest.raises(CommandError, match="kapot.xml"):
        call_command("import_letter", str(good), str(bad), "--date", "2023-05-02", stdout=io.StringIO())
    assert not Document.objects.exists()


def test_command_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="weg.txt"):
        call_command("import_letter", str(tmp_path / "weg.txt"), stdout=io.StringIO())


def test_command_reports_in_dutch(tmp_path, promise):
    path = tmp_path / "brief.txt"
    path.write_text(LETTER_TEXT, encoding="utf-8")
    out = io.StringIO()
    call_command("import_letter", str(path), "--date", "2023-05-02", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "Proefdraai (niets opgeslagen)" in out.getvalue() and "voorgestelde toezeggingen: 1" in out.getvalue()
    assert "dezelfde bewindspersoon" in out.getvalue()


def test_the_letter_s_date_is_its_own_line_not_a_sitting_named_in_a_sentence():
    text = "Evaluatie\n\nDen Haag, 2 mei 2023\n\nTijdens het debat van 12 maart 2023 heb ik toegezegd dit te sturen."
    assert read_letter(text.encode(), filename="a.txt").date == datetime.date(2023, 5, 2)
    only_sitting = "Evaluatie\n\nTijdens het debat van 12 maart 2023 heb ik toegezegd dit te sturen."
    assert read_letter(only_sitting.encode(), filename="b.txt").date is None


@pytest.mark.parametrize(
    "date_line", ["Brussel, 15 januari 2027", "'s-Gravenhage, 15 januari 2027", "Datum 15 januari 2027"]
)
def test_a_belgian_or_flemish_letter_gives_its_date_and_signature(date_line):
    # A place before the date, and a word between "De" and "minister", as Belgian and Flemish letters write them.
    text = (
        f"Lijsten van de geselecteerde projecten\n\n{date_line}\n\n"
        "Tijdens de commissievergadering van 12 december 2026 heb ik toegezegd u de lijsten te bezorgen.\n\n"
        "De Vlaamse minister van Werk, Economie, Innovatie en Sport,\nHilde Crevits\n"
    )
    letter = read_letter(text.encode(), filename="brief.txt")
    assert letter.date == datetime.date(2027, 1, 15)
    assert "Hilde Crevits" in letter.sender


def test_admin_refuses_an_oversized_upload(clerk_client, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tracker.letters import reading

    monkeypatch.setattr(reading, "MAX_PDF_BYTES", 10)
    upload = SimpleUploadedFile("groot.txt", b"Hiermee kom ik mijn toezegging na." * 3)
    response = clerk_client.post(reverse("admin:tracker_document_import"), {"file": upload, "preview": "1"})
    assert response.status_code == 200 and "groot.txt" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("raw", [KST_XML, LETTER_TEXT])
def test_a_letter_read_again_from_its_own_text_keeps_its_fingerprint(raw):
    """The admin's confirm step re-reads the previewed text: the same letter must stay one letter."""
    first = read_letter(raw.encode(), filename="brief")
    assert read_letter(first.text.encode(), filename="plak").text == first.text
