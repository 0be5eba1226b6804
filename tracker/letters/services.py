"""Services for letters: import one, match it against the open register, confirm or reject a match.

The scoring is pure (matching.py); what this module adds is the database: a bounded set of candidate
commitments (the text index's best, the sender's own, those of a sitting the letter names), so matching a
letter costs about the same against 1,000 open commitments as against 100,000; and the writes, each in
one transaction.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.models import Commitment, Person, Status
from tracker.public import sqlite_search
from tracker.public.filters import SearchDocument
from tracker.register import workflow

from . import matching
from .models import Document, LetterMatch, MatchState
from .reading import LetterText, TranscriptError, read_letter

# Bounds of the candidate set, whatever the register's size.
BY_TEXT = 100
BY_PROMISER = 30
BY_DATE = 50
QUERY_WORDS = 24
# A word found in this many commitments or more says little and would make the text rank read them all.
COMMON_WORD = 200
# How many proposals a letter keeps.
PROPOSALS = 5
_WORD = re.compile(r"[^\W\d_]{4,}")


class LetterRefused(Exception):
    """The letter cannot be imported; the message says why. Nothing was written."""


@dataclass
class LetterReport:
    document: Document | None = None
    unchanged: bool = False
    dry_run: bool = False
    proposals: list[LetterMatch] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _DryRun(Exception):
    pass


def letter_read(*, data: bytes | None = None, text: str = "", filename: str = "") -> LetterText:
    """The letter from a file's bytes, else from pasted text; TranscriptError when it cannot be read."""
    if data is not None:
        return read_letter(data, filename=filename or _("uploaded file"))
    return read_letter(text.encode("utf-8"), filename=_("pasted text"))


def letter_import(*, letter: LetterText, by=None, url: str = "", dry_run: bool = False, **overrides) -> LetterReport:
    """Store the letter and its proposals, all or nothing; a letter already stored (same text) changes nothing.

    `overrides` (title, number, date, sender) win over what the file says."""
    for key, value in overrides.items():
        if value:
            setattr(letter, key, value)
    sha = hashlib.sha256(letter.text.encode("utf-8")).hexdigest()
    report = LetterReport(dry_run=dry_run, warnings=list(letter.warnings))
    existing = Document.objects.filter(sha256=sha).first()
    if existing is not None:
        report.document, report.unchanged = existing, True
        return report
    document = Document(
        title=(letter.title or _("Letter without title"))[:500],
        number=letter.number[:100],
        date=letter.date,
        sender=letter.sender[:255],
        source_url=url,
        text=letter.text,
        sha256=sha,
        imported_by=by,
    )
    _check(document)
    try:
        with transaction.atomic():
            document.save()
            report.document = document
            report.proposals = letter_match(document=document)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def letters_import_files(
    *, files: list[tuple[str, bytes]], by=None, url: str = "", dry_run: bool = False, **overrides
) -> list[tuple[str, LetterReport]]:
    """Several letter files at once, all or nothing: every file is read before anything is written, and a
    refusal of one rolls back the others. Refusals (LetterRefused) name the file."""
    letters = []
    for name, data in files:
        try:
            letters.append((name, letter_read(data=data, filename=name)))
        except TranscriptError as exc:
            raise LetterRefused(str(exc)) from None
    reports = []
    try:
        with transaction.atomic():
            for name, letter in letters:
                try:
                    reports.append((name, letter_import(letter=letter, by=by, url=url, **overrides)))
                except LetterRefused as exc:
                    raise LetterRefused(f"{name}: {exc}") from None
            if dry_run:
                raise _DryRun
    except _DryRun:
        for _name, report in reports:
            report.dry_run = True
    return reports


def _check(document: Document) -> None:
    if document.source_url:
        try:
            URLValidator()(document.source_url)
        except ValidationError:
            raise LetterRefused(_("The source URL is not a valid web address: %s") % document.source_url) from None
    if document.date is None:
        raise LetterRefused(_("The letter has no date: give the date of the letter."))


def letter_of(document: Document) -> matching.Letter:
    return matching.Letter(text=document.text, sender=document.sender, date=document.date, title=document.title)


def letter_match(*, document: Document) -> list[LetterMatch]:
    """Propose the open commitments the letter fulfils; a pair a clerk decided on is never proposed again.

    Earlier proposals the new ranking no longer holds are withdrawn (the register may have changed)."""
    decided = set(document.matches.exclude(state=MatchState.PROPOSED).values_list("commitment_id", flat=True))
    ranked, commitments = proposals_for(letter=letter_of(document), exclude=decided)
    with transaction.atomic():
        document.matches.filter(state=MatchState.PROPOSED).exclude(commitment_id__in=[p.key for p in ranked]).delete()
        kept = []
        for proposal in ranked:
            match, _created = LetterMatch.objects.update_or_create(
                document=document,
                commitment_id=proposal.key,
                defaults={
                    "score": proposal.score,
                    "reasons": [{"kind": r.kind, "detail": r.detail, "points": r.points} for r in proposal.reasons],
                    "passage": proposal.passage.text[:4000],
                },
            )
            match.commitment = commitments[proposal.key]
            kept.append(match)
    return kept


def proposals_for(
    *, letter: matching.Letter, exclude: set[int] = frozenset(), limit: int = PROPOSALS
) -> tuple[list[matching.Proposal], dict[int, Commitment]]:
    """The ranked proposals for a letter (nothing written) and the commitments they name, by id.

    The candidates are read as plain rows (building hundreds of model instances cost more than scoring
    them); only the few proposed are loaded as commitments."""
    found = matching.passages(letter)
    if not found:
        return [], {}
    ids = [pk for pk in candidate_ids(letter=letter, found=found) if pk not in exclude]
    rows = {row["pk"]: row for row in Commitment.objects.filter(pk__in=ids).values(*_PROMISE_FIELDS)}
    promises = [_promise_of_row(rows[pk]) for pk in ids if pk in rows]
    ranked = matching.rank(letter, promises, limit=limit)
    commitments = Commitment.objects.select_related("promised_by", "question__session").in_bulk([p.key for p in ranked])
    return ranked, commitments


_PROMISE_FIELDS = (
    "pk",
    "quote",
    "summary",
    "promised_by__full_name",
    "promised_by_function",
    "ministry",
    "question__title",
    "question__session__date",
    "question__session__title",
)


def _promise_of_row(row: dict) -> matching.Promise:
    return matching.Promise(
        key=row["pk"],
        quote=row["quote"],
        summary=row["summary"],
        promiser=row["promised_by__full_name"] or "",
        function=row["promised_by_function"],
        ministry=row["ministry"],
        sitting_date=row["question__session__date"],
        sitting_title=f"{row['question__session__title']} {row['question__title']}",
    )


def candidate_ids(*, letter: matching.Letter, found: list[matching.Passage]) -> list[int]:
    """The open commitments worth scoring, at most BY_TEXT + BY_PROMISER + BY_DATE of them, best text
    matches first."""
    if not found:
        return []
    pending = Commitment.objects.pending()
    ids = list(_by_text(" ".join([letter.title, *(p.text for p in found)])))
    persons = _persons_named(letter.sender or letter.text[-600:])
    if persons:
        ids += pending.filter(promised_by__in=persons).order_by("-created").values_list("pk", flat=True)[:BY_PROMISER]
    dates = sorted({d for p in found for d in p.dates})
    if dates:
        ids += pending.filter(question__session__date__in=dates).values_list("pk", flat=True)[:BY_DATE]
    return list(dict.fromkeys(ids))


def _query_words(text: str) -> list[str]:
    words = {}
    for word in _WORD.findall(text.lower()):
        if matching.fold(word) not in matching.STOPWORDS:
            words.setdefault(matching.stem(matching.fold(word)), word)
    # Longer words are usually the rarer, more telling ones (compounds).
    return sorted(words.values(), key=lambda w: (-len(w), w))[:QUERY_WORDS]


def _by_text(text: str) -> list[int]:
    words = _query_words(text)
    if not words:
        return []
    if connection.vendor == "postgresql":
        return _by_text_postgresql(words)
    return _by_text_sqlite(words)


def _by_text_postgresql(words: list[str]) -> list[int]:
    """The commitments ts_rank puts first for the letter's rarer words (the Dutch configuration)."""
    config = settings.TRACKER_SEARCH_CONFIG
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT w FROM unnest(%s::text[]) AS w WHERE (SELECT count(*) FROM (SELECT 1 FROM tracker_commitment "
            "WHERE search_document @@ plainto_tsquery(%s::regconfig, w) LIMIT %s) AS hits) BETWEEN 1 AND %s",
            [words, config, COMMON_WORD, COMMON_WORD - 1],
        )
        rare = [row[0] for row in cursor.fetchall()]
    if not rare:
        return []
    query = SearchQuery(rare[0], config=config)
    for word in rare[1:]:
        query |= SearchQuery(word, config=config)
    return list(
        Commitment.objects.pending()
        .alias(document=SearchDocument())
        .filter(document=query)
        .annotate(rank=SearchRank(SearchDocument(), query))
        .order_by("-rank", "pk")
        .values_list("pk", flat=True)[:BY_TEXT]
    )


_COUNT = f"SELECT count(*) FROM (SELECT rowid FROM {sqlite_search.TABLE} WHERE {sqlite_search.TABLE} MATCH %s LIMIT %s)"  # noqa: S608 - a constant table name; the words are parameters


def _by_text_sqlite(words: list[str]) -> list[int]:
    """The same from SQLite's FTS5 index, ranked by its bm25."""
    table = sqlite_search.TABLE
    terms = []
    with connection.cursor() as cursor:
        for word in words:
            term = '"{}"*'.format(matching.stem(matching.fold(word)).replace('"', ""))
            cursor.execute(_COUNT, [term, COMMON_WORD])
            if 0 < cursor.fetchone()[0] < COMMON_WORD:
                terms.append(term)
        if not terms:
            return []
        cursor.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH %s ORDER BY rank LIMIT %s",  # noqa: S608 - as above
            [" OR ".join(terms), BY_TEXT * 3],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    pending = set(Commitment.objects.pending().filter(pk__in=ranked).values_list("pk", flat=True))
    return [pk for pk in ranked if pk in pending][:BY_TEXT]


def _persons_named(signature: str) -> list[int]:
    """Persons whose surname ends the signature's name line ('E.I. Schippers', 'W.B. Hoekstra')."""
    words = re.findall(r"[^\W\d_][\w'’-]+", signature)[-4:]
    names = [" ".join(words[i:]) for i in range(len(words))]
    if not names:
        return []
    query = Q()
    for name in names:
        query |= Q(surname__iexact=name)
    return list(Person.objects.filter(query).values_list("pk", flat=True)[:10])


def match_confirm(*, match: LetterMatch, to_status: str, by, note: str = "") -> LetterMatch:
    """The clerk's yes: the commitment becomes (partly) fulfilled with the letter as the evidence."""
    if to_status not in (Status.FULFILLED, Status.PARTIALLY_FULFILLED):
        raise workflow.TransitionError(_("A letter can only fulfil or partly fulfil a commitment."))
    document = match.document
    with transaction.atomic():
        workflow.transition(
            match.commitment,
            to_status,
            by=by,
            note=note
            or _("Letter %(letter)s of %(date)s.") % {"letter": document.evidence_title, "date": document.date},
            fulfilled_on=document.date,
            evidence_title=document.evidence_title,
            evidence_url=document.source_url,
        )
        _decide(match, MatchState.CONFIRMED, by=by)
    return match


def match_reject(*, match: LetterMatch, by) -> LetterMatch:
    """The clerk's no, remembered: matching the letter again never proposes this commitment again."""
    if not workflow.can_change_status(by):
        raise workflow.TransitionError(_("You do not have permission to change the status of commitments."))
    with transaction.atomic():
        _decide(match, MatchState.REJECTED, by=by)
    return match


def _decide(match: LetterMatch, state: str, *, by) -> None:
    current = LetterMatch.objects.select_for_update().get(pk=match.pk)
    if current.state != MatchState.PROPOSED:
        raise workflow.TransitionError(_("This match was already decided on; reload the page."))
    match.state, match.decided_by, match.decided_at = state, by, timezone.now()
    match.save(update_fields=["state", "decided_by", "decided_at"])


__all__ = [
    "LetterRefused",
    "LetterReport",
    "TranscriptError",
    "candidate_ids",
    "letter_import",
    "letter_match",
    "letter_read",
    "letters_import_files",
    "match_confirm",
    "match_reject",
]
