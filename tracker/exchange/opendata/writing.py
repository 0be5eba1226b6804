"""Writing: the decided records become rows — new commitments under the open-data agenda item, changes
with their history events, withdrawals, receivers, persons (through the one person matcher) and links
between commitments."""

from __future__ import annotations

from pathlib import Path

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.exchange.fixtures_import import BATCH_SIZE, LOOKUP_CHUNK, _chunks, hand_edited_commitments
from tracker.exchange.persons import PersonMatcher, fill_name_parts
from tracker.models import (
    Commitment,
    CommitmentEvent,
    CommitmentKind,
    CommitmentLink,
    Committee,
    Origin,
    Person,
    Question,
    QuestionKind,
    Session,
    SessionKind,
    Status,
)
from tracker.register import history, rules

from . import deciding
from .cleaning import Item
from .common import CONTAINER_COMMITTEE, CONTAINER_QUESTION, CONTAINER_SESSION, LINK_ELEMENTS, entity_id
from .export import NAME_PARTS
from .report import OpendataReport, record_label

_ELEMENT_OF = {part: element for element, part in NAME_PARTS.items()}


class OpendataPersons(PersonMatcher):
    """The person matcher as open data uses it: our own export's person ids (uuid5 of the slug) count as
    ids, new persons are reported, and name parts the register cannot take are said to be not kept."""

    def __init__(self, report: OpendataReport):
        super().__init__()
        self.report = report
        self._own_ids: dict[str, Person] | None = None

    def by_other_id(self, tk_id: str) -> Person | None:
        if self._own_ids is None:
            self._own_ids = {entity_id("persoon", p.slug): p for ps in self.by_name.values() for p in ps}
        return self._own_ids.get(tk_id)

    def created(self, person: Person) -> None:
        self.report.persons_created.append(person.full_name)

    def ambiguous(self, name: str, persons: list[Person]) -> None:
        self.report.warnings.append(
            _("“%(name)s” matches several persons (%(names)s); not linked to a person.")
            % {"name": name, "names": ", ".join(p.full_name for p in persons)}
        )

    def promiser(self, item: Item) -> Person | None:
        """The person who made the promise, with the name parts the record states."""
        if not item.name:
            return None
        person = self.resolve(name=item.name, surname=item.surname, parts=item.name_parts)
        if person is not None:
            for part in fill_name_parts(person, item.name_parts):
                element = _ELEMENT_OF[part]
                self.report.not_kept[element] = self.report.not_kept.get(element, 0) + 1
        return person


class Writer:
    """Writes what the cleaning stage read (`items`, `withdrawals`); fills `report` and `locked`."""

    def write(self) -> None:
        if not self.items and not self.withdrawals:
            return  # a replayed page: no need to load the register's persons and commitments
        # Only created when a new commitment needs it: re-importing changes nothing, not even this.
        self.question = Question.objects.filter(
            session__slug=CONTAINER_SESSION[0], position=CONTAINER_QUESTION[0]
        ).first()
        existing = self._existing()
        self.locks = hand_edited_commitments([c.pk for c in existing.values()])
        self.locked: set[str] = set()
        self.persons = OpendataPersons(self.report)
        self.note = self._note()
        self.now = timezone.now()
        new: list[tuple[Item, Commitment]] = []
        events: list[CommitmentEvent] = []
        promised_to: list[tuple[Commitment, Person]] = []
        for item in self.items:
            current = existing.get(item.number)
            made, receivers = self._write_item(item, current, events)
            if made is not None:
                new.append((item, made))
            promised_to.extend((made or current, r) for r in receivers)
        events.extend(self._withdraw())
        self._save_new(new, events)
        CommitmentEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        through = Commitment.promised_to.through
        through.objects.bulk_create(
            [through(commitment_id=c.pk, person_id=p.pk) for c, p in promised_to], batch_size=BATCH_SIZE
        )
        self._links(existing, {c.reference: c for _, c in new})

    def _note(self) -> str:
        name = Path(self.filename).name
        if self.by is not None:
            return _("Read from open data (%(file)s) by %(user)s.") % {"file": name, "user": self.by.get_username()}
        return _("Read from open data (%(file)s).") % {"file": name}

    def _write_item(self, item: Item, current: Commitment | None, events: list):
        """One record: (the new commitment or None, the receivers to add to it or to `current`)."""
        promiser = self.persons.promiser(item)
        receivers = self._receivers(item)
        if current is None:
            self.question = self.question or self._container()
            return self._new(item, promiser=promiser), receivers
        found = deciding.changes(item, current, promiser=promiser, question=self.question)
        have = {p.pk for p in current.promised_to.all()}
        receivers = [r for r in receivers if r.pk not in have]
        if receivers:
            found["promised_to"] = ("", ", ".join(r.full_name for r in receivers))
        outcome = deciding.decide(item, current, found, locks=self.locks, overwrite=self.overwrite)
        if outcome in (deciding.STALE, deciding.UNCHANGED):
            self.report.unchanged.append(item.number)
            return None, []
        if outcome == deciding.LOCKED:
            self.locked.add(item.number)
            self.report.locked.append(deciding.locked_line(item.number, list(found), self.locks[current.pk]))
            return None, []
        events.extend(self._apply(item, current, found, promiser))
        self.report.updated.append(item.number)
        return None, receivers

    def _existing(self) -> dict[str, Commitment]:
        """The register's commitments this file names, by reference, looked up in chunks."""
        return {
            c.reference: c
            for chunk in _chunks([i.number for i in self.items], LOOKUP_CHUNK)
            for c in Commitment.objects.filter(reference__in=chunk)
            .select_related("promised_by")
            .prefetch_related("promised_to")
        }

    def _new(self, item: Item, *, promiser: Person | None) -> Commitment:
        commitment = Commitment(
            reference=item.number,
            question=self.question,
            quote=item.text,
            kind=CommitmentKind.OTHER,
            promised_by=promiser,
            promised_by_function=item.function or "",
            ministry=item.ministry,
            status=item.status,
            fulfilled_on=item.fulfilled_on,
            origin=Origin.IMPORTED,
            **deciding.source_fields(item),
        )
        self._standard_deadline(commitment, item)
        return commitment

    def _save_new(self, new: list[tuple[Item, Commitment]], events: list) -> None:
        """Insert the new commitments with their creation events (added to `events`) and their own dates."""
        Commitment.objects.bulk_create([c for _, c in new], batch_size=BATCH_SIZE)
        stamped = []
        for item, commitment in new:
            self.report.created.append(item.number)
            events.append(
                history.build(
                    history.created(
                        commitment,
                        status=commitment.status,
                        evidence_title=item.letter or "",
                        note=self.note,
                        at=self.now,
                    )
                )
            )
            if item.created is not None:
                commitment.created = item.created
                stamped.append(commitment)
        Commitment.objects.bulk_update(stamped, ["created"], batch_size=BATCH_SIZE)

    def _receivers(self, item: Item) -> list[Person]:
        """The persons promised to: toegezegdAanPersoon (by id, else by name), then each toegezegdAan by id."""
        found = []
        record = record_label(item.index, item.number)
        if item.promised_to or item.person_id:
            person = self.persons.resolve(name=item.promised_to, party=item.party, tk_id=item.person_id)
            if person is None:
                self.report.warnings.append(
                    _("%(record)s: toegezegdAanPersoon %(id)s is unknown and has no name (annotatie); not linked.")
                    % {"record": record, "id": item.person_id}
                )
            else:
                found.append(person)
        for ref in item.receiver_ids:
            person = self.persons.resolve(name=None, tk_id=ref)
            if person is None:
                self.report.warnings.append(
                    _("%(record)s: toegezegdAan %(id)s is not a known person; not linked.")
                    % {"record": record, "id": ref}
                )
            elif person not in found:
                found.append(person)
        return found

    def _apply(self, item: Item, current: Commitment, found: dict, promiser) -> list[CommitmentEvent]:
        for name, (_old, new) in found.items():
            if name != "promised_to":
                setattr(current, name, new)
        if "promised_by" in found:
            current.promised_by = promiser
        if "due_date" in found:
            current.due_is_default = False
        current.tk_updated = deciding.source_fields(item)["tk_updated"] or current.tk_updated
        if "status" in found:
            old_deadline = current.due_date
            if rules.apply_standard_deadline(current):
                found["due_date"] = (old_deadline, current.due_date)
        current.save()
        events = []
        if "status" in found:
            # The workflow's transition event; no e-mail to followers (history.py says why).
            transition = history.transition(
                current,
                from_status=found["status"][0],
                to_status=item.status,
                evidence_title=item.letter or "",
                note=self.note,
                at=self.now,
            )
            events.append(history.build(transition))
        elif item.letter:
            self._letter_differs(item, current)
        rest = {k: v for k, v in found.items() if k != "status"}
        if rest:
            events.append(history.build(history.edited(current, changes=rest, note=self.note, at=self.now)))
        return events

    def _letter_differs(self, item: Item, current: Commitment) -> None:
        last = current.events.filter(to_status=Status.FULFILLED).exclude(evidence_title="").order_by("at", "pk").last()
        if last is None or last.evidence_title != item.letter:
            self.report.warnings.append(
                _(
                    "%(reference)s: kamerbriefNakoming “%(letter)s” differs from the history; not taken over "
                    "(the history is not rewritten)."
                )
                % {"reference": item.number, "letter": item.letter}
            )

    def _standard_deadline(self, commitment: Commitment, item: Item) -> None:
        """A new pending commitment gets the standard term from its creation date (open data names no sitting)."""
        if item.due_on is not None:
            commitment.due_date = item.due_on
            return
        start = timezone.localtime(item.created).date() if item.created else self.today
        rules.apply_standard_deadline(commitment, session_date=start)

    def _withdrawn_commitments(self) -> dict[str, Commitment]:
        """The register's commitments the withdrawals name, by open-data id, by reference and by our own id."""
        ids = {i.tk_id for i in self.withdrawals if i.tk_id}
        numbers = {i.number for i in self.withdrawals if i.number}
        found = list(Commitment.objects.filter(models.Q(tk_id__in=ids) | models.Q(reference__in=numbers)))
        known = {c.tk_id: c for c in found if c.tk_id} | {c.reference: c for c in found}
        if any(i.tk_id not in known and i.number not in known for i in self.withdrawals):
            # Our own export names a commitment by a uuid5 of its reference.
            own = {entity_id("toezegging", r): r for r in Commitment.objects.values_list("reference", flat=True)}
            more = [own[i.tk_id] for i in self.withdrawals if i.tk_id in own]
            known |= {entity_id("toezegging", c.reference): c for c in Commitment.objects.filter(reference__in=more)}
        return known

    def _withdraw(self) -> list[CommitmentEvent]:
        """Records marked verwijderd: the commitment leaves the public pages (status rejected, the register's
        non-public state) with an event saying why; nothing is deleted."""
        if not self.withdrawals:
            return []
        known = self._withdrawn_commitments()
        locks = hand_edited_commitments([c.pk for c in known.values()])
        events, done = [], set()
        for item in self.withdrawals:
            label = item.number or item.tk_id
            current = known.get(item.tk_id) or known.get(item.number)
            outcome = deciding.decide_withdrawal(current, done=done, locks=locks, overwrite=self.overwrite)
            if outcome == deciding.SKIPPED:
                self.report.skipped.append(label)
                self.report.warnings.append(
                    _("%(record)s: deleted in the source and not in the register; skipped.")
                    % {"record": record_label(item.index, label)}
                )
            elif outcome == deciding.UNCHANGED:
                self.report.unchanged.append(current.reference)
            elif outcome == deciding.LOCKED:
                self.locked.add(current.reference)
                self.report.locked.append(
                    _("%(reference)s: not withdrawn: %(reason)s. Use --overwrite to withdraw anyway.")
                    % {"reference": current.reference, "reason": locks[current.pk]}
                )
            else:
                done.add(current.pk)
                events.append(self._withdraw_one(item, current))
        return events

    def _withdraw_one(self, item: Item, current: Commitment) -> CommitmentEvent:
        why = _(
            "Withdrawn: the Tweede Kamer marked this commitment (id %(id)s) as deleted; it is no longer on the "
            "public pages."
        ) % {"id": item.tk_id}
        event = history.build(
            history.transition(
                current, from_status=current.status, to_status=Status.REJECTED, note=f"{self.note}\n{why}", at=self.now
            )
        )
        current.status = Status.REJECTED
        # The withdrawal is the record's latest version: an older one replayed must not bring it back.
        if item.tk_updated and current.tk_id and (current.tk_updated is None or item.tk_updated > current.tk_updated):
            current.tk_updated = item.tk_updated
        current.save(update_fields=["status", "tk_updated", "updated"])
        self.report.withdrawn.append(current.reference)
        return event

    def _container(self) -> Question:
        committee, created_c = Committee.objects.get_or_create(
            slug=CONTAINER_COMMITTEE[0], defaults={"name": CONTAINER_COMMITTEE[1]}
        )
        session, created_s = Session.objects.get_or_create(
            slug=CONTAINER_SESSION[0],
            defaults={"committee": committee, "kind": SessionKind.COMMITTEE, "title": CONTAINER_SESSION[1]},
        )
        question, created_q = Question.objects.get_or_create(
            session=session,
            position=CONTAINER_QUESTION[0],
            defaults={"kind": QuestionKind.OTHER, "title": CONTAINER_QUESTION[1]},
        )
        self.report.container_created = created_c or created_s or created_q
        return question

    def _links(self, existing: dict[str, Commitment], created: dict[str, Commitment]) -> None:
        known = {**existing, **created}
        wanted = self._wanted_links(known, created)
        targets = {
            c.reference: c
            for c in Commitment.objects.filter(reference__in=[t for *_, t in wanted if t and t not in known])
        }
        targets.update(known)
        present = set(
            CommitmentLink.objects.filter(source__in=[s for _, s, *_ in wanted]).values_list(
                "source_id", "kind", "target_id"
            )
        )
        links = []
        for item, source, kind, target_ref in wanted:
            target = targets.get(target_ref)
            if target is None:
                self.report.warnings.append(
                    _("%(reference)s: link %(element)s to “%(target)s” skipped: no such commitment in the register.")
                    % {"reference": item.number, "element": LINK_ELEMENTS[kind], "target": target_ref}
                )
                continue
            if target.pk == source.pk or (source.pk, kind, target.pk) in present:
                continue
            present.add((source.pk, kind, target.pk))
            links.append(CommitmentLink(source=source, kind=kind, target=target))
            if item.number not in self.report.created and item.number not in self.report.updated:
                self.report.unchanged.remove(item.number)
                self.report.updated.append(item.number)
        CommitmentLink.objects.bulk_create(links, batch_size=BATCH_SIZE)
        self.report.links_created = len(links)

    def _wanted_links(self, known: dict, created: dict) -> list:
        """(item, source, kind, target reference or guid) for every link the records name."""
        by_guid: dict[str, str] | None = None
        wanted = []
        for item in self.items:
            source = known.get(item.number)
            if source is None or item.number in self.locked:
                continue
            for kind, reference, guid in item.links:
                target_ref = reference
                if target_ref is None and guid:
                    if by_guid is None:
                        by_guid = {
                            entity_id("toezegging", r): r
                            for r in Commitment.objects.values_list("reference", flat=True)
                        }
                        by_guid.update({entity_id("toezegging", r): r for r in created})
                    target_ref = by_guid.get(guid)
                wanted.append((item, source, kind, target_ref or guid))
        return wanted
