"""No silent loss: every speaking turn of a real published sitting, and every field of every open-data
record, read from the source independently (lxml here, not the importers' readers) and compared with
what the import stored."""

import datetime
import re
import uuid
from pathlib import Path

import pytest
from lxml import etree

from tracker.exchange.importing import transcript_import
from tracker.exchange.opendata import opendata_import
from tracker.extraction import decode_transcript
from tracker.models import (
    Commitment,
    CommitmentLink,
    Committee,
    LinkKind,
    Person,
    Question,
    Session,
    Speech,
    Status,
)

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
HANDELINGEN = SAMPLES / "handelingen" / "h-tk-20172018-61-10.xml"
PARLAMINT = SAMPLES / "parlamint" / "ParlaMint-NL_2017-01-26-tweedekamer-4.xml"
PERSONS = SAMPLES / "parlamint" / "ParlaMint-NL-listPerson.xml"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
CLERK = re.compile(r"\b(?:vergadering|beraadslaging)\b.*\b(?:geschorst|hervat|gesloten|geopend)\b")
ROLES = {"voorzitter": "chair", "minister": "minister", "staatssecretaris": "minister"}


def words(element) -> str:
    return " ".join("".join(element.itertext()).split())


def local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


@pytest.fixture
def committee():
    return Committee.objects.create(name="Vaste commissie voor Economische Zaken", slug="ez")


def stored_note() -> str:
    return " ".join(Session.objects.get().note.split())


def spoken(turns):
    """The paragraphs the parser takes as a clerk's remark ("De vergadering wordt … geschorst.") are kept
    in the sitting's note, not in a speech: they must be there, and are left out of the turns."""
    note = stored_note()
    kept = []
    for turn in turns:
        if turn[2] and turn[2] in note and CLERK.search(turn[2]):
            continue
        kept.append(turn)
    return kept


def stored_turns():
    return [
        (s.speaker_label, s.speaker_role, s.text)
        for s in Speech.objects.order_by("question__position", "sequence").select_related("speaker")
    ]


def merge(turns):
    """Consecutive paragraphs of the same speaker are one stored speech, as the printed report shows them."""
    merged = []
    for label, fields, paragraph in turns:
        if label is None:  # a clerk's remark between two turns ends the first
            merged.append((None, None, []))
            continue
        if merged and merged[-1][0] == label:
            merged[-1][2].append(paragraph)
        else:
            merged.append((label, fields, [paragraph]))
    return [turn for turn in merged if turn[0] is not None]


# -- Official Handelingen XML -------------------------------------------------------------------------


def handelingen_speaker(spreker) -> dict:
    part = {local(e): words(e) for e in spreker.iter() if local(e) in ("voorvoegsels", "naam", "politiek", "functie")}
    return {"name": part.get("naam", ""), "party": part.get("politiek"), "prefix": part.get("voorvoegsels", "")}


def handelingen_turns(root):
    """(speaker key, fields, paragraph) for every <al> said by someone, in document order."""
    chair = {"name": "voorzitter", "party": None, "prefix": "De"}
    turns = []
    for al in root.iter("{*}al"):
        ancestors = [local(a) for a in al.iterancestors()]
        if "onderwerp" in ancestors:
            continue  # the clerk's "Aan de orde is …" line, no one's speech
        owner = next((a for a in al.iterancestors() if local(a) in ("motie-info", "spreekbeurt")), None)
        spreker = owner.find("{*}spreker") if owner is not None else None
        fields = handelingen_speaker(spreker) if spreker is not None else chair
        if owner is not None and local(owner) == "spreekbeurt" and "motie-info" not in ancestors and spreker is None:
            fields = chair
        turns.append(((fields["prefix"], fields["name"], fields["party"]), fields, words(al)))
    return turns


def test_handelingen_every_turn_is_stored(committee):
    data = HANDELINGEN.read_bytes()
    text, _ = decode_transcript(data, filename=HANDELINGEN.name)
    transcript_import(text=text, committee="ez", by=None)
    root = etree.fromstring(data)
    source = merge(spoken(handelingen_turns(root)))
    # Agenda items by their titles, in order; the clerk's "Aan de orde is …" line in the sitting's note.
    titles = [words(title) for title in root.iter("{*}item-titel", "{*}titel") if local(title.getparent()) != "kop"]
    assert list(Question.objects.order_by("position").values_list("title", flat=True)) == titles
    for line in (al for subject in root.iter("{*}onderwerp") for al in subject.iter("{*}al")):
        assert words(line) in stored_note()
    stored = stored_turns()
    assert len(stored) == len(source)
    for (label, role, body), (_key, fields, paragraphs) in zip(stored, source, strict=True):
        assert fields["name"] in label
        if fields["party"]:
            assert f"({fields['party']})" in label
        printed = f"{fields['prefix']} {fields['name']}".lower()
        function = next((r for word, r in ROLES.items() if word in printed), None)
        assert role == (function or "member"), label
        stored_words = " ".join(body.split())
        position = 0
        for paragraph in paragraphs:
            found = stored_words.find(paragraph, position)
            assert found >= 0, f"{label}: paragraph lost or out of order: {paragraph[:80]}"
            position = found + len(paragraph)


# -- ParlaMint TEI --------------------------------------------------------------------------------------


def parlamint_persons(root):
    persons = {}
    for person in root.iter("{*}person"):
        name = person.find("{*}persName")
        forename = " ".join(words(e) for e in name.findall("{*}forename"))
        surname = " ".join(words(e) for e in name.findall("{*}surname"))
        persons[person.get(XML_ID)] = f"{forename} {surname}".strip()
    return persons


def test_parlamint_every_utterance_is_stored(committee):
    data = PARLAMINT.read_bytes()
    root = etree.fromstring(data)
    persons = parlamint_persons(etree.fromstring(PERSONS.read_bytes()))
    turns = []
    label = None
    for element in root.iter("{*}u", "{*}note"):
        if local(element) == "note":
            if element.get("type") == "speaker":
                label = words(element)
            else:
                turns.append((None, None, words(element)))
            continue
        who = element.get("who").lstrip("#")
        chair = "#chair" in element.get("ana", "")
        fields = {"name": persons.get(who) or label, "chair": chair}
        for seg in element.iter("{*}seg"):
            turns.append(((who, chair), fields, words(seg)))
        label = None
    text, _ = decode_transcript(data, filename=PARLAMINT.name, person_list=PERSONS.read_bytes())
    transcript_import(text=text, committee="ez", by=None)
    remarks = [turn[2] for turn in turns if turn[0] is None]
    # The clerk's remarks between the turns are kept in the sitting's note.
    assert remarks and [remark for remark in remarks if remark not in stored_note()] == []
    source = merge(turns)
    stored = stored_turns()
    assert len(stored) == len(source)
    for (label, role, body), (_key, fields, paragraphs) in zip(stored, source, strict=True):
        assert fields["name"] and fields["name"] in label
        assert role == ("chair" if fields["chair"] else "member"), label
        stored_words = " ".join(body.split())
        position = 0
        for paragraph in paragraphs:
            found = stored_words.find(paragraph, position)
            assert found >= 0, f"{label}: paragraph lost or out of order: {paragraph[:80]}"
            position = found + len(paragraph)


# -- The Tweede Kamer's SyncFeed -----------------------------------------------------------------------

TK = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
ATOM = "http://www.w3.org/2005/Atom"
ACTIVITY = "7d1c3f00-aaaa-4aaa-8aaa-000000000001"
VVD = "7d1c3f00-bbbb-4bbb-8bbb-000000000002"
DE_SMET = "7d1c3f00-cccc-4ccc-8ccc-000000000003"


def tk_record(number, *, updated, body, deleted="false"):
    ident = str(uuid.uuid5(uuid.NAMESPACE_DNS, number))
    return (
        f'<ns1:toezegging xmlns:ns1="{TK}" id="{ident}" ns1:bijgewerkt="{updated}" ns1:verwijderd="{deleted}">'
        f"{body}</ns1:toezegging>"
    )


def feed_page(*records):
    entries = "".join(
        f"<entry><title>{i}</title><id>urn:x:{i}</id><updated>2024-12-05T11:00:01+01:00</updated>"
        f'<category term="Toezegging"/><content type="application/xml">{r}</content></entry>'
        for i, r in enumerate(records)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="{ATOM}"><title>Toezegging</title>{entries}</feed>'.encode()
    )


def tk(name, text=None, **attrs):
    attributes = "".join(f' {k}="{v}"' for k, v in attrs.items())
    if text is None and not attrs:
        return ""
    inner = "" if text is None else text
    return f"<ns1:{name}{attributes}>{inner}</ns1:{name}>"


FEED = [
    # A fulfilled commitment, promiser by naam and its parts, to a member and party by id.
    dict(
        number="TZ202412-101",
        updated="2024-12-05T11:00:00.1234567+01:00",
        party=(VVD, "VVD"),
        person=(DE_SMET, "J. de Smet"),
        created="2024-12-04T17:42:13.69+01:00",
        activity=(ACTIVITY, "2024A01894"),
        naam="E. Heinen",
        achternaam="Heinen",
        initialen="E.",
        voornaam="Eelco",
        titulatuur="drs.",
        functie="minister van Financiën",
        status="Voldaan",
        due="2024-12-10T00:00:00+01:00",
        letter="Kamerstuk 36 600 IX, nr. 12",
        ministerie="Financiën",
        tekst="De minister zegt toe de Kamer voor de zomer te informeren over de box 3-rechtsherstel.",
    ),
    # An open one with a future term; no naam: the name is composed of initialen, tussenvoegsel, achternaam.
    dict(
        number="TZ202412-102",
        updated="2024-12-06T09:30:00+01:00",
        party=(VVD, "VVD"),
        person=(DE_SMET, "J. de Smet"),
        created="2024-12-05T10:00:00+01:00",
        activity=(ACTIVITY, "2024A01894"),
        naam=None,
        achternaam="Jonge",
        initialen="H.M.",
        tussenvoegsel="de",
        voornaam="Hugo",
        achtervoegsel="MBA",
        functie="minister van Volkshuisvesting",
        status="Openstaand",
        due="2099-06-30T00:00:00+02:00",
        letter=None,
        ministerie="Volkshuisvesting en Ruimtelijke Ordening",
        tekst="De minister zegt toe de Kamer een brief te sturen over de huurbevriezing.",
    ),
    dict(
        number="TZ202412-103",
        updated="2024-12-06T10:00:00+01:00",
        party=None,
        person=None,
        created="2024-12-06T09:00:00+01:00",
        activity=(ACTIVITY, "2024A01894"),
        naam="E. Heinen",
        achternaam="Heinen",
        functie="minister van Financiën",
        status="Vervallen",
        due=None,
        letter=None,
        ministerie="Financiën",
        tekst="Vervallen: opgenomen in de Voorjaarsnota.",
        repeats="TZ202412-101",
    ),
]


def body(r):
    parts = [
        tk("toegezegdAanFractie", f"<ns1:annotatie>{r['party'][1]}</ns1:annotatie>", ref=r["party"][0])
        if r["party"]
        else "",
        tk("toegezegdAanPersoon", f"<ns1:annotatie>{r['person'][1]}</ns1:annotatie>", ref=r["person"][0])
        if r["person"]
        else "",
    ]
    if r.get("repeats"):
        target = str(uuid.uuid5(uuid.NAMESPACE_DNS, r["repeats"]))
        parts.append(
            f'<ns1:isHerhalingVan ref="{target}" ns1:bijgewerkt="2024-12-05T11:00:00+01:00">'
            f"<ns1:annotatie>{r['repeats']}</ns1:annotatie></ns1:isHerhalingVan>"
        )
    parts += [
        tk("aanmaakdatum", r["created"]),
        tk("nummer", r["number"]),
        f'<ns1:activiteit ref="{r["activity"][0]}"/>',
        tk("activiteitNummer", r["activity"][1]),
    ]
    for name in ("naam", "achternaam", "initialen", "tussenvoegsel", "voornaam", "achtervoegsel", "titulatuur"):
        parts.append(tk(name, r.get(name)))
    parts += [tk("functie", r["functie"]), tk("status", r["status"]), tk("datumNakoming", r["due"])]
    parts += [tk("kamerbriefNakoming", r["letter"]), tk("ministerie", r["ministerie"]), tk("tekst", r["tekst"])]
    return "".join(parts)


def moment(value):
    return datetime.datetime.fromisoformat(value[:26] + value[27:] if len(value.split(".")[-1]) > 12 else value)


def name_parts(person):
    return (person.initials, person.first_name, person.title, person.suffix)


def test_every_field_of_every_feed_record_is_stored():
    records = [tk_record(r["number"], updated=r["updated"], body=body(r)) for r in FEED]
    withdrawn = tk_record("TZ202412-104", updated="2024-12-07T08:00:00+01:00", body="", deleted="true")
    first = tk_record(
        "TZ202412-104",
        updated="2024-12-01T08:00:00+01:00",
        body=body({**FEED[2], "number": "TZ202412-104", "repeats": None}),
    )
    opendata_import(data=feed_page(first), filename="p1.xml")
    report = opendata_import(data=feed_page(*records, withdrawn), filename="p2.xml")
    assert sorted(report.created) == ["TZ202412-101", "TZ202412-102", "TZ202412-103"]
    assert report.withdrawn == ["TZ202412-104"]
    for r in FEED:
        c = Commitment.objects.select_related("promised_by").get(reference=r["number"])
        source_id = str(uuid.uuid5(uuid.NAMESPACE_DNS, r["number"]))
        assert (c.tk_id, c.tk_updated, c.created) == (source_id, moment(r["updated"]), moment(r["created"]))
        assert (c.tk_activity_id, c.tk_activity_number) == r["activity"]
        assert (c.quote, c.ministry, c.promised_by_function) == (r["tekst"], r["ministerie"], r["functie"])
        assert (
            c.status
            == {"Voldaan": Status.FULFILLED, "Openstaand": Status.OPEN, "Vervallen": Status.LAPSED}[r["status"]]
        )
        day = datetime.date.fromisoformat(r["due"][:10]) if r["due"] else None
        assert (c.fulfilled_on if c.status == Status.FULFILLED else c.due_date if day else None) == day
        expected_name = r["naam"] or f"{r['initialen']} {r['tussenvoegsel']} {r['achternaam']}"
        surname = " ".join(p for p in (r.get("tussenvoegsel"), r["achternaam"]) if p)
        assert (c.promised_by.full_name, c.promised_by.surname) == (expected_name, surname[:1].upper() + surname[1:])
        receivers = list(c.promised_to.all())
        if r["person"]:
            assert [(p.tk_id, p.full_name, p.surname, p.party) for p in receivers] == [
                (DE_SMET, "J. de Smet", "De Smet", "VVD")
            ]
            assert (c.tk_party_id, c.promised_to_party) == r["party"]
        else:
            assert receivers == [] and (c.tk_party_id, c.promised_to_party) == ("", "")
        created = c.events.order_by("pk").first()
        assert created.evidence_title == (r["letter"] or "")
    # One person per id, however often the records name them.
    assert Person.objects.filter(tk_id=DE_SMET).count() == 1
    assert Person.objects.filter(full_name="E. Heinen").count() == 1
    link = CommitmentLink.objects.get()
    assert (link.source.reference, link.target.reference, link.kind) == (
        "TZ202412-103",
        "TZ202412-101",
        LinkKind.REPEATS,
    )
    gone = Commitment.objects.get(reference="TZ202412-104")
    assert gone.status == Status.REJECTED and "verwijderd" in gone.events.order_by("pk").last().note
    # Every name part has a field (issue #14). E. Heinen was created from a record without parts (p1);
    # a later record's parts fill them in.
    assert name_parts(Person.objects.get(full_name="E. Heinen")) == ("E.", "Eelco", "drs.", "")
    assert name_parts(Person.objects.get(full_name="H.M. de Jonge", surname="De Jonge")) == ("H.M.", "Hugo", "", "MBA")
    assert report.not_kept == {}
    assert not any(line.startswith("Niet bewaard") for line in report.lines())


# -- Re-running the same pages ------------------------------------------------------------------------


def simple(number, *, updated, status="Openstaand"):
    fields = {**FEED[2], "number": number, "repeats": None, "status": status, "due": None}
    return tk_record(number, updated=updated, body=body(fields))


def test_an_older_version_replayed_after_a_withdrawal_does_not_bring_it_back():
    pages = [
        feed_page(simple("TZ9", updated="2024-12-01T10:00:00+01:00")),
        feed_page(tk_record("TZ9", updated="2024-12-09T10:00:00+01:00", body="", deleted="true")),
        # A version older than the withdrawal, served after it (a replay, or pages out of order).
        feed_page(simple("TZ9", updated="2024-12-05T10:00:00+01:00", status="Vervallen")),
    ]
    for n, data in enumerate(pages):
        opendata_import(data=data, filename=f"p{n}.xml")
    c = Commitment.objects.get(reference="TZ9")
    assert c.status == Status.REJECTED
    events = c.events.count()
    for n, data in enumerate(pages):
        assert not opendata_import(data=data, filename=f"p{n}.xml").changed
    assert Commitment.objects.get(reference="TZ9").status == Status.REJECTED and c.events.count() == events


def test_a_replayed_page_costs_one_lookup(django_assert_max_num_queries):
    data = feed_page(*(simple(f"TZ{n}", updated="2024-12-01T10:00:00+01:00") for n in range(20)))
    assert len(opendata_import(data=data, filename="p.xml").created) == 20
    # The stamps the register holds are looked up at once; no record is validated or compared again.
    with django_assert_max_num_queries(3):
        report = opendata_import(data=data, filename="p.xml")
    assert len(report.unchanged) == 20 and not report.changed
    newer = feed_page(simple("TZ3", updated="2024-12-02T10:00:00+01:00", status="Vervallen"))
    assert opendata_import(data=newer, filename="p2.xml").updated == ["TZ3"]
