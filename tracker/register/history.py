"""The history (CommitmentEvent) of a commitment: every kind of event is built here, and only here.

Each builder returns the event's field values as a dict, so that one shape serves every writer: the
services create one event at a time (`record`), the importers insert many at once (CommitmentEvent(**values)
for bulk_create, or the fixture importer's own rows, where `commitment` is a primary key). An edit is
written as one line per field, "field: old → new", whoever made it.

Who is told: only workflow.transition() notifies followers (after commit). Imports write the same
transition event but send no e-mail: an import can change hundreds of statuses at once, replayed from
another register or a backup, and followers would get a message per row for changes the parliament
already published elsewhere. The events are there, so the feed and the public history show them.
"""

from __future__ import annotations

import datetime

from tracker.models import Commitment, CommitmentEvent, EventKind


def show(value) -> str:
    """A value as the history writes it: "—" for nothing, lists sorted and comma-separated."""
    if value is None or value == "":
        return "—"
    if isinstance(value, (list, tuple, set)):
        return ", ".join(sorted(show(v) if isinstance(v, (list, tuple)) else str(v) for v in value)) or "—"
    return str(value)


def change_lines(changes: dict[str, tuple], *, model=Commitment) -> list[str]:
    """ "verbose field name: old → new" for each changed field (changes: name → (old, new))."""
    return [
        f"{model._meta.get_field(name).verbose_name}: {show(old)} → {show(new)}" for name, (old, new) in changes.items()
    ]


def changes_between(before: dict, after: dict) -> dict[str, tuple]:
    """name → (old, new) for the fields of `after` whose value differs from `before`."""
    return {name: (before.get(name), value) for name, value in after.items() if before.get(name) != value}


def _event(commitment, kind: str, *, by=None, at: datetime.datetime | None = None, **values) -> dict:
    event = {"commitment": commitment, "kind": kind, **values}
    if by is not None:
        event["actor"] = by
    if at is not None:
        event["at"] = at
    return event


def created(commitment, *, status: str, by=None, note: str = "", evidence_title: str = "", at=None) -> dict:
    return _event(
        commitment, EventKind.CREATED, by=by, at=at, to_status=status, note=note, evidence_title=evidence_title
    )


def edited(commitment, *, changes: dict[str, tuple], by=None, note: str = "", at=None) -> dict | None:
    """An edit of fields other than the status, one line per change under the note; None when nothing changed."""
    if not changes:
        return None
    lines = change_lines(changes)
    return _event(commitment, EventKind.EDIT, by=by, at=at, note="\n".join([note, *lines] if note else lines))


def transition(
    commitment,
    *,
    from_status: str,
    to_status: str,
    by=None,
    note: str = "",
    evidence_title: str = "",
    evidence_url: str = "",
    at=None,
) -> dict:
    return _event(
        commitment,
        EventKind.TRANSITION,
        by=by,
        at=at,
        from_status=from_status,
        to_status=to_status,
        note=note,
        evidence_title=evidence_title,
        evidence_url=evidence_url,
    )


def deadline(
    commitment, *, old: datetime.date | None, new: datetime.date | None, by=None, note: str = "", at=None
) -> dict:
    """A deadline change (an extension), with the old and the new date."""
    return _event(commitment, EventKind.DUE_DATE, by=by, at=at, note=note, old_due_date=old, new_due_date=new)


def record(values: dict | None) -> CommitmentEvent | None:
    """Write one event built above."""
    return None if values is None else CommitmentEvent.objects.create(**values)


def build(values: dict) -> CommitmentEvent:
    """An unsaved event, for bulk_create."""
    return CommitmentEvent(**values)
