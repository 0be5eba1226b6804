"""The fixture import on the importer base: its problems, refusals and counts are the base's types."""

import ast
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tracker.exchange import fixtures, fixtures_import
from tracker.exchange.base import Counts, Problem, Refused
from tracker.exchange.fixtures_import import FixtureError, FixtureRefused, RecordsRefused, fixture_import
from tracker.models import Commitment, CommitmentEvent
from tracker.register import history

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed.json"
PACKAGE = Path(fixtures.__file__).parent


def test_a_fixture_problem_is_a_base_problem_with_the_object_as_its_record():
    problem = FixtureError(
        "a.json", "not a date.", line=12, index=3, model="tracker.session", key='["s"]', field="date"
    )
    assert isinstance(problem, Problem)
    assert problem.record == 'object 3 (tracker.session ["s"])'
    with translation.override("en"):
        assert str(problem) == 'a.json, line 12, object 3 (tracker.session ["s"]), field “date”: not a date.'


def test_a_refused_fixture_is_a_base_refusal_whose_errors_are_its_problems(tmp_path):
    path = tmp_path / "kapot.json"
    path.write_text(json.dumps([{"model": "tracker.nothing", "fields": {}}]), encoding="utf-8")
    with pytest.raises(Refused) as info:
        fixture_import(paths=[path])
    assert isinstance(info.value, FixtureRefused) and isinstance(info.value, RecordsRefused)
    assert info.value.errors is info.value.problems
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.record) == (str(path), 1, "object 1")


def test_the_report_counts_in_base_counts_and_keeps_hand_edits_as_its_own_extra(clerk):
    first = fixture_import(paths=[SEED])
    assert first.counts["tracker.commitment"] == Counts(created=2)
    assert first.total == Counts(created=23) and first.locked == 0
    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    history.record(history.edited(commitment, by=clerk, changes={"summary": ("a", "b")}, note="met de hand"))
    Commitment.objects.filter(pk=commitment.pk).update(summary="Met de hand herschreven")
    report = fixture_import(paths=[SEED], dry_run=True)
    assert report.locked == 1 and report.counts["tracker.commitment"] == Counts(unchanged=1)
    with translation.override("en"):
        lines = report.lines()
    assert (
        "commitments (tracker.commitment): 0 created, 0 updated, 1 unchanged, 1 edited by hand and not overwritten"
        in lines
    )
    # Nothing changed, so the base's closing line says so (a dry run that would change something says that instead).
    assert lines[-1] == "Nothing changed."
    assert CommitmentEvent.objects.filter(commitment=commitment, actor=clerk).count() == 1


def test_the_old_module_still_offers_every_name_callers_use():
    for name in ("fixture_import", "FixtureRefused", "read_fixture_file", "hand_edited_commitments", "BATCH_SIZE"):
        assert getattr(fixtures_import, name) is getattr(fixtures, name)
    for name in ("LOOKUP_CHUNK", "RecordsRefused", "_chunks", "FixtureError", "MAX_FIXTURE_BYTES"):
        assert getattr(fixtures_import, name) is getattr(fixtures, name)


def test_no_class_of_the_fixture_import_is_over_300_lines():
    for module in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno - node.lineno < 300, f"{module.name}: class {node.name}"
