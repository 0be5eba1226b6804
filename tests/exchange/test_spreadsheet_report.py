"""A spreadsheet import speaks the importer base's language: base.Counts and base.Problem with the row."""

import csv
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from tablib import Dataset

from tracker.exchange.base import Counts, Problem
from tracker.exchange.spreadsheets import CommitmentResource, result_report
from tracker.models import Commitment, Question

pytestmark = pytest.mark.django_db

COLUMNS = ["reference", "question", "quote", "kind", "promised_by"]
ROW = {
    "reference": "TZ-2021-0100",
    "question": "vergadering-maatwerkbedrijven/1",
    "quote": "Ik kom daarop terug.",
    "kind": "report_back",
    "promised_by": "hilde-crevits",
}


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def preview(client, rows):
    url = reverse("admin:tracker_commitment_import")
    form = client.get(url).context["form"]
    fmt = next(i for i, label in form.fields["format"].choices if str(label).lower() == "csv")
    upload = SimpleUploadedFile("toezeggingen.csv", csv_bytes(rows), content_type="text/csv")
    return client.post(url, {"format": fmt, "import_file": upload})


def test_a_result_becomes_counts_and_problems_with_row_and_field(seed, clerk):
    bad = {**ROW, "reference": "TZ-2021-0101", "question": "bestaat-niet/1"}
    dataset = Dataset().load(csv_bytes([ROW, bad]).decode(), format="csv")
    with translation.override("en"):
        result = CommitmentResource(user=clerk).import_data(dataset, dry_run=True)
        counts, problems = result_report(result, file="toezeggingen.csv")
        assert counts == Counts(created=1, refused=1)
        assert problems == [
            Problem(
                file="toezeggingen.csv",
                record="row 2",
                field="question",
                message="'bestaat-niet/1': no agenda item 1 in sitting 'bestaat-niet'.",
            )
        ]
        assert str(problems[0]).startswith("toezeggingen.csv, row 2, field “question”: ")
    assert not Commitment.objects.filter(reference__startswith="TZ-2021-01").exists()


def test_a_confirmed_sheet_reports_the_base_counts(clerk_client, seed):
    response = preview(clerk_client, [ROW])
    done = clerk_client.post(
        reverse("admin:tracker_commitment_process_import"), response.context["confirm_form"].initial
    )
    assert [str(m) for m in get_messages(done.wsgi_request)] == [
        "Import voltooid: 1 aangemaakt, 0 bijgewerkt, 0 ongewijzigd."
    ]
    assert Commitment.objects.filter(reference="TZ-2021-0100").exists()


def test_a_row_that_turns_invalid_before_confirmation_is_named_and_nothing_is_saved(clerk_client, seed):
    response = preview(clerk_client, [ROW])
    Question.objects.filter(session__slug="vergadering-maatwerkbedrijven", position=1).update(position=9)
    done = clerk_client.post(
        reverse("admin:tracker_commitment_process_import"), response.context["confirm_form"].initial
    )
    shown = [str(m) for m in get_messages(done.wsgi_request)]
    assert shown[0] == "Er werd niets ingelezen: 1 probleem/problemen gevonden."
    assert shown[1].startswith("toezeggingen.csv, rij 1, veld “question”: ") and "geen agendapunt 1" in shown[1]
    assert not Commitment.objects.filter(reference="TZ-2021-0100").exists()
