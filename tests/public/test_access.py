"""Access matrix: every URL pattern, and who may use it — anonymous, member, clerk without the status
permission, clerk, superuser. A new URL without an entry here fails the test."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tracker.models import (
    Commitment,
    CommitmentEvent,
    Committee,
    ImportBatch,
    Notification,
    Person,
    Question,
    Session,
    Speech,
)

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "member", "clerk_without_status", "clerk", "superuser"]
EVERYONE, LOGGED_IN, STAFF, CLERKS, SUPER = (
    set(ROLES),
    set(ROLES) - {"anonymous"},
    {"clerk_without_status", "clerk", "superuser"},
    {"clerk", "superuser"},
    {"superuser"},
)


@pytest.fixture
def users(django_user_model, seed):
    griffie = Group.objects.get(name="Griffie")
    member = django_user_model.objects.create_user("lid", password="x")
    Person.objects.filter(slug="vandromme").update(user=member)
    clerk = django_user_model.objects.create_user("griffier", password="x", is_staff=True)
    clerk.groups.add(griffie)
    limited = django_user_model.objects.create_user("medewerker", password="x", is_staff=True)
    limited.user_permissions.add(*griffie.permissions.exclude(codename="change_commitment_status"))
    boss = django_user_model.objects.create_superuser("beheerder", password="x")
    proposal = Commitment.objects.get(reference="TZ-2026-0002")
    proposal.pk, proposal.reference, proposal.status = None, "TZ-2026-0003", "candidate"
    proposal.save()
    return {"anonymous": None, "member": member, "clerk_without_status": limited, "clerk": clerk, "superuser": boss}


def all_url_names():
    names = set()

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name:
                names.add(prefix + p.name)

    walk(get_resolver().url_patterns)
    return names


def _admin_objects():
    """Each registered model's admin pages, with a builder of one object (None: no object pages)."""
    return {
        "committee": lambda: Committee.objects.first(),
        "person": lambda: Person.objects.first(),
        "session": lambda: Session.objects.first(),
        "question": lambda: Question.objects.first(),
        "speech": lambda: Speech.objects.first(),
        "commitment": lambda: Commitment.objects.first(),
        "commitmentevent": lambda: CommitmentEvent.objects.first(),
        "reviewitem": lambda: Commitment.objects.get(status="candidate"),
        "commitmentlink": None,
        "reminder": None,
        "follow": None,
        "importbatch": lambda: ImportBatch.objects.get_or_create(name="reeks")[0],
        "document": _document,
    }


def _document():
    from tracker.letters.models import Document

    return Document.objects.get_or_create(sha256="0" * 64, defaults={"title": "Brief", "text": "Tekst."})[0]


def matrix():
    """(url name, kwargs builder, allowed roles). Object ids come from the seed."""
    c = lambda: Commitment.objects.get(reference="TZ-2026-0001").pk  # noqa: E731
    rows = [
        ("tracker:list", {}, EVERYONE),
        ("tracker:feed", {}, EVERYONE),
        ("tracker:deadlines", {}, EVERYONE),
        ("tracker:detail", {"reference": "TZ-2026-0001"}, EVERYONE),
        ("tracker:session", {"slug": "vergadering-maatwerkbedrijven"}, EVERYONE),
        ("tracker:person", {"slug": "hilde-crevits"}, EVERYONE),
        ("tracker:committee", {"slug": "economie-werk-sociale-economie"}, EVERYONE),
        ("tracker:mine", {}, LOGGED_IN),
        ("healthz", {}, EVERYONE),
        ("login", {}, EVERYONE),
        ("admin:index", {}, STAFF),
        ("admin:tracker_session_import", {}, STAFF),
        ("admin:tracker_session_batch_import", {}, STAFF),
        ("admin:tracker_commitment_rappel", {}, STAFF),
        # A fixture writes every kind of record, the append-only history too: superusers, as loaddata.
        ("admin:tracker_commitment_import_fixtures", {}, SUPER),
        ("admin:tracker_commitment_import_opendata", {}, CLERKS),  # it sets statuses
        ("admin:tracker_commitment_transition", {"pk": c, "to_status": "lapsed"}, CLERKS),
        ("admin:tracker_commitment_deadline", {"pk": c}, CLERKS),
        ("admin:tracker_commitment_import", {}, STAFF),
        ("admin:tracker_commitment_export", {}, STAFF),
        ("admin:tracker_person_import", {}, STAFF),
        ("admin:tracker_person_export", {}, STAFF),
        ("admin:tracker_document_import", {}, STAFF),
    ]
    for model, get in _admin_objects().items():
        registered = any(m._meta.model_name == model for m in admin.site._registry)
        if not registered:
            continue
        rows.append((f"admin:tracker_{model}_changelist", {}, STAFF))
        if get is not None:
            rows.append((f"admin:tracker_{model}_change", {"object_id": lambda g=get: g().pk}, STAFF))
            rows.append((f"admin:tracker_{model}_history", {"object_id": lambda g=get: g().pk}, STAFF))
            deletable = SUPER | ({"clerk_without_status", "clerk"} if model == "speech" else set())
            if model in ("reviewitem", "commitmentevent"):
                deletable = set()  # proposals are rejected, history is append-only: nobody deletes them
            rows.append((f"admin:tracker_{model}_delete", {"object_id": lambda g=get: g().pk}, deletable))
        # Letters come in through their import (fingerprinted and matched), never the bare add form.
        addable = (
            STAFF if model not in ("commitmentevent", "reviewitem", "reminder", "importbatch", "document") else set()
        )
        if model in ("commitmentlink", "follow"):
            addable = STAFF if model == "commitmentlink" else SUPER
        rows.append((f"admin:tracker_{model}_add", {}, addable))
    # Background work (#13): notification e-mails and the database task queue, read-only for clerks.
    for prefix, get in [("tracker_notification", _notification), ("django_tasks_database_dbtaskresult", _task)]:
        rows += [
            (f"admin:{prefix}_changelist", {}, STAFF),
            (f"admin:{prefix}_change", {"object_id": get}, STAFF),
            (f"admin:{prefix}_history", {"object_id": get}, STAFF),
            (f"admin:{prefix}_delete", {"object_id": get}, set()),
            (f"admin:{prefix}_add", {}, set()),
        ]
    return rows


def _notification():
    event = CommitmentEvent.objects.first()
    return Notification.objects.get_or_create(event=event, recipient="lid@example.be")[0].pk


def _task():
    from django_tasks_db.models import DBTaskResult

    from tracker.ops import tasks

    if not DBTaskResult.objects.exists():
        tasks.notify_followers.enqueue(event_id=CommitmentEvent.objects.first().pk)
    return DBTaskResult.objects.first().pk


# POST-only or token URLs, and Django's own pages, are covered by their own tests.
EXEMPT = {
    "tracker:follow",
    "tracker:follow_filter",
    "tracker:unsubscribe",
    "logout",
    "set_language",
    "admin:tracker_commitment_process_import",
    "admin:tracker_person_process_import",
    "admin:tracker_session_review",  # POST only: tests/public/test_hardening_sittings.py
    "admin:tracker_document_decide",  # POST only: tests/letters/test_letters_review.py
    "admin:tracker_document_rematch",  # POST only: tests/letters/test_letters_review.py
    "admin:view_on_site",
    "admin:jsi18n",
    "admin:logout",
    "admin:login",
    "admin:password_change",
    "admin:password_change_done",
    "admin:autocomplete",
    "admin:app_list",
}


def test_every_url_pattern_is_in_the_matrix():
    covered = {name for name, _, _ in matrix()} | EXEMPT
    unknown = {
        n
        for n in all_url_names()
        if not n.startswith("admin:auth_")
        and not n.startswith("admin:axes_")
        and not n.startswith("admin:otp_")
        and n not in covered
    }
    assert unknown == set(), f"URL patterns without an access rule: {sorted(unknown)}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    failures = []
    for name, kwargs, allowed in matrix():
        url = reverse(name, kwargs={k: (v() if callable(v) else v) for k, v in kwargs.items()})
        response = client.get(url)
        ok = response.status_code == 200
        if (role in allowed) != ok:
            failures.append(f"{name} {url}: {response.status_code}, expected {'200' if role in allowed else 'denied'}")
        if role not in allowed and response.status_code == 200:
            failures.append(f"{name}: {role} got in")
        if role not in allowed:
            assert response.status_code in (302, 403, 404), (name, response.status_code)
    assert failures == []
