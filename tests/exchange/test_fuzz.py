"""Importers under Hypothesis: no unhandled exception and no partial write, whatever the input.

The heavy runs (1,000 generated inputs per importer) carry the `slow` marker; CI runs them with -m slow.
"""

import json

import pytest
import tablib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.exchange.importing import ImportRefused, transcript_import
from tracker.exchange.spreadsheets import CommitmentResource
from tracker.extraction import TranscriptError
from tracker.models import Commitment, CommitmentEvent, Committee, Person, Question, Session, Speech

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


# Fixture and open-data importers: generated JSON objects and XML documents near the real formats.
FIELD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.text(max_size=30),
    st.sampled_from(["open", "fulfilled", "2021-02-30", "2021-03-01", "TZ-2026-0001", "vandromme"]),
    st.lists(st.text(max_size=10), max_size=3),
)
FIXTURE_OBJECTS = st.lists(
    st.fixed_dictionaries(
        {
            "model": st.sampled_from(
                [
                    "tracker.committee",
                    "tracker.person",
                    "tracker.commitment",
                    "tracker.session",
                    "tracker.nope",
                    "auth.user",
                ]
            ),
            "fields": st.dictionaries(
                st.sampled_from(
                    [
                        "slug",
                        "name",
                        "full_name",
                        "surname",
                        "reference",
                        "quote",
                        "status",
                        "question",
                        "fulfilled_on",
                        "title",
                        "kind",
                    ]
                ),
                FIELD_VALUES,
                max_size=6,
            ),
        }
    ),
    max_size=6,
)
fixture_documents = st.one_of(FIXTURE_OBJECTS.map(json.dumps), st.text(max_size=200))


def _fixture_property(text, directory):
    from tracker.exchange.fixtures_import import FixtureRefused, fixture_import

    path = directory / "fuzz.json"
    path.write_text(text, encoding="utf-8")
    before = counts()
    try:
        fixture_import(paths=[path])
    except FixtureRefused:
        assert counts() == before


TK = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
XML_PARTS = st.sampled_from(
    [
        f'<toezegging xmlns="{TK}" id="00000000-0000-4000-8000-000000000001">',
        "</toezegging>",
        "<nummer>TZ-1</nummer>",
        "<tekst>Ik kom erop terug.</tekst>",
        "<status>Voldaan</status>",
        "<status>Afgedaan</status>",
        "<datumNakoming>2021-01-01T00:00:00</datumNakoming>",
        "<naam>Donner</naam>",
        "<toezeggingen>",
        "</toezeggingen>",
        "<!DOCTYPE x [<!ENTITY a 'b'>]>",
        "&a;",
        "<",
        "&amp;",
    ]
)
xml_documents = st.lists(st.one_of(XML_PARTS, st.text(max_size=20)), max_size=12).map("".join)


def _opendata_property(text):
    from tracker.exchange.opendata import OpendataRefused, opendata_import

    before = counts()
    try:
        opendata_import(data=text.encode("utf-8", "surrogatepass"), filename="fuzz.xml")
    except OpendataRefused:
        assert counts() == before


@pytest.mark.slow
@pytest.mark.django_db
def test_fixture_import_fuzz(seed, tmp_path):
    FUZZ(given(fixture_documents)(lambda text: _fixture_property(text, tmp_path)))()


@pytest.mark.slow
@pytest.mark.django_db
def test_opendata_import_fuzz(seed):
    FUZZ(given(xml_documents)(_opendata_property))()


@pytest.mark.django_db
def test_fixture_and_opendata_fuzz_quick(seed, tmp_path):
    quick = settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
    quick(given(fixture_documents)(lambda text: _fixture_property(text, tmp_path)))()
    quick(given(xml_documents)(_opendata_property))()
