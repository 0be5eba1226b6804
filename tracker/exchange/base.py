"""What every import shares — transcripts, fixtures, open data, spreadsheets, letters.

One problem type (where and why a record is refused), one counts report (created / updated / unchanged /
withdrawn / refused, as the openstates and SayIt importers report them) and one dry-run mechanism: an import
runs its whole write path inside one transaction and, for a dry run, rolls it back at the end, so a dry run
finds every problem a real run would and can never differ from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Problem:
    """Why one record of one file cannot be imported, with its place, for the clerk to find and fix it.

    `record` names the record the way the source does ("object 3 (commitment TZ-2026-0001)",
    "toezegging 2 (TZ202301-001)", "row 5"); `line` is the line in the file where that is known."""

    file: str
    message: str
    line: int | None = None
    record: str = ""
    field: str = ""

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.record:
            where.append(self.record)
        place = ", ".join(where)
        if self.field:
            place += _(", field “%(field)s”") % {"field": self.field}
        return f"{place}: {self.message}" if place else self.message


class Refused(Exception):
    """An import that cannot go ahead; `problems` says why, each with its place. Nothing was written."""

    def __init__(self, problems: Iterable[Problem | str]):
        self.problems = [p if isinstance(p, Problem) else Problem(file="", message=str(p)) for p in problems]
        super().__init__("\n".join(str(p) for p in self.problems))


class RefusedWhole(Refused):
    """A refusal of the input as a whole (too large, not a ZIP, no committee named): one problem, no record.

    The transcript, batch and spreadsheet imports refuse this way; catching `Refused` catches them all."""

    def __init__(self, message: str, *, file: str = ""):
        super().__init__([Problem(file=file, message=message)])


@dataclass
class Counts:
    """How many records an import created, updated, left as they were, withdrew and refused."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    refused: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.withdrawn)

    def __str__(self) -> str:
        parts = [
            _("%(n)s created") % {"n": self.created},
            _("%(n)s updated") % {"n": self.updated},
            _("%(n)s unchanged") % {"n": self.unchanged},
        ]
        if self.withdrawn:
            parts.append(_("%(n)s withdrawn") % {"n": self.withdrawn})
        if self.refused:
            parts.append(ngettext("%(n)s refused", "%(n)s refused", self.refused) % {"n": self.refused})
        return ", ".join(parts)


class _RolledBack(Exception):
    """Raised inside the transaction of a dry run to undo everything it wrote."""


def run_import[T](write: Callable[[], T], *, dry_run: bool) -> T:
    """Run `write()` in one transaction: all or nothing, and rolled back at the end for a dry run.

    `write` returns the import's report; a dry run returns the same report, for nothing that was kept."""
    result = []
    try:
        with transaction.atomic():
            result.append(write())
            if dry_run:
                raise _RolledBack
    except _RolledBack:
        pass
    return result[0]


def summary_lines(counts: Counts, *, dry_run: bool) -> list[str]:
    """The closing lines of every import report."""
    if not counts.changed:
        return [_("Nothing changed.")]
    return [_("Dry run: nothing was saved.")] if dry_run else []
