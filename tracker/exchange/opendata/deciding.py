"""Deciding: what a record means for the register's commitment of the same number — new, changed (and
which fields, from what to what), unchanged, an older version replayed, or locked by a clerk's edit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tracker.models import Commitment, Status

from .cleaning import Item
from .common import entity_id

CREATED, UPDATED, UNCHANGED, STALE, LOCKED = "created", "updated", "unchanged", "stale", "locked"
WITHDRAWN, SKIPPED = "withdrawn", "skipped"


def source_fields(item: Item) -> dict:
    """Where the record came from in the Tweede Kamer's data. Our own export's ids are uuid5 names of the
    reference, not the Kamer's: those are not kept."""
    tk_id = "" if item.tk_id == entity_id("toezegging", item.number) else item.tk_id
    # Our export names the party of the first person promised to; that party is kept on the person.
    own_party = bool(item.party) and item.party_id == entity_id("fractie", item.party)
    return {
        "tk_id": tk_id,
        "tk_updated": item.tk_updated if tk_id else None,
        "tk_activity_id": item.activity_id,
        "tk_activity_number": item.activity_number,
        "promised_to_party": "" if own_party else item.party or "",
        "tk_party_id": "" if own_party else item.party_id,
    }


def changes(item: Item, current: Commitment, *, promiser, question) -> dict:
    """Field → (old, new) for every field the record changes."""
    found = {}
    # Open data's text is the clerk's sentence: for our own commitments it is the summary.
    text_field = "quote" if question is not None and current.question_id == question.pk else "summary"
    if (current.summary or current.quote) != item.text:
        found[text_field] = (getattr(current, text_field), item.text)
    for name, value in (
        ("status", item.status),
        ("fulfilled_on", item.fulfilled_on),
        ("promised_by_function", item.function or ""),
        ("ministry", item.ministry),
    ):
        if getattr(current, name) != value:
            found[name] = (getattr(current, name), value)
    if item.due_on is not None and current.due_date != item.due_on:
        found["due_date"] = (current.due_date, item.due_on)
    for name, value in source_fields(item).items():
        # An id once known is kept: our own export (no Kamer id) does not erase it. The version stamp
        # alone is no change worth an event; it is written with the changes (writing.apply).
        if name != "tk_updated" and value and getattr(current, name) != value:
            found[name] = (getattr(current, name), value)
    if (current.promised_by_id or None) != (promiser.pk if promiser else None):
        found["promised_by"] = (current.promised_by, promiser)
    return found


def decide(item: Item, current: Commitment | None, found: dict, *, locks: dict, overwrite: bool) -> str:
    """What happens to the register's commitment for this record (one of the constants above)."""
    if current is None:
        return CREATED
    if item.tk_updated and current.tk_updated and item.tk_updated < current.tk_updated:
        return STALE  # an older version of the record than the one applied: a replayed page
    if not found:
        return UNCHANGED
    if current.pk in locks and not overwrite:
        return LOCKED
    return UPDATED


def decide_withdrawal(current: Commitment | None, *, done: set, locks: dict, overwrite: bool) -> str:
    """What a record marked verwijderd does: withdraws the commitment, or skips one the register lacks,
    leaves one already withdrawn, or is locked by a clerk's edit."""
    if current is None:
        return SKIPPED
    if current.pk in done or current.status == Status.REJECTED:
        return UNCHANGED
    if current.pk in locks and not overwrite:
        return LOCKED
    return WITHDRAWN


def locked_line(reference: str, fields: list[str], reason: str) -> str:
    return _("%(reference)s: not overwritten (%(fields)s): %(reason)s. Use --overwrite to overwrite anyway.") % {
        "reference": reference,
        "fields": ", ".join(fields),
        "reason": reason,
    }
