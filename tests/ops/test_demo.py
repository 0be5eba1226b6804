"""generate_demo_data: the volumes it promises, repeatable runs, and clear refusals."""

import io

import pytest
from django.core.management import CommandError, call_command

from tracker.models import Commitment, Person, Question, Session, Speech

pytestmark = pytest.mark.django_db


def test_generates_the_requested_volume_with_linked_public_commitments():
    out = io.StringIO()
    call_command("generate_demo_data", commitments=50, speeches_per_session=8, stdout=out)
    assert "50 toezeggingen aangemaakt" in out.getvalue()
    assert Commitment.objects.count() == 50
    assert Session.objects.count() == 10  # one sitting per five commitments
    assert Speech.objects.count() == 10 * 8
    statuses = set(Commitment.objects.values_list("status", flat=True))
    assert {"open", "fulfilled", "candidate"} <= statuses  # public pages and the review queue both have work
    for c in Commitment.objects.select_related("question", "source_speech"):
        assert c.source_speech.question_id == c.question_id and c.source_speech.speaker_role == "minister"
        assert c.quote == c.source_speech.text
        assert c.promised_by_id == c.question.addressed_to_id


def test_a_second_run_adds_to_the_register_with_the_same_ministers():
    call_command("generate_demo_data", commitments=100, speeches_per_session=4, stdout=io.StringIO())
    ministers = set(Commitment.objects.values_list("promised_by", flat=True))
    call_command("generate_demo_data", commitments=100, speeches_per_session=4, stdout=io.StringIO())
    assert Commitment.objects.count() == 200
    assert Commitment.objects.values("reference").distinct().count() == 200
    assert Person.objects.filter(slug__startswith="demo-").count() == 400
    assert set(Commitment.objects.values_list("promised_by", flat=True)) <= set(
        Person.objects.filter(slug__startswith="demo-").order_by("pk").values_list("pk", flat=True)[:25]
    )
    assert ministers <= set(Commitment.objects.values_list("promised_by", flat=True))
    assert Question.objects.filter(asked_by__in=ministers).count() == 0  # members ask, ministers answer


@pytest.mark.parametrize(
    ("options", "message"),
    [({"commitments": 0}, "--commitments"), ({"commitments": 5, "speeches_per_session": 3}, "--speeches-per-session")],
)
def test_refuses_volumes_it_cannot_build(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_demo_data", **options)
    assert not Commitment.objects.exists()
