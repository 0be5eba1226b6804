"""Builders of test data shared by several test modules (issue #12: no test module imports another's helpers).

Running things (management commands in a process, the settings file) is in tests/runners.py.
"""

import csv
import datetime
import io
import json
import re
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tracker.exchange.opendata import TK_NS
from tracker.models import (
    Commitment,
    CommitmentEvent,
    CommitmentLink,
    Committee,
    Person,
    Question,
    Session,
    Speech,
)
from tracker.register.workflow import transition

# --- the register -----------------------------------------------------------------------------------


def build_register(n: int, *, status: str = "open", prefix: str = "bulk") -> list[Commitment]:
    """n sessions, each with one question, two speeches and one commitment, with distinct people."""
    committee, _ = Committee.objects.get_or_create(slug=prefix, defaults={"name": f"Commissie {prefix}"})
    people = Person.objects.bulk_create(
        Person(full_name=f"Persoon {i}", surname=f"Persoon {i}", slug=f"{prefix}-persoon-{i}") for i in range(n)
    )
    sessions = Session.objects.bulk_create(
        Session(slug=f"{prefix}-{i}", committee=committee, title=f"Vergadering {i}", date=datetime.date(2021, 1, 1))
        for i in range(n)
    )
    questions = Question.objects.bulk_create(
        Question(session=s, position=1, kind="vraag_om_uitleg", title=f"Vraag {i}", addressed_to=people[i])
        for i, s in enumerate(sessions)
    )
    speeches = Speech.objects.bulk_create(
        Speech(
            question=q,
            sequence=k,
            speaker=people[i],
            speaker_label=f"Persoon {i}",
            speaker_role="minister",
            text=f"Ik zal u de lijst {i} bezorgen.",
        )
        for i, q in enumerate(questions)
        for k in (1, 2)
    )
    commitments = Commitment.objects.bulk_create(
        Commitment(
            reference=f"TZ-{prefix}-{i + 1:04d}",
            question=q,
            source_speech=speeches[2 * i],
            quote=f"Ik zal u de lijst {i} bezorgen.",
            promised_by=people[i],
            status=status,
            due_date=datetime.date(2021, 4, 1),
        )
        for i, q in enumerate(questions)
    )
    for i, c in enumerate(commitments):
        c.promised_to.add(people[(i + 1) % n])
    for i, q in enumerate(questions):
        q.asked_by.add(people[(i + 1) % n])
    return commitments


def build_history(clerk) -> None:
    """On top of the seed: every status, a clerk's history, links (one to a candidate), parties and clerks."""
    a = Commitment.objects.get(reference="TZ-2026-0001")
    transition(
        a,
        "fulfilled",
        by=clerk,
        fulfilled_on=datetime.date(2021, 3, 1),
        evidence_title="Brief van 1 maart 2021 met de lijsten",
        evidence_url="https://example.org/brief-2021-03-01",
    )
    question = Question.objects.get()
    crevits = Person.objects.get(slug="hilde-crevits")
    Person.objects.filter(slug="vandromme").update(party="CD&V")
    extra = {}
    for number, status in [(3, "candidate"), (4, "rejected"), (5, "partially_fulfilled"), (6, "lapsed")]:
        c = Commitment.objects.create(
            reference=f"TZ-2026-000{number}",
            question=question,
            quote=f"Ik zal dat bekijken ({number}).",
            promised_by=crevits,
            promised_by_function="Vlaams minister",
            status=status,
            origin="extracted" if status in ("candidate", "rejected") else "manual",
            confidence=0.5 if status in ("candidate", "rejected") else None,
            due_date=datetime.date(2021, 6, 30),
        )
        c.promised_to.add(Person.objects.get(slug="claes"))
        CommitmentEvent.objects.create(commitment=c, kind="created", to_status=status, actor=clerk)
        extra[number] = c
    # An instant less than a millisecond past the second: dumps write it as "…:00.000Z" (see comparable_dump).
    CommitmentEvent.objects.filter(commitment=extra[5]).update(
        at=datetime.datetime(2026, 3, 2, 9, 30, 0, 123, tzinfo=datetime.UTC)
    )
    CommitmentLink.objects.create(source=extra[5], kind="supplements", target=a)
    CommitmentLink.objects.create(source=extra[6], kind="repeats", target=extra[3])
    Committee.objects.get().clerks.add(clerk)


# --- what the register holds, for before/after comparisons ------------------------------------------

# The register's models, in the order a fixture lists them.
MODELS = [Committee, Person, Session, Question, Speech, Commitment, CommitmentEvent, CommitmentLink]
LABELS = [m._meta.label_lower for m in MODELS]

# Django's serializer cuts times to milliseconds and writes ".000" for 1-999 µs but nothing for 0 µs, so
# an instant dumped as "…:11.000Z" before a load comes back as "…:11Z" after it (1 run in 1000 failed so).
_SUB_MILLISECOND = re.compile(r"(T\d\d:\d\d:\d\d)\.000(?=Z|[+-]\d\d:\d\d|\")")


def comparable_dump(text: str) -> str:
    """dumpdata output with times below a millisecond written one way, for before/after comparisons."""
    return _SUB_MILLISECOND.sub(r"\1", text)


def counts():
    through = [Question.asked_by.through, Commitment.promised_to.through, Committee.clerks.through]
    return {m.__name__: m.objects.count() for m in [*MODELS, *through]}


def dump(*labels) -> list:
    out = io.StringIO()
    call_command("dumpdata", *(labels or LABELS), natural_foreign=True, natural_primary=True, stdout=out)
    return json.loads(comparable_dump(out.getvalue()))


# --- Tweede Kamer open data -------------------------------------------------------------------------


def toezegging(number: str, *, status="Openstaand", text="De minister zegt toe de Kamer te informeren.", extra=""):
    guid = uuid.uuid5(uuid.NAMESPACE_URL, number)
    status_el = f"<tk:status>{status}</tk:status>" if status is not None else ""
    return (
        f'<tk:toezegging id="{guid}" tk:verwijderd="false" tk:bijgewerkt="2024-12-05T10:00:00Z">'
        f"<tk:aanmaakdatum>2024-12-04T09:30:00Z</tk:aanmaakdatum><tk:nummer>{number}</tk:nummer>"
        "<tk:naam>E. Heinen</tk:naam><tk:achternaam>Heinen</tk:achternaam>"
        "<tk:functie>minister van Financiën</tk:functie>"
        f"{status_el}{extra}<tk:ministerie>Financiën</tk:ministerie><tk:tekst>{text}</tk:tekst></tk:toezegging>"
    )


def document(*elements: str) -> bytes:
    body = "\n".join(elements)
    return f'<?xml version="1.0" encoding="utf-8"?>\n<root xmlns:tk="{TK_NS}">\n{body}\n</root>\n'.encode()


TK_FILE = document(
    toezegging("TZ202412-116"),
    toezegging(
        "TZ202412-117",
        status="Afgedaan",
        extra="<tk:datumNakoming>2025-01-20T00:00:00</tk:datumNakoming>"
        "<tk:kamerbriefNakoming>Kamerbrief 36 600 IX, nr. 12</tk:kamerbriefNakoming>",
    ),
    toezegging("TZ202412-118", status="Deels Afgedaan"),
    toezegging("TZ202412-119", status="Vervallen"),
)
TK_COUNT = 4


# --- spreadsheets for the admin's import ------------------------------------------------------------

COLUMNS = [
    "reference",
    "question",
    "quote",
    "summary",
    "kind",
    "promised_by",
    "promised_by_function",
    "promised_to",
    "to_committee",
    "due_date",
    "due_text",
]

ROW = {
    "reference": "TZ-2021-0100",
    "question": "vergadering-maatwerkbedrijven/1",
    "quote": "Ik kom daarop terug.",
    "kind": "report_back",
    "promised_by": "hilde-crevits",
    "promised_to": "vandromme,claes",
    "to_committee": "1",
    "due_date": "2021-06-30",
}


def sheet(rows, columns=COLUMNS) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return SimpleUploadedFile("toezeggingen.csv", out.getvalue().encode(), content_type="text/csv")


def csv_format_index(client, url):
    form = client.get(url).context["form"]
    return next(i for i, label in form.fields["format"].choices if str(label).lower() == "csv")


# --- letters (issue #15) ------------------------------------------------------------------------


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
    from tracker.register.services import commitment_create

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
