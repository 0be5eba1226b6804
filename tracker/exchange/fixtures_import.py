"""Import of Django-style JSON fixtures with natural keys: validated whole, written whole or not at all.

The format is what `dumpdata --natural-foreign --natural-primary` writes for the register's models (see
fixtures/README.md, "Import format"). Unlike `loaddata`, this importer

- checks every object first (field types and choices, references to other objects by natural key, the
  model's constraints, and dates that must agree with each other) and reports *all* problems together,
  each with file, line, object number, model, field and reason; nothing is written unless all is valid;
- updates existing rows by natural key, and counts what it created, updated and left unchanged;
- leaves fields that are absent from an object as they are (a partial object updates only what it gives);
- never overwrites a commitment a clerk has worked on by hand (see `hand_edited_commitments`) unless
  asked to (`overwrite=True`), and reports the fields it kept;
- treats the history (CommitmentEvent) as append-only: a known uid with other content is an error;
- records in the history what it did itself (a "created" event for a new commitment without one in
  the files, an "edit"/"transition" event for each update), as a system event: actor empty, the user
  in the note, so that an import never locks its own rows.

Speed matters (registers are imported whole): natural keys are resolved in memory with dict lookups
after one query per model and chunk, fields are validated with `Field.clean` and the constraints in
Python (full_clean would query the database per object), and rows are written with bulk_create.
"""

from __future__ import annotations

import codecs
import datetime
import functools
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import connections, models, router
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tracker.exchange.base import run_import
from tracker.models import (
    Commitment,
    CommitmentEvent,
    CommitmentLink,
    Committee,
    EventKind,
    Origin,
    Person,
    Question,
    Session,
    SessionKind,
    Speech,
)
from tracker.register import history, rules

# Per file, checked on the size on disk before anything is read. Bigger registers are split over
# several files (the command takes many). Set in settings (TRACKER_MAX_BYTES); a module name, so tests can lower it.
MAX_FIXTURE_BYTES = settings.TRACKER_MAX_BYTES["fixture"]

# Rows per INSERT/UPDATE and values per IN (...) lookup: well below SQLite's and PostgreSQL's limits.
BATCH_SIZE = 1000
LOOKUP_CHUNK = 500

# A commitment with one of these events by a user has been worked on by hand: its fields are locked.
LOCKING_EVENT_KINDS = (EventKind.EDIT, EventKind.TRANSITION, EventKind.DUE_DATE)

# Written in this order, so every reference points at a row that exists by then.
MODELS: tuple[type[models.Model], ...] = (
    Committee,
    Person,
    Session,
    Question,
    Speech,
    Commitment,
    CommitmentEvent,
    CommitmentLink,
)
LABELS = {m._meta.label_lower: m for m in MODELS}

# The fields that make up each model's natural key; a relation contributes the target's natural key.
KEY_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    Committee: ("slug",),
    Person: ("slug",),
    Session: ("slug",),
    Question: ("session", "position"),
    Speech: ("question", "sequence"),
    Commitment: ("reference",),
    CommitmentEvent: ("uid",),
    CommitmentLink: ("source", "kind", "target"),
}

# Fields the database keeps for itself on update: a re-import with other timestamps is not a change.
NOT_COMPARED = {Commitment: {"created", "updated"}}


class RecordsRefused(Exception):
    """A file of records cannot be imported; `errors` says why, each with its place. Nothing was written."""

    def __init__(self, errors: Sequence):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


class FixtureRefused(RecordsRefused):
    """The fixture files cannot be imported (errors are FixtureError)."""


@dataclass(frozen=True)
class FixtureError:
    file: str
    message: str
    index: int | None = None  # 1-based position of the object in the file's list
    line: int | None = None
    model: str = ""
    key: str = ""
    field: str = ""

    def __str__(self):
        where = [self.file]
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.index is not None:
            where.append(f"object {self.index}")
        place = ", ".join(where)
        if self.model:
            place += f" ({self.model}{' ' + self.key if self.key else ''})"
        if self.field:
            place += _(", field “%(field)s”") % {"field": self.field}
        return f"{place}: {self.message}"


@dataclass
class ModelCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    locked: int = 0

    def __str__(self):
        text = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.locked:
            text += _(", %(locked)s edited by hand and not overwritten") % {"locked": self.locked}
        return text


@dataclass
class FixtureReport:
    files: list[str]
    dry_run: bool = False
    overwrite: bool = False
    counts: dict[str, ModelCounts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # per locked commitment: the fields that were not overwritten
    events_written: int = 0

    @property
    def total(self) -> ModelCounts:
        total = ModelCounts()
        for c in self.counts.values():
            total.created += c.created
            total.updated += c.updated
            total.unchanged += c.unchanged
            total.locked += c.locked
        return total

    @property
    def changed(self) -> bool:
        return bool(self.total.created or self.total.updated)

    def lines(self) -> list[str]:
        lines = [f"{LABELS[label]._meta.verbose_name_plural} ({label}): {c}" for label, c in self.counts.items()]
        lines.append(_("Total: %(counts)s") % {"counts": self.total})
        if self.events_written:
            lines.append(
                _("History: %(events)s event(s) of the import itself added.") % {"events": self.events_written}
            )
        lines.extend(self.kept)
        if not self.changed:
            lines.append(_("Nothing changed."))
        elif self.dry_run:
            lines.append(_("Dry run: nothing was saved."))
        return lines


@dataclass(eq=False)
class _Record:
    file: str
    index: int
    model: type[models.Model]
    raw: dict
    values: dict = field(default_factory=dict)  # scalar fields given, cleaned
    refs: dict = field(default_factory=dict)  # foreign keys given: name -> natural key tuple or None
    m2m: dict = field(default_factory=dict)  # many-to-many given: name -> list of natural key tuples
    key: tuple | None = None
    existing: models.Model | None = None
    pk: int | None = None
    changes: dict = field(default_factory=dict)  # name -> (old, new) for an existing row
    state: str = ""  # created / updated / unchanged / locked


# --------------------------------------------------------------------------------------------------
# Reading


def read_fixture_file(path: str | Path, *, max_bytes: int | None = None) -> tuple[str, list[str]]:
    """The text of a fixture file, or FixtureRefused saying why not. Refuses by size before reading."""
    name = str(path)
    limit = MAX_FIXTURE_BYTES if max_bytes is None else max_bytes
    file = Path(path)
    try:
        size = file.stat().st_size
    except FileNotFoundError:
        raise FixtureRefused([FixtureError(name, _("file not found."))]) from None
    except OSError as exc:
        raise FixtureRefused(
            [FixtureError(name, _("cannot read the file (%(reason)s).") % {"reason": exc.strerror})]
        ) from None
    if file.is_dir():
        raise FixtureRefused([FixtureError(name, _("this is a directory, not a file."))])
    if size > limit:
        raise FixtureRefused(
            [
                FixtureError(
                    name,
                    _(
                        "the file is too large (%(size)s bytes); the limit is %(limit)s bytes (%(mb)s MB) per file. "
                        "Split the data over more files."
                    )
                    % {"size": _number(size), "limit": _number(limit), "mb": f"{limit / 2**20:g}"},
                )
            ]
        )
    try:
        # stat() says 0 for a pipe or /dev/zero: read one byte past the limit, never more.
        with file.open("rb") as f:
            data = f.read(limit + 1)
        if len(data) > limit:
            raise FixtureRefused(
                [
                    FixtureError(
                        name,
                        _("the file is too large (more than %(limit)s bytes, %(mb)s MB).")
                        % {"limit": _number(limit), "mb": f"{limit / 2**20:g}"},
                    )
                ]
            )
    except OSError as exc:
        raise FixtureRefused(
            [FixtureError(name, _("cannot read the file (%(reason)s).") % {"reason": exc.strerror})]
        ) from None
    return decode_fixture(data, filename=name)


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def decode_fixture(data: bytes, *, filename: str) -> tuple[str, list[str]]:
    """UTF-8 text of the bytes. A UTF-8 byte-order mark is accepted (editors on Windows add one) and reported."""
    warnings = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        warnings.append(_("%(file)s: the UTF-8 BOM (byte-order mark) at the start was skipped.") % {"file": filename})
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FixtureRefused([FixtureError(filename, _("the file is saved as UTF-16 or UTF-32; save it as UTF-8."))])
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise FixtureRefused(
            [
                FixtureError(
                    filename,
                    _("no valid UTF-8 on line %(line)s, column %(column)s (byte %(byte)s).")
                    % {"line": line, "column": column, "byte": exc.start},
                )
            ]
        ) from None


class _NonFinite(ValueError):
    pass


def _refuse_constant(name: str):
    raise _NonFinite(name)


class _LongInteger(ValueError):
    pass


# No field holds a number this long; checked before int() so Python's 4,300-digit conversion limit
# (a ValueError from deep inside the parser) is never reached.
MAX_INTEGER_DIGITS = 100


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _LongInteger(len(text.lstrip("-")))
    return int(text)


def parse_fixture(text: str, *, filename: str) -> list:
    """The fixture's list of objects, or FixtureRefused with the line and column of the JSON error."""
    if not text.strip():
        raise FixtureRefused([FixtureError(filename, _("the file is empty; expected a JSON list of objects."))])
    try:
        data = json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise FixtureRefused(
            [
                FixtureError(
                    filename,
                    _("no valid JSON on line %(line)s, column %(column)s: %(reason)s.")
                    % {"line": exc.lineno, "column": exc.colno, "reason": exc.msg},
                )
            ]
        ) from None
    except _NonFinite as exc:
        raise FixtureRefused(
            [FixtureError(filename, _("“%(value)s” is not a valid JSON number.") % {"value": exc})]
        ) from None
    except _LongInteger as exc:
        raise FixtureRefused(
            [
                FixtureError(
                    filename,
                    _("the file holds an integer of %(digits)s digits; at most %(max)s digits are accepted.")
                    % {"digits": _number(exc.args[0]), "max": MAX_INTEGER_DIGITS},
                )
            ]
        ) from None
    except RecursionError:
        # The parser recurses per level of nesting; a fixture is a list of flat objects.
        raise FixtureRefused(
            [FixtureError(filename, _("the JSON is nested too deeply (too many lists or objects inside each other)."))]
        ) from None
    if not isinstance(data, list):
        raise FixtureRefused(
            [
                FixtureError(
                    filename,
                    _("expected a JSON list of objects ([{...}, ...]), but the file holds %(type)s.")
                    % {"type": _json_type(data)},
                )
            ]
        )
    return data


def _json_type(value) -> str:
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, bool):
        return _("a boolean")
    if isinstance(value, (int, float)):
        return _("a number")
    return "null"


_WS = re.compile(r"[ \t\n\r]*")


def object_lines(text: str) -> list[int]:
    """The line on which each element of a (valid) JSON list starts; only computed when there are errors."""
    decoder = json.JSONDecoder()
    pos = _WS.match(text, 0).end() + 1
    lines, line, last = [], 1, 0
    while True:
        pos = _WS.match(text, pos).end()
        if pos >= len(text) or text[pos] == "]":
            return lines
        line += text.count("\n", last, pos)
        last = pos
        lines.append(line)
        _, pos = decoder.raw_decode(text, pos)
        pos = _WS.match(text, pos).end()
        if pos < len(text) and text[pos] == ",":
            pos += 1


# --------------------------------------------------------------------------------------------------
# Validation


def _key_text(key: tuple | None) -> str:
    if not key:
        return ""
    return "[" + ", ".join(json.dumps(p, ensure_ascii=False) for p in key) + "]"


@functools.cache
def _key_types(model) -> tuple[type, ...]:
    if model is get_user_model():
        return (str,)
    types: list[type] = []
    for name in KEY_FIELDS[model]:
        f = model._meta.get_field(name)
        if f.is_relation:
            types.extend(_key_types(f.related_model))
        elif isinstance(f, models.IntegerField):
            types.append(int)
        else:
            types.append(str)
    return tuple(types)


def _user_key(user) -> tuple:
    return (user.get_username(),)


def _expected(wanted: str, value) -> str:
    return _("expected %(wanted)s, but got %(type)s (%(value)s).") % {
        "wanted": wanted,
        "type": _json_type(value),
        "value": json.dumps(value, ensure_ascii=False),
    }


def _type_error(f: models.Field, value) -> str | None:
    """A message when a JSON value has the wrong type for the field (Django would coerce it silently)."""
    if isinstance(f, (models.CharField, models.TextField)):
        if not isinstance(value, str):
            return _expected(_("text"), value)
    elif isinstance(f, models.BooleanField):
        if not isinstance(value, bool):
            return _expected(_("true or false"), value)
    elif isinstance(f, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            return _expected(_("an integer"), value)
    elif isinstance(f, models.FloatField):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return _expected(_("a number"), value)
    elif isinstance(f, (models.DateField, models.UUIDField)) and not isinstance(value, str):
        return _expected(_("text"), value)
    return None


class _Importer:
    def __init__(self, *, paths: Sequence[str | Path], dry_run: bool, overwrite: bool, by):
        self.paths = [str(p) for p in paths]
        self.dry_run, self.overwrite, self.by = dry_run, overwrite, by
        self.report = FixtureReport(files=self.paths, dry_run=dry_run, overwrite=overwrite)
        self.errors: list[FixtureError] = []
        self.records: list[_Record] = []
        self.texts: dict[str, str] = {}
        self.in_files: dict[type, dict[tuple, _Record]] = defaultdict(dict)
        self.in_db: dict[type, dict[tuple, models.Model]] = defaultdict(dict)
        self.pks: dict[type, dict[tuple, int]] = defaultdict(dict)
        self.user_model = get_user_model()
        self.today = rules.today()

    def error(self, rec: _Record | None, message: str, *, field_name: str = "", file: str = "") -> None:
        if rec is None:
            self.errors.append(FixtureError(file, message))
            return
        self.errors.append(
            FixtureError(
                rec.file,
                message,
                index=rec.index,
                model=rec.model._meta.label_lower,
                key=_key_text(rec.key),
                field=field_name,
            )
        )

    # -- reading -----------------------------------------------------------------------------------

    def load(self) -> None:
        for path in self.paths:
            try:
                text, warnings = read_fixture_file(path)
                data = parse_fixture(text, filename=path)
            except FixtureRefused as exc:
                self.errors.extend(exc.errors)
                continue
            self.texts[path] = text
            self.report.warnings.extend(warnings)
            pk_ignored = 0
            for i, obj in enumerate(data, start=1):
                rec = self._record(path, i, obj)
                if rec is not None:
                    pk_ignored += "pk" in obj
                    self.records.append(rec)
            if pk_ignored:
                self.report.warnings.append(
                    _(
                        "%(file)s: “pk” of %(count)s object(s) ignored: objects are recognised by their natural "
                        "key, not by a database id."
                    )
                    % {"file": path, "count": pk_ignored}
                )

    def _record(self, path: str, index: int, obj) -> _Record | None:
        if not isinstance(obj, dict):
            self.errors.append(
                FixtureError(
                    path,
                    _("expected an object with “model” and “fields”, but got %(type)s.") % {"type": _json_type(obj)},
                    index,
                )
            )
            return None
        label = obj.get("model")
        if not isinstance(label, str) or not label:
            self.errors.append(FixtureError(path, _('“model” is missing (for example "tracker.commitment").'), index))
            return None
        model = LABELS.get(label.lower())
        if model is None:
            allowed = ", ".join(LABELS)
            self.errors.append(
                FixtureError(
                    path,
                    _("unknown model “%(model)s”; this command only reads %(allowed)s.")
                    % {"model": label, "allowed": allowed},
                    index,
                )
            )
            return None
        fields = obj.get("fields")
        if not isinstance(fields, dict):
            self.errors.append(
                FixtureError(path, _("“fields” is missing or not an object."), index, model=model._meta.label_lower)
            )
            return None
        unknown = set(obj) - {"model", "fields", "pk"}
        rec = _Record(path, index, model, fields)
        if unknown:
            self.error(
                rec,
                _("unknown key(s) %(keys)s next to “model” and “fields”.") % {"keys": ", ".join(sorted(unknown))},
            )
        return rec

    # -- cleaning ----------------------------------------------------------------------------------

    def clean(self) -> None:
        for rec in self.records:
            self._clean_record(rec)
            if rec.key is None:
                continue
            previous = self.in_files[rec.model].get(rec.key)
            if previous is not None:
                self.error(
                    rec,
                    _("duplicate natural key: already defined in %(file)s, object %(index)s.")
                    % {"file": previous.file, "index": previous.index},
                )
                continue
            self.in_files[rec.model][rec.key] = rec

    def _clean_record(self, rec: _Record) -> None:
        specs = _field_specs(rec.model)
        values = rec.values
        for name, raw in rec.raw.items():
            spec = specs.get(name)
            if spec is None:
                self.error(rec, _("unknown field."), field_name=name)
                continue
            f, kind, fast = spec
            if kind is _VALUE:
                # The common case first: a valid value in its usual form, no error message needed.
                value = fast(raw) if raw is not None and raw != "" else _SLOW
                if value is _SLOW:
                    self._clean_value(rec, f, raw)
                else:
                    values[name] = value
            elif kind is _M2M:
                self._clean_m2m(rec, f, raw)
            else:
                if raw is None:
                    if not f.null:
                        self.error(rec, _("required: give the natural key of the target."), field_name=name)
                    rec.refs[name] = None
                else:
                    key = self._clean_ref(rec, f, raw)
                    if key is not None:
                        rec.refs[name] = key
        key_parts = []
        for name in KEY_FIELDS[rec.model]:
            if name in rec.refs and rec.refs[name] is not None:
                key_parts.extend(rec.refs[name])
            elif name in rec.values and rec.values[name] not in (None, ""):
                value = rec.values[name]
                key_parts.append(str(value) if isinstance(value, uuid.UUID) else value)
            else:
                if name not in rec.raw:
                    self.error(rec, _("missing; it is part of the natural key."), field_name=name)
                return
        rec.key = tuple(key_parts)

    def _clean_value(self, rec: _Record, f: models.Field, raw) -> None:
        name = f.name
        if raw is None or raw == "":
            if raw is None and not f.null:
                self.error(rec, _("may not be null."), field_name=name)
            elif not f.blank:
                self.error(rec, _("may not be empty."), field_name=name)
            else:
                rec.values[name] = None if f.null else raw
            return
        problem = _type_error(f, raw)
        if problem:
            self.error(rec, problem, field_name=name)
            return
        try:
            value = f.clean(raw, None)
        except ValidationError as exc:
            self.error(rec, " ".join(exc.messages), field_name=name)
            return
        except (TypeError, ValueError, OverflowError) as exc:
            self.error(rec, _("invalid value (%(reason)s).") % {"reason": exc}, field_name=name)
            return
        if isinstance(value, datetime.datetime) and timezone.is_naive(value):
            value = timezone.make_aware(value)
        if isinstance(value, float) and value != value:  # NaN passes the range validators
            self.error(rec, _("not a valid number."), field_name=name)
            return
        rec.values[name] = value

    def _clean_ref(self, rec: _Record, f: models.Field, raw) -> tuple | None:
        target = f.related_model
        types = _key_types(target)
        if type(raw) is list and len(raw) == len(types):
            for part, kind in zip(raw, types, strict=True):
                if type(part) is not kind or not (part or kind is int):
                    break
            else:
                return tuple(raw)
        if not isinstance(raw, list):
            self.error(
                rec,
                _("expected the natural key of %(model)s as a list, for example %(example)s, but got %(value)s.")
                % {
                    "model": target._meta.verbose_name,
                    "example": _example_key(target),
                    "value": json.dumps(raw, ensure_ascii=False),
                },
                field_name=f.name,
            )
            return None
        if len(raw) != len(types):
            self.error(
                rec,
                _("a natural key of %(model)s has %(parts)s part(s), for example %(example)s; got %(value)s.")
                % {
                    "model": target._meta.verbose_name,
                    "parts": len(types),
                    "example": _example_key(target),
                    "value": json.dumps(raw, ensure_ascii=False),
                },
                field_name=f.name,
            )
            return None
        key = []
        for part, kind in zip(raw, types, strict=True):
            if kind is int:
                if isinstance(part, bool) or not isinstance(part, (int, str)) or not str(part).strip().isdigit():
                    self.error(
                        rec,
                        _("%(part)s in the key %(key)s is not an integer.")
                        % {"part": json.dumps(part, ensure_ascii=False), "key": json.dumps(raw, ensure_ascii=False)},
                        field_name=f.name,
                    )
                    return None
                key.append(int(part))
            else:
                if not isinstance(part, str) or not part:
                    self.error(
                        rec,
                        _("%(part)s in the key %(key)s is not (non-empty) text.")
                        % {"part": json.dumps(part, ensure_ascii=False), "key": json.dumps(raw, ensure_ascii=False)},
                        field_name=f.name,
                    )
                    return None
                key.append(part)
        return tuple(key)

    def _clean_m2m(self, rec: _Record, f: models.Field, raw) -> None:
        if not isinstance(raw, list):
            self.error(rec, _('expected a list of natural keys, for example [["vandromme"]].'), field_name=f.name)
            return
        keys = []
        for item in raw:
            key = self._clean_ref(rec, f, item)
            if key is None:
                return
            keys.append(key)
        rec.m2m[f.name] = list(dict.fromkeys(keys))

    # -- the database ------------------------------------------------------------------------------

    def fetch(self) -> None:
        """Load the existing rows the files name (as objects or as targets), one query per model and chunk."""
        wanted: dict[type, set[tuple]] = defaultdict(set)
        for rec in self.records:
            if rec.key is not None:
                wanted[rec.model].add(rec.key)
            for name, key in rec.refs.items():
                if key is not None:
                    self._want(wanted, rec.model._meta.get_field(name).related_model, key)
            for name, keys in rec.m2m.items():
                target = rec.model._meta.get_field(name).related_model
                for key in keys:
                    self._want(wanted, target, key)
        # Commitments first: a partial update of one needs the date of the session it already belongs to.
        self.in_db[Commitment] = _fetch(Commitment, wanted[Commitment])
        for c in self.in_db[Commitment].values():
            wanted[Session].add((c.nk_q_session,))
        for model in (*MODELS, self.user_model):
            if model is not Commitment:
                self.in_db[model] = _fetch(model, wanted[model])
        for model, rows in self.in_db.items():
            self.pks[model] = {key: obj.pk for key, obj in rows.items()}

    def _want(self, wanted, model, key: tuple) -> None:
        wanted[model].add(key)
        # A question or speech key starts with its session's slug; the session's date is needed for checks.
        if model in (Question, Speech):
            wanted[Session].add(key[:1])
            if model is Speech:
                wanted[Question].add(key[:2])

    def exists(self, model, key: tuple) -> bool:
        return key in self.in_files[model] or key in self.in_db[model]

    # -- checks on the merged state ----------------------------------------------------------------

    def check(self) -> None:
        for rec in self.records:
            if rec.key is None:
                continue
            rec.existing = self.in_db[rec.model].get(rec.key)
            for name, key in rec.refs.items():
                if key is None:
                    continue
                target = rec.model._meta.get_field(name).related_model
                if not self.exists(target, key):
                    self.error(
                        rec,
                        _("refers to %(model)s %(key)s, which is neither in the files nor in the database.")
                        % {"model": target._meta.verbose_name, "key": _key_text(key)},
                        field_name=name,
                    )
            for name, keys in rec.m2m.items():
                target = rec.model._meta.get_field(name).related_model
                missing = [k for k in keys if not self.exists(target, k)]
                if missing:
                    self.error(
                        rec,
                        _("refers to unknown %(models)s: %(keys)s.")
                        % {
                            "models": target._meta.verbose_name_plural,
                            "keys": ", ".join(_key_text(k) for k in missing),
                        },
                        field_name=name,
                    )
            if rec.existing is None:
                self._check_required(rec)
            checker = getattr(self, f"_check_{rec.model._meta.model_name}", None)
            if checker:
                checker(rec)
        self._check_unique_hashes()

    def _check_required(self, rec: _Record) -> None:
        for f in rec.model._meta.concrete_fields:
            if f.primary_key or f.name in rec.raw:
                continue
            optional = f.null if f.is_relation else (f.has_default() or f.blank or f.null or _is_auto(f))
            if not optional:
                self.error(rec, _("required for a new object."), field_name=f.name)

    def merged(self, rec: _Record, name: str):
        """The value a field will have after the import: given in the file, or as it is in the database."""
        if name in rec.values:
            return rec.values[name]
        if rec.existing is not None:
            return getattr(rec.existing, name)
        f = rec.model._meta.get_field(name)
        return f.get_default() if f.has_default() else None

    def session_date(self, slug: str):
        rec = self.in_files[Session].get((slug,))
        if rec is not None:
            return self.merged(rec, "date")
        session = self.in_db[Session].get((slug,))
        return session.date if session else None

    def _check_session(self, rec: _Record) -> None:
        committee = rec.refs["committee"] if "committee" in rec.refs else getattr(rec.existing, "committee_id", None)
        if self.merged(rec, "kind") != SessionKind.PLENARY and committee is None:
            self.error(
                rec,
                _('a committee sitting belongs to a committee; only a plenary sitting (kind "plenary") has none.'),
                field_name="committee",
            )

    def _check_unique_hashes(self) -> None:
        by_hash: dict[str, _Record] = {}
        for rec in self.in_files[Session].values():
            digest = rec.values.get("source_sha256")
            if not digest:
                continue
            if digest in by_hash:
                other = by_hash[digest]
                self.error(
                    rec,
                    _("the same source text (SHA-256) as %(file)s, object %(index)s.")
                    % {"file": other.file, "index": other.index},
                    field_name="source_sha256",
                )
            by_hash[digest] = rec
        for chunk in _chunks(sorted(by_hash), LOOKUP_CHUNK):
            for slug, digest in Session.objects.filter(source_sha256__in=chunk).values_list("slug", "source_sha256"):
                rec = by_hash[digest]
                if rec.key != (slug,):
                    self.error(
                        rec,
                        _("the same source text (SHA-256) was already imported as sitting “%(slug)s”.")
                        % {"slug": slug},
                        field_name="source_sha256",
                    )

    def _commitment_question_key(self, rec: _Record) -> tuple | None:
        if "question" in rec.refs:
            return rec.refs["question"]
        if rec.existing is not None:
            return (rec.existing.nk_q_session, rec.existing.nk_q_position)
        return None

    def _check_commitment(self, rec: _Record) -> None:
        status = self.merged(rec, "status")
        fulfilled_on = self.merged(rec, "fulfilled_on")
        due_date = self.merged(rec, "due_date")
        question = self._commitment_question_key(rec)
        session_date = self.session_date(question[0]) if question else None
        for field_name, message in rules.fulfilment_problems(
            status=status, fulfilled_on=fulfilled_on, session_date=session_date, on=self.today
        ):
            self.error(rec, message, field_name=field_name)
        if isinstance(due_date, datetime.date) and session_date and due_date < session_date:
            self.error(
                rec,
                _("the deadline %(due)s is before the sitting (%(sitting)s).")
                % {"due": due_date, "sitting": session_date},
                field_name="due_date",
            )
        quote = self.merged(rec, "quote")
        if isinstance(quote, str) and "quote" in rec.values and not quote.strip():
            self.error(rec, _("the quote may not be empty."), field_name="quote")
        speech = rec.refs.get("source_speech")
        if (
            speech is None
            and "source_speech" not in rec.refs
            and rec.existing is not None
            and rec.existing.nk_s_session
        ):
            speech = (rec.existing.nk_s_session, rec.existing.nk_s_position, rec.existing.nk_s_sequence)
        if speech is not None and question is not None and speech[:2] != question:
            self.error(
                rec,
                _("the speech %(speech)s does not belong to the agenda item %(item)s of this commitment.")
                % {"speech": _key_text(speech), "item": _key_text(question)},
                field_name="source_speech",
            )

    def _check_commitmentlink(self, rec: _Record) -> None:
        if rec.refs.get("source") is not None and rec.refs.get("source") == rec.refs.get("target"):
            self.error(rec, _("a commitment cannot refer to itself."), field_name="target")

    def _check_commitmentevent(self, rec: _Record) -> None:
        if rec.existing is None:
            return
        # The history is append-only: the same uid must carry the same content.
        different = [name for name, (old, new) in self._diff(rec).items()]
        if different:
            self.error(
                rec,
                _(
                    "this event is already in the history with different content (fields: %(fields)s); the history "
                    "is never changed. Give a new uid."
                )
                % {"fields": ", ".join(different)},
                field_name="uid",
            )

    # -- differences with the database -------------------------------------------------------------

    def _target_pk(self, model, key: tuple | None):
        if key is None:
            return None
        return self.pks[model].get(key, _NEW)

    def _diff(self, rec: _Record) -> dict:
        existing, changes = rec.existing, {}
        skip = NOT_COMPARED.get(rec.model, set())
        for name, value in rec.values.items():
            if name in skip:
                continue
            old = getattr(existing, name)
            if old != value:
                changes[name] = (old, value)
        for name, key in rec.refs.items():
            f = rec.model._meta.get_field(name)
            old = getattr(existing, f.attname)
            new = self._target_pk(f.related_model, key)
            if old != new:
                changes[name] = (old, key)
        for name, keys in rec.m2m.items():
            f = rec.model._meta.get_field(name)
            old = self.m2m_existing[name].get(existing.pk, set())
            new = {self._target_pk(f.related_model, k) for k in keys}
            if old != new:
                changes[name] = (old, keys)
        return changes

    def decide(self) -> None:
        """For each object: create, update, leave alone, or keep because a clerk worked on it."""
        self.m2m_existing: dict[str, dict[int, set]] = {}
        for model in MODELS:
            for f in model._meta.many_to_many:
                ids = [
                    r.existing.pk for r in self.in_files[model].values() if r.existing is not None and f.name in r.m2m
                ]
                self.m2m_existing[f.name] = _m2m_values(f, ids)
        locks = hand_edited_commitments(
            [r.existing.pk for r in self.in_files[Commitment].values() if r.existing is not None]
        )
        for rec in self.in_files[Commitment].values():
            self._standard_deadline(rec)
        for model in MODELS:
            counts = self.report.counts.setdefault(model._meta.label_lower, ModelCounts())
            for rec in self.in_files[model].values():
                if rec.existing is None:
                    rec.state = "created"
                    counts.created += 1
                    continue
                if model is CommitmentEvent:
                    rec.state = "unchanged"  # a differing one is an error, found in check()
                    counts.unchanged += 1
                    continue
                rec.changes = self._diff(rec)
                if not rec.changes:
                    rec.state = "unchanged"
                    counts.unchanged += 1
                elif model is Commitment and rec.existing.pk in locks and not self.overwrite:
                    rec.state = "locked"
                    counts.locked += 1
                    names = ", ".join(_verbose(model, n) for n in rec.changes)
                    self.report.kept.append(
                        _("%(key)s: not overwritten (%(fields)s): %(lock)s. Use --overwrite to overwrite anyway.")
                        % {"key": rec.key[0], "fields": names, "lock": locks[rec.existing.pk]}
                    )
                else:
                    rec.state = "updated"
                    counts.updated += 1

    def _standard_deadline(self, rec: _Record) -> None:
        """A commitment this import makes pending (new, or its status changed) gets the standard deadline
        when it has none, as registration in the workflow gives it (rules.needs_standard_deadline)."""
        status = self.merged(rec, "status")
        if rec.existing is not None and rec.existing.status == status:
            return
        if not rules.needs_standard_deadline(
            status=status, due_date=self.merged(rec, "due_date"), due_text=self.merged(rec, "due_text")
        ):
            return
        question = self._commitment_question_key(rec)
        session_date = self.session_date(question[0]) if question else None
        rec.values["due_date"] = rules.standard_deadline(session_date=session_date, on=self.today)
        rec.values["due_is_default"] = True

    # -- writing -----------------------------------------------------------------------------------

    def write(self) -> None:
        now = timezone.now()
        note = self._note()
        creation_events = {
            r.refs.get("commitment")
            for r in self.in_files[CommitmentEvent].values()
            if r.values.get("kind", r.existing and r.existing.kind) == EventKind.CREATED
        }
        auto_events: list[dict] = []
        for model in MODELS:
            recs = list(self.in_files[model].values())
            new = [r for r in recs if r.state == "created"]
            pks = _Rows(model).insert([self._row(rec, now) for rec in new], keys=[rec.key for rec in new])
            for rec, pk in zip(new, pks, strict=True):
                rec.pk = self.pks[model][rec.key] = pk
            updated = [r for r in recs if r.state == "updated"]
            for rec in updated:
                rec.pk = rec.existing.pk
            self._update(model, updated, now)
            self._write_m2m(model, [r for r in recs if r.state in ("created", "updated")])
            if model is Commitment:
                for rec in new:
                    if rec.key not in creation_events:
                        auto_events.append(
                            history.created(
                                rec.pk,
                                status=self.merged(rec, "status"),
                                note=note,
                                at=rec.values.get("created") or now,
                            )
                        )
                for rec in updated:
                    auto_events.extend(self._update_events(rec, note, now))
        _Rows(CommitmentEvent).insert(auto_events, returning=False)
        self.report.events_written = len(auto_events)

    def _note(self) -> str:
        # Stored in the history, which the public reads in the register's language: not translated per clerk.
        files = ", ".join(Path(p).name for p in self.paths)
        who = f" door {self.by.get_username()}" if self.by is not None else ""
        return f"Ingelezen uit {files}{who}."

    def _row(self, rec: _Record, now) -> dict:
        """The new row's values by field name: from the file, else the model's default, as Model() would."""
        values = dict(rec.values)
        for name, key in rec.refs.items():
            values[name] = None if key is None else self.pks[rec.model._meta.get_field(name).related_model][key]
        if rec.model is Commitment:
            # Imported, unless the file says where it came from (a backup keeps "manual" or "extracted").
            values.setdefault("origin", Origin.IMPORTED)
            # A fixture's own timestamps win over "now" (auto_now would overwrite them on save()).
            values.setdefault("created", now)
            values.setdefault("updated", values["created"])
        return values

    def _update(self, model, recs: list[_Record], now) -> None:
        """Write the changed fields, one parameterised UPDATE per set of changed fields."""
        groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
        for rec in recs:
            values = {}
            for name in rec.changes:
                f = model._meta.get_field(name)
                if f.many_to_many:
                    continue
                if f.is_relation:
                    key = rec.refs[name]
                    values[name] = None if key is None else self.pks[f.related_model][key]
                else:
                    values[name] = rec.values[name]
            if model is Commitment:
                values["updated"] = now
            if values:
                groups[tuple(values)].append({**values, "pk": rec.pk})
        for names, rows in groups.items():
            _Rows(model).update(names, rows)

    def _write_m2m(self, model, recs: list[_Record]) -> None:
        for f in model._meta.many_to_many:
            given = [r for r in recs if f.name in r.m2m and (r.state == "created" or f.name in r.changes)]
            if not given:
                continue
            through = f.remote_field.through
            source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
            replaced = [r.pk for r in given if r.state == "updated"]
            for chunk in _chunks(replaced, LOOKUP_CHUNK):
                through.objects.filter(**{f"{source}_id__in": chunk}).delete()
            rows = [{source: r.pk, target: self.pks[f.related_model][key]} for r in given for key in r.m2m[f.name]]
            _Rows(through).insert(rows, returning=False)

    def _update_events(self, rec: _Record, note: str, now) -> list[dict]:
        """The same transition and edit events as the workflow and the admin write (history.py); system
        events (no actor, the user in the note), and no e-mail to followers (see history.py for why)."""
        events = []
        changes = dict(rec.changes)
        if "status" in changes:
            old, new = changes.pop("status")
            events.append(history.transition(rec.pk, from_status=old, to_status=new, note=note, at=now))
        shown = {name: (_for_history(old), _for_history(new)) for name, (old, new) in changes.items()}
        edit = history.edited(rec.pk, changes=shown, note=note, at=now)
        if edit is not None:
            events.append(edit)
        return events

    # -- errors ------------------------------------------------------------------------------------

    def refuse(self) -> None:
        """Raise with every error, each with the line its object starts on."""
        lines: dict[str, list[int]] = {}
        placed = []
        order = {path: i for i, path in enumerate(self.paths)}
        for e in sorted(self.errors, key=lambda e: (order.get(e.file, -1), e.index or 0)):
            if e.index is not None and e.line is None and e.file in self.texts:
                if e.file not in lines:
                    lines[e.file] = object_lines(self.texts[e.file])
                file_lines = lines[e.file]
                if 0 < e.index <= len(file_lines):
                    e = FixtureError(e.file, e.message, e.index, file_lines[e.index - 1], e.model, e.key, e.field)
            placed.append(e)
        raise FixtureRefused(placed)


class _Rows:
    """Plain parameterised INSERT/UPDATE statements for one model, in batches.

    bulk_create compiles every value through several layers of expressions (70 µs a row); the
    importer has validated every value already, so it sends them as parameters, converted by the
    field's own get_db_prep_save where the type needs it (dates, times, UUIDs). The statements are
    the ones bulk_create and save() send: INSERT ... VALUES (...), (...) RETURNING id.
    """

    # Values of these fields reach the database as they are (str, int, bool, float, a pk or None).
    PLAIN = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.FloatField)

    def __init__(self, model):
        self.model = model
        self.connection = connections[router.db_for_write(model)]
        opts = model._meta
        self.fields = [f for f in opts.concrete_fields if not f.primary_key]
        self.pk = opts.pk
        self.table = self.connection.ops.quote_name(opts.db_table)
        self.prep = {f.name: None if self._plain(f) else f for f in self.fields}

    def _plain(self, f) -> bool:
        if f.is_relation:
            return self._plain(f.target_field)
        return isinstance(f, self.PLAIN) and not isinstance(f, models.DecimalField)

    def _value(self, name: str, value):
        f = self.prep[name]
        return value if f is None or value is None else f.get_db_prep_save(value, self.connection)

    def insert(self, rows: list[dict], *, keys: list[tuple] | None = None, returning: bool = True) -> list:
        """Insert rows (values by field name; missing ones get the default); the new pks, in order."""
        if not rows:
            return []
        fields = self.fields
        defaults = [(f.name, f.get_default) for f in fields]
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        size = max(1, min(BATCH_SIZE, 30_000 // len(fields)))  # well under SQLite's and psycopg's parameter limits
        can_return = returning and self.connection.features.can_return_rows_from_bulk_insert
        pks: list = []
        with self.connection.cursor() as cursor:
            for chunk in _chunks(rows, size):
                params = []
                for row in chunk:
                    for name, default in defaults:
                        params.append(self._value(name, row[name]) if name in row else self._value(name, default()))
                placeholders = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(chunk))
                # Only the model's own (quoted) table and column names are interpolated; values are parameters.
                sql = f"INSERT INTO {self.table} ({columns}) VALUES {placeholders}"  # noqa: S608
                if can_return:
                    cursor.execute(f"{sql} RETURNING {quote(self.pk.column)}", params)
                    pks.extend(r[0] for r in cursor.fetchall())
                else:
                    cursor.execute(sql, params)
        if returning and not can_return:
            # Databases that cannot return ids from a multi-row insert: look them up by natural key.
            found = _fetch(self.model, set(keys or []))
            pks = [found[key].pk for key in keys or []]
        return pks

    def update(self, names: tuple[str, ...], rows: list[dict]) -> None:
        """Set these fields on each row (values by field name, and its "pk")."""
        quote = self.connection.ops.quote_name
        opts = self.model._meta
        assignments = ", ".join(f"{quote(opts.get_field(n).column)} = %s" for n in names)
        # Only the model's own (quoted) table and column names are interpolated; values are parameters.
        sql = f"UPDATE {self.table} SET {assignments} WHERE {quote(self.pk.column)} = %s"  # noqa: S608
        params = [[*(self._value(n, row[n]) for n in names), row["pk"]] for row in rows]
        with self.connection.cursor() as cursor:
            for chunk in _chunks(params, BATCH_SIZE * 10):
                cursor.executemany(sql, chunk)


_VALUE, _FK, _M2M = "value", "fk", "m2m"


@functools.cache
def _field_specs(model) -> dict[str, tuple[models.Field, str, object]]:
    """The fields a fixture may give for a model: name -> (field, kind, quick cleaner)."""
    specs = {}
    for f in model._meta.get_fields():
        # Reverse relations ("speeches" on a question) are written from the other side, never here.
        if not isinstance(f, models.Field) or f.primary_key or f.auto_created:
            continue
        if f.many_to_many:
            specs[f.name] = (f, _M2M, None)
        elif f.is_relation:
            specs[f.name] = (f, _FK, None)
        else:
            specs[f.name] = (f, _VALUE, _fast_cleaner(f))
    return specs


_NEW = object()  # the pk of a row this import has yet to create: never equal to an existing one
_SLOW = object()  # a value the fast path does not decide on: Field.clean judges it (and words the error)
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_PLAIN_VALIDATORS = (MaxLengthValidator, ProhibitNullCharactersValidator)


@functools.cache
def _fast_cleaner(f: models.Field):
    """A quick check for the common, valid case, giving the same value as Field.clean (which costs 15 µs).

    Dates and times go through the same `fromisoformat` that Django's parsers try first. Anything the
    quick check does not accept outright falls back to Field.clean.
    """
    choices = {value for value, _label in f.flatchoices} if f.choices else None
    if choices is not None:
        return lambda raw: raw if type(raw) is str and raw in choices else _SLOW
    if isinstance(f, (models.CharField, models.TextField)):
        return _fast_text(f)
    if isinstance(f, models.BooleanField):
        return lambda raw: raw if type(raw) is bool else _SLOW
    if isinstance(f, models.IntegerField):
        return _fast_integer(f)
    if isinstance(f, models.DateTimeField):  # before DateField, its parent class
        return _fast_moment
    if isinstance(f, models.DateField):
        return _fast_day
    if isinstance(f, models.UUIDField):
        return _fast_uid
    return lambda raw: _SLOW


def _fast_text(f: models.Field):
    slug = isinstance(f, models.SlugField)
    if not all(isinstance(v, _PLAIN_VALIDATORS) for v in f.validators) and not slug:
        return lambda raw: _SLOW
    limit = f.max_length or 2**62

    def text(raw):
        if type(raw) is not str or len(raw) > limit or "\x00" in raw or (slug and not _SLUG.fullmatch(raw)):
            return _SLOW
        return raw

    return text


def _fast_integer(f: models.Field):
    # The backend's range validators (and a positive field's minimum) bound the quick check.
    low, high = -(2**63), 2**63 - 1
    for v in f.validators:
        if callable(getattr(v, "limit_value", None)):
            return lambda raw: _SLOW
        if isinstance(v, MinValueValidator):
            low = max(low, v.limit_value)
        elif isinstance(v, MaxValueValidator):
            high = min(high, v.limit_value)
        else:
            return lambda raw: _SLOW
    if isinstance(f, (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)):
        low = max(low, 0)
    return lambda raw: raw if type(raw) is int and low <= raw <= high else _SLOW


def _fast_moment(raw):
    try:
        value = datetime.datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return _SLOW
    return timezone.make_aware(value) if value.tzinfo is None else value


def _fast_day(raw):
    if type(raw) is not str or len(raw) != 10:
        return _SLOW
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return _SLOW


def _fast_uid(raw):
    try:
        return uuid.UUID(raw) if type(raw) is str and len(raw) == 36 else _SLOW
    except ValueError:
        return _SLOW


def _is_auto(f: models.Field) -> bool:
    return bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))


def _verbose(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _for_history(value):
    """Natural keys in a list of them (a many-to-many field) as the file writes them, for the history."""
    if isinstance(value, (list, set)):
        return [_key_text(v) if isinstance(v, tuple) else v for v in value]
    return value


def _example_key(model) -> str:
    examples = {
        Committee: '["economie"]',
        Person: '["hilde-crevits"]',
        Session: '["vergadering-maatwerkbedrijven"]',
        Question: '["vergadering-maatwerkbedrijven", 1]',
        Speech: '["vergadering-maatwerkbedrijven", 1, 13]',
        Commitment: '["TZ-2026-0001"]',
    }
    return examples.get(model, '["gebruikersnaam"]')


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _fetch(model, keys: set[tuple]) -> dict[tuple, models.Model]:
    """The existing rows with these natural keys, by key. Compound keys are looked up by their first part."""
    if not keys:
        return {}
    firsts = sorted({k[0] for k in keys})
    found: dict[tuple, models.Model] = {}
    for chunk in _chunks(firsts, LOOKUP_CHUNK):
        if model in (Committee, Person, Session):
            rows, key = model.objects.filter(slug__in=chunk), lambda o: (o.slug,)
        elif model is Question:
            rows = Question.objects.filter(session__slug__in=chunk).annotate(nk_session=F("session__slug"))
            key = lambda o: (o.nk_session, o.position)  # noqa: E731
        elif model is Speech:
            rows = Speech.objects.filter(question__session__slug__in=chunk).annotate(
                nk_session=F("question__session__slug"), nk_position=F("question__position")
            )
            key = lambda o: (o.nk_session, o.nk_position, o.sequence)  # noqa: E731
        elif model is Commitment:
            rows = Commitment.objects.filter(reference__in=chunk).annotate(
                nk_q_session=F("question__session__slug"),
                nk_q_position=F("question__position"),
                nk_s_session=F("source_speech__question__session__slug"),
                nk_s_position=F("source_speech__question__position"),
                nk_s_sequence=F("source_speech__sequence"),
            )
            key = lambda o: (o.reference,)  # noqa: E731
        elif model is CommitmentEvent:
            uids = []
            for value in chunk:
                try:
                    uids.append(uuid.UUID(value))
                except ValueError:
                    continue
            rows, key = CommitmentEvent.objects.filter(uid__in=uids), lambda o: (str(o.uid),)
        elif model is CommitmentLink:
            rows = CommitmentLink.objects.filter(source__reference__in=chunk).annotate(
                nk_source=F("source__reference"), nk_target=F("target__reference")
            )
            key = lambda o: (o.nk_source, o.kind, o.nk_target)  # noqa: E731
        else:  # the user model, by its natural key
            field_name = model.USERNAME_FIELD
            rows, key = model.objects.filter(**{f"{field_name}__in": chunk}), _user_key
        for obj in rows.order_by():
            k = key(obj)
            if k in keys:
                found[k] = obj
    return found


def _m2m_values(f, ids: list[int]) -> dict[int, set]:
    through = f.remote_field.through
    source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
    values: dict[int, set] = defaultdict(set)
    for chunk in _chunks(ids, LOOKUP_CHUNK):
        for a, b in through.objects.filter(**{f"{source}_id__in": chunk}).values_list(f"{source}_id", f"{target}_id"):
            values[a].add(b)
    return values


def hand_edited_commitments(ids: Sequence[int]) -> dict[int, str]:
    """Commitments a clerk has worked on by hand, with a description of the last such change.

    "By hand" means: the history holds an edit, status change or deadline change made by a user
    (actor set). Creating a commitment does not count, and neither do the system's own events
    (actor empty) — imports write theirs that way — so importing a file never locks its own rows.
    """
    locks: dict[int, str] = {}
    labels = dict(EventKind.choices)
    for chunk in _chunks(list(ids), LOOKUP_CHUNK):
        rows = (
            CommitmentEvent.objects.filter(commitment_id__in=chunk, actor__isnull=False, kind__in=LOCKING_EVENT_KINDS)
            .order_by("at", "pk")
            .values_list("commitment_id", "kind", "actor__" + get_user_model().USERNAME_FIELD, "at")
        )
        for commitment_id, kind, username, at in rows:
            when = timezone.localtime(at).strftime("%d-%m-%Y %H:%M")
            locks[commitment_id] = _("edited by hand (%(event)s by %(user)s on %(when)s)") % {
                "event": labels.get(kind, kind),
                "user": username,
                "when": when,
            }
    return locks


def fixture_import(
    *, paths: Sequence[str | Path], dry_run: bool = False, overwrite: bool = False, by=None
) -> FixtureReport:
    """Import JSON fixtures with natural keys: all valid and written in one transaction, or nothing.

    Raises FixtureRefused with every problem found (file, line, object, model, field, reason) when any
    object is invalid. A dry run validates and writes exactly as a real run would, then rolls back.
    """
    if not paths:
        raise FixtureRefused([FixtureError("", _("give at least one file."))])
    importer = _Importer(paths=paths, dry_run=dry_run, overwrite=overwrite, by=by)
    importer.load()
    # A file that cannot be read hides its objects: checking the rest would only add false alarms.
    if any(e.index is None for e in importer.errors):
        importer.refuse()
    importer.clean()
    importer.fetch()
    importer.check()
    if importer.errors:
        importer.refuse()
    importer.decide()
    run_import(importer.write, dry_run=dry_run)
    return importer.report
