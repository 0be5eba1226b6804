"""Cleaning: each toezegging brought back within the schema where the live feed is known to deviate
(DEVIATIONS), validated, and read into an Item the writing stage can use; a feed page's records already
applied are left alone without being read."""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.exchange.fixtures_import import LOOKUP_CHUNK, _chunks
from tracker.models import Commitment, Person, Status
from tracker.register import rules

from .common import (
    LINK_ELEMENTS,
    STATUS_ALIASES,
    TK_TO_STATUS,
    annotation,
    child,
    is_nil,
    parse_datetime,
    short,
    text,
    tk,
    toezegging_schema,
)
from .export import NAME_PARTS
from .report import Problems, record_label

_SEVEN_DIGITS = re.compile(r"\.\d{7}$")


@dataclass
class Item:
    """One toezegging as read, in the register's terms."""

    index: int
    line: int | None
    number: str = ""
    text: str = ""
    status: str = ""
    name: str | None = None
    surname: str | None = None
    name_parts: dict[str, str] = field(default_factory=dict)  # Person field → value (initials, first_name, …)
    function: str | None = None
    ministry: str = ""
    fulfilled_on: datetime.date | None = None
    letter: str | None = None
    created: datetime.datetime | None = None
    promised_to: str | None = None
    party: str | None = None
    due_on: datetime.date | None = None  # datumNakoming of a commitment not (yet) fulfilled: its term
    tk_id: str = ""
    tk_updated: datetime.datetime | None = None
    deleted: bool = False
    activity_id: str = ""
    activity_number: str = ""
    party_id: str = ""
    person_id: str = ""
    receiver_ids: list[str] = field(default_factory=list)  # tk:toegezegdAan, outside the schema
    links: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # kind, reference, ref guid


def promiser_name(el) -> tuple[str | None, str | None]:
    """Full name and surname of the promiser. The surname keeps its particles ("De Smet"); the full name is
    `naam` as published, or composed from the parts (initialen or voornaam, tussenvoegsel, achternaam)."""
    parts = {n: text(el, n) or "" for n in ("naam", "achternaam", "initialen", "tussenvoegsel", "voornaam")}
    surname = " ".join(p for p in (parts["tussenvoegsel"], parts["achternaam"]) if p)
    surname = surname[:1].upper() + surname[1:]
    name = parts["naam"] or " ".join(
        p for p in (parts["initialen"] or parts["voornaam"], parts["tussenvoegsel"], parts["achternaam"]) if p
    )
    return name or None, surname or None


@functools.cache
def max_lengths() -> dict[str, int]:
    return {f.name: f.max_length for f in Commitment._meta.fields if getattr(f, "max_length", None)}


@functools.cache
def _person_lengths() -> dict[str, int]:
    return {f.name: f.max_length for f in Person._meta.fields if getattr(f, "max_length", None)}


def too_long(most: int) -> str:
    return _("longer than %(n)s characters.") % {"n": most}


class Cleaner(Problems):
    """Turns the streamed elements into `items` (to write) and `withdrawals` (marked verwijderd).
    Expects `feed`, `stamps`, `strict`, `overwrite`, `report` and `today` on the importer."""

    def validate(self, elements: Iterable) -> None:
        """Check and read every record. A feed page is a log of changes: a later entry for the same record
        replaces an earlier one, and (unless strict) an invalid record is refused on its own."""
        if self.strict is None:
            self.strict = not self.feed
        schema = toezegging_schema()
        latest: dict[str, Item] = {}
        stale = self._stale_records()
        if stale is not None and len(stale) == len(self.stamps):
            # A replayed page: every record is a version already applied; not even read again.
            self.report.unchanged.extend(stale.values())
            return
        for index, el in enumerate(elements, start=1):
            if stale and index - 1 in stale:
                self.report.unchanged.append(stale[index - 1])
                continue
            before = self.noted()
            item = self._check(el, index, schema)
            if self.noted() > before and not self.strict:
                self._refuse_record(item, index, self.forget_errors(before))
                continue
            if item is None or self.noted() > before:
                continue
            if self.feed:
                latest.pop(item.tk_id or item.number, None)
                latest[item.tk_id or item.number] = item
            elif item.deleted:
                self.withdrawals.append(item)
            else:
                self.items.append(item)
        if self.feed:
            self.items = [i for i in latest.values() if not i.deleted]
            self.withdrawals = [i for i in latest.values() if i.deleted]
        self._no_double_numbers()

    def _refuse_record(self, item: Item, index: int, problems) -> None:
        reasons = "; ".join(
            (_("field “%(field)s”") % {"field": p.field} + ": " if p.field else "") + p.message for p in problems
        )
        label = record_label(index, item.number or item.tk_id or "?")
        self.report.refused.append(f"{label}: {reasons}")

    def _no_double_numbers(self) -> None:
        seen: dict[str, Item] = {}
        for item in self.items:
            if item.number in seen:
                self.error(
                    _("double number: also toezegging %(index)s.") % {"index": seen[item.number].index},
                    item=item,
                    field_name="nummer",
                )
            seen.setdefault(item.number, item)

    def _stale_records(self) -> dict[int, str] | None:
        """On a feed page, the records (position → reference) whose bijgewerkt is not newer than the version
        the register holds: left alone without validating them, so a re-run costs one query per page. None
        when this does not apply (not a feed page, or --overwrite, which re-applies every record)."""
        if not self.feed or self.overwrite or not self.stamps:
            return None
        ids = {tk_id for tk_id, _stamp in self.stamps if tk_id}
        stored = {
            tk_id: (stamp, reference)
            for chunk in _chunks(sorted(ids), LOOKUP_CHUNK)
            for tk_id, stamp, reference in Commitment.objects.filter(
                tk_id__in=chunk, tk_updated__isnull=False
            ).values_list("tk_id", "tk_updated", "reference")
        }
        stale = {}
        for position, (tk_id, raw) in enumerate(self.stamps):
            if tk_id not in stored:
                continue
            try:
                stamp = parse_datetime(raw)
            except ValueError:
                continue  # validation reports it
            if stamp <= stored[tk_id][0]:
                stale[position] = stored[tk_id][1]
        return stale

    def _check(self, el, index: int, schema) -> Item | None:
        status = el.find(tk("status"))
        if status is not None and status.text and status.text.strip() in STATUS_ALIASES:
            alias = status.text.strip()
            status.text = STATUS_ALIASES[alias]
            self.report.normalised[alias] = self.report.normalised.get(alias, 0) + 1
        item = Item(index=index, line=el.sourceline, number=text(el, "nummer") or "", tk_id=el.get("id") or "")
        self._accept_deviations(el, item)
        if not schema.validate(el):
            for entry in schema.error_log:
                self.error(
                    _("does not conform to the schema: %(reason)s") % {"reason": short(entry.message)},
                    item=item,
                    line=entry.line,
                )
            return item
        try:
            item.tk_updated = parse_datetime(el.get(tk("bijgewerkt")) or "")
        except ValueError:
            self.error(_("is not a date and time the register can read."), item=item, field_name="bijgewerkt")
        if el.get(tk("verwijderd")) in ("true", "1"):
            item.deleted = True
            return item
        self._read(el, item)
        return item

    def _deviation(self, key: str) -> None:
        self.report.deviations[key] = self.report.deviations.get(key, 0) + 1

    def _accept_deviations(self, el, item: Item) -> None:
        """Bring what the live feed is known to publish outside the schema back within it (see DEVIATIONS)."""
        deleted = el.get(tk("verwijderd"))
        if deleted is not None and deleted not in ("true", "false", "1", "0") and deleted.lower() in ("true", "false"):
            el.set(tk("verwijderd"), deleted.lower())
            self._deviation("verwijderd")
        receivers = el.findall(tk("toegezegdAan"))
        for receiver in receivers:
            if receiver.get("ref"):
                item.receiver_ids.append(receiver.get("ref"))
            el.remove(receiver)
        if receivers:
            self._deviation("toegezegdAan")
        letters = el.findall(tk("kamerbriefNakoming"))
        if len(letters) > 1:
            texts = [(letter.text or "").strip() for letter in letters if not is_nil(letter)]
            letters[0].text = "; ".join(t for t in dict.fromkeys(texts) if t)
            for letter in letters[1:]:
                el.remove(letter)
            self._deviation("kamerbriefNakoming")
        for name in ("aanmaakdatum", "datumNakoming"):
            value = text(el, name)
            if value and _SEVEN_DIGITS.search(value):
                self._deviation("zeven-decimalen")

    def _read(self, el, item: Item) -> None:
        limits = max_lengths()
        if not item.number:
            self.error(_("missing; the number identifies the commitment."), item=item, field_name="nummer")
        elif len(item.number) > limits["reference"]:
            self.error(too_long(limits["reference"]), item=item, field_name="nummer")
        item.text = text(el, "tekst") or ""
        if not item.text:
            self.error(_("missing or empty; the text becomes the commitment's quote."), item=item, field_name="tekst")
        tk_status = text(el, "status")
        if not tk_status:
            self.error(_("missing."), item=item, field_name="status")
        else:
            item.status = TK_TO_STATUS[tk_status]
        self._read_promiser(el, item)
        self._read_dates(el, item)
        if item.status:
            # The register's one rule (also for fixtures and the workflow): a date not kept is an error, not
            # a warning. Open data names no sitting, so "not before the sitting" cannot apply here.
            for _name, message in rules.fulfilment_problems(
                status=item.status, fulfilled_on=item.fulfilled_on, on=self.today
            ):
                self.error(message, item=item, field_name="datumNakoming")
        self._read_letter(el, item)
        item.ministry = text(el, "ministerie") or ""
        if len(item.ministry) > limits["ministry"]:
            self.error(too_long(limits["ministry"]), item=item, field_name="ministerie")
        self._read_relations(el, item)

    def _read_promiser(self, el, item: Item) -> None:
        """Name, surname, the other name parts (each kept in its Person field) and function."""
        item.name, item.surname = promiser_name(el)
        item.function = text(el, "functie") or None
        persons = _person_lengths()
        checks = [
            ("naam", item.name, persons["full_name"]),
            ("achternaam", item.surname, persons["surname"]),
            ("functie", item.function, max_lengths()["promised_by_function"]),
        ]
        for element, part in NAME_PARTS.items():
            value = text(el, element) or ""
            if value and item.name:
                item.name_parts[part] = value
                checks.append((element, value, persons[part]))
        for name, value, most in checks:
            if value and len(value) > most:
                self.error(too_long(most), item=item, field_name=name)

    def _read_letter(self, el, item: Item) -> None:
        letter = text(el, "kamerbriefNakoming")
        if not letter:
            return
        if len(letter) > 500:
            self.error(too_long(500), item=item, field_name="kamerbriefNakoming")
        elif item.status != Status.FULFILLED:
            self.report.warnings.append(
                _(
                    "%(record)s: kamerbriefNakoming “%(letter)s” ignored: the register keeps it with the "
                    "fulfilment, and the commitment is not fulfilled."
                )
                % {"record": record_label(item.index, item.number), "letter": letter}
            )
        else:
            item.letter = letter

    def _read_dates(self, el, item: Item) -> None:
        for name in ("datumNakoming", "aanmaakdatum"):
            value = text(el, name)
            if not value:
                continue
            try:
                moment = parse_datetime(value)
            except ValueError:
                self.error(
                    _("“%(value)s” is not a date and time the register can read.") % {"value": value},
                    item=item,
                    field_name=name,
                )
                continue
            day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
            if name == "aanmaakdatum":
                item.created = moment
            elif item.status == Status.FULFILLED:
                item.fulfilled_on = day
            else:
                # The register's term for a commitment not yet fulfilled (README: "datumNakoming").
                item.due_on = day

    def _read_relations(self, el, item: Item) -> None:
        limits = max_lengths()
        party = child(el, "toegezegdAanFractie")
        if party is not None:
            item.party, item.party_id = annotation(party), party.get("ref") or ""
            if item.party and len(item.party) > limits["promised_to_party"]:
                self.error(too_long(limits["promised_to_party"]), item=item, field_name="toegezegdAanFractie")
        person = child(el, "toegezegdAanPersoon")
        if person is not None:
            item.promised_to, item.person_id = annotation(person), person.get("ref") or ""
        activity = child(el, "activiteit")
        if activity is not None:
            item.activity_id = activity.get("ref") or ""
        item.activity_number = text(el, "activiteitNummer") or ""
        if len(item.activity_number) > limits["tk_activity_number"]:
            self.error(too_long(limits["tk_activity_number"]), item=item, field_name="activiteitNummer")
        for kind, name in LINK_ELEMENTS.items():
            for rel in el.findall(tk(name)):
                item.links.append((kind, annotation(rel), rel.get("ref")))
