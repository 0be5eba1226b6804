"""Importers under Hypothesis: no unhandled exception and no partial write, whatever the input.

The heavy runs (1,000 generated inputs per importer) carry the `slow` marker; CI runs them with -m slow.
"""

import pytest
import tablib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.extraction import TranscriptError
from tracker.importing import ImportRefused, transcript_import
from tracker.models import Commitment, CommitmentEvent, Committee, Person, Question, Session, Speech
from tracker.spreadsheets import CommitmentResource

MODELS = [Committee, Person, Session, Question, Speech, Commitment, CommitmentEvent]
FUZZ = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))

MARKERS = [
    "Mevrouw Vandromme heeft het woord.",
    "Minister Crevits heeft het woord.",
    "Minister Hilde Crevits",
    "De voorzitter: De heer Anseeuw heeft het woord.",
    "De heer Björn Anseeuw (N-VA): Ik zal u dat bezorgen.",
    "Minister Donner:",
    "Dat doen we zeker.",
    "De vraag om uitleg is afgehandeld.",
    "U bent hier",
    "Ik zal u de lijst volgende week bezorgen.",
    "– Wegens de coronamaatregelen.",
    "2229 (2016-2017)",
    "woensdag 7 juni 2017, 10.00u",
    "van Elke Van den Brandt aan minister Sven Gatz",
    "(Gelach)",
]
transcripts = st.lists(st.one_of(st.sampled_from(MARKERS), st.text(max_size=80)), max_size=30).map("\n\n".join)


def counts():
    return [m.objects.count() for m in MODELS]


def _transcript_property(text):
    before = counts()
    try:
        report = transcript_import(text=text, committee="fuzz", by=None)
    except (TranscriptError, ImportRefused):
        assert counts() == before  # refused: nothing written
        return
    if not report.unchanged:
        assert (
            report.session is not None
            and report.speeches == Speech.objects.filter(question__session=report.session).count()
        )


@pytest.mark.slow
@pytest.mark.django_db
def test_transcript_import_fuzz():
    Committee.objects.create(name="Fuzz", slug="fuzz")
    FUZZ(given(transcripts)(_transcript_property))()


CELL = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        ["", "TZ-2021-0001", "2021-02-30", "open", "1", "x/1", "vergadering-maatwerkbedrijven/1", "hilde-crevits"]
    ),
)
COLUMNS = ["reference", "question", "quote", "summary", "kind", "promised_by", "promised_to", "due_date"]
rows = st.lists(st.fixed_dictionaries({c: CELL for c in COLUMNS}), min_size=1, max_size=5)


def _spreadsheet_property(data):
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in data:
        dataset.append([row[c] for c in COLUMNS])
    before = counts()
    result = CommitmentResource().import_data(
        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
    )
    if result.has_errors() or result.has_validation_errors():
        assert counts() == before  # all or nothing


@pytest.mark.slow
@pytest.mark.django_db
def test_spreadsheet_import_fuzz(seed):
    FUZZ(given(rows)(_spreadsheet_property))()


@pytest.mark.django_db
def test_transcript_import_fuzz_quick():
    Committee.objects.create(name="Fuzz", slug="fuzz")
    settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))(
        given(transcripts)(_transcript_property)
    )()


@pytest.mark.django_db
def test_spreadsheet_import_fuzz_quick(seed):
    settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))(
        given(rows)(_spreadsheet_property)
    )()
