"""What a clerk reads from a refused import is in the clerk's language: Dutch by default, English on request."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from tracker.exchange.fixtures_import import FixtureRefused, fixture_import
from tracker.models import Commitment

pytestmark = pytest.mark.django_db

BAD_FIXTURE = [
    {"model": "tracker.committee", "fields": {"slug": "economie", "name": "Economie", "colour": 3}},
    {"model": "tracker.nothing", "fields": {}},
]


def _refusal(tmp_path) -> list[str]:
    path = tmp_path / "kapot.json"
    path.write_text(json.dumps(BAD_FIXTURE, indent=1), encoding="utf-8")
    with pytest.raises(FixtureRefused) as info:
        fixture_import(paths=[path])
    return [str(error) for error in info.value.errors]


def test_a_refused_fixture_speaks_english_when_asked(tmp_path):
    with translation.override("en"):
        english = _refusal(tmp_path)
    dutch = _refusal(tmp_path)
    assert any("line 2, object 1" in e and "field “colour”: unknown field." in e for e in english), english
    assert any("unknown model “tracker.nothing”; this import only reads" in e for e in english), english
    assert not any("onbekend" in e or "regel" in e for e in english)
    # Dutch stays the default, word for word.
    assert any("regel 2, object 1" in e and "veld “colour”: onbekend veld." in e for e in dutch), dutch
    assert any("onbekend model “tracker.nothing”; deze import leest alleen" in e for e in dutch), dutch


def test_the_fixture_command_reports_in_english_when_asked(tmp_path):
    path = tmp_path / "kapot.json"
    path.write_text(json.dumps(BAD_FIXTURE), encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError) as info:
        call_command("import_fixture", str(path))
    assert "2 error(s) found; nothing was imported." in str(info.value)
    assert "fout" not in str(info.value)


def _upload(client, name: str, content: bytes):
    url = reverse("admin:tracker_commitment_import")
    form = client.get(url).context["form"]
    fmt = next(i for i, label in form.fields["format"].choices if str(label).lower() == "csv")
    return client.post(url, {"format": fmt, "import_file": SimpleUploadedFile(name, content)}).content.decode()


ROW = (
    b"reference,question,quote,kind,promised_by\r\n"
    b"TZ-2021-0101,bestaat-niet/1,Ik kom daarop terug.,report_back,hilde-crevits\r\n"
)


def test_a_refused_spreadsheet_speaks_english_to_an_english_clerk(clerk_client, seed):
    clerk_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row_error = _upload(clerk_client, "toezeggingen.csv", ROW)
    assert "no agenda item 1 in sitting &#x27;bestaat-niet&#x27;" in row_error
    assert "geen agendapunt" not in row_error
    upload_error = _upload(clerk_client, "lijst.csv", b"a,b\x00\x01")
    assert "lijst.csv is binary, not CSV text." in upload_error
    assert not Commitment.objects.filter(reference="TZ-2021-0101").exists()


def test_a_refused_spreadsheet_stays_dutch_by_default(clerk_client, seed):
    assert "geen agendapunt 1 in vergadering &#x27;bestaat-niet&#x27;" in _upload(clerk_client, "toezeggingen.csv", ROW)
    assert "lijst.csv is binair, geen CSV-tekst." in _upload(clerk_client, "lijst.csv", b"a,b\x00\x01")
