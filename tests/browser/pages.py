"""What the browser tests share besides their fixtures (those are in conftest.py): the Chromium to drive,
the register they browse, every kind of page, how to visit a page and log in, and how axe's findings read."""

import datetime
import os
from pathlib import Path

from django.core.management import call_command

from tests.factories import build_register
from tracker.models import Commitment, Person, Question, Speech, Status

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MISSING_CHROMIUM = (
    f"Chromium not found at {CHROMIUM}: the browser tests need Debian's Chromium. "
    "Install it with `apt-get install -y chromium` (.ci/run does this), or point CHROMIUM_PATH at a Chromium binary."
)
SCREENS = Path(os.environ.get("BROWSER_SCREENSHOTS", "/tmp/screens"))  # noqa: S108 - outside the repository on purpose

SESSION_SLUG = "vergadering-maatwerkbedrijven"
MINISTER_SLUG = "hilde-crevits"
MEMBER_SLUG = "vandromme"
COMMITTEE_SLUG = "economie-werk-sociale-economie"
MEMBER_USERNAME = "vandromme"
MEMBER_PASSWORD = "browser-test-only-pw"  # noqa: S105


def visit(page, path: str):
    """Open a page of the live server; it must answer 200 and every resource it loads must load."""
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: HTTP {response and response.status}"
    page.wait_for_load_state("load")
    return response


def log_in(
    page, username: str = MEMBER_USERNAME, password: str = MEMBER_PASSWORD, next_path: str = "/mijn-toezeggingen/"
):
    visit(page, f"/account/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.url.endswith(next_path), f"login did not reach {next_path}: at {page.url}"


def populate() -> dict:
    """The seed, plus public commitments in every public status and by other ministers, and one internal one."""
    call_command("loaddata", "fixtures/seed.json", verbosity=0)
    crevits = Person.objects.get(slug=MINISTER_SLUG)
    question = Question.objects.get(session__slug=SESSION_SLUG, position=1)
    first_answer = Speech.objects.get(question=question, sequence=4)
    Commitment.objects.create(
        reference="TZ-2026-0003",
        question=question,
        source_speech=first_answer,
        quote="Ik weet dat u een hart hebt voor sociale economie",
        summary="De minister licht haar beleid voor de sociale economie toe.",
        kind="report_back",
        promised_by=crevits,
        status=Status.FULFILLED,
        fulfilled_on=datetime.date(2026, 10, 1),
    )
    Commitment.objects.create(  # internal: never on a public page
        reference="TZ-2026-0004",
        question=question,
        source_speech=first_answer,
        quote="dank voor uw vraag",
        promised_by=crevits,
        status=Status.CANDIDATE,
    )
    build_register(2, prefix="werk")  # open and overdue, by other ministers
    build_register(1, status=Status.PARTIALLY_FULFILLED, prefix="deels")
    build_register(1, status=Status.LAPSED, prefix="vervallen")
    done = build_register(1, prefix="voldaan")
    Commitment.objects.filter(pk__in=[c.pk for c in done]).update(
        status=Status.FULFILLED, fulfilled_on=datetime.date(2021, 3, 1)
    )
    commitment = Commitment.objects.get(reference="TZ-2026-0001")
    return {"speech_pk": commitment.source_speech_id, "quote": commitment.quote}


# Every kind of page, as (id, path, needs a logged-in member).
PAGES = [
    ("list", "/toezeggingen/", False),
    ("list-filtered", f"/toezeggingen/?minister={MINISTER_SLUG}&status=open&status=fulfilled&sort=due", False),
    ("detail", "/toezeggingen/TZ-2026-0001/", False),
    ("detail-fulfilled", "/toezeggingen/TZ-2026-0003/", False),
    ("session", f"/vergaderingen/{SESSION_SLUG}/", False),
    ("person-minister", f"/personen/{MINISTER_SLUG}/", False),
    ("person-member", f"/personen/{MEMBER_SLUG}/", False),
    ("committee", f"/commissies/{COMMITTEE_SLUG}/", False),
    ("login", "/account/login/", False),
    ("my-commitments", "/mijn-toezeggingen/", True),
    ("admin-login", "/admin/login/", False),
]

# --- axe-core ------------------------------------------------------------------------------------

BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {"resultTypes": ["violations"]}


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    at {' '.join(str(t) for t in node['target'])}")
            lines.append(f"       {' '.join(node['html'].split())[:300]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"       {line.strip()}" for line in summary.splitlines() if line.strip())
    return "\n".join(lines)
