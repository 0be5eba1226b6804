"""Tweede Kamer open data: commitments as `toezegging` entities (tkData v1.0), out and in.

The official schema (tracker/exchange/opendata_schema/, copied from the Tweede Kamer's tkData v1.0) declares
`toezegging` as a global element but no container for several of them. An export is therefore a
container of our own, ``<toezeggingen>`` in no namespace, holding one ``tk:toezegging`` per
commitment; each ``tk:toezegging`` is valid against the schema on its own. The importer accepts that
container (or any other root element whose children are ``tk:toezegging`` elements), a single
``tk:toezegging`` as the root, and pages of the Kamer's SyncFeed (an Atom ``<feed>`` whose entries'
``<content>`` each hold one ``tk:toezegging``; README, "The Tweede Kamer's SyncFeed").

Mapping (register → open data; the import reads it back the same way):

=========================  ==========================================================================
toezegging/@id             uuid5 of the reference (stable across exports and databases)
@tk:verwijderd             always "false" (only public, existing commitments are exported)
@tk:bijgewerkt             Commitment.updated, UTC
toegezegdAanFractie        the party of the first promised_to person, when known: ref = uuid5 of the
                           party name, the name in an ``annotatie``
toegezegdAanPersoon        the first promised_to person (ordered by surname): ref = uuid5 of the
                           person's slug, the full name in an ``annotatie``
isHerhalingVan             CommitmentLink "repeats"      } ref = uuid5 of the target's reference,
isAanvullingOp             CommitmentLink "supplements"  } tk:bijgewerkt = the target's updated, the
isWijzigingVan             CommitmentLink "amends"       } target's reference in an ``annotatie``
aanmaakdatum               Commitment.created, UTC
nummer                     Commitment.reference
naam / achternaam          promised_by.full_name / promised_by.surname (left out without a person)
initialen, voornaam,       promised_by.initials, first_name, suffix, title (each left out when empty)
achtervoegsel, titulatuur
functie                    promised_by_function
status                     open → Openstaand, partially_fulfilled → Deels Voldaan,
                           fulfilled → Voldaan, lapsed → Vervallen
datumNakoming              fulfilled_on when fulfilled, else an agreed due_date (a dateTime at midnight)
kamerbriefNakoming         evidence title (or URL) of the latest history event that made it fulfilled
ministerie                 Commitment.ministry (left out when empty)
tekst                      summary, or the quote when there is no summary
=========================  ==========================================================================

Candidates and rejected commitments are internal to the griffie and are never exported, whatever is
passed in; links to them are left out too.

Importing: the live register also uses the statuses "Afgedaan" and "Deels Afgedaan", which the
schema does not list; they are read as "Voldaan" and "Deels Voldaan" (normalised before validation,
and counted in the report). Open data has no transcript, so imported commitments are filed under one
container agenda item: committee "tweede-kamer", session "tweede-kamer-opendata", question 1
"Toezeggingen uit open data"; `tekst` becomes their quote. A commitment already in the register
(same reference) is updated in place and keeps its agenda item; for those `tekst` is compared with and
written to the summary (the verbatim quote is never replaced by a clerk's sentence). A record marked
``verwijderd`` withdraws the commitment (the non-public rejected state, with a history event); what
the register cannot hold (relations to unknown commitments or persons) is reported, never dropped
silently. A pending record's ``datumNakoming`` is its term (the due date); only a fulfilled one's is
the fulfilment date. The promiser's name parts (initialen, voornaam, titulatuur, achtervoegsel) are kept
on the person (Person.initials, first_name, title, suffix) and exported again; the tussenvoegsel stays
part of the surname, as the register keeps it.

The package follows the import's seams: common (namespaces, ids, mapping), reading (streaming the file
and the SyncFeed pages), cleaning (validating a record, with the known deviations), deciding (created,
updated, unchanged, locked), writing, report, and export. Persons are matched by
tracker.exchange.persons, the one person matcher of every import.
"""

from django.conf import settings

from tracker.exchange.persons import surname_for

from .common import (
    ATOM_NS,
    CONTAINER_COMMITTEE,
    CONTAINER_QUESTION,
    CONTAINER_SESSION,
    CONTAINER_TAG,
    ID_NAMESPACE,
    LINK_ELEMENTS,
    SCHEMA_FILE,
    STATUS_ALIASES,
    STATUS_TO_TK,
    TK_NS,
    TK_TO_STATUS,
    entity_id,
    toezegging_schema,
)
from .export import opendata_export, opendata_export_records
from .importer import opendata_import, opendata_import_pages
from .reading import opendata_pages, read_opendata_file
from .report import DEVIATIONS, OpendataError, OpendataRefused, OpendataReport

# A new person's surname from a full name, particles kept ("J. de Smet" → "De Smet"): the person matcher's rule.
surname_from_name = surname_for

# Checked on the size before parsing. Set in settings (TRACKER_MAX_BYTES); a name on this package, so tests
# and the import command's cap can lower it (the stages read it from here, see common.limit).
MAX_OPENDATA_BYTES = settings.TRACKER_MAX_BYTES["opendata"]
# A toezegging has some twenty elements; the schema lets its links repeat without end, this does not.
# With TRACKER_OPENDATA_MAX_RECORDS it bounds what one file can make the parser hold and walk.
MAX_ELEMENTS_PER_RECORD = 1_000

__all__ = [
    "ATOM_NS",
    "CONTAINER_COMMITTEE",
    "CONTAINER_QUESTION",
    "CONTAINER_SESSION",
    "CONTAINER_TAG",
    "DEVIATIONS",
    "ID_NAMESPACE",
    "LINK_ELEMENTS",
    "MAX_ELEMENTS_PER_RECORD",
    "MAX_OPENDATA_BYTES",
    "SCHEMA_FILE",
    "STATUS_ALIASES",
    "STATUS_TO_TK",
    "TK_NS",
    "TK_TO_STATUS",
    "OpendataError",
    "OpendataRefused",
    "OpendataReport",
    "entity_id",
    "opendata_export",
    "opendata_export_records",
    "opendata_import",
    "opendata_import_pages",
    "opendata_pages",
    "read_opendata_file",
    "surname_from_name",
    "toezegging_schema",
]
