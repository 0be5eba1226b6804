"""Spreadsheet import/export in the admin: preview with every row, all or nothing, a permission of its own."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import COLUMNS, ROW, csv_format_index, sheet
from tracker.models import Commitment, CommitmentEvent, Person

pytestmark = pytest.mark.django_db


def import_confirmed(client, upload) -> None:
    """Upload a sheet to the commitment import, then confirm its preview."""
    url = reverse("admin:tracker_commitment_import")
    preview = client.post(url, {"format": csv_format_index(client, url), "import_file": upload})
    client.post(reverse("admin:tracker_commitment_process_import"), preview.context["confirm_form"].initial)


def test_import_previews_then_confirms_and_records_history(clerk_client, seed, clerk):
    url = reverse("admin:tracker_commitment_import")
    fmt = csv_format_index(clerk_client, url)
    changed = {**{c: "" for c in COLUMNS}, "reference": "TZ-2026-0001"}
    existing = Commitment.objects.get(reference="TZ-2026-0001")
    changed.update(
        question="vergadering-maatwerkbedrijven/1",
        quote=existing.quote,
        kind="send_document",
        summary="Samenvatting uit de spreadsheet",
        promised_by="hilde-crevits",
        promised_to="vandromme",
        to_committee="1",
        promised_by_function=existing.promised_by_function,
    )
    preview = clerk_client.post(url, {"format": fmt, "import_file": sheet([ROW, changed])})
    page = preview.content.decode()
    assert preview.status_code == 200 and "TZ-2021-0100" in page
    assert not Commitment.objects.filter(reference="TZ-2021-0100").exists()  # preview writes nothing
    confirm = preview.context["confirm_form"]
    done = clerk_client.post(reverse("admin:tracker_commitment_process_import"), confirm.initial)
    assert done.status_code == 302
    new = Commitment.objects.get(reference="TZ-2021-0100")
    assert (new.status, new.origin) == ("candidate", "imported")
    assert sorted(new.promised_to.values_list("slug", flat=True)) == ["claes", "vandromme"]
    assert new.events.get().actor == clerk
    existing.refresh_from_db()
    assert existing.summary == "Samenvatting uit de spreadsheet"
    assert existing.events.filter(kind="edit").exists()


def test_import_with_an_error_shows_it_and_offers_no_confirmation(clerk_client, seed):
    url = reverse("admin:tracker_commitment_import")
    fmt = csv_format_index(clerk_client, url)
    bad = {**ROW, "reference": "TZ-2021-0101", "question": "bestaat-niet/1"}
    response = clerk_client.post(url, {"format": fmt, "import_file": sheet([ROW, bad])})
    page = response.content.decode()
    assert "bestaat-niet" in page
    assert response.context.get("confirm_form") is None
    assert not Commitment.objects.filter(reference__in=["TZ-2021-0100", "TZ-2021-0101"]).exists()


def test_status_cannot_be_imported(clerk_client, seed):
    import_confirmed(clerk_client, sheet([{**ROW, "status": "fulfilled"}], columns=[*COLUMNS, "status"]))
    assert Commitment.objects.get(reference="TZ-2021-0100").status == "candidate"


def test_export_of_persons_as_xlsx(clerk_client, seed):
    url = reverse("admin:tracker_person_export")
    form = clerk_client.get(url).context["form"]
    fmt = next(i for i, label in form.fields["format"].choices if str(label).lower() == "xlsx")
    data = {
        "format": fmt,
        **{f"personresource_{f}": "on" for f in ["slug", "full_name", "surname", "honorific", "party"]},
    }
    response = clerk_client.post(url, data)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(response.content))
    values = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert sorted(values) == sorted(Person.objects.values_list("slug", flat=True))


def test_import_needs_its_own_permission(client, django_user_model, seed):
    user = django_user_model.objects.create_user("kijker", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_commitment", "change_commitment"]))
    client.force_login(user)
    assert client.get(reverse("admin:tracker_commitment_import")).status_code == 403
    assert CommitmentEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lijst.pdf", b"%PDF-1.4", "alleen CSV- en XLSX"),
        ("lijst.xlsx", b"not a zip", "geen geldig XLSX"),
        ("lijst.csv", b"a,b\x00\x01", "binair"),
    ],
)
def test_spreadsheet_upload_type_is_checked(clerk_client, seed, name, content, message):
    url = reverse("admin:tracker_commitment_import")
    fmt = csv_format_index(clerk_client, url)
    response = clerk_client.post(url, {"format": fmt, "import_file": SimpleUploadedFile(name, content)})
    assert message in response.content.decode()


def test_spreadsheet_upload_size_is_limited(clerk_client, seed, monkeypatch):
    monkeypatch.setattr("tracker.exchange.spreadsheets.MAX_SPREADSHEET_BYTES", 100)
    url = reverse("admin:tracker_commitment_import")
    fmt = csv_format_index(clerk_client, url)
    response = clerk_client.post(url, {"format": fmt, "import_file": sheet([ROW, ROW])})
    assert "te groot" in response.content.decode()


def test_ministry_is_exported_and_imported_and_kept_when_the_column_is_missing(clerk_client, seed):
    Commitment.objects.filter(reference="TZ-2026-0001").update(ministry="Werk en Sociale Economie")
    url = reverse("admin:tracker_commitment_export")
    form = clerk_client.get(url).context["form"]
    fields = [name for name in form.fields if name.startswith("commitmentresource_")]
    exported = clerk_client.post(
        url, {"format": csv_format_index(clerk_client, url), **{name: "on" for name in fields}}
    )
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")))}
    assert rows["TZ-2026-0001"]["ministry"] == "Werk en Sociale Economie"

    import_confirmed(clerk_client, sheet([{**ROW, "ministry": "Onderwijs"}], columns=[*COLUMNS, "ministry"]))
    assert Commitment.objects.get(reference="TZ-2021-0100").ministry == "Onderwijs"

    # A clerk's older sheet without the column changes a summary and leaves the ministry alone.
    existing = Commitment.objects.get(reference="TZ-2026-0001")
    import_confirmed(
        clerk_client, sheet([{c: rows["TZ-2026-0001"][c] for c in COLUMNS} | {"summary": "Nieuwe samenvatting"}])
    )
    existing.refresh_from_db()
    assert (existing.summary, existing.ministry) == ("Nieuwe samenvatting", "Werk en Sociale Economie")
