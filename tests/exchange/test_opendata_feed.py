"""The Tweede Kamer's SyncFeed as it is published: Atom pages, the live feed's known deviations from the
schema, withdrawals (verwijderd), the Kamer's ids for records, persons, parties and activities, and
datumNakoming as the term of an open commitment.

No real SyncFeed page could be found in a public repository; the pages here are built from the schema
(tracker/opendata_schema/) in the shape the consumers of the feed read (tests/samples/SOURCES.md).
"""

import datetime
import io
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from lxml import etree

from tracker.exchange.opendata import (
    TK_NS,
    OpendataRefused,
    opendata_export,
    opendata_import,
    surname_from_name,
    toezegging_schema,
)
from tracker.models import Commitment, CommitmentEvent, Person, Status

pytestmark = pytest.mark.django_db

ATOM = "http://www.w3.org/2005/Atom"
ACTIVITY = "0f4d8a0e-6c5b-4a8e-9d43-3f5e2c1b7a90"
PARTY = "a1b2c3d4-0000-4000-8000-000000000001"
MEMBER_A = "5e7f1c2d-1111-4111-8111-111111111111"
MEMBER_B = "5e7f1c2d-2222-4222-8222-222222222222"


def guid(number: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_DNS, number))


def record(
    number: str,
    *,
    status="Openstaand",
    deleted="false",
    updated="2024-12-05T11:00:00.1234567+01:00",
    before_nummer="",
    after_status="",
    extra_attrs="",
    text="De minister zegt toe de Kamer voor de zomer te informeren.",
) -> str:
    """A toezegging as the feed carries it: prefix ns1, bijgewerkt with a +01:00 offset."""
    return (
        f'<ns1:toezegging xmlns:ns1="{TK_NS}" id="{guid(number)}" ns1:bijgewerkt="{updated}" '
        f'ns1:verwijderd="{deleted}"{extra_attrs}>'
        f"{before_nummer}<ns1:aanmaakdatum>2024-12-04T17:42:13.69+01:00</ns1:aanmaakdatum>"
        f"<ns1:nummer>{number}</ns1:nummer>"
        f'<ns1:activiteit ref="{ACTIVITY}"/><ns1:activiteitNummer>2024A01894</ns1:activiteitNummer>'
        "<ns1:naam>E. Heinen</ns1:naam><ns1:achternaam>Heinen</ns1:achternaam><ns1:initialen>E.</ns1:initialen>"
        "<ns1:voornaam>Eelco</ns1:voornaam><ns1:functie>minister van Financiën</ns1:functie>"
        f"<ns1:status>{status}</ns1:status>{after_status}<ns1:ministerie>Financiën</ns1:ministerie>"
        f"<ns1:tekst>{text}</ns1:tekst></ns1:toezegging>"
    )


def tombstone(number: str, *, value="true") -> str:
    """A deleted record: the feed keeps only the id."""
    return (
        f'<ns1:toezegging xmlns:ns1="{TK_NS}" id="{guid(number)}" ns1:bijgewerkt="2024-12-06T09:00:00+01:00" '
        f'ns1:verwijderd="{value}"/>'
    )


def page(*records: str, skiptoken: int = 1) -> bytes:
    entries = "".join(
        "<entry>"
        f"<title>{i}</title><id>https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Entiteiten/{i}</id>"
        "<author><name>Tweede Kamer der Staten-Generaal</name></author>"
        '<updated>2024-12-05T11:00:01.5+01:00</updated><category term="Toezegging"/>'
        f'<content type="application/xml">{r}</content></entry>'
        for i, r in enumerate(records)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="{ATOM}"><title>Toezegging</title>'
        "<id>https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed?category=Toezegging</id>"
        "<updated>2024-12-05T11:00:02+01:00</updated>"
        f'<link rel="next" href="https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed?skiptoken={skiptoken}"/>'
        f"{entries}</feed>"
    ).encode()


def command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_opendata", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fulfilled(number: str, letters: str) -> str:
    return record(
        number,
        status="Voldaan",
        after_status=f"<ns1:datumNakoming>2024-12-10T00:00:00+01:00</ns1:datumNakoming>{letters}",
    )


# --- pages --------------------------------------------------------------------------------------------


def test_a_syncfeed_page_is_imported_with_the_kamers_ids():
    report = opendata_import(data=page(record("TZ202412-001"), record("TZ202412-002")), filename="p.xml")
    assert sorted(report.created) == ["TZ202412-001", "TZ202412-002"]
    c = Commitment.objects.get(reference="TZ202412-001")
    assert (c.tk_id, c.tk_activity_id, c.tk_activity_number) == (guid("TZ202412-001"), ACTIVITY, "2024A01894")
    assert c.created == datetime.datetime(2024, 12, 4, 16, 42, 13, 690000, tzinfo=datetime.UTC)
    again = opendata_import(data=page(record("TZ202412-001"), record("TZ202412-002")), filename="p.xml")
    assert (again.created, again.updated, sorted(again.unchanged)) == ([], [], ["TZ202412-001", "TZ202412-002"])


def test_an_entry_holding_another_entity_is_refused_with_its_line():
    other = f'<ns1:persoon xmlns:ns1="{TK_NS}" id="{MEMBER_A}"/>'
    with pytest.raises(OpendataRefused) as info:
        opendata_import(data=page(record("TZ1"), other), filename="p.xml", strict=True)
    assert "onverwacht element <tk:persoon> in een entry" in str(info.value.errors[0])
    assert not Commitment.objects.exists()


def test_a_later_entry_for_the_same_record_replaces_the_earlier_one_on_a_page():
    report = opendata_import(
        data=page(record("TZ1"), record("TZ1", status="Vervallen", text="Later bijgewerkt.")), filename="p.xml"
    )
    assert report.created == ["TZ1"]
    c = Commitment.objects.get(reference="TZ1")
    assert (c.status, c.quote) == (Status.LAPSED, "Later bijgewerkt.")


def test_a_directory_of_pages_is_imported_in_page_order_and_a_rerun_changes_nothing(tmp_path):
    pages = tmp_path / "feed"
    pages.mkdir()
    # page10 comes after page2: a plain name sort would apply the old state last.
    (pages / "page2.xml").write_bytes(page(record("TZ1", status="Openstaand")))
    later = "2024-12-06T08:00:00+01:00"
    (pages / "page10.xml").write_bytes(page(record("TZ1", status="Vervallen", updated=later)))
    (pages / "notes.txt").write_text("geen feed")
    out, _err = command(str(pages))
    assert "Toezeggingen: 1 aangemaakt, 1 bijgewerkt, 0 ongewijzigd\n" in out
    assert Commitment.objects.get(reference="TZ1").status == Status.LAPSED
    events = CommitmentEvent.objects.count()
    # A replay: page2 holds an older version of the record than the one applied, so it changes nothing.
    out, _err = command(str(pages))
    assert "0 aangemaakt, 0 bijgewerkt, 2 ongewijzigd" in out
    assert Commitment.objects.get(reference="TZ1").status == Status.LAPSED
    assert CommitmentEvent.objects.count() == events


# --- known deviations ----------------------------------------------------------------------------


def test_a_repeated_toegezegdaan_links_every_person_by_id():
    a = Person.objects.create(full_name="J. de Smet", surname="De Smet", slug="j-de-smet", tk_id=MEMBER_A)
    b = Person.objects.create(full_name="A. Peters", surname="Peters", slug="a-peters", tk_id=MEMBER_B)
    extra = f'<ns1:toegezegdAan ref="{MEMBER_A}"/><ns1:toegezegdAan ref="{MEMBER_B}"/>'
    report = opendata_import(data=page(record("TZ1", before_nummer=extra)), filename="p.xml")
    assert set(Commitment.objects.get(reference="TZ1").promised_to.all()) == {a, b}
    assert report.deviations == {"toegezegdAan": 1}
    assert any("toegezegdAan" in line for line in report.lines())


def test_a_repeated_kamerbriefnakoming_keeps_every_letter_as_evidence():
    letters = "<ns1:kamerbriefNakoming>Kamerstuk 36 600 IX, nr. 12</ns1:kamerbriefNakoming>" * 1 + (
        "<ns1:kamerbriefNakoming>Kamerstuk 36 600 IX, nr. 14</ns1:kamerbriefNakoming>"
    )
    report = opendata_import(data=page(fulfilled("TZ1", letters)), filename="p.xml")
    event = CommitmentEvent.objects.get(commitment__reference="TZ1")
    assert event.evidence_title == "Kamerstuk 36 600 IX, nr. 12; Kamerstuk 36 600 IX, nr. 14"
    assert report.deviations == {"kamerbriefNakoming": 1}


def test_seven_digit_fractions_without_a_time_zone_are_dutch_time():
    created = "<ns1:aanmaakdatum>2024-12-04T17:42:13.6900000</ns1:aanmaakdatum>"
    data = page(record("TZ1").replace("<ns1:aanmaakdatum>2024-12-04T17:42:13.69+01:00</ns1:aanmaakdatum>", created))
    report = opendata_import(data=data, filename="p.xml")
    c = Commitment.objects.get(reference="TZ1")
    assert c.created == datetime.datetime(2024, 12, 4, 16, 42, 13, 690000, tzinfo=datetime.UTC)
    assert report.deviations == {"zeven-decimalen": 1}


def test_verwijderd_true_with_a_capital_withdraws_the_commitment():
    opendata_import(data=page(record("TZ1")), filename="p1.xml")
    report = opendata_import(data=page(tombstone("TZ1", value="True")), filename="p2.xml")
    assert report.withdrawn == ["TZ1"] and report.deviations == {"verwijderd": 1}


# --- invalid records ---------------------------------------------------------------------------------


def test_an_invalid_record_is_refused_with_its_id_and_reason_and_the_rest_is_imported(tmp_path):
    bad = record("TZ2", status="Half af")
    path = tmp_path / "p.xml"
    path.write_bytes(page(record("TZ1"), bad, record("TZ3")))
    with pytest.raises(CommandError, match="1 toezegging"):
        command(str(path))
    assert sorted(Commitment.objects.values_list("reference", flat=True)) == ["TZ1", "TZ3"]
    report = opendata_import(data=path.read_bytes(), filename="p.xml")
    assert report.refused[0].startswith("toezegging 2 (TZ2): ") and "Half af" in report.refused[0]
    assert report.lines()[0] == "Toezeggingen: 0 aangemaakt, 0 bijgewerkt, 2 ongewijzigd, 1 geweigerd"


def test_strict_refuses_the_whole_feed_for_one_invalid_record(tmp_path):
    (tmp_path / "page1.xml").write_bytes(page(record("TZ1")))
    (tmp_path / "page2.xml").write_bytes(page(record("TZ2"), record("TZ3", status="Half af")))
    with pytest.raises(CommandError, match="er werd niets ingelezen") as info:
        command(str(tmp_path), "--strict")
    assert "page2.xml" in str(info.value) and "(TZ3)" in str(info.value)
    assert not Commitment.objects.exists()


# --- verwijderd -------------------------------------------------------------------------------------


def test_a_deleted_record_withdraws_the_commitment_and_history_says_so():
    opendata_import(data=page(record("TZ1"), record("TZ2")), filename="p1.xml")
    report = opendata_import(data=page(tombstone("TZ1")), filename="p2.xml")
    assert report.withdrawn == ["TZ1"]
    c = Commitment.objects.get(reference="TZ1")  # still there, never destroyed
    assert c.status == Status.REJECTED and not Commitment.objects.public().filter(pk=c.pk).exists()
    event = c.events.order_by("at", "pk").last()
    assert (event.from_status, event.to_status) == (Status.OPEN, Status.REJECTED)
    assert "Ingetrokken" in event.note and guid("TZ1") in event.note
    again = opendata_import(data=page(tombstone("TZ1")), filename="p2.xml")
    assert (again.withdrawn, again.unchanged) == ([], ["TZ1"])


def test_a_deleted_record_of_our_own_export_is_found_by_its_id(seed):
    c = Commitment.objects.public().first()
    el = opendata_export(commitments=[c]).decode()
    data = el.replace('tk:verwijderd="false"', 'tk:verwijderd="true"').encode()
    report = opendata_import(data=data, filename="x.xml")
    assert report.withdrawn == [c.reference]
    c.refresh_from_db()
    assert c.status == Status.REJECTED


# --- persons, parties, activities ----------------------------------------------------------------


def test_persons_are_matched_by_id_first_and_a_name_never_joins_two_ids():
    one = record(
        "TZ1",
        before_nummer=f'<ns1:toegezegdAanPersoon ref="{MEMBER_A}"><ns1:annotatie>J. de Smet'
        "</ns1:annotatie></ns1:toegezegdAanPersoon>",
    )
    two = record(
        "TZ2",
        before_nummer=f'<ns1:toegezegdAanPersoon ref="{MEMBER_B}"><ns1:annotatie>J. de Smet'
        "</ns1:annotatie></ns1:toegezegdAanPersoon>",
    )
    opendata_import(data=page(one, two), filename="p.xml")
    a, b = Person.objects.get(tk_id=MEMBER_A), Person.objects.get(tk_id=MEMBER_B)
    assert a != b and a.full_name == b.full_name == "J. de Smet"
    assert a.surname == "De Smet"  # particles kept, not the last word
    assert list(Commitment.objects.get(reference="TZ2").promised_to.all()) == [b]
    # Renamed in a later page: the id still finds the same person.
    renamed = two.replace("J. de Smet", "Jan de Smet").replace("De minister", "Nu: de minister")
    opendata_import(data=page(renamed), filename="p2.xml")
    assert Person.objects.count() == 3  # the promiser, and the two members
    assert list(Commitment.objects.get(reference="TZ2").promised_to.all()) == [b]


def test_the_party_and_the_activity_are_kept_and_shown_to_clerks(client, django_user_model):
    party = f'<ns1:toegezegdAanFractie ref="{PARTY}"><ns1:annotatie>VVD</ns1:annotatie></ns1:toegezegdAanFractie>'
    opendata_import(data=page(record("TZ1", before_nummer=party)), filename="p.xml")
    c = Commitment.objects.get(reference="TZ1")
    assert (c.promised_to_party, c.tk_party_id) == ("VVD", PARTY)
    admin = django_user_model.objects.create_superuser("chef", password="x")
    client.force_login(admin)
    page_html = client.get(reverse("admin:tracker_commitment_change", args=[c.pk])).content.decode()
    for shown in ("2024A01894", ACTIVITY, "VVD", PARTY, "Open data van de Tweede Kamer"):
        assert shown in page_html


def test_a_round_trip_of_our_export_keeps_same_named_persons_apart(seed):
    commitments = list(Commitment.objects.public().order_by("reference")[:2])
    twins = [
        Person.objects.create(full_name="Lies de Smet", surname="De Smet", slug=f"lies-de-smet-{i}") for i in (1, 2)
    ]
    for c, twin in zip(commitments, twins, strict=True):
        c.promised_to.set([twin])
    data = opendata_export(commitments=commitments)
    Commitment.objects.filter(pk__in=[c.pk for c in commitments]).update(reference=models_suffix())
    report = opendata_import(data=data, filename="export.xml")
    assert len(report.created) == 2
    received = [list(Commitment.objects.get(reference=c.reference).promised_to.all()) for c in commitments]
    assert received == [[twins[0]], [twins[1]]]


def models_suffix():
    # Moves the originals aside (a unique reference each) so that the import creates the two again.
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    return Concat(F("reference"), Value("-oud"))


def test_surname_keeps_particles():
    assert [surname_from_name(n) for n in ("De Smet", "J. de Smet", "Jan van der Molen", "Vooruit Kim")] == [
        "De Smet",
        "De Smet",
        "Van der Molen",
        "Kim",
    ]


# --- datumNakoming ----------------------------------------------------------------------------------


def test_a_future_datumnakoming_on_an_open_record_is_its_term():
    term = "<ns1:datumNakoming>2099-06-30T00:00:00+02:00</ns1:datumNakoming>"
    report = opendata_import(data=page(record("TZ1", after_status=term)), filename="p.xml")
    assert report.created == ["TZ1"] and not report.refused
    c = Commitment.objects.get(reference="TZ1")
    assert (c.due_date, c.due_is_default, c.fulfilled_on) == (datetime.date(2099, 6, 30), False, None)
    assert b"<tk:datumNakoming>2099-06-30T00:00:00</tk:datumNakoming>" in opendata_export(commitments=[c])


# --- whole-file export ------------------------------------------------------------------------------


def test_export_split_writes_whole_files_valid_against_the_schema_and_they_import_back(seed, tmp_path):
    public = sorted(Commitment.objects.public().values_list("reference", flat=True))
    call_command("export_opendata", "--split", str(tmp_path / "uit"), stdout=io.StringIO(), stderr=io.StringIO())
    files = sorted((tmp_path / "uit").iterdir())
    assert len(files) == len(public) > 0
    schema = toezegging_schema()
    for path in files:
        schema.assertValid(etree.parse(str(path)))  # the whole document, not an element cut out of it
    out, _err = command(str(tmp_path / "uit"))
    assert f"0 aangemaakt, 0 bijgewerkt, {len(public)} ongewijzigd" in out
