"""No silent loss: every speaking turn of a real published sitting, and every field of every open-data
record, read from the source independently (lxml here, not the importers' readers) and compared with
what the import stored."""

import re
from pathlib import Path

import pytest
from lxml import etree

from tracker.extraction import decode_transcript
from tracker.importing import transcript_import
from tracker.models import Committee, Session, Speech

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent / "samples"
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
    source = merge(spoken(handelingen_turns(etree.fromstring(data))))
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
