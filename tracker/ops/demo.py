"""Realistic volumes of demo data for benchmarks and load tests, written with bulk inserts."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tracker.models import (
    Commitment,
    CommitmentEvent,
    CommitmentKind,
    Committee,
    Person,
    Question,
    QuestionKind,
    Session,
    Speech,
    Status,
)
from tracker.register import history

COMMITTEES = ["Economie", "Onderwijs", "Welzijn", "Mobiliteit", "Cultuur", "Binnenlands Bestuur", "Leefmilieu", "Wonen"]
SURNAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Smet",
    "Dubois",
    "Lambert",
    "Vermeulen",
    "Van den Broeck",
    "De Backer",
    "Verhoeven",
    "Hermans",
    "Coppens",
]
PROMISES = [
    "Ik zal u de cijfers van {x} bezorgen tegen eind juni.",
    "Ik kom daarop terug in de commissie zodra de evaluatie van {x} klaar is.",
    "We zullen de commissie informeren over de stand van zaken van {x}.",
    "Ik bezorg u volgende week de lijst van {x}.",
]
TOPICS = [
    "de maatwerkbedrijven",
    "de schoolgebouwen",
    "de wachtlijsten",
    "het openbaar vervoer",
    "de subsidies",
    "de energiepremies",
    "de sociale woningen",
    "de kinderopvang",
    "de ringweg",
    "het erfgoeddecreet",
]
STATUS_WEIGHTS = [
    (Status.OPEN, 40),
    (Status.PARTIALLY_FULFILLED, 10),
    (Status.FULFILLED, 35),
    (Status.LAPSED, 5),
    (Status.CANDIDATE, 7),
    (Status.REJECTED, 3),
]


def demo_data_generate(*, commitments: int, speeches_per_session: int = 50, seed: int = 2026, batch: int = 5000):
    """Add `commitments` commitments over commitments/5 sittings with their questions and speeches."""
    # One generator drawn in a fixed order through the steps below: the same seed gives the same register.
    rng = random.Random(seed)
    with transaction.atomic():
        committees = [
            Committee.objects.get_or_create(
                slug=f"demo-{slug.lower().replace(' ', '-')}", defaults={"name": f"Commissie voor {slug}"}
            )[0]
            for slug in COMMITTEES
        ]
        people = _demo_people(rng)
        ministers, members = people[:25], people[25:]
        sessions = _bulk(Session, _demo_sessions(rng, committees, max(1, commitments // 5)), batch)
        questions = _bulk(
            Question,
            [
                Question(
                    session=s,
                    position=1,
                    kind=QuestionKind.VRAAG_OM_UITLEG,
                    number=f"{1000 + k} (demo)",
                    title=f"Vraag om uitleg over {rng.choice(TOPICS)}",
                    addressed_to=rng.choice(ministers),
                )
                for k, s in enumerate(sessions)
            ],
            batch,
        )
        asked = Question.asked_by.through
        _bulk(asked, [asked(question=q, person=rng.choice(members)) for q in questions], batch)
        speeches = _bulk(Speech, _demo_speeches(rng, questions, speeches_per_session), batch)
        minister_speeches = [s for s in speeches if s.speaker_role == "minister"]
        created = _bulk(Commitment, _demo_commitments(rng, minister_speeches, commitments), batch)
        through = Commitment.promised_to.through
        _bulk(through, [through(commitment=c, person=rng.choice(members)) for c in created], batch)
        _bulk(
            CommitmentEvent,
            [history.build(history.created(c, status=c.status)) for c in created],
            batch,
        )
    return len(created)


def _demo_people(rng: random.Random) -> list[Person]:
    # In creation order, so that a second run keeps the same 25 people as ministers.
    people = list(Person.objects.filter(slug__startswith="demo-").order_by("pk"))
    if people:
        return people
    return Person.objects.bulk_create(
        Person(
            full_name=f"{first} {surname}",
            surname=surname,
            slug=f"demo-{i}",
            honorific=rng.choice(["Mevrouw", "De heer"]),
        )
        for i, (first, surname) in enumerate(
            (rng.choice(["An", "Bart", "Els", "Jan", "Lies", "Tom", "Sara", "Pieter"]), rng.choice(SURNAMES))
            for _ in range(400)
        )
    )


def _demo_sessions(rng: random.Random, committees: list[Committee], count: int) -> list[Session]:
    start = Session.objects.count()  # a second run adds sittings after the first run's
    first_day = datetime.date(2014, 9, 1)
    reviewed_at = timezone.now()  # demo sittings stand for a register's published ones
    sessions = []
    for i in range(count):
        day = first_day + datetime.timedelta(days=(start + i) % 4000)
        year = day.year if day.month >= 9 else day.year - 1
        sessions.append(
            Session(
                slug=f"demo-vergadering-{start + i}",
                committee=rng.choice(committees),
                date=day,
                title=f"Commissievergadering {start + i}",
                parliamentary_year=f"{year}-{year + 1}",
                reviewed_at=reviewed_at,
            )
        )
    return sessions


def _demo_speeches(rng: random.Random, questions: list[Question], per_question: int) -> list[Speech]:
    speeches = []
    for q in questions:
        for seq in range(1, per_question + 1):
            role = "chair" if seq % 2 else ("minister" if seq % 4 == 0 else "member")
            topic = rng.choice(TOPICS)
            text = (
                rng.choice(PROMISES).format(x=topic)
                if role == "minister"
                else f"Ik heb een vraag over {topic}. Wat is de stand van zaken?"
            )
            speeches.append(Speech(question=q, sequence=seq, speaker_label=role, speaker_role=role, text=text))
    return speeches


def _demo_commitments(rng: random.Random, minister_speeches: list[Speech], count: int) -> list[Commitment]:
    rows = []
    offset = Commitment.objects.filter(reference__startswith="TZ-DEMO-").count()
    for n in range(count):
        speech = minister_speeches[n % len(minister_speeches)]
        q = speech.question
        status = rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]
        made = q.session.date
        due = made + datetime.timedelta(days=rng.choice([30, 60, 90, 180]))
        rows.append(
            Commitment(
                reference=f"TZ-DEMO-{offset + n + 1:07d}",
                question=q,
                source_speech=speech,
                quote=speech.text,
                summary=f"De minister zegt toe: {speech.text}",
                kind=rng.choice(CommitmentKind.values),
                promised_by=q.addressed_to,
                promised_by_function="Vlaams minister",
                status=status,
                due_date=due,
                fulfilled_on=due if status == Status.FULFILLED else None,
                origin="imported",
            )
        )
    return rows


def _bulk(model, objs, batch):
    out = []
    for i in range(0, len(objs), batch):
        out += model.objects.bulk_create(objs[i : i + batch], batch_size=batch)
    return out
