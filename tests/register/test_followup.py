"""Reminders, the rappel, the dashboard, edit history and two clerks at once."""

import csv
import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import build_register
from tracker.clerks.rappel import rappel_groups
from tracker.models import Commitment, CommitmentEvent, Committee, Reminder, Session, Status
from tracker.register.workflow import TransitionError, transition

TODAY = timezone.localdate()


@pytest.fixture
def due(db, clerk):
    """One overdue and one soon-due commitment in a committee with a responsible clerk."""
    clerk.email = "griffier@example.be"
    clerk.save()
    late, soon, far = build_register(3, prefix="rem")
    Commitment.objects.filter(pk=late.pk).update(due_date=TODAY - datetime.timedelta(days=10))
    Commitment.objects.filter(pk=soon.pk).update(due_date=TODAY + datetime.timedelta(days=5))
    Commitment.objects.filter(pk=far.pk).update(due_date=TODAY + datetime.timedelta(days=90))
    Committee.objects.get(slug="rem").clerks.add(clerk)
    return late, soon, far


@pytest.mark.django_db
def test_send_reminders_mails_due_and_overdue_once(due, capsys):
    late, soon, far = due
    call_command("send_reminders")
    [message] = mail.outbox
    assert message.to == ["griffier@example.be"]
    assert late.reference in message.body and soon.reference in message.body and far.reference not in message.body
    assert "achterstallig sinds" in message.body
    assert Reminder.objects.count() == 2
    call_command("send_reminders")
    assert len(mail.outbox) == 1  # idempotent
    assert "Geen nieuwe herinneringen" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_new_deadline_gets_a_new_reminder(due, clerk):
    late, _, _ = due
    call_command("send_reminders")
    from tracker.register.workflow import due_date_change

    due_date_change(
        Commitment.objects.get(pk=late.pk), by=clerk, due_date=TODAY + datetime.timedelta(days=3), note="Uitstel"
    )
    call_command("send_reminders")
    assert len(mail.outbox) == 2 and late.reference in mail.outbox[1].body


@pytest.mark.django_db
def test_dry_run_sends_and_records_nothing(due, capsys):
    call_command("send_reminders", "--dry-run")
    assert mail.outbox == [] and Reminder.objects.count() == 0
    assert "zou krijgen" in capsys.readouterr().out


@pytest.mark.django_db
def test_mail_failure_records_nothing_and_the_next_run_retries(due, monkeypatch):
    def fail(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    # Reminders share one connection (tracker.register.reminders); the failure is the backend's.
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)
    with pytest.raises(CommandError, match="smtp down"):
        call_command("send_reminders")
    assert Reminder.objects.count() == 0
    monkeypatch.undo()
    call_command("send_reminders")
    assert len(mail.outbox) == 1 and Reminder.objects.count() == 2


@pytest.mark.django_db
def test_rappel_page_and_csv(clerk_client, due):
    late, soon, _ = due
    url = reverse("admin:tracker_commitment_rappel")
    page = clerk_client.get(url, {"on": TODAY.isoformat()}).content.decode()
    assert late.reference in page and soon.reference in page
    assert "Antwoord vastleggen" in page
    response = clerk_client.get(url, {"on": TODAY.isoformat(), "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    overdue = {r[1]: r[6] for r in rows[1:]}
    assert overdue[late.reference] == "10" and overdue[soon.reference] == "0"


@pytest.mark.django_db
def test_rappel_dates_an_undated_sitting_s_commitment_by_its_belgian_registration_day(seed):
    # 23:30 UTC on 1 March is 00:30 on 2 March in Brussels.
    Session.objects.update(date=None)
    Commitment.objects.filter(reference="TZ-2026-0001").update(
        created=datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    )
    rows = [row for _, rows in rappel_groups(on=datetime.date(2026, 6, 1)) for row in rows]
    made_on = {row["commitment"].reference: row["made_on"] for row in rows}
    assert made_on["TZ-2026-0001"] == datetime.date(2026, 3, 2)


@pytest.mark.django_db
def test_dashboard_counts(clerk_client, due):
    page = clerk_client.get(reverse("admin:index"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Toezeggingen in een oogopslag" in body and "<svg" in body


@pytest.mark.django_db
def test_admin_edit_is_recorded_with_old_and_new_value(clerk_client, seed, clerk):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    url = reverse("admin:tracker_commitment_change", args=[c.pk])
    form = clerk_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "promised_to"}
    data.update(
        {
            "version": c.updated.isoformat(),
            "question": c.question_id,
            "source_speech": c.source_speech_id,
            "promised_by": c.promised_by_id,
            "promised_to": [p.pk for p in c.promised_to.all()],
            "summary": "Nieuwe samenvatting.",
            "links_out-TOTAL_FORMS": "0",
            "links_out-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        }
    )
    data.pop("status", None)
    data.pop("due_date", None)
    response = clerk_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = CommitmentEvent.objects.get(commitment=c, kind="edit")
    assert event.actor == clerk and "Nieuwe samenvatting." in event.note and "samenvatting" in event.note


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite's in-memory test database has one writer; CI runs this on PostgreSQL",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clerks_at_once_one_wins_the_other_is_told(clerk):
    """Two real connections: both load the commitment, both try to change it; exactly one succeeds."""
    c = build_register(1, prefix="cc")[0]
    results = []
    barrier = threading.Barrier(2)

    def act(to_status, inputs):
        try:
            mine = Commitment.objects.select_related("question__session").get(pk=c.pk)
            barrier.wait()
            transition(mine, to_status, by=clerk, **inputs)
            results.append("ok")
        except TransitionError as exc:
            results.append(str(exc))
        finally:
            connection.close()

    yesterday = TODAY - datetime.timedelta(days=1)
    threads = [
        threading.Thread(target=act, args=(Status.LAPSED, {"note": "Einde legislatuur"})),
        threading.Thread(target=act, args=(Status.FULFILLED, {"fulfilled_on": yesterday, "evidence_title": "Brief"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results, key=len)[0] == "ok", results
    assert "gewijzigd door iemand anders" in sorted(results, key=len)[1]
    final = Commitment.objects.get(pk=c.pk)
    assert final.status in (Status.LAPSED, Status.FULFILLED)
    assert CommitmentEvent.objects.filter(commitment=c, kind="transition").count() == 1
