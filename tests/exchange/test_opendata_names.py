"""Open data: the promiser's name parts are kept and exported again (issue #14), and what the import
tells a clerk is in the clerk's language (Dutch by default, English when asked)."""

import pytest
from django.utils import translation
from lxml import etree

from tracker.exchange.opendata import TK_NS, OpendataRefused, opendata_export, opendata_import, toezegging_schema
from tracker.models import Commitment, Person

pytestmark = pytest.mark.django_db

PARTS = (
    "<tk:naam>drs. H.M. de Jonge MBA</tk:naam><tk:achternaam>Jonge</tk:achternaam><tk:initialen>H.M.</tk:initialen>"
    "<tk:tussenvoegsel>de</tk:tussenvoegsel><tk:voornaam>Hugo</tk:voornaam><tk:achtervoegsel>MBA</tk:achtervoegsel>"
    "<tk:titulatuur>drs.</tk:titulatuur>"
)


def record(number="TZ1", *, names=PARTS, status="<tk:status>Openstaand</tk:status>"):
    return (
        f'<tk:toezegging id="00000000-0000-4000-8000-00000000000{number[-1]}" tk:verwijderd="false" '
        f'tk:bijgewerkt="2024-12-05T10:00:00Z"><tk:nummer>{number}</tk:nummer>{names}'
        f"<tk:functie>minister</tk:functie>{status}<tk:tekst>De minister zegt toe te schrijven.</tk:tekst>"
        "</tk:toezegging>"
    )


def document(*records):
    return f'<toezeggingen xmlns:tk="{TK_NS}">{"".join(records)}</toezeggingen>'.encode()


def parts(person):
    return (person.full_name, person.surname, person.initials, person.first_name, person.title, person.suffix)


EXPECTED = ("drs. H.M. de Jonge MBA", "De Jonge", "H.M.", "Hugo", "drs.", "MBA")


def test_name_parts_are_kept_and_survive_an_export_and_reimport():
    report = opendata_import(data=document(record()), filename="p.xml")
    assert report.not_kept == {}
    assert parts(Commitment.objects.get().promised_by) == EXPECTED
    exported = opendata_export(commitments=Commitment.objects.all())
    el = etree.fromstring(exported)[0]
    assert toezegging_schema().validate(el), toezegging_schema().error_log
    tk = f"{{{TK_NS}}}"
    assert [el.findtext(tk + n) for n in ("initialen", "voornaam", "achtervoegsel", "titulatuur")] == [
        "H.M.",
        "Hugo",
        "MBA",
        "drs.",
    ]
    Commitment.objects.all().delete()
    Person.objects.all().delete()
    opendata_import(data=exported, filename="export.xml")
    assert parts(Commitment.objects.get().promised_by) == EXPECTED


def test_a_part_a_person_already_holds_otherwise_is_reported_as_not_kept():
    opendata_import(data=document(record()), filename="p.xml")
    Person.objects.update(first_name="Hugo Maria")  # a clerk's correction
    other = PARTS.replace("<tk:voornaam>Hugo</tk:voornaam>", "<tk:voornaam>Hugootje</tk:voornaam>")
    report = opendata_import(data=document(record("TZ2", names=other)), filename="p2.xml")
    assert Person.objects.get().first_name == "Hugo Maria"
    assert report.not_kept == {"voornaam": 1}
    assert any(line.startswith("Niet bewaard (1×): tk:voornaam") for line in report.lines())


def test_the_report_and_the_problems_are_in_english_when_the_clerk_reads_english():
    with translation.override("en"):
        report = opendata_import(data=document(record()), filename="p.xml")
        assert report.lines()[:2] == [
            "Commitments: 1 created, 0 updated, 0 unchanged",
            "New persons: drs. H.M. de Jonge MBA",
        ]
        with pytest.raises(OpendataRefused) as info:
            opendata_import(data=document(record("TZ2", status="")), filename="p.xml")
        assert [str(e) for e in info.value.errors] == ["p.xml, line 1, toezegging 1 (TZ2), field “status”: missing."]
        again = opendata_import(data=document(record()), filename="p.xml")
        assert again.lines() == ["Commitments: 0 created, 0 updated, 1 unchanged", "Nothing changed."]
    with pytest.raises(OpendataRefused) as info:
        opendata_import(data=document(record("TZ2", status="")), filename="p.xml")
    assert [str(e) for e in info.value.errors] == ["p.xml, regel 1, toezegging 1 (TZ2), veld “status”: ontbreekt."]
