"""Builders shared by several test modules (issue #12: no test module imports another's helpers)."""

import importlib.util
from pathlib import Path

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "config" / "settings.py"

# The environment variables of ours a settings test may set; each read starts without all of them.
SETTINGS_ENV = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "TRUSTED_PROXY_COUNT",
    "PROXY_COUNT",
    "DATABASE_URL",
    "DB_CONNECT_TIMEOUT",
    "DB_STATEMENT_TIMEOUT",
    "SMTP_HOST",
    "SMTP_TIMEOUT",
    "TRACKER_DOWNLOAD_RATE",
)


def settings_from_file(monkeypatch, **env):
    """config/settings.py read afresh with exactly these of our environment variables set."""
    for name in SETTINGS_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def letter_commitment(
    *,
    quote: str,
    promiser: str = "Edith Schippers",
    ministry: str = "Volksgezondheid, Welzijn en Sport",
    sitting_date=None,
    sitting_title: str = "Commissiedebat",
    status: str = "open",
    reference: str = "",
):
    """One commitment of a minister at a sitting (its committee, sitting and item made as needed), for the
    letter-matching tests; the promiser is found again by full name, so several share one person."""
    import datetime

    from django.utils.text import slugify

    from tracker.models import Commitment, Committee, Person, Question, Session
    from tracker.services import commitment_create

    committee, _ = Committee.objects.get_or_create(slug="vws", defaults={"name": "Commissie VWS"})
    surname = promiser.split()[-1]
    person, _ = Person.objects.get_or_create(
        full_name=promiser, defaults={"surname": surname, "slug": slugify(promiser), "honorific": ""}
    )
    day = sitting_date or datetime.date(2023, 3, 12)
    session, _ = Session.objects.get_or_create(
        slug=f"{slugify(sitting_title)}-{day.isoformat()}",
        defaults={
            "committee": committee,
            "title": sitting_title,
            "date": day,
            "reviewed_at": datetime.datetime.now(datetime.UTC),
        },
    )
    question = Question.objects.create(session=session, position=session.questions.count() + 1, title=sitting_title)
    commitment = Commitment(
        reference=reference,
        question=question,
        quote=quote,
        promised_by=person,
        ministry=ministry,
        status=status,
    )
    return commitment_create(commitment=commitment)


LETTER_TEXT = """Evaluatie eigen bijdrage wijkverpleging

Geachte voorzitter,

Tijdens het commissiedebat Zorgverzekeringsstelsel van 12 maart heb ik uw Kamer toegezegd de evaluatie van de
eigen bijdrage in de wijkverpleging voor de zomer te sturen. Met deze brief kom ik die toezegging na.

De evaluatie laat zien dat de eigen bijdrage weinig effect had op het gebruik van wijkverpleging.

De Minister van Volksgezondheid, Welzijn en Sport,

E.I. Schippers
"""


# A kamerstuk letter as officielebekendmakingen publishes it (shape of a kst-….xml), cut to what the tests read.
KST_LETTER_XML = """<?xml version="1.0" encoding="UTF-8"?>
<officiele-publicatie>
  <metadata>
    <meta name="DC.title" content="Zorgverzekeringsstelsel; Brief regering; Evaluatie eigen bijdrage"/>
    <meta name="OVERHEIDop.dossiernummer" content="29689"/>
    <meta name="OVERHEIDop.ondernummer" content="1203"/>
    <meta name="OVERHEIDop.datumOndertekening" content="2023-05-02"/>
  </metadata>
  <kamerstuk>
    <stuk>
      <brief>
        <al>Tijdens het commissiedebat Zorgverzekeringsstelsel van 12 maart heb ik uw Kamer toegezegd de
        evaluatie van de eigen bijdrage in de wijkverpleging te sturen.</al>
        <al>Met deze brief kom ik die toezegging na.</al>
        <ondertekening><al>De Minister van Volksgezondheid, Welzijn en Sport,</al>
        <al>E.I. Schippers</al></ondertekening>
      </brief>
    </stuk>
  </kamerstuk>
</officiele-publicatie>
"""
