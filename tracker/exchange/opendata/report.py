"""What an open-data import tells the clerk: the problems that refuse it (base.Problem, placed by the
toezegging's position and number) and the report of what it did (base.Counts, plus what open data alone
needs: the schema deviations read anyway, name parts not kept, persons and links created)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tracker.exchange.base import Counts, Problem, Refused, summary_lines

from .common import CONTAINER_COMMITTEE, CONTAINER_QUESTION, CONTAINER_SESSION, STATUS_ALIASES

# One problem type for every import: the name stays for the command and callers that build one.
OpendataError = Problem

# What the live SyncFeed is known to publish outside the schema, read anyway (README, "Afwijkingen").
DEVIATIONS = {
    "toegezegdAan": gettext_lazy(
        "tk:toegezegdAan (not in the schema, sometimes repeated) read as receiver(s) by their id"
    ),
    "kamerbriefNakoming": gettext_lazy(
        "tk:kamerbriefNakoming repeated: the letters kept together as evidence of fulfilment"
    ),
    "verwijderd": gettext_lazy("tk:verwijderd in capitals (“True”/“False”) read as “true”/“false”"),
    "zeven-decimalen": gettext_lazy("a time with 7 decimals and no time zone read as Dutch time (to the microsecond)"),
}


def record_label(index: int | None, number: str = "") -> str:
    """How a problem names its record: its position among the toezegging elements and its nummer."""
    if index is None:
        return ""
    label = _("toezegging %(index)s") % {"index": index}
    return f"{label} ({number})" if number else label


class OpendataRefused(Refused):
    """The open-data file cannot be imported; nothing was written. `errors` are its problems."""

    @property
    def errors(self) -> list[Problem]:
        return self.problems


class Problems:
    """The problems found so far in one file, kept in the order of its records for the refusal."""

    filename: str

    def _start_problems(self) -> None:
        self._problems: list[tuple[int, int, Problem]] = []

    @property
    def errors(self) -> list[Problem]:
        return [problem for *_sort, problem in self._problems]

    def noted(self) -> int:
        """How many problems so far (cheap: checked after every record)."""
        return len(self._problems)

    def error(self, message: str, *, item=None, field_name: str = "", line=None, index=None) -> None:
        number = ""
        if item is not None:
            line, index, number = item.line if line is None else line, item.index, item.number
        problem = Problem(
            file=self.filename, message=message, line=line, record=record_label(index, number), field=field_name
        )
        self._problems.append((index or 0, line or 0, problem))

    def forget_errors(self, since: int = 0) -> list[Problem]:
        """Drop the problems noted since position `since` and return them (a record refused on its own)."""
        dropped = [problem for *_sort, problem in self._problems[since:]]
        del self._problems[since:]
        return dropped

    def refuse(self):
        raise OpendataRefused(problem for *_sort, problem in sorted(self._problems, key=lambda p: p[:2]))


@dataclass
class OpendataReport:
    filename: str
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # marked verwijderd in the source, not in the register
    withdrawn: list[str] = field(default_factory=list)  # marked verwijderd in the source: taken off public pages
    refused: list[str] = field(default_factory=list)  # invalid records left out of a feed page ("id: reason")
    normalised: dict[str, int] = field(default_factory=dict)
    deviations: dict[str, int] = field(default_factory=dict)
    not_kept: dict[str, int] = field(default_factory=dict)  # name parts a person already holds otherwise
    persons_created: list[str] = field(default_factory=list)
    links_created: int = 0
    container_created: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        return Counts(
            created=len(self.created),
            updated=len(self.updated),
            unchanged=len(self.unchanged),
            withdrawn=len(self.withdrawn),
            refused=len(self.refused),
        )

    @property
    def changed(self) -> bool:
        return self.counts.changed

    def merge(self, other: OpendataReport) -> None:
        """Add another page's report to this one (several pages of a feed, one report)."""
        for name in ("created", "updated", "unchanged", "locked", "skipped", "withdrawn", "refused"):
            getattr(self, name).extend(getattr(other, name))
        for name in ("normalised", "deviations", "not_kept"):
            mine = getattr(self, name)
            for key, count in getattr(other, name).items():
                mine[key] = mine.get(key, 0) + count
        self.persons_created.extend(other.persons_created)
        self.links_created += other.links_created
        self.container_created = self.container_created or other.container_created
        self.warnings.extend(other.warnings)

    def lines(self) -> list[str]:
        lines = [self._counts_line()]
        for key, count in self.deviations.items():
            lines.append(
                _("Deviation from the schema (%(count)s×): %(what)s.") % {"count": count, "what": DEVIATIONS[key]}
            )
        for name, count in self.not_kept.items():
            lines.append(
                _("Not kept (%(count)s×): tk:%(name)s; the person in the register already has another value for it.")
                % {"count": count, "name": name}
            )
        for alias, count in self.normalised.items():
            lines.append(
                _(
                    "Status “%(alias)s” (%(count)s×) read as “%(status)s”: the real register uses that value, "
                    "the official schema does not."
                )
                % {"alias": alias, "count": count, "status": STATUS_ALIASES[alias]}
            )
        lines.extend(self._created_lines())
        lines.extend(self.locked)
        lines.extend(_("Refused: %(reason)s") % {"reason": reason} for reason in self.refused)
        return lines + summary_lines(self.counts, dry_run=self.dry_run)

    def _counts_line(self) -> str:
        line = _("Commitments: %(counts)s") % {"counts": self.counts}
        if self.locked:
            line += ngettext(
                ", %(n)s edited by hand and not overwritten",
                ", %(n)s edited by hand and not overwritten",
                len(self.locked),
            ) % {"n": len(self.locked)}
        if self.skipped:
            line += _(", %(n)s skipped (deleted in the source)") % {"n": len(self.skipped)}
        return line

    def _created_lines(self) -> list[str]:
        lines = []
        if self.persons_created:
            lines.append(_("New persons: %(names)s") % {"names": ", ".join(self.persons_created)})
        if self.links_created:
            lines.append(_("New links between commitments: %(n)s") % {"n": self.links_created})
        if self.container_created:
            lines.append(
                _("New agenda item for open data: %(session)s, item %(item)s (committee %(committee)s).")
                % {"session": CONTAINER_SESSION[0], "item": CONTAINER_QUESTION[0], "committee": CONTAINER_COMMITTEE[0]}
            )
        return lines
