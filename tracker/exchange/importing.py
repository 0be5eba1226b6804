"""Services that write parsed transcripts to the database.

The parser and detector (tracker.extraction) are pure functions of text; this module is the only
place where their output becomes rows. Every import runs in one transaction: it is written whole or
not at all, and a dry run goes through exactly the same code before rolling back.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tracker import extraction
from tracker.exchange.base import Counts, RefusedWhole, run_import
from tracker.exchange.persons import PersonMatcher
from tracker.extraction import Candidate, Transcript
from tracker.extraction.names import fold_name
from tracker.models import (
    Commitment,
    Committee,
    Origin,
    Person,
    Question,
    QuestionKind,
    Session,
    SessionKind,
    Speech,
    Status,
)
from tracker.register.services import commitment_create


class ImportRefused(RefusedWhole):
    """The import cannot go ahead; the message says why, for the clerk. Nothing was written."""


@dataclass
class ImportReport:
    session: Session | None = None
    unchanged: bool = False
    replaced: bool = False
    dry_run: bool = False
    items: int = 0
    speeches: int = 0
    persons_created: list[str] = field(default_factory=list)
    persons_matched: list[str] = field(default_factory=list)
    committee_created: str = ""
    candidates: list[Commitment] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> Counts:
        """The sitting in the words every import reports in: created, updated (replaced) or unchanged."""
        if self.unchanged:
            return Counts(unchanged=1)
        return Counts(updated=1) if self.replaced else Counts(created=1)


def detect(parsed: Transcript, *, reference_date: datetime.date | None) -> list[Candidate]:
    """The detector at the threshold the settings choose (TRACKER_CANDIDATE_THRESHOLD, else the trained one)."""
    return extraction.detect_commitments(
        parsed, reference_date=reference_date, threshold=settings.TRACKER_CANDIDATE_THRESHOLD
    )


def source_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PersonIndex(PersonMatcher):
    """The person matcher (tracker.exchange.persons) as a transcript import uses it: each name is
    resolved once, matches and new persons are reported, an ambiguous name is a warning, and no more
    than TRACKER_MAX_NEW_PERSONS_PER_IMPORT persons are created.

    With create=False it only counts: the persons it would create stay unsaved (persons_check)."""

    def __init__(self, report: ImportReport, *, create: bool = True):
        super().__init__(create=create)
        self.report = report
        self.cache: dict[str, Person | None] = {}

    def matched(self, person: Person) -> None:
        self.report.persons_matched.append(person.full_name)

    def created(self, person: Person) -> None:
        self.report.persons_created.append(person.full_name)

    def ambiguous(self, name: str, persons: list[Person]) -> None:
        self.report.warnings.append(
            _("“%(name)s” matches several persons (%(names)s); the speech is not linked to a person.")
            % {"name": name, "names": ", ".join(p.full_name for p in persons)}
        )

    def before_create(self, person: Person) -> None:
        # Names the count before writing did not see (those the detector finds in the text) are held to
        # the same limit.
        if len(self.report.persons_created) >= settings.TRACKER_MAX_NEW_PERSONS_PER_IMPORT:
            raise ImportRefused(_too_many_persons(None))

    def resolve(self, *, name: str, surname: str, honorific: str | None = None, party: str | None = None, **more):
        if not name:
            return None
        key = fold_name(name)
        if key not in self.cache:
            self.cache[key] = super().resolve(name=name, surname=surname, honorific=honorific, party=party, **more)
        return self.cache[key]


def _person_names(parsed: Transcript):
    """The names an import resolves to persons, as keyword arguments of PersonIndex.resolve, in its order."""
    for item in parsed.items:
        for speech in item.speeches:
            yield {"name": speech.name, "surname": speech.surname, "honorific": speech.honorific, "party": speech.party}
        for name in item.askers:
            yield {"name": name, "surname": ""}
        if item.addressed_to:
            yield {"name": item.addressed_to, "surname": ""}


def _too_many_persons(names: int | None) -> str:
    limit = settings.TRACKER_MAX_NEW_PERSONS_PER_IMPORT
    if names is None:
        return _(
            "This transcript would create more than %(limit)d new persons, the most one import may create "
            "(TRACKER_MAX_NEW_PERSONS_PER_IMPORT). No sitting has that many speakers: check how the speakers "
            "were recognised."
        ) % {"limit": limit}
    return _(
        "This transcript would create more than %(limit)d new persons (it holds %(names)d different names); "
        "one import may create at most %(limit)d (TRACKER_MAX_NEW_PERSONS_PER_IMPORT). No sitting has that many "
        "speakers: check how the speakers were recognised."
    ) % {"names": names, "limit": limit}


def persons_check(parsed: Transcript) -> None:
    """Refuse a transcript that would create more persons than any sitting has speakers, before anything is
    written: a text with 60,000 speaker labels made 60,000 persons. The admin's preview asks the same.

    Matches names as the import will, but stops at the first person over the limit: a hostile text costs
    no more than a real one."""
    limit = settings.TRACKER_MAX_NEW_PERSONS_PER_IMPORT
    names = {kwargs["name"] for kwargs in _person_names(parsed) if kwargs["name"]}
    if len(names) <= limit:
        return  # fewer names than the limit cannot make more persons than that
    counter = PersonIndex(ImportReport(), create=False)
    for kwargs in _person_names(parsed):
        counter.resolve(**kwargs)
        if len(counter.report.persons_created) > limit:
            raise ImportRefused(_too_many_persons(len(names)))


def _unique_slug(model, text: str, *, max_length: int) -> str:
    base = slugify(text)[:max_length] or "x"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _item_title(item, header) -> str:
    if item.title:
        return item.title[:500]
    if header.title:
        return header.title[:500]
    kind = QuestionKind(item.kind).label if item.kind in QuestionKind.values else QuestionKind.OTHER.label
    parts = [str(kind).capitalize()]
    if item.askers:
        parts.append(_("by %s") % " en ".join(item.askers))
    if item.addressed_to:
        parts.append(_("to minister %s") % item.addressed_to)
    return " ".join(parts)[:500]


def _session_identity(parsed: Transcript, *, committee: Committee | None, date, url: str) -> str:
    """A stable key for 'the same sitting', so a changed text of it is recognised and not duplicated.

    Internal only (Session.source_key): it may fall back on the first words spoken, which never go into an
    address (see _session_slug)."""
    first = parsed.items[0] if parsed.items else None
    label = (first.number or first.title or "") if first else ""
    if not label and first and first.speeches:
        label = " ".join(s.text[:60] for s in first.speeches[:2])
    parts = [committee.slug if committee else "plenaire", date.isoformat() if date else "zonder-datum", label]
    if url:
        parts = [url]
    return slugify(" ".join(parts))[:140] or "vergadering"


def _session_slug(parsed: Transcript, *, committee: Committee, date) -> str:
    """The sitting's address: committee and date (commissie-onderwijs-2021-03-02), or, without a date, the
    first item's number or the header's title; a suffix (-2, -3) tells sittings of one day apart.

    Never from the words spoken: the address is public before anyone reads the text it came from."""
    first = parsed.items[0] if parsed.items else None
    if date:
        when = date.isoformat()
    else:
        when = (first.number if first else "") or (parsed.header.title or "")[:60] or "zonder-datum"
    return _unique_slug(Session, f"{committee.slug} {when}", max_length=135)


def _resolve_committee(*, committee, parsed: Transcript, report: ImportReport) -> Committee | None:
    if isinstance(committee, Committee):
        return committee
    if committee:
        try:
            return Committee.objects.get(slug=committee)
        except Committee.DoesNotExist:
            raise ImportRefused(_("Unknown committee “%s”.") % committee) from None
    name = parsed.header.committee
    if not name:
        return None
    existing = Committee.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    created = Committee.objects.create(name=name[:255], slug=_unique_slug(Committee, name, max_length=90))
    report.committee_created = created.name
    return created


def transcript_import(
    *,
    text: str,
    committee: Committee | str | None = None,
    by=None,
    date: datetime.date | None = None,
    url: str = "",
    dry_run: bool = False,
    replace: bool = False,
) -> ImportReport:
    """Write a transcript as Session / Question / Speech rows and its proposed commitments.

    Re-importing the same text changes nothing. A different text for a sitting that is already in
    the register is refused unless `replace` is given, and even then only while none of its
    commitments has been reviewed (a reviewed commitment must never lose its source).
    """
    if "\x00" in text:
        # Text that did not come through decode_transcript (pasted, or from a caller): no database
        # stores NUL in text, and no transcript contains one.
        raise extraction.TranscriptError(_("The text contains NUL characters: this is not a text file."))
    parsed = extraction.parse_transcript(text)
    report = ImportReport(dry_run=dry_run, warnings=list(parsed.warnings))
    digest = source_hash(text)
    existing = Session.objects.filter(source_sha256=digest).first()
    if existing is not None:
        report.session, report.unchanged = existing, True
        return report

    def write() -> ImportReport:
        _write(
            parsed,
            text=text,
            digest=digest,
            committee=committee,
            by=by,
            date=date,
            url=url,
            replace=replace,
            report=report,
        )
        return report

    return run_import(write, dry_run=dry_run)


def _write(parsed: Transcript, *, text, digest, committee, by, date, url, replace, report: ImportReport):
    """The write path of a transcript import, in its steps: the sitting, its items and speeches with
    their persons, then the detector's candidates."""
    persons_check(parsed)
    committee = _resolve_committee(committee=committee, parsed=parsed, report=report)
    if committee is None:
        raise ImportRefused(_("The transcript names no committee: choose the committee it belongs to."))
    date = date or parsed.header.date
    report.session = _write_session(
        parsed, text=text, digest=digest, committee=committee, date=date, url=url, replace=replace, report=report
    )
    persons = PersonIndex(report)
    speech_rows, speech_persons = _write_items(parsed, session=report.session, persons=persons, report=report)
    _write_candidates(
        parsed, date=date, by=by, speech_rows=speech_rows, speech_persons=speech_persons, persons=persons, report=report
    )


def _write_session(parsed: Transcript, *, text, digest, committee, date, url, replace, report) -> Session:
    """The sitting, at its place (new, or the one a replaced text had), with its editorial notes."""
    key = _session_identity(parsed, committee=committee, date=date, url=url)
    slug = _session_place(parsed, key=key, committee=committee, date=date, replace=replace, report=report)
    header = parsed.header
    notes = [n.text for n in parsed.notes if n.kind == "editorial"] + [
        n.text for item in parsed.items for n in item.notes if n.kind == "editorial"
    ]
    session = Session.objects.create(
        slug=slug,
        source_key=key,
        committee=committee,
        kind=SessionKind.COMMITTEE,
        date=date,
        title=_session_title(parsed, committee=committee, date=date),
        parliamentary_year=header.parliamentary_year or "",
        source_url=url,
        source_text=text,
        source_sha256=digest,
        note="\n".join(dict.fromkeys(n.lstrip("–- ").strip() for n in notes)),
    )
    session.full_clean(validate_constraints=False)  # the source hash was checked above; the database checks the rest
    return session


def _write_candidates(parsed: Transcript, *, date, by, speech_rows, speech_persons, persons, report) -> None:
    """The detector's proposals, as candidate commitments with their promiser and receivers."""
    speeches_by_index = {s.index: s for s in parsed.speeches}
    for candidate in detect(parsed, reference_date=date):
        speech = speeches_by_index[candidate.speech_index]
        row = speech_rows[candidate.speech_index]
        report.candidates.append(
            commitment_create(
                commitment=_candidate_row(candidate, speech=speech, row=row, persons=speech_persons),
                by=by,
                note=_("Proposed by the detector (rule %s).") % candidate.rule,
                promised_to=[p for name in candidate.promised_to if (p := persons.resolve(name=name, surname=""))],
                validate=False,
            )
        )


def _session_place(parsed: Transcript, *, key: str, committee: Committee, date, replace: bool, report) -> str:
    """The slug for the sitting: a new one, or, when this replaces an earlier text of it, the earlier one's."""
    previous = Session.objects.filter(source_key=key).first()
    if previous is not None:
        if not replace:
            raise ImportRefused(
                _(
                    "This sitting is already in the register with a different text (%(session)s). "
                    "Replace it explicitly if the new text is the right one."
                )
                % {"session": previous}
            )
        reviewed = Commitment.objects.filter(question__session=previous).exclude(status=Status.CANDIDATE)
        if reviewed.exists():
            raise ImportRefused(
                _("The sitting cannot be replaced: %(n)d of its commitments have already been reviewed.")
                % {"n": reviewed.count()}
            )
        Commitment.objects.filter(question__session=previous).delete()
        slug = previous.slug  # the replacement keeps the address of the text it replaces
        previous.delete()
        report.replaced = True
    else:
        slug = _session_slug(parsed, committee=committee, date=date)
    return slug


def _write_items(parsed: Transcript, *, session: Session, persons: PersonIndex, report: ImportReport):
    """Agenda items and speeches, with their persons; returns the speeches and speakers by parsed index."""
    speech_rows: dict[int, Speech] = {}
    speech_persons: dict[int, Person | None] = {}
    for item in parsed.items:
        question = Question.objects.create(
            session=session,
            position=item.position + 1,
            kind=item.kind if item.kind in QuestionKind.values else QuestionKind.OTHER,
            number=(item.number or "")[:50],
            title=_item_title(item, parsed.header),
        )
        report.items += 1
        rows = []
        for sequence, speech in enumerate(item.speeches, start=1):
            person = persons.resolve(
                name=speech.name, surname=speech.surname, honorific=speech.honorific, party=speech.party
            )
            speech_persons[speech.index] = person
            rows.append(
                Speech(
                    question=question,
                    sequence=sequence,
                    speaker=person,
                    speaker_label=speech.label[:255],
                    speaker_role=speech.role,
                    text=speech.text,
                )
            )
        for row, speech in zip(Speech.objects.bulk_create(rows), item.speeches, strict=True):
            speech_rows[speech.index] = row
        report.speeches += len(rows)
        askers = [p for name in item.askers if (p := persons.resolve(name=name, surname=""))]
        if not askers:
            # Without a header, the first member to speak is the one who put the question.
            first = next((s for s in item.speeches if s.role == "member"), None)
            askers = [speech_persons[first.index]] if first and speech_persons[first.index] else []
        question.asked_by.set(askers)
        minister = persons.resolve(name=item.addressed_to, surname="") if item.addressed_to else None
        if minister is None:
            first = next((s for s in item.speeches if s.role == "minister"), None)
            minister = speech_persons[first.index] if first else None
        if minister is not None:
            question.addressed_to = minister
            question.save(update_fields=["addressed_to"])
    return speech_rows, speech_persons


def _candidate_row(candidate: Candidate, *, speech, row: Speech, persons) -> Commitment:
    promiser = persons.get(candidate.speech_index)
    if candidate.promiser == "committee":
        promiser = None  # the committee, through its chair, is not a person
    return Commitment(
        question=row.question,
        source_speech=row,
        quote=candidate.quote,
        kind=candidate.kind,
        promised_by=promiser,
        promised_by_function=(speech.function or "")[:255],
        to_committee=candidate.to_committee,
        due_date=candidate.due_date,
        due_text=candidate.due_text[:255],
        status=Status.CANDIDATE,
        origin=Origin.EXTRACTED,
        confidence=round(min(max(candidate.confidence, 0.0), 1.0), 3),
    )


def _session_title(parsed: Transcript, *, committee: Committee, date) -> str:
    if parsed.header.title:
        return parsed.header.title[:500]
    when = date.strftime("%d-%m-%Y") if date else _("date unknown")
    return f"{committee.name} – {when}"[:500]
