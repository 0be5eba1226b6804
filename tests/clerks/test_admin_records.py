"""The admin's one preview → confirm path for fixtures and open data: nothing is written before Confirm."""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker.clerks.admin import records as admin_records
from tracker.models import Commitment, Committee, Session

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed.json"
BAD_FIXTURE = [
    {"model": "tracker.committee", "fields": {"slug": "economie", "name": "Economie", "colour": 3}},
    {"model": "tracker.nothing", "fields": {}},
]
TK_NS = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
RECORD_FILE = (
    f'<?xml version="1.0" encoding="utf-8"?>\n<root xmlns:tk="{TK_NS}">\n'
    '<tk:toezegging id="6f1c3c36-6a53-5d0a-9f52-3d2b0e0b2f01" tk:verwijderd="false" '
    'tk:bijgewerkt="2024-12-05T10:00:00Z"><tk:aanmaakdatum>2024-12-04T09:30:00Z</tk:aanmaakdatum>'
    "<tk:nummer>TZ202412-116</tk:nummer><tk:naam>E. Heinen</tk:naam><tk:achternaam>Heinen</tk:achternaam>"
    "<tk:functie>minister van Financiën</tk:functie><tk:status>Openstaand</tk:status>"
    "<tk:ministerie>Financiën</tk:ministerie><tk:tekst>De minister zegt toe de Kamer te informeren.</tk:tekst>"
    "</tk:toezegging>\n</root>\n"
).encode()


@pytest.fixture(autouse=True)
def held_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setattr(admin_records.tempfile, "gettempdir", lambda: str(tmp_path))
    return tmp_path / admin_records.HELD_DIR_NAME


def url(kind: str) -> str:
    return reverse(f"admin:tracker_commitment_import_{kind}")


def preview(client, kind: str, *files: tuple[str, bytes], **options):
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(url(kind), {"files": uploads, "preview": "1", **options})


def confirm(client, kind: str, response):
    token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
    return client.post(url(kind), {"token": token, "confirm": "1"})


def held(directory: Path) -> list:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_a_fixture_preview_shows_the_counts_and_writes_nothing(admin_client, held_in_tmp):
    response = preview(admin_client, "fixtures", ("seed.json", SEED.read_bytes()))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Voorbeeld — er is nog niets opgeslagen" in page
    assert re.search(r"Toezeggingen</th><td>2</td><td>0</td><td>0</td>", page), page
    assert "Proefdraai: er werd niets opgeslagen." in page
    assert Commitment.objects.count() == 0 and Session.objects.count() == 0
    assert len(held(held_in_tmp)) == 1  # kept, for the confirmation


def test_confirm_imports_the_previewed_bytes_once_and_again_is_unchanged(admin_client, held_in_tmp):
    data = SEED.read_bytes()
    response = confirm(admin_client, "fixtures", preview(admin_client, "fixtures", ("seed.json", data)))
    assert response.status_code == 302 and response.url == reverse("admin:tracker_commitment_changelist")
    assert Commitment.objects.count() == 2
    assert held(held_in_tmp) == []  # released after the import
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Ingelezen uit seed.json: 23 aangemaakt, 0 bijgewerkt, 0 ongewijzigd."]
    # A second round of the same file changes nothing, and the page says so without a Confirm button.
    again = preview(admin_client, "fixtures", ("seed.json", data)).content.decode()
    assert "Niets gewijzigd." in again and 'name="confirm"' not in again
    assert Commitment.objects.count() == 2


def test_a_refused_fixture_shows_every_problem_with_its_place_and_writes_nothing(admin_client, held_in_tmp):
    bad = json.dumps(BAD_FIXTURE, indent=1).encode()
    page = preview(admin_client, "fixtures", ("kapot.json", bad)).content.decode()
    assert "2 problemen gevonden; er werd niets ingelezen." in page
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", page)
    assert rows[0][:4] == ("kapot.json", "2", "object 1 (tracker.committee)", "colour")
    assert rows[0][4] == "onbekend veld."
    assert rows[1][:4] == ("kapot.json", "10", "object 2", "")
    assert "onbekend model “tracker.nothing”" in rows[1][4]
    assert str(held_in_tmp) not in page  # the clerk sees the name they uploaded, not where it was held
    assert 'name="token"' not in page and Committee.objects.count() == 0 and held(held_in_tmp) == []


def test_a_changed_or_forged_upload_is_refused_at_confirm(admin_client, held_in_tmp):
    response = preview(admin_client, "fixtures", ("seed.json", SEED.read_bytes()))
    (kept,) = (held_in_tmp / held(held_in_tmp)[0]).iterdir()
    kept.write_bytes(kept.read_bytes().replace(b"TZ-2026-0001", b"TZ-2026-0009"))
    page = confirm(admin_client, "fixtures", response).content.decode()
    assert "Deze voorvertoning is verlopen of de bestanden zijn gewijzigd" in page
    forged = admin_client.post(url("fixtures"), {"token": "x" * 40, "confirm": "1"}).content.decode()
    assert "Deze voorvertoning is verlopen" in forged
    assert Commitment.objects.count() == 0


def test_a_preview_of_someone_else_cannot_be_confirmed(admin_client, django_user_model, client):
    response = preview(admin_client, "fixtures", ("seed.json", SEED.read_bytes()))
    other = django_user_model.objects.create_superuser("andere", password="pw-not-used")
    client.force_login(other)
    assert "Deze voorvertoning is verlopen" in confirm(client, "fixtures", response).content.decode()
    assert Commitment.objects.count() == 0


def test_open_data_preview_then_confirm(admin_client, held_in_tmp):
    response = preview(admin_client, "opendata", ("toezeggingen.xml", RECORD_FILE))
    assert re.search(r"Toezeggingen</th><td>1</td>", response.content.decode())
    assert not Commitment.objects.filter(reference="TZ202412-116").exists()
    assert confirm(admin_client, "opendata", response).status_code == 302
    assert Commitment.objects.get(reference="TZ202412-116").status == "open"


def test_a_refused_open_data_file_names_its_place(admin_client):
    page = preview(admin_client, "opendata", ("kapot.xml", b"<root><unclosed></root>")).content.decode()
    assert "probleem gevonden; er werd niets ingelezen." in page and "kapot.xml" in page
    assert Commitment.objects.count() == 0


def test_a_file_over_the_cap_is_refused_before_it_is_held(admin_client, settings, held_in_tmp):
    settings.TRACKER_MAX_BYTES = {**settings.TRACKER_MAX_BYTES, "fixture": 100}
    page = preview(admin_client, "fixtures", ("seed.json", SEED.read_bytes())).content.decode()
    assert "seed.json is te groot" in page and held(held_in_tmp) == []


def test_a_clerk_without_the_rights_is_refused(client, django_user_model):
    user = django_user_model.objects.create_user("lezer", password="pw-not-used", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_commitment", "add_commitment"]))
    client.force_login(user)
    assert client.get(url("fixtures")).status_code == 403
    assert client.get(url("opendata")).status_code == 403
    assert preview(client, "fixtures", ("seed.json", SEED.read_bytes())).status_code == 403
    changelist = client.get(reverse("admin:tracker_commitment_changelist")).content.decode()
    assert url("fixtures") not in changelist and url("opendata") not in changelist
    assert Commitment.objects.count() == 0


def test_the_changelist_links_to_both_imports_for_who_may_run_them(admin_client):
    changelist = admin_client.get(reverse("admin:tracker_commitment_changelist")).content.decode()
    assert url("fixtures") in changelist and url("opendata") in changelist


def test_an_english_clerk_reads_english(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    bad = json.dumps(BAD_FIXTURE, indent=1).encode()
    page = preview(admin_client, "fixtures", ("kapot.json", bad)).content.decode()
    assert "2 problems found; nothing was imported." in page and "unknown field." in page
    assert "onbekend" not in page
    good = preview(admin_client, "fixtures", ("seed.json", SEED.read_bytes())).content.decode()
    assert "Preview — nothing has been saved yet" in good and "Confirm the import" in good


def seed_with_more_commitments(n: int) -> bytes:
    objects = json.loads(SEED.read_text(encoding="utf-8"))
    model = next(o for o in objects if o["model"] == "tracker.commitment")
    for i in range(n):
        objects.append({**model, "fields": {**model["fields"], "reference": f"TZ-2026-{100 + i:04d}"}})
    return json.dumps(objects).encode()


def test_the_import_page_runs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        admin_client.get(url("fixtures"))
    # The dry run looks rows up and writes them per model, not per record: forty commitments cost what one does.
    with CaptureQueriesContext(connection) as small:
        preview(admin_client, "fixtures", ("seed.json", seed_with_more_commitments(1)))
    with django_assert_max_num_queries(len(small)):
        page = preview(admin_client, "fixtures", ("seed.json", seed_with_more_commitments(40))).content.decode()
    assert re.search(r"Toezeggingen</th><td>42</td>", page)


def test_held_uploads_nobody_confirmed_expire(admin_client, held_in_tmp):
    preview(admin_client, "fixtures", ("seed.json", SEED.read_bytes()))
    (entry,) = held_in_tmp.iterdir()
    os.utime(entry, (0, 0))
    assert admin_records.held_expire() == 1 and held(held_in_tmp) == []


def test_feed_pages_are_imported_in_numeric_order():
    names = ["page10.xml", "page2.xml", "page1.xml"]
    assert sorted(names, key=admin_records._page_order) == ["page1.xml", "page2.xml", "page10.xml"]


def test_several_open_data_files_are_previewed_and_imported_as_one(admin_client):
    second = RECORD_FILE.replace(b"TZ202412-116", b"TZ202412-117").replace(b"2f01", b"2f02")
    files = ("a.xml", RECORD_FILE), ("b.xml", second)
    response = preview(admin_client, "opendata", *files, strict="on")
    assert re.search(r"Toezeggingen</th><td>2</td>", response.content.decode())
    assert Commitment.objects.count() == 0
    assert confirm(admin_client, "opendata", response).status_code == 302
    assert set(Commitment.objects.values_list("reference", flat=True)) == {"TZ202412-116", "TZ202412-117"}


def test_a_clerk_may_import_open_data_but_fixtures_are_for_superusers(clerk_client):
    assert clerk_client.get(url("opendata")).status_code == 200
    assert clerk_client.get(url("fixtures")).status_code == 403
    changelist = clerk_client.get(reverse("admin:tracker_commitment_changelist")).content.decode()
    assert url("opendata") in changelist and url("fixtures") not in changelist


def test_open_data_needs_the_status_permission(client, clerk):
    clerk.groups.clear()
    clerk.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_commitment", "add_commitment", "change_commitment"])
    )
    client.force_login(clerk)
    assert client.get(url("opendata")).status_code == 403
    assert preview(client, "opendata", ("toezeggingen.xml", RECORD_FILE)).status_code == 403
    assert Commitment.objects.count() == 0
