"""The committee and person scorecards come from a tally the database keeps current (tracker.register.figures).

After every kind of change — creation, registration, transitions, deadline changes, a question moved,
a sitting given another committee or date, deletion, QuerySet.update, bulk inserts, loaddata and the
fixture import — the figures equal a direct count of the commitments, and the tally equals a recount.
The pages read them with a fixed number of queries however many commitments there are.
"""

import datetime
import io
import json
import statistics

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import build_register
from tracker.exchange.fixtures_import import fixture_import
from tracker.models import (
    PENDING_STATUSES,
    Commitment,
    CommitmentTally,
    Committee,
    Person,
    Question,
    Session,
    Status,
)
from tracker.register import figures
from tracker.register.services import commitment_create
from tracker.register.workflow import commitment_register, due_date_change, transition

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def direct(commitments, *, on=TODAY) -> dict:
    """The figures counted straight from the commitments, as the pages did before the tally."""
    public = list(commitments.public().select_related("question__session"))
    pending = [c for c in public if c.status in PENDING_STATUSES]
    durations = [
        (c.fulfilled_on - (c.question.session.date or timezone.localdate(c.created))).days
        for c in public
        if c.status == Status.FULFILLED
    ]
    return {
        "open": len(pending),
        "overdue": sum(1 for c in pending if c.due_date is not None and c.due_date < on),
        "fulfilled": sum(1 for c in public if c.status == Status.FULFILLED),
        "lapsed": sum(1 for c in public if c.status == Status.LAPSED),
        "median_days": round(statistics.median(durations)) if durations else None,
    }


def shown(**scope) -> dict:
    card = figures.scorecard(on=TODAY, **scope)
    return {k: card[k] for k in ("open", "overdue", "fulfilled", "lapsed", "median_days")}


def assert_current():
    """Every committee's and promiser's figures equal a direct count, and the tally a recount."""
    assert figures.differences() == []
    for committee in Committee.objects.all():
        assert shown(committee=committee) == direct(Commitment.objects.filter(question__session__committee=committee))
    for person in Person.objects.filter(commitments_made__isnull=False).distinct():
        assert shown(person=person) == direct(Commitment.objects.filter(promised_by=person))


@pytest.fixture
def register(db):
    """Two committees; a minister with commitments in both, in every status, past and future deadlines."""
    made = build_register(8, prefix="een") + build_register(4, prefix="twee")
    minister = Person.objects.get(slug="een-persoon-0")
    statuses = ["open", "open", "partially_fulfilled", "fulfilled", "fulfilled", "lapsed", "candidate", "rejected"]
    for n, c in enumerate(made):
        status = statuses[n % len(statuses)]
        Commitment.objects.filter(pk=c.pk).update(
            status=status,
            promised_by=minister if n % 3 == 0 else c.promised_by,
            due_date=[datetime.date(2026, 1, 1), datetime.date(2026, 9, 1), None][n % 3],
            fulfilled_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=7 * n) if status == "fulfilled" else None,
        )
    return {"made": made, "minister": minister, "one": made[0].question.session.committee}


def test_the_tally_counts_what_is_there_and_leaves_out_what_is_internal(register):
    assert_current()
    one = register["one"]
    assert shown(committee=one) == {"open": 3, "overdue": 1, "fulfilled": 2, "lapsed": 1, "median_days": 24}
    # Candidates and rejected items are nowhere in it.
    assert not CommitmentTally.rows.filter(status__in=["candidate", "rejected"]).exclude(n=0).exists()


def test_overdue_follows_the_date_without_any_write(register):
    """Nothing time-dependent is stored: the same tally gives more overdue items on a later day."""
    one = register["one"]
    before = figures.scorecard(committee=one, on=datetime.date(2026, 6, 1))["overdue"]
    after = figures.scorecard(committee=one, on=datetime.date(2026, 10, 1))["overdue"]
    assert (before, after) == (1, 2)
    assert (
        after
        == direct(Commitment.objects.filter(question__session__committee=one), on=datetime.date(2026, 10, 1))["overdue"]
    )


def test_workflow_and_services_keep_the_figures_current(register, clerk):
    one = register["one"]
    template = register["made"][0]
    fresh = Commitment(
        question=template.question,
        source_speech=template.source_speech,
        quote=template.quote,
        promised_by=register["minister"],
        due_date=datetime.date(2026, 2, 1),
    )
    commitment_create(commitment=fresh, by=clerk)  # a proposal: internal, not counted
    assert_current()
    commitment_register(fresh, by=clerk, due_date=datetime.date(2026, 3, 1))
    assert_current()
    due_date_change(fresh, by=clerk, due_date=datetime.date(2027, 1, 1), note="Uitstel gevraagd.")
    assert_current()
    due_date_change(fresh, by=clerk, due_date=None, note="Geen termijn meer.")
    assert_current()
    transition(fresh, "partially_fulfilled", by=clerk, note="Eerste deel bezorgd.", evidence_title="Brief 1")
    assert_current()
    transition(fresh, "fulfilled", by=clerk, fulfilled_on=datetime.date(2026, 5, 1), evidence_title="Brief")
    assert_current()
    assert shown(committee=one)["fulfilled"] == 3


def test_moving_questions_and_changing_sittings_keep_the_figures_current(register):
    made = register["made"]
    other = Session.objects.get(slug="twee-0")
    question = made[3].question  # holds a fulfilled commitment: its days count from the sitting
    question.session, question.position = other, 2
    question.save()
    assert_current()
    sitting = Session.objects.get(slug="een-4")
    sitting.committee = other.committee
    sitting.date = datetime.date(2020, 6, 1)
    sitting.save()
    assert_current()
    Session.objects.filter(slug="een-5").update(date=None)  # days then count from the registration day
    assert_current()


def test_deleting_updating_and_bulk_inserting_keep_the_figures_current(register):
    made = register["made"]
    Commitment.objects.filter(pk=made[1].pk).delete()
    assert_current()
    Commitment.objects.filter(pk__in=[c.pk for c in made[4:9]]).update(status="open", fulfilled_on=None)
    assert_current()
    Commitment.objects.filter(status="open").update(promised_by=register["minister"])
    assert_current()
    build_register(30, prefix="drie", status="lapsed")  # bulk_create
    assert_current()
    assert shown(committee=Committee.objects.get(slug="drie"))["lapsed"] == 30


def test_loaddata_and_the_fixture_import_keep_the_figures_current(seed, clerk, tmp_path):
    assert_current()  # loaddata (the seed fixture) writes raw rows
    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    transition(commitment, "fulfilled", by=clerk, fulfilled_on=datetime.date(2021, 3, 1), evidence_title="Brief")
    out = io.StringIO()
    call_command("dumpdata", "tracker.commitment", natural_foreign=True, natural_primary=True, stdout=out)
    objects = json.loads(out.getvalue())
    Commitment.objects.all().delete()
    assert not CommitmentTally.rows.exclude(n=0).exists()
    path = tmp_path / "register.json"
    path.write_text(json.dumps(objects), encoding="utf-8")
    fixture_import(paths=[path])
    assert_current()
    assert CommitmentTally.rows.filter(status="fulfilled").exclude(n=0).exists()


def test_refresh_figures_finds_and_repairs_a_wrong_tally(register):
    out = io.StringIO()
    call_command("refresh_figures", "--check", stdout=out)
    assert "kloppen" in out.getvalue()
    row = CommitmentTally.rows.filter(committee=register["one"], status="open").first()
    CommitmentTally.rows.filter(pk=row.pk).update(n=row.n + 5)
    err = io.StringIO()
    with pytest.raises(CommandError, match="wijken af"):
        call_command("refresh_figures", "--check", stdout=io.StringIO(), stderr=err)
    assert f"committee {register['one'].pk}, open" in err.getvalue()
    call_command("refresh_figures", stdout=io.StringIO())
    assert_current()


def test_the_triggers_come_back_when_a_migration_run_dropped_them(register):
    """SQLite drops a table's triggers when a migration rebuilds it; the run's end puts them back."""
    figures.drop_triggers(connection)
    Commitment.objects.filter(pk=register["made"][0].pk).update(status="lapsed")
    assert figures.differences() != []
    figures.after_migrate(None, using=connection.alias)
    assert_current()
    Commitment.objects.filter(pk=register["made"][1].pk).update(status="lapsed")
    assert_current()


def test_a_median_from_the_tally_is_the_median_of_the_days():
    assert figures._median([]) is None
    assert figures._median([(5, 1)]) == 5
    assert figures._median([(10, 2), (20, 2)]) == 15
    assert figures._median([(10, 1), (20, 1), (40, 1)]) == 20
    assert figures._median([(-3, 1), (7, 3), (9, 1)]) == statistics.median([-3, 7, 7, 7, 9])


def grow(n: int) -> Committee:
    build_register(n, prefix="groot")
    fulfilled = list(Commitment.objects.filter(reference__startswith="TZ-groot-").values_list("pk", flat=True)[::2])
    Commitment.objects.filter(pk__in=fulfilled).update(status="fulfilled", fulfilled_on=datetime.date(2021, 5, 1))
    return Committee.objects.get(slug="groot")


@pytest.mark.parametrize("n", [3, 60])
def test_committee_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries, n):
    committee = grow(n)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("tracker:committee", args=[committee.slug]))
    assert page.status_code == 200
    expected = direct(Commitment.objects.filter(question__session__committee=committee), on=timezone.localdate())
    assert {k: page.context["scorecard"][k] for k in expected} == expected


@pytest.mark.parametrize("n", [3, 60])
def test_minister_page_reads_a_fixed_number_of_queries(client, django_assert_max_num_queries, n):
    committee = grow(n)
    minister = Person.objects.get(slug="groot-persoon-0")
    Commitment.objects.filter(question__session__committee=committee).update(promised_by=minister)
    with django_assert_max_num_queries(9):
        page = client.get(reverse("tracker:person", args=[minister.slug]))
    assert page.status_code == 200
    expected = direct(Commitment.objects.filter(promised_by=minister), on=timezone.localdate())
    assert {k: page.context["scorecard"][k] for k in expected} == expected
    assert expected["fulfilled"] == (n + 1) // 2


def test_a_question_moved_between_committees_moves_its_figures(register):
    made = register["made"]
    one, two = register["one"], Committee.objects.get(slug="twee")
    before = shown(committee=one)["open"] + shown(committee=two)["open"]
    question = Question.objects.get(pk=made[0].question_id)
    question.session, question.position = Session.objects.get(slug="twee-1"), 2
    question.save()
    assert shown(committee=one)["open"] + shown(committee=two)["open"] == before
    assert_current()


def test_deleting_commitments_after_their_tally_leaves_no_negative_counts(register):
    """`flush` on SQLite empties the tables in no fixed order: the tally may go before the commitments."""
    CommitmentTally.rows.all().delete()
    Commitment.objects.all().delete()
    assert not CommitmentTally.rows.exists()
    build_register(3, prefix="vier")
    assert_current()


def test_dumpdata_leaves_the_tally_out_and_loaddata_rebuilds_it(register, tmp_path):
    """The README's portable backup: dumped register loaded into an empty database counts each once."""
    before = {c.slug: shown(committee=c) for c in Committee.objects.all()}
    path = tmp_path / "backup.json"
    call_command("dumpdata", "tracker", "--natural-foreign", "--natural-primary", "-o", str(path), verbosity=0)
    assert "tracker.commitmenttally" not in path.read_text(encoding="utf-8")
    Commitment.objects.all().delete()
    for model in (Question, Session, Committee):
        model.objects.all().delete()
    Person.objects.all().delete()
    call_command("loaddata", str(path), verbosity=0)
    assert {c.slug: shown(committee=c) for c in Committee.objects.all()} == before
    assert_current()


def test_the_committee_page_lists_its_latest_sittings_undated_last(client):
    build_register(3, prefix="vijf")
    Session.objects.filter(slug="vijf-0").update(date=None)
    Session.objects.filter(slug="vijf-1").update(date=datetime.date(2022, 3, 1))
    Session.objects.filter(slug="vijf-2").update(date=datetime.date(2023, 3, 1))
    page = client.get(reverse("tracker:committee", args=["vijf"]))
    assert [s.slug for s in page.context["sessions"]] == ["vijf-2", "vijf-1", "vijf-0"]
    assert [s.n_public for s in page.context["sessions"]] == [1, 1, 1]


def test_the_open_data_import_keeps_the_figures_current(seed, clerk):
    from tracker.exchange.opendata import opendata_export, opendata_import

    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    transition(commitment, "fulfilled", by=clerk, fulfilled_on=datetime.date(2021, 3, 1), evidence_title="Brief")
    data = opendata_export(commitments=Commitment.objects.all())
    Commitment.objects.all().delete()
    opendata_import(data=data, filename="toezeggingen.xml")
    assert Commitment.objects.filter(status="fulfilled").exists()
    assert_current()
