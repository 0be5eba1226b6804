"""The published forms through the real import paths: transcript_import, import_transcript, the admin upload."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tracker.exchange.importing import transcript_import
from tracker.extraction import decode_transcript
from tracker.models import Commitment, Committee, Person, Question, Session, Speech

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
HANDELINGEN = SAMPLES / "handelingen" / "h-tk-20172018-61-10.xml"
PARLAMINT = SAMPLES / "parlamint" / "ParlaMint-NL_2017-01-26-tweedekamer-4.xml"
PERSONS = SAMPLES / "parlamint" / "ParlaMint-NL-listPerson.xml"
PDF = SAMPLES / "pdf" / "vlaams-parlement-03.pdf"
MODELS = [Committee, Person, Session, Question, Speech, Commitment]


@pytest.fixture(autouse=True)
def rules_threshold(settings):
    settings.TRACKER_CANDIDATE_THRESHOLD = 0.5  # what the rules find; not what the last training chose


@pytest.fixture
def committee():
    return Committee.objects.create(name="Vaste commissie voor Economische Zaken", slug="ez")


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_handelingen_import_keeps_speakers_and_is_idempotent(committee):
    text, _ = decode_transcript(HANDELINGEN.read_bytes(), filename=HANDELINGEN.name)
    report = transcript_import(text=text, committee="ez", by=None)
    assert (report.items, report.speeches) == (1, 45)
    question = Question.objects.get()
    assert question.title == "Ondernemen en Bedrijfsfinanciering"
    keijzer = Speech.objects.filter(speaker_label="Staatssecretaris Keijzer")
    assert keijzer.count() == 7 and {s.speaker_role for s in keijzer} == {"minister"}
    assert {p.full_name for p in Person.objects.all()} >= {"Keijzer", "Wörsdörfer", "Van der Lee", "Graus"}
    quotes = set(Commitment.objects.values_list("quote", flat=True))
    assert "Ik wil daar ook zeker op terugkomen bij de Kamer." in quotes
    before = counts()
    again = transcript_import(text=text, committee="ez", by=None)
    assert again.unchanged and counts() == before


def test_parlamint_import_names_the_chair_from_the_person_list(committee):
    text, _ = decode_transcript(PARLAMINT.read_bytes(), filename=PARLAMINT.name, person_list=PERSONS.read_bytes())
    report = transcript_import(text=text, committee="ez", by=None)
    assert report.speeches == 4
    session = Session.objects.get()
    assert session.date.isoformat() == "2017-01-26"
    speeches = list(Speech.objects.order_by("sequence").values_list("speaker_role", "speaker_label"))
    assert speeches[:2] == [("chair", "De voorzitter (Khadija Arib)"), ("member", "Mevrouw Bouwmeester (PvdA)")]
    before = counts()
    assert transcript_import(text=text, committee="ez", by=None).unchanged and counts() == before


def test_import_transcript_command_reads_a_pdf_and_is_idempotent(committee, capsys):
    call_command("import_transcript", str(PDF), "--committee", "ez", "--date", "2019-01-22")
    out, err = capsys.readouterr()
    assert "Ingelezen" in out and "tussenkomsten: 4" in out
    assert "PDF: 4 pagina's, kop- en voetregels verwijderd" in err
    assert Speech.objects.filter(speaker_role="minister", speaker_label="Minister Lydia Peeters").exists()
    before = counts()
    call_command("import_transcript", str(PDF), "--committee", "ez", "--date", "2019-01-22")
    assert "ongewijzigd" in capsys.readouterr().out and counts() == before


def test_admin_upload_of_handelingen_xml_previews_then_confirms(clerk_client, committee):
    url = reverse("admin:tracker_session_import")
    form = clerk_client.get(url).content.decode()
    assert 'accept=".txt,.htm,.html,.xml,.pdf"' in form
    upload = SimpleUploadedFile(HANDELINGEN.name, HANDELINGEN.read_bytes(), content_type="text/xml")
    preview = clerk_client.post(url, {"file": upload, "committee": committee.pk, "preview": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Officiële Handelingen-XML herkend" in page
    assert "Staatssecretaris Keijzer" in page
    assert Session.objects.count() == 0
    upload = SimpleUploadedFile(HANDELINGEN.name, HANDELINGEN.read_bytes(), content_type="text/xml")
    confirmed = clerk_client.post(url, {"file": upload, "committee": committee.pk, "confirm": "1"})
    assert confirmed.status_code == 302
    assert Speech.objects.count() == 45


def test_admin_upload_of_a_broken_pdf_shows_the_reason(clerk_client, committee):
    url = reverse("admin:tracker_session_import")
    upload = SimpleUploadedFile("verslag.pdf", b"%PDF-1.7\n" + b"\x00kapot" * 40, content_type="application/pdf")
    response = clerk_client.post(url, {"file": upload, "committee": committee.pk, "preview": "1"})
    assert response.status_code == 200
    assert "verslag.pdf is geen leesbare PDF" in response.content.decode()
    assert Session.objects.count() == 0


def test_import_transcript_resolves_parlamint_speakers_through_persons(committee, capsys):
    call_command("import_transcript", str(PARLAMINT), "--committee", "ez", "--persons", str(PERSONS))
    assert "tussenkomsten: 4" in capsys.readouterr().out
    chair = Speech.objects.filter(speaker_role="chair")
    # The TEI only says who="#KhadijaArib" ana="#chair" and prints "De voorzitter": the name is the list's.
    assert set(chair.values_list("speaker_label", flat=True)) == {"De voorzitter (Khadija Arib)"}
    assert chair.count() == 3 and {s.speaker.full_name for s in chair} == {"Khadija Arib"}
    before = counts()
    call_command("import_transcript", str(PARLAMINT), "--committee", "ez", "--persons", str(PERSONS))
    assert "ongewijzigd" in capsys.readouterr().out and counts() == before


def test_import_transcript_without_persons_keeps_the_printed_labels(committee):
    call_command("import_transcript", str(PARLAMINT), "--committee", "ez")
    assert set(Speech.objects.filter(speaker_role="chair").values_list("speaker_label", flat=True)) == {"De voorzitter"}


@pytest.mark.parametrize(
    ("persons", "message"),
    [
        ("geen-bestand.xml", "personenlijst niet leesbaar"),
        (str(HANDELINGEN), "geen ParlaMint-personenlijst"),
    ],
)
def test_import_transcript_refuses_an_unreadable_person_list(committee, persons, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_transcript", str(PARLAMINT), "--committee", "ez", "--persons", persons)
    assert Session.objects.count() == 0


def test_import_transcript_names_a_broken_person_list(committee, tmp_path):
    broken = tmp_path / "listPerson.xml"
    broken.write_bytes(b"<listPerson><person xml:id='x'>")
    with pytest.raises(CommandError, match=r"--persons .*listPerson.xml is geen geldige TEI-personenlijst: regel 1"):
        call_command("import_transcript", str(PARLAMINT), "--committee", "ez", "--persons", str(broken))
    assert Session.objects.count() == 0


def test_import_transcript_persons_is_for_one_file(committee):
    with pytest.raises(CommandError, match="--persons"):
        call_command("import_transcript", str(PARLAMINT), str(HANDELINGEN), "--persons", str(PERSONS))
    assert Session.objects.count() == 0


def test_import_transcript_takes_the_ministers_name_and_role_from_persons(committee, tmp_path):
    # The real sitting with u2 spoken by Wopke Hoekstra (in the real list: minister from 2017-10-26).
    sitting = PARLAMINT.read_bytes().replace(b'"#LeaBouwmeester"', b'"#WopkeHoekstra"')
    path = tmp_path / "nl-2019.xml"
    path.write_bytes(sitting.replace(b'when="2017-01-26"', b'when="2019-05-16"'))
    call_command("import_transcript", str(path), "--committee", "ez", "--persons", str(PERSONS))
    minister = Speech.objects.get(speaker_role="minister")
    assert (minister.speaker_label, minister.speaker.full_name) == ("Minister Wopke Hoekstra", "Wopke Hoekstra")
    assert minister.text.startswith("Voorzitter. Drie partijen")
