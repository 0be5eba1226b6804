"""Each rule of the register in one place (tracker/register/rules.py and history.py), and every path obeys it.

One regression test per leak of issue 12 (a commitment made open without the workflow had no deadline,
a fulfilled commitment's deadline could move, spreadsheet edits recorded nothing, imports' status
changes, the rules written several times), and tests that the pages, feeds, reminders and exports use
the one definition.
"""

import csv
import datetime
import io
import json
import uuid
import zoneinfo

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from tests.factories import build_register
from tracker.clerks.dashboard import dashboard_figures
from tracker.clerks.rappel import rappel_groups
from tracker.exchange.fixtures_import import FixtureRefused, fixture_import
from tracker.exchange.opendata import OpendataRefused, opendata_import
from tracker.exchange.transcript_preview import MAX_UPLOAD_BYTES
from tracker.extraction import types as extraction_types
from tracker.management.commands import _common
from tracker.models import (
    Commitment,
    CommitmentEvent,
    CommitmentKind,
    Follow,
    QuestionKind,
    SpeakerRole,
    Status,
)
from tracker.register import history, reminders, rules
from tracker.register.workflow import TransitionError, due_date_change, transition

pytestmark = pytest.mark.django_db

TK_NS = "http://www.tweedekamer.nl/xsd/tkData/v1-0"


def tk_item(number: str, *, status: str, extra: str = "") -> str:
    guid = uuid.uuid5(uuid.NAMESPACE_URL, number)
    return (
        f'<tk:toezegging id="{guid}" tk:verwijderd="false" tk:bijgewerkt="2024-12-05T10:00:00Z">'
        f"<tk:aanmaakdatum>2024-12-04T09:30:00Z</tk:aanmaakdatum><tk:nummer>{number}</tk:nummer>"
        "<tk:naam>E. Heinen</tk:naam><tk:achternaam>Heinen</tk:achternaam>"
        f"<tk:functie>minister van Financiën</tk:functie><tk:status>{status}</tk:status>{extra}"
        "<tk:tekst>De minister zegt toe de Kamer te informeren.</tk:tekst></tk:toezegging>"
    )


def tk_file(*items: str) -> bytes:
    body = "\n".join(items)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<root xmlns:tk="{TK_NS}">\n{body}\n</root>\n'.encode()


def fixture_file(tmp_path, objects) -> str:
    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    return str(path)


def follower(django_user_model, commitment) -> None:
    user = django_user_model.objects.create_user("volger", email="volger@example.org", password="x")
    Follow.objects.create(user=user, commitment=commitment)


# -- 1. every path that makes a commitment open gives it the standard deadline --------------------


def test_seed_commitment_without_spoken_deadline_has_the_standard_deadline(seed):
    stated = Commitment.objects.get(reference="TZ-2026-0001")
    assert (stated.due_date, stated.due_is_default) == (datetime.date(2027, 2, 26), True)
    spoken = Commitment.objects.get(reference="TZ-2026-0002")  # "zodra die studie is opgeleverd"
    assert (spoken.due_date, spoken.due_is_default) == (None, False)


def test_commitment_added_open_in_the_admin_gets_the_standard_deadline(clerk_client, seed, client):
    question = Commitment.objects.get(reference="TZ-2026-0001").question_id
    data = {
        "question": question,
        "quote": "Ik bezorg u de cijfers.",
        "kind": "send_document",
        "status": "open",
        "summary": "",
        "promised_by_function": "",
        "due_text": "",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        "links_out-TOTAL_FORMS": "0",
        "links_out-INITIAL_FORMS": "0",
    }
    assert clerk_client.post(reverse("admin:tracker_commitment_add"), data).status_code == 302
    c = Commitment.objects.get(quote="Ik bezorg u de cijfers.")
    # The seed's sitting has no date: three months from registration.
    assert c.due_date == rules.add_months(rules.today(), settings.TRACKER_DEFAULT_DUE_MONTHS)
    assert c.due_is_default
    assert c.reference in client.get(reverse("tracker:deadlines")).content.decode()


def test_commitment_imported_open_from_open_data_gets_the_standard_deadline(db):
    opendata_import(data=tk_file(tk_item("TZ1", status="Openstaand"), tk_item("TZ2", status="Vervallen")), filename="x")
    opened = Commitment.objects.get(reference="TZ1")
    # Open data names no sitting: three months from its creation date (aanmaakdatum).
    assert (opened.due_date, opened.due_is_default) == (datetime.date(2025, 3, 4), True)
    assert Commitment.objects.get(reference="TZ2").due_date is None  # lapsed: no deadline to keep
    assert Commitment.objects.overdue(on=datetime.date(2025, 3, 5)).filter(reference="TZ1").exists()


def test_commitment_imported_open_from_a_fixture_gets_the_standard_deadline(seed, tmp_path):
    objects = [
        {
            "model": "tracker.session",
            "fields": {
                "slug": "s-2021",
                "committee": ["economie-werk-sociale-economie"],
                "title": "Vergadering",
                "date": "2021-03-10",
            },
        },
        {"model": "tracker.question", "fields": {"session": ["s-2021"], "position": 1, "title": "Vraag"}},
        {
            "model": "tracker.commitment",
            "fields": {"reference": "TZ-9", "question": ["s-2021", 1], "quote": "Ik bezorg het.", "status": "open"},
        },
    ]
    fixture_import(paths=[fixture_file(tmp_path, objects)])
    c = Commitment.objects.get(reference="TZ-9")
    assert (c.due_date, c.due_is_default) == (datetime.date(2021, 6, 10), True)


# -- 2. a deadline moves only while the commitment is pending ---------------------------------------


def test_deadline_view_refuses_to_move_a_fulfilled_commitments_deadline(clerk_client, seed, clerk):
    c = Commitment.objects.get(reference="TZ-2026-0001")
    transition(c, Status.FULFILLED, by=clerk, fulfilled_on=rules.today(), evidence_title="Brief")
    c.refresh_from_db()
    url = reverse("admin:tracker_commitment_deadline", args=[c.pk])
    response = clerk_client.post(
        url, {"version": c.updated.isoformat(), "due_date": "2030-01-01", "note": "Uitstel gevraagd"}
    )
    assert response.status_code == 200
    assert "alleen de termijn van een openstaande of deels voldane toezegging" in response.content.decode().lower()
    c.refresh_from_db()
    assert c.due_date == datetime.date(2027, 2, 26)
    assert not c.events.filter(kind="due_date").exists()


def test_due_date_change_refuses_a_proposal_and_accepts_a_partially_fulfilled_commitment(clerk):
    proposal, partial = build_register(2, prefix="dl")
    Commitment.objects.filter(pk=proposal.pk).update(status=Status.CANDIDATE)
    proposal.refresh_from_db()
    with pytest.raises(TransitionError):
        due_date_change(proposal, by=clerk, due_date=datetime.date(2030, 1, 1), note="Voorstel")
    transition(partial, Status.PARTIALLY_FULFILLED, by=clerk, note="Deels", evidence_title="Brief")
    due_date_change(partial, by=clerk, due_date=datetime.date(2030, 1, 1), note="Uitstel")
    assert partial.events.get(kind="due_date").new_due_date == datetime.date(2030, 1, 1)


# -- 3. spreadsheet edits say what changed, and a deadline change keeps both dates ----------------

SHEET_COLUMNS = ["reference", "question", "quote", "summary", "kind", "promised_by", "due_date", "due_text"]


def import_sheet(client, rows) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SHEET_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in SHEET_COLUMNS})
    upload = SimpleUploadedFile("toezeggingen.csv", out.getvalue().encode(), content_type="text/csv")
    url = reverse("admin:tracker_commitment_import")
    form = client.get(url).context["form"]
    fmt = next(i for i, label in form.fields["format"].choices if str(label).lower() == "csv")
    preview = client.post(url, {"format": fmt, "import_file": upload})
    confirm = preview.context["confirm_form"]
    assert client.post(reverse("admin:tracker_commitment_process_import"), confirm.initial).status_code == 302


def test_spreadsheet_edit_records_each_field_change_and_both_deadlines(clerk_client, seed):
    existing = Commitment.objects.get(reference="TZ-2026-0001")
    proposal = {
        "reference": "TZ-2021-0100",
        "question": "vergadering-maatwerkbedrijven/1",
        "quote": "Ik kom daarop terug.",
        "kind": "report_back",
        "due_date": "2021-06-30",
    }
    registered = {
        "reference": existing.reference,
        "question": "vergadering-maatwerkbedrijven/1",
        "quote": existing.quote,
        "summary": "Nieuwe samenvatting",
        "kind": existing.kind,
        "promised_by": existing.promised_by.slug,
        "due_date": "2027-06-30",
    }
    import_sheet(clerk_client, [proposal])
    import_sheet(clerk_client, [{**proposal, "due_date": "2021-09-30"}, registered])

    edit = Commitment.objects.get(reference="TZ-2021-0100").events.get(kind="edit")
    assert "2021-06-30 → 2021-09-30" in edit.note
    edit = existing.events.get(kind="edit")
    assert f"{Commitment._meta.get_field('summary').verbose_name}: " in edit.note
    assert "→ Nieuwe samenvatting" in edit.note
    deadline = existing.events.get(kind="due_date")
    assert (deadline.old_due_date, deadline.new_due_date) == (datetime.date(2027, 2, 26), datetime.date(2027, 6, 30))


# -- 4. imports change a status with the workflow's event (and its deadline), and e-mail nobody ------


def test_fixture_import_reopening_a_commitment_writes_the_transition_and_the_standard_deadline(
    tmp_path, django_user_model
):
    c = build_register(1, status="lapsed", prefix="fx")[0]
    Commitment.objects.filter(pk=c.pk).update(due_date=None)
    follower(django_user_model, c)
    fixture_import(
        paths=[
            fixture_file(
                tmp_path, [{"model": "tracker.commitment", "fields": {"reference": c.reference, "status": "open"}}]
            )
        ]
    )
    c.refresh_from_db()
    assert (c.status, c.due_date, c.due_is_default) == ("open", datetime.date(2021, 4, 1), True)
    event = c.events.get(kind="transition")
    expected = history.transition(c, from_status="lapsed", to_status="open", note=event.note)
    assert {name: getattr(event, name) for name in expected if name != "commitment"} == {
        name: value for name, value in expected.items() if name != "commitment"
    }
    assert event.actor is None and "fixture.json" in event.note
    assert mail.outbox == []  # imports notify nobody (history.py says why)


def test_open_data_import_reopening_a_commitment_writes_the_transition_and_the_standard_deadline(db, django_user_model):
    opendata_import(data=tk_file(tk_item("TZ7", status="Vervallen")), filename="eerst.xml")
    c = Commitment.objects.get(reference="TZ7")
    follower(django_user_model, c)
    opendata_import(data=tk_file(tk_item("TZ7", status="Openstaand")), filename="later.xml")
    c.refresh_from_db()
    assert c.status == "open" and c.due_is_default
    assert c.due_date == rules.add_months(rules.today(), settings.TRACKER_DEFAULT_DUE_MONTHS)
    event = c.events.get(kind="transition")
    assert (event.from_status, event.to_status, event.actor) == ("lapsed", "open", None)
    assert mail.outbox == []


# -- 5. each rule is written once, and every user of it agrees -------------------------------------


@pytest.mark.parametrize(("days", "overdue"), [(-1, True), (0, False), (1, False)])
def test_dashboard_reminders_rappel_exports_and_public_list_agree_on_overdue(client, clerk, days, overdue):
    c = build_register(1, prefix="od")[0]
    today = rules.today()
    Commitment.objects.filter(pk=c.pk).update(due_date=today + datetime.timedelta(days=days))
    c.refresh_from_db()
    c.question.session.committee.clerks.add(clerk)
    assert c.overdue is overdue and c.is_overdue() is overdue
    assert Commitment.objects.overdue().filter(pk=c.pk).exists() is overdue
    assert dashboard_figures()["overdue"] == int(overdue)
    kinds = [kind for commitment, kind in reminders._due(today) if commitment.pk == c.pk]
    assert kinds == (["overdue"] if overdue else ["due_soon"])
    [(_name, [row])] = rappel_groups(on=today)
    assert (row["days_overdue"] > 0) is overdue
    listed = client.get(reverse("tracker:list"), {"overdue": "1"}).content.decode()
    assert (c.reference in listed) is overdue
    record = json.loads(b"".join(client.get(reverse("tracker:list"), {"format": "json"}).streaming_content))
    assert record["commitments"][0]["overdue"] is overdue


def test_overdue_turns_at_midnight_in_brussels_whatever_time_zone_is_active(db):
    c = build_register(1, prefix="tz")[0]
    Commitment.objects.filter(pk=c.pk).update(due_date=datetime.date(2026, 3, 1))
    c.refresh_from_db()
    # 23:30 UTC on 1 March is 00:30 on 2 March in Brussels: the deadline of 1 March has passed.
    with freeze_time("2026-03-01 23:30:00"), timezone.override(zoneinfo.ZoneInfo("UTC")):
        assert rules.today() == datetime.date(2026, 3, 2)
        assert Commitment.objects.overdue().filter(pk=c.pk).exists()
        assert c.overdue


def test_due_soon_window_is_one_setting(db):
    c = build_register(1, prefix="ds")[0]
    Commitment.objects.filter(pk=c.pk).update(due_date=rules.today() + datetime.timedelta(days=20))
    with override_settings(TRACKER_DUE_SOON_DAYS=10):
        assert dashboard_figures()["due_soon"] == 0
        assert not Commitment.objects.due_within().exists()
    with override_settings(TRACKER_DUE_SOON_DAYS=30):
        assert dashboard_figures()["due_soon"] == 1
        assert Commitment.objects.due_within().exists()


def test_committee_promise_is_named_the_same_in_feed_calendar_rappel_and_pages(client, clerk):
    c = build_register(1, prefix="pn")[0]
    Commitment.objects.filter(pk=c.pk).update(promised_by=None, promised_by_function="")
    CommitmentEvent.objects.create(commitment=c, kind="created", to_status="open")
    c.refresh_from_db()
    name = str(rules.promiser_name(c))
    assert name == "de commissie" and c.promiser_name == name
    feed = client.get(reverse("tracker:feed")).content.decode()
    assert f"{name}: “{c.quote}”" in feed
    assert f"{c.reference}: {name}" in client.get(reverse("tracker:deadlines")).content.decode()
    assert rappel_groups(on=rules.today())[0][0] == name
    assert name in client.get(reverse("tracker:detail", args=[c.reference])).content.decode()


def test_minister_is_named_without_party_on_the_dashboard_as_everywhere(client, django_user_model):
    c = build_register(1, prefix="pp")[0]
    c.promised_by.party = "CD&V"
    c.promised_by.save()
    admin = django_user_model.objects.create_superuser("chef", password="x")
    client.force_login(admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert c.promised_by.full_name in page and "(CD&amp;V)" not in page


def test_open_data_datumnakoming_is_a_term_when_open_and_a_fulfilment_date_only_when_fulfilled(db, tmp_path, seed):
    # The Tweede Kamer's register shows an open commitment's term there (README, "datumNakoming"): it is
    # the due date, not a fulfilment, so a future one is normal. A fulfilled record's date is the
    # fulfilment, and the one rule for fulfilment dates (fixtures, workflow) applies to it.
    future = "<tk:datumNakoming>2099-01-20T00:00:00</tk:datumNakoming>"
    opendata_import(data=tk_file(tk_item("TZ3", status="Openstaand", extra=future)), filename="x.xml")
    c = Commitment.objects.get(reference="TZ3")
    assert (c.status, c.due_date, c.due_is_default, c.fulfilled_on) == ("open", datetime.date(2099, 1, 20), False, None)
    with pytest.raises(OpendataRefused) as info:
        opendata_import(data=tk_file(tk_item("TZ4", status="Voldaan", extra=future)), filename="x.xml")
    assert [e.field for e in info.value.errors] == ["datumNakoming"]
    assert not Commitment.objects.filter(reference="TZ4").exists()
    with pytest.raises(FixtureRefused):
        fixture_import(
            paths=[
                fixture_file(
                    tmp_path,
                    [
                        {
                            "model": "tracker.commitment",
                            "fields": {
                                "reference": "TZ-8",
                                "question": ["vergadering-maatwerkbedrijven", 1],
                                "quote": "Ik bezorg het.",
                                "status": "open",
                                "fulfilled_on": "2025-01-20",
                            },
                        }
                    ],
                )
            ]
        )


def test_workflow_refuses_a_fulfilment_before_the_sitting_like_the_fixture_import(clerk):
    c = build_register(1, prefix="wf")[0]  # sitting of 1 January 2021
    with pytest.raises(TransitionError, match="vóór de vergadering"):
        transition(c, Status.FULFILLED, by=clerk, fulfilled_on=datetime.date(2020, 12, 1), evidence_title="Brief")
    c.refresh_from_db()
    assert c.status == "open"


def test_fulfilment_rule_is_one_function():
    today = datetime.date(2026, 1, 10)
    assert rules.fulfilment_problems(status="fulfilled", fulfilled_on=datetime.date(2026, 1, 5), on=today) == []
    fields = [
        f
        for status, date in [
            ("fulfilled", None),
            ("open", datetime.date(2026, 1, 5)),
            ("fulfilled", datetime.date(2026, 2, 1)),
        ]
        for f, _ in rules.fulfilment_problems(status=status, fulfilled_on=date, on=today)
    ]
    assert fields == ["fulfilled_on"] * 3
    assert rules.fulfilment_problems(
        status="fulfilled", fulfilled_on=datetime.date(2021, 1, 1), session_date=datetime.date(2021, 2, 1), on=today
    )


def test_public_history_is_one_definition_for_feed_page_and_followers(client, clerk):
    c = build_register(1, prefix="ph")[0]
    Commitment.objects.filter(pk=c.pk).update(status=Status.CANDIDATE)
    c.refresh_from_db()
    CommitmentEvent.objects.create(commitment=c, kind="created", to_status="candidate")
    transition(c, Status.OPEN, by=clerk)
    events = list(c.events.order_by("at", "pk"))
    assert [rules.is_public_status_event(e) for e in events] == [False, True]
    assert [e.kind for e in rules.public_timeline(events)] == ["transition"]
    feed = client.get(reverse("tracker:feed")).content.decode()
    assert feed.count(f"#event-{events[1].uid}") == 1 and f"#event-{events[0].uid}" not in feed


def test_size_limits_are_one_setting_per_input_kind():
    from tracker.exchange import fixtures_import, opendata, spreadsheets

    limits = settings.TRACKER_MAX_BYTES
    assert set(limits) == {"transcript", "transcript_pdf", "spreadsheet", "fixture", "opendata"}
    assert MAX_UPLOAD_BYTES == _common.MAX_TRANSCRIPT_BYTES == limits["transcript"]
    assert limits["spreadsheet"] == spreadsheets.MAX_SPREADSHEET_BYTES
    assert limits["fixture"] == fixtures_import.MAX_FIXTURE_BYTES
    assert limits["opendata"] == opendata.MAX_OPENDATA_BYTES


def test_extraction_kinds_and_roles_are_the_models_choices():
    """extraction/ imports no Django, so it spells the choices out: this keeps the two lists the same."""
    assert tuple(SpeakerRole.values) == extraction_types.ROLES
    assert tuple(QuestionKind.values) == extraction_types.ITEM_KINDS
    assert tuple(CommitmentKind.values) == extraction_types.COMMITMENT_KINDS
