"""CSV and JSON downloads of any filtered public list. The JSON shape is documented and stable (version 1)."""

import csv
import json
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from tracker.clerks.rappel import csv_safe
from tracker.public.presentation import clean_text
from tracker.register import rules

JSON_VERSION = 1
COLUMNS = [
    "reference",
    "status",
    "kind",
    "summary",
    "quote",
    "promised_by",
    "promised_by_function",
    "promised_to",
    "to_committee",
    "committee",
    "session_date",
    "question",
    "due_date",
    "due_is_default",
    "due_text",
    "fulfilled_on",
    "overdue",
    "url",
]


def commitment_record(c, *, today) -> dict:
    """One commitment as plain data: the same fields in CSV columns and JSON objects.

    `url` is absolute on the register's own address (SITE_URL) in both: a spreadsheet row cannot be followed
    back from a relative path, and the address the download happened to be asked under is no part of it."""
    session = c.question.session
    record = {
        "reference": c.reference,
        "status": c.status,
        "kind": c.kind,
        "summary": c.summary,
        "quote": c.quote,
        "promised_by": c.promised_by.full_name if c.promised_by else None,
        "promised_by_function": c.promised_by_function,
        "promised_to": [p.full_name for p in c.promised_to.all()],
        "to_committee": c.to_committee,
        "committee": session.committee.name if session.committee else None,
        "session_date": session.date.isoformat() if session.date else None,
        "question": str(c.question),
        "due_date": c.due_date.isoformat() if c.due_date else None,
        "due_is_default": c.due_is_default,
        "due_text": c.due_text,
        "fulfilled_on": c.fulfilled_on.isoformat() if c.fulfilled_on else None,
        "overdue": c.is_overdue(on=today),
        "url": settings.TRACKER_SITE_URL + reverse("tracker:detail", args=[c.reference]),
    }
    # Stored text is cleaned of control characters when saved, but rows written in bulk skip that: a
    # spreadsheet or a strict parser reading the download must not meet one.
    return {
        key: [clean_text(v) for v in value] if isinstance(value, list) else _text(value)
        for key, value in record.items()
    }


def _text(value):
    return clean_text(value) if isinstance(value, str) else value


def _rows(queryset):
    """The rows of a download in chunks, the first chunk fetched now: if the database is away, the view
    fails (503) instead of sending a 200 header followed by a cut-off download."""
    rows = queryset.iterator(chunk_size=500)
    return chain(list(islice(rows, 500)), rows)


class _Echo:
    def write(self, value):
        return value


def csv_chunks(queryset) -> Iterator[str]:
    """The CSV, row by row; the first rows are fetched now (see _rows)."""
    today = rules.today()
    writer = csv.writer(_Echo(), delimiter=";")

    commitments = _rows(queryset)

    def rows():
        yield "\ufeff"  # so spreadsheet programs read UTF-8
        yield writer.writerow(COLUMNS)
        for c in commitments:
            record = commitment_record(c, today=today)
            record["promised_to"] = ", ".join(record["promised_to"])
            yield writer.writerow([csv_safe(_cell(record[col])) for col in COLUMNS])

    return rows()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value


def json_chunks(queryset) -> Iterator[str]:
    """The JSON, one record at a time: an export of the whole register is never held in memory (the cache
    keeps a compressed copy only of a download small enough, see caching.cached_download). `count` comes
    last, counted while streaming, so it always matches the records."""
    today = rules.today()
    commitments = _rows(queryset)
    head = {"version": JSON_VERSION, "generated": timezone.now().isoformat(timespec="seconds")}

    def parts():
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "commitments": ['
        count = 0
        for c in commitments:
            record = json.dumps(commitment_record(c, today=today), ensure_ascii=False)
            yield ("," if count else "") + "\n" + record
            count += 1
        yield f'\n], "count": {count}}}\n'

    return parts()


def download_response(fmt: str, chunks: Iterable[str | bytes]) -> StreamingHttpResponse:
    """The streamed answer for a CSV (an attachment, for spreadsheet programs) or JSON body."""
    today = timezone.localdate().isoformat()
    if fmt == "csv":
        response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="toezeggingen-{today}.csv"'
    else:
        response = StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="toezeggingen-{today}.json"'
    return response
