"""The pieces every import shares: where a problem is, what was counted, and the dry run that writes nothing."""

from pathlib import Path

import pytest
from django.utils import translation

from tracker.exchange.base import Counts, Problem, Refused, run_import, summary_lines
from tracker.models import Committee

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"


def test_a_problem_names_file_line_record_and_field_before_the_reason():
    problem = Problem(file="a.json", line=12, record="object 3", field="due_date", message="not a date.")
    with translation.override("en"):
        assert str(problem) == "a.json, line 12, object 3, field “due_date”: not a date."
    with translation.override("nl"):
        assert str(problem) == "a.json, regel 12, object 3, veld “due_date”: not a date."


def test_a_problem_without_a_place_is_its_message_alone():
    assert str(Problem(file="", message="give at least one file.")) == "give at least one file."


def test_refused_keeps_every_problem_and_reads_as_one_per_line():
    refused = Refused([Problem(file="a.xml", line=1, message="x"), "plain reason"])
    assert [p.message for p in refused.problems] == ["x", "plain reason"]
    assert len(str(refused).splitlines()) == 2


def test_counts_add_up_and_say_only_what_happened():
    total = Counts(created=2, unchanged=1) + Counts(updated=1, refused=3)
    assert total == Counts(created=2, updated=1, unchanged=1, refused=3)
    with translation.override("en"):
        assert str(total) == "2 created, 1 updated, 1 unchanged, 3 refused"
        assert str(Counts(unchanged=4)) == "0 created, 0 updated, 4 unchanged"
    assert total.changed and not Counts(unchanged=4, refused=1).changed
    assert Counts(withdrawn=1).changed


def test_a_dry_run_returns_the_report_and_keeps_nothing():
    def write():
        Committee.objects.create(name="Commissie Proef", slug="proef")
        return "report"

    assert run_import(write, dry_run=True) == "report"
    assert not Committee.objects.filter(slug="proef").exists()
    assert run_import(write, dry_run=False) == "report"
    assert Committee.objects.filter(slug="proef").exists()


def test_a_refusal_halfway_leaves_nothing_written():
    def write():
        Committee.objects.create(name="Commissie Half", slug="half")
        raise Refused([Problem(file="f", message="second record is wrong")])

    with pytest.raises(Refused):
        run_import(write, dry_run=False)
    assert not Committee.objects.filter(slug="half").exists()


def test_the_closing_line_says_whether_anything_was_kept():
    with translation.override("en"):
        assert summary_lines(Counts(unchanged=1), dry_run=False) == ["Nothing changed."]
        assert summary_lines(Counts(created=1), dry_run=True) == ["Dry run: nothing was saved."]
        assert summary_lines(Counts(created=1), dry_run=False) == []


def test_every_import_refuses_with_the_base_type_and_its_problems():
    from tracker.exchange.batch_import import BatchRefused
    from tracker.exchange.fixtures_import import FixtureRefused, fixture_import
    from tracker.exchange.importing import ImportRefused, transcript_import
    from tracker.exchange.opendata import OpendataRefused, opendata_import
    from tracker.exchange.spreadsheets import SpreadsheetRefused, xlsx_check

    with pytest.raises(ImportRefused) as transcript:
        transcript_import(text=SEED.read_text(encoding="utf-8"), committee="geen-zo-commissie", by=None)
    with pytest.raises(FixtureRefused) as fixture:
        fixture_import(paths=[])
    with pytest.raises(OpendataRefused) as opendata:
        opendata_import(data=b"<niet-af", filename="kapot.xml")
    with pytest.raises(SpreadsheetRefused) as sheet:
        xlsx_check(b"not a zip")
    for refused in (transcript, fixture, opendata, sheet):
        assert isinstance(refused.value, Refused)
        assert refused.value.problems and all(isinstance(p, Problem) for p in refused.value.problems)
        assert str(refused.value) == "\n".join(str(p) for p in refused.value.problems)
    assert issubclass(BatchRefused, Refused)
    assert opendata.value.problems[0].file == "kapot.xml"


def test_a_transcript_import_reports_its_sitting_in_the_same_counts():
    from tracker.exchange.importing import transcript_import

    Committee.objects.create(name="Commissie voor Economie", slug="economie")
    text = SEED.read_text(encoding="utf-8")
    assert transcript_import(text=text, committee="economie", by=None, dry_run=True).counts == Counts(created=1)
    assert transcript_import(text=text, committee="economie", by=None).counts == Counts(created=1)
    assert transcript_import(text=text, committee="economie", by=None).counts == Counts(unchanged=1)
