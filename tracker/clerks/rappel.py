"""The rappel: per minister, the open commitments and how long overdue they are on a cut-off date."""

import csv
import datetime
import io
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.models import Commitment, LetterMatch, MatchState, Person
from tracker.register import rules

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rappel_groups(*, on: datetime.date, minister: Person | None = None) -> list[tuple[str, list[dict]]]:
    """(minister name, rows) for every minister with pending commitments, overdue ones first."""
    commitments = (
        Commitment.objects.pending()
        .select_related("promised_by", "question__session")
        .order_by("promised_by__full_name", "due_date", "reference")
    )
    if minister is not None:
        commitments = commitments.filter(promised_by=minister)
    letters = _letters_to_confirm(commitments)
    rows = []
    for c in commitments:
        made_on = c.question.session.date or timezone.localdate(c.created)
        rows.append(
            {
                "commitment": c,
                "minister": rules.promiser_name(c),
                "made_on": made_on,
                "days_overdue": rules.days_overdue(c, on=on),
                "letters": [d for d in letters.get(c.pk, []) if d.date is None or d.date >= made_on],
            }
        )
    groups = []
    for name, items in groupby(rows, key=lambda r: r["minister"]):
        items = sorted(items, key=lambda r: (-r["days_overdue"], r["commitment"].reference))
        groups.append((name, items))
    return groups


def _letters_to_confirm(commitments) -> dict[int, list]:
    """Per commitment, the letters matched to it that no clerk confirmed or rejected yet (one query): the
    minister may have answered already, and the rappel should not chase what is on the clerk's desk."""
    found: dict[int, list] = {}
    matches = (
        LetterMatch.objects.filter(state=MatchState.PROPOSED, commitment__in=commitments.values("pk"))
        .select_related("document")
        .order_by("document__date", "pk")
    )
    for match in matches:
        found.setdefault(match.commitment_id, []).append(match.document)
    return found


def csv_safe(value) -> str:
    """Neutralise cells a spreadsheet would run as a formula, also behind leading spaces or line breaks
    (some spreadsheets trim those on import)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_START) or text.lstrip().startswith(CSV_FORMULA_START) else text


def rappel_csv(groups) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("minister"),
            _("reference"),
            _("date made"),
            _("quote"),
            _("summary"),
            _("deadline"),
            _("days overdue"),
            _("letters received, not yet confirmed"),
        ]
    )
    for name, rows in groups:
        for r in rows:
            c = r["commitment"]
            writer.writerow(
                [
                    csv_safe(v)
                    for v in (
                        name,
                        c.reference,
                        r["made_on"].isoformat(),
                        c.quote,
                        c.summary,
                        c.due_date.isoformat() if c.due_date else "",
                        r["days_overdue"],
                        " | ".join(str(d) for d in r["letters"]),
                    )
                ]
            )
    return out.getvalue()
