"""Issue #16 (low): an imported sitting, and the persons it brings, are public only once a clerk has
reviewed it; its address comes from committee and date, never from the words spoken; and an import
that would create absurdly many persons is refused whole."""

import datetime
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from tracker.exchange.importing import ImportRefused, transcript_import
from tracker.models import Commitment, CommitmentEvent, Committee, Person, Question, Session, Speech
from tracker.register import services

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt").read_text(encoding="utf-8")
MODELS = [Committee, Person, Session, Question, Speech, Commitment, CommitmentEvent]
NEW_PERSONS = ["claes", "hilde-crevits", "vandromme"]  # the seed transcript's speakers, unknown to this register
DATE = datetime.date(2021, 3, 2)


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture(autouse=True)
def rules_threshold(settings):
    settings.TRACKER_CANDIDATE_THRESHOLD = 0.5  # the rules' proposals, as in tests/exchange/test_importing.py


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Commissie voor Onderwijs", slug="commissie-onderwijs")


@pytest.fixture
def imported(committee):
    return transcript_import(text=SEED, committee=committee, by=None, date=DATE).session


@pytest.fixture
def limited(django_user_model):
    """Staff with every clerk's permission but the one to mark sittings reviewed."""
    user = django_user_model.objects.create_user("medewerker", password="x", is_staff=True)
    user.user_permissions.add(*Group.objects.get(name="Griffie").permissions.exclude(codename="review_session"))
    return user


PUBLIC_LISTS = [
    ("tracker:list", {}),
    ("tracker:list", {"q": "bezorgen"}),
    ("tracker:list", {"format": "csv"}),
    ("tracker:list", {"format": "json"}),
    ("tracker:feed", {}),
    ("tracker:deadlines", {}),
    ("tracker:committee", None),
]


def public_text(client) -> str:
    """Everything the public lists, feeds, downloads, search and the committee page show, in one string."""
    texts = []
    for name, query in PUBLIC_LISTS:
        url = reverse(name, args=["commissie-onderwijs"]) if query is None else reverse(name)
        response = client.get(url, query or {})
        assert response.status_code == 200, url
        texts.append(b"".join(response) if response.streaming else response.content)
    return b"\n".join(texts).decode("utf-8")


def test_an_imported_sitting_and_its_new_persons_are_not_public_until_reviewed(client, imported):
    assert imported.reviewed_at is None and imported.reviewed_by is None
    assert client.get(reverse("tracker:session", args=[imported.slug])).status_code == 404
    for slug in NEW_PERSONS:
        assert client.get(reverse("tracker:person", args=[slug])).status_code == 404, slug
    shown = public_text(client)
    for word in (imported.slug, imported.title, "Vandromme", "Crevits", "Claes", "vlotst"):
        assert word not in shown, word
    # Not even as a filter value: an unknown member is an invalid filter, whether unknown or unreviewed.
    assert client.get(reverse("tracker:list"), {"member": "vandromme", "format": "json"}).status_code == 400
    assert not Session.objects.public().filter(pk=imported.pk).exists()
    assert not Person.objects.public().filter(slug__in=NEW_PERSONS).exists()


def test_once_reviewed_the_sitting_and_its_persons_are_public(client, imported, clerk):
    services.session_review(sessions=Session.objects.filter(pk=imported.pk), by=clerk)
    imported.refresh_from_db()
    assert imported.reviewed_by == clerk and imported.reviewed_at is not None
    page = client.get(reverse("tracker:session", args=[imported.slug]))
    assert page.status_code == 200 and "Crevits" in page.content.decode()
    for slug in NEW_PERSONS:
        assert client.get(reverse("tracker:person", args=[slug])).status_code == 200, slug
    assert reverse("tracker:session", args=[imported.slug]) in public_text(client)
    assert client.get(reverse("tracker:list"), {"member": "vandromme", "format": "json"}).status_code == 200
    # The proposals stay internal: reviewing a sitting publishes its text, not its candidates.
    assert "vlotst" not in public_text(client)


def test_a_person_known_from_a_public_sitting_stays_public_when_an_unreviewed_one_names_them_too(
    client, committee, clerk
):
    first = transcript_import(text=SEED, committee=committee, by=None, date=DATE).session
    services.session_review(sessions=Session.objects.filter(pk=first.pk), by=clerk)
    second = transcript_import(
        text=SEED.replace("Dank u wel, minister", "Dank u, minister"),
        committee=committee,
        by=None,
        url="https://x.be/2",
    ).session
    assert client.get(reverse("tracker:person", args=["vandromme"])).status_code == 200
    assert client.get(reverse("tracker:session", args=[second.slug])).status_code == 404
    assert reverse("tracker:session", args=[second.slug]) not in public_text(client)


def test_registering_a_proposal_in_the_review_queue_marks_its_sitting_reviewed(clerk_client, clerk, imported):
    proposal = Commitment.objects.filter(question__session=imported).order_by("pk").first()
    queue = reverse("admin:tracker_reviewitem_changelist")
    response = clerk_client.post(queue, {"action": "register_selected", "_selected_action": [proposal.pk]})
    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.reviewed_by == clerk and imported.reviewed_at is not None
    entry = LogEntry.objects.get(object_id=str(imported.pk), content_type__model="session")
    assert entry.user == clerk and "registreren van een van haar voorstellen" in entry.get_change_message()
    assert clerk_client.get(reverse("tracker:session", args=[imported.slug])).status_code == 200


def test_rejecting_a_proposal_does_not_publish_the_sitting(clerk, imported):
    from tracker.register.workflow import transition

    proposal = Commitment.objects.filter(question__session=imported).first()
    transition(proposal, "rejected", by=clerk, note="Geen toezegging.")
    imported.refresh_from_db()
    assert imported.reviewed_at is None


def test_a_clerk_marks_a_sitting_reviewed_with_the_button_and_it_is_logged(clerk_client, clerk, imported):
    change = reverse("admin:tracker_session_change", args=[imported.pk])
    button = reverse("admin:tracker_session_review", args=[imported.pk])
    page = clerk_client.get(change).content.decode()
    assert button in page and "niet publiek" in page
    assert clerk_client.get(button).status_code == 302  # a GET changes nothing
    assert Session.objects.get(pk=imported.pk).reviewed_at is None
    response = clerk_client.post(button)
    assert response.status_code == 302 and response["Location"] == change
    imported.refresh_from_db()
    assert imported.reviewed_by == clerk
    assert LogEntry.objects.filter(object_id=str(imported.pk), user=clerk).count() == 1
    assert button not in clerk_client.get(change).content.decode()  # once is enough


def test_the_list_action_marks_the_selected_sittings_reviewed(clerk_client, clerk, imported):
    clerk_client.post(
        reverse("admin:tracker_session_changelist"), {"action": "review_selected", "_selected_action": [imported.pk]}
    )
    imported.refresh_from_db()
    assert imported.reviewed_by == clerk
    unreviewed = clerk_client.get(reverse("admin:tracker_session_changelist"), {"reviewed": "0"})
    assert imported.title not in unreviewed.content.decode()


def test_staff_without_the_review_permission_cannot_mark_a_sitting_reviewed(client, limited, imported):
    client.force_login(limited)
    change = reverse("admin:tracker_session_change", args=[imported.pk])
    button = reverse("admin:tracker_session_review", args=[imported.pk])
    page = client.get(change)
    assert page.status_code == 200 and button not in page.content.decode()
    assert client.post(button).status_code == 403
    listing = client.get(reverse("admin:tracker_session_changelist"))
    assert "review_selected" not in listing.content.decode()
    client.post(
        reverse("admin:tracker_session_changelist"), {"action": "review_selected", "_selected_action": [imported.pk]}
    )
    with pytest.raises(services.PermissionDenied):
        services.session_review(sessions=Session.objects.filter(pk=imported.pk), by=limited)
    imported.refresh_from_db()
    assert imported.reviewed_at is None
    assert not LogEntry.objects.filter(object_id=str(imported.pk)).exists()


def test_a_sitting_a_clerk_adds_by_hand_is_reviewed(clerk_client, clerk, committee):
    clerk_client.post(
        reverse("admin:tracker_session_add"),
        {
            "title": "Commissievergadering",
            "slug": "met-de-hand",
            "committee": committee.pk,
            "kind": "committee",
            "date": "2021-03-04",
            "questions-TOTAL_FORMS": "0",
            "questions-INITIAL_FORMS": "0",
        },
    )
    assert Session.objects.get(slug="met-de-hand").reviewed_by == clerk


def test_the_command_names_the_sitting_and_says_it_is_not_public_yet(committee, tmp_path, capsys):
    path = tmp_path / "verslag.txt"
    path.write_text(SEED, encoding="utf-8")
    call_command("import_transcript", str(path), "--committee", "commissie-onderwijs", "--date", "2021-03-02")
    assert "vergadering: commissie-onderwijs-2021-03-02 (publiek zodra een griffier" in capsys.readouterr().out


def test_the_slug_comes_from_committee_and_date_never_from_the_words_spoken(committee):
    first = transcript_import(text=SEED, committee=committee, by=None, date=DATE, url="https://x.be/1").session
    assert first.slug == "commissie-onderwijs-2021-03-02"
    second = transcript_import(
        text=SEED.replace("Minister, honderd", "Minister, tweehonderd"),
        committee=committee,
        by=None,
        date=DATE,
        url="https://x.be/2",
    ).session
    assert second.slug == "commissie-onderwijs-2021-03-02-2"
    undated = transcript_import(text=SEED.replace("honderd", "duizend"), committee=committee, by=None).session
    assert undated.slug == "commissie-onderwijs-zonder-datum"
    # The seed's first words ("Minister, honderd Belgische ondernemers …") were in the old addresses.
    assert not any("minister" in s or "honderd" in s for s in Session.objects.values_list("slug", flat=True))


def test_a_replaced_text_keeps_the_address_and_is_still_recognised(committee):
    first = transcript_import(text=SEED, committee=committee, by=None, date=DATE).session
    changed = SEED.replace("Dank u wel voor de goede voorbeelden.", "Dank u wel voor de vele voorbeelden.")
    with pytest.raises(ImportRefused):
        transcript_import(text=changed, committee=committee, by=None, date=DATE)
    report = transcript_import(text=changed, committee=committee, by=None, date=DATE, replace=True)
    assert report.replaced and Session.objects.get().slug == first.slug
    assert Session.objects.get().reviewed_at is None  # a new text is not the one a clerk looked at


def test_a_sitting_imported_before_the_new_slugs_is_still_recognised(committee):
    """Before 0014 the slug was the import's identity; the migration copies it to source_key."""
    first = transcript_import(text=SEED, committee=committee, by=None, date=DATE).session
    Session.objects.filter(pk=first.pk).update(slug=first.source_key)  # as the old import named it
    changed = SEED.replace("Dank u wel voor de goede voorbeelden.", "Dank u wel voor de vele voorbeelden.")
    with pytest.raises(ImportRefused, match="al in het register"):
        transcript_import(text=changed, committee=committee, by=None, date=DATE)


def test_sixty_thousand_speaker_labels_are_refused_and_nothing_is_written(committee, tmp_path, settings):
    assert settings.TRACKER_MAX_NEW_PERSONS_PER_IMPORT == 200
    # The older reports' inline labels: one line per turn, so the parser has the least to do.
    labels = "".join(f"De heer Jan Spreker{i} (N-VA): Dank u.\n\n" for i in range(60_000))
    path = tmp_path / "sprekers.txt"
    path.write_text("Commissievergadering\n\n" + labels, encoding="utf-8")
    assert path.stat().st_size > 2_400_000
    before = counts()
    with pytest.raises(CommandError) as refused:
        call_command("import_transcript", str(path), "--committee", "commissie-onderwijs")
    message = str(refused.value)
    assert "meer dan 200 nieuwe personen aanmaken (het bevat 60000 verschillende namen)" in message
    assert "ten hoogste 200" in message and "niets ingelezen" in message
    assert counts() == before


def test_the_limit_counts_new_persons_only(committee, settings):
    settings.TRACKER_MAX_NEW_PERSONS_PER_IMPORT = 2
    before = counts()
    with pytest.raises(ImportRefused, match="meer dan 2 nieuwe personen .*ten hoogste 2"):
        transcript_import(text=SEED, committee=committee, by=None)
    assert counts() == before
    settings.TRACKER_MAX_NEW_PERSONS_PER_IMPORT = 3
    assert len(transcript_import(text=SEED, committee=committee, by=None).persons_created) == 3
    # Known persons do not count: the same speakers again, with the limit at nought.
    settings.TRACKER_MAX_NEW_PERSONS_PER_IMPORT = 0
    report = transcript_import(
        text=SEED.replace("honderd", "duizend"), committee=committee, by=None, url="https://x.be/3"
    )
    assert report.persons_created == []


def test_the_admin_preview_refuses_too_many_new_persons(clerk_client, committee, settings):
    settings.TRACKER_MAX_NEW_PERSONS_PER_IMPORT = 2
    url = reverse("admin:tracker_session_import")
    before = counts()
    for extra in ({}, {"confirm": "1"}):
        page = clerk_client.post(url, {"text": SEED, "committee": committee.pk, **extra})
        assert page.status_code == 200
        assert "meer dan 2 nieuwe personen" in page.content.decode() and "ten hoogste 2" in page.content.decode()
    assert counts() == before


def test_the_seed_sitting_is_reviewed_and_public(client, seed):
    session = Session.objects.get(slug="vergadering-maatwerkbedrijven")
    assert session.reviewed_at is not None
    assert client.get(reverse("tracker:session", args=[session.slug])).status_code == 200


def test_a_registered_commitment_keeps_its_sitting_public_whatever_wrote_it(client, seed):
    """Fixtures and open data write sittings in bulk: one holding a registered commitment is public, so no
    public commitment ever links to a missing sitting."""
    Session.objects.update(reviewed_at=None)
    assert client.get(reverse("tracker:session", args=["vergadering-maatwerkbedrijven"])).status_code == 200
    Commitment.objects.update(status="candidate")
    assert client.get(reverse("tracker:session", args=["vergadering-maatwerkbedrijven"])).status_code == 404
    assert client.get(reverse("tracker:person", args=["hilde-crevits"])).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_marks_every_existing_sitting_reviewed_and_keeps_its_identity():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    # Through the migrate command, as a deployment runs it: its signals take the database's own triggers
    # (search index, tally) off the tables a migration rebuilds on SQLite, and put them back after.
    call_command("migrate", "tracker", "0013_commitment_status_recent", verbosity=0)
    apps = MigrationExecutor(connection).loader.project_state([("tracker", "0013_commitment_status_recent")]).apps
    old_committee = apps.get_model("tracker", "Committee").objects.create(name="Economie", slug="economie")
    old_session = apps.get_model("tracker", "Session")
    old_session.objects.create(slug="economie-minister-honderd", committee=old_committee, title="T", source_sha256="ab")
    old_session.objects.create(slug="met-de-hand", committee=old_committee, title="T")
    call_command("migrate", verbosity=0)
    rows = dict(Session.objects.values_list("slug", "source_key"))
    assert rows == {"economie-minister-honderd": "economie-minister-honderd", "met-de-hand": ""}
    assert not Session.objects.filter(reviewed_at__isnull=True).exists()
    assert Group.objects.get(name="Griffie").permissions.filter(codename="review_session").exists()
