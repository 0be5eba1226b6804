"""One preview → confirm path in the admin for the record importers: fixtures and open data.

The clerk uploads one or more files; the page shows what a dry run of the import found (counts per kind,
every problem with its place, deviations, warnings) and a Confirm button that runs the real import of the
same bytes. Only the public services are called (`fixture_import`, `opendata_import`,
`opendata_import_pages`), so the admin can never differ from the commands.

Between the two requests the bytes wait on the server, not in the browser: a browser cannot fill a file
field again, so a re-upload would make the clerk pick the files twice and could confirm other files than
the ones previewed. Each file is kept once, named by its SHA-256, in a private temporary directory; the
Confirm form carries only a signed token (the names, their SHA-256, the options and the clerk's id),
valid for an hour. Confirm re-reads the files and refuses the import unless every one still has its
SHA-256, so a file changed, removed or expired in between is refused with a message, never half-used.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.clerks.admin.base import admin_page
from tracker.exchange.base import Counts, Refused
from tracker.exchange.fixtures_import import LABELS, MODELS, fixture_import
from tracker.exchange.opendata import opendata_import, opendata_import_pages
from tracker.models import Commitment

HELD_DIR_NAME = "toezeggingen-imports"
HELD_MAX_AGE_SECONDS = 3600
MAX_FILES = 50  # a feed is imported page by page; more pages than this are for the command line
SIGNING_NAMESPACE = "tracker.clerks.admin_records"


# Who may import what. A fixture can add and change every kind of record the register holds, the history
# included, and set statuses: it takes add and change on each of them and the status permission. Clerks may
# only read the history (it is append-only), so in practice fixtures are for superusers, like loaddata.
# Open data adds and changes commitments and sets their statuses (as the workflow would, so the status
# permission, as for a transition); the persons and the one container sitting it may create on the way
# are records the clerks' group may add as well.
FIXTURE_PERMISSIONS = (
    *(f"tracker.{action}_{model._meta.model_name}" for model in MODELS for action in ("add", "change")),
    "tracker.change_commitment_status",
)
OPENDATA_PERMISSIONS = ("tracker.add_commitment", "tracker.change_commitment", "tracker.change_commitment_status")


@dataclass(frozen=True)
class Kind:
    """One importer as the admin offers it: who may run it, how large a file may be, and how to run it."""

    slug: str
    title: str
    accept: str
    limit: str  # the key in settings.TRACKER_MAX_BYTES
    permissions: tuple[str, ...]
    help_text: str


KINDS = {
    "fixtures": Kind(
        slug="fixtures",
        title=_("Import fixtures (JSON)"),
        accept=".json",
        limit="fixture",
        permissions=FIXTURE_PERMISSIONS,
        help_text=_("JSON fixtures with natural keys, as dumpdata or the backup writes them."),
    ),
    "opendata": Kind(
        slug="opendata",
        title=_("Import open data (XML)"),
        accept=".xml",
        limit="opendata",
        permissions=OPENDATA_PERMISSIONS,
        help_text=_("A Tweede Kamer record file, our own export, or SyncFeed pages (imported in name order)."),
    ),
}


def may_import(user, kind: Kind) -> bool:
    return user.is_active and user.is_staff and user.has_perms(kind.permissions)


def import_links(user) -> list[tuple[str, str]]:
    """The import pages this clerk may use, as (url, title), for the buttons on the commitment list."""
    return [
        (reverse(f"admin:tracker_commitment_import_{kind.slug}"), kind.title)
        for kind in KINDS.values()
        if may_import(user, kind)
    ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe): the list of uploads, each cleaned as one."""

    def clean(self, data, initial=None):
        files = list(data) if isinstance(data, (list, tuple)) else [data]
        return (
            [super(MultipleFileField, self).clean(f, initial) for f in files] if any(files) else [super().clean(None)]
        )


class RecordsUploadForm(forms.Form):
    files = MultipleFileField(label=_("Files"))
    overwrite = forms.BooleanField(
        label=_("Also overwrite commitments that clerks have edited by hand"), required=False
    )
    strict = forms.BooleanField(label=_("All records of all files or nothing, also for SyncFeed pages"), required=False)

    def __init__(self, *args, kind: Kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["files"].widget = MultipleFileInput(attrs={"accept": kind.accept})
        self.fields["files"].help_text = kind.help_text
        if kind.slug != "opendata":
            del self.fields["strict"]

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        cap = settings.TRACKER_MAX_BYTES[self.kind.limit]
        if len(uploads) > MAX_FILES:
            raise forms.ValidationError(_("At most %(max)s files at once.") % {"max": MAX_FILES})
        names = [u.name for u in uploads]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Two files have the same name; give each file its own name."))
        for upload in uploads:
            if upload.size > cap:
                raise forms.ValidationError(
                    _("%(name)s is too large (%(size)s bytes; at most %(max)s).")
                    % {"name": upload.name, "size": f"{upload.size:,}", "max": f"{cap:,}"}
                )
        return uploads


# --------------------------------------------------------------------------------------------------
# The held bytes


class UploadGone(Exception):
    """The files of a preview are no longer there as they were previewed."""


def held_dir() -> str:
    path = os.path.join(tempfile.gettempdir(), HELD_DIR_NAME)
    os.makedirs(path, mode=0o700, exist_ok=True)
    return path


def _held_path(digest: str, name: str) -> str:
    # The digest comes from a signed token or from hashing; checked anyway, as it becomes a directory name.
    if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
        raise UploadGone
    return os.path.join(held_dir(), digest, get_valid_filename(os.path.basename(name)) or "upload")


def hold(uploads) -> list[tuple[str, str]]:
    """Keep the uploaded files for the confirmation; their (name, sha256), in the order given."""
    held_expire()
    held = []
    for upload in uploads:
        data = b"".join(upload.chunks())
        digest = hashlib.sha256(data).hexdigest()
        path = _held_path(digest, upload.name)
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        # The same file previewed again later starts a new hour: expiry goes by the directory's time.
        os.utime(os.path.dirname(path))
        held.append((upload.name, digest))
    return held


def held_files(held: list[tuple[str, str]], *, cap: int) -> dict[str, tuple[str, bytes]]:
    """Per name: the held file's path and bytes, each checked against the SHA-256 it had when previewed."""
    files = {}
    for name, digest in held:
        path = _held_path(digest, name)
        try:
            with open(path, "rb") as f:
                data = f.read(cap + 1)
        except OSError:
            raise UploadGone from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise UploadGone
        files[name] = (path, data)
    return files


def release(held: list[tuple[str, str]]) -> None:
    for _name, digest in held:
        with contextlib.suppress(UploadGone):
            shutil.rmtree(os.path.dirname(_held_path(digest, "x")), ignore_errors=True)


def held_expire(*, max_age: float = HELD_MAX_AGE_SECONDS) -> int:
    """Remove what previews nobody confirmed in time left behind; returns how many uploads."""
    limit = time.time() - max_age
    removed = 0
    with os.scandir(held_dir()) as entries:
        for entry in entries:
            with contextlib.suppress(FileNotFoundError):
                if entry.stat().st_mtime < limit:
                    shutil.rmtree(entry.path, ignore_errors=True)
                    removed += 1
    return removed


# --------------------------------------------------------------------------------------------------
# Running an import


def run_kind(kind: Kind, files: dict[str, tuple[str, bytes]], *, dry_run: bool, by, overwrite: bool, strict: bool):
    """The import's report, through its public service; raises Refused (nothing written)."""
    if kind.slug == "fixtures":
        return fixture_import(
            paths=[path for path, _data in files.values()], dry_run=dry_run, by=by, overwrite=overwrite
        )
    if len(files) == 1 and not strict:
        # As the command: one file is a record file or our export (strict), or a feed page (per record).
        ((name, (_path, data)),) = files.items()
        return opendata_import(data=data, filename=name, dry_run=dry_run, by=by, overwrite=overwrite)
    return opendata_import_pages(
        pages=sorted(files, key=_page_order),
        read=lambda name: files[name][1],
        dry_run=dry_run,
        by=by,
        overwrite=overwrite,
        strict=strict,
    )


def _page_order(name: str) -> list:
    """SyncFeed pages by name with numbers in numeric order (page2 before page10), as opendata_pages orders a
    directory: a later page repeats the records that changed, so it must be imported after the earlier ones."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def counts_per_kind(report) -> list[tuple[str, Counts]]:
    """What the report counted, per kind of record, in the base's terms."""
    if isinstance(getattr(report, "counts", None), dict):  # fixtures: per model
        return [(str(LABELS[label]._meta.verbose_name_plural), c) for label, c in report.counts.items()]
    if isinstance(getattr(report, "counts", None), Counts):
        return [(str(Commitment._meta.verbose_name_plural), report.counts)]
    counted = Counts(
        **{name: len(getattr(report, name)) for name in ("created", "updated", "unchanged", "withdrawn", "refused")}
    )
    return [(str(Commitment._meta.verbose_name_plural), counted)]


def problem_rows(problems, *, names: dict[str, str]) -> list[dict]:
    """Each problem as its place (file, line, record, field) and reason; held paths shown as the uploaded name."""
    rows = []
    for p in problems:
        record = getattr(p, "record", "") or " ".join(
            str(part) for part in (getattr(p, "index", None), getattr(p, "number", "")) if part
        )
        rows.append(
            {
                "file": names.get(p.file, p.file) if hasattr(p, "file") else "",
                "line": getattr(p, "line", None),
                "record": record,
                "field": getattr(p, "field", ""),
                "message": getattr(p, "message", str(p)),
            }
        )
    return rows


# --------------------------------------------------------------------------------------------------
# The view


def records_import_view(model_admin, request, kind_slug: str):
    """Upload → preview (a dry run: nothing is written) → Confirm (the real import of the same bytes)."""
    kind = KINDS[kind_slug]
    if not may_import(request.user, kind):
        raise PermissionDenied
    context = {"kind": kind, "form": RecordsUploadForm(kind=kind)}
    if request.method == "POST" and "confirm" in request.POST:
        done = _confirm(model_admin, request, kind, context)
        if done is not None:
            return done
    elif request.method == "POST":
        form = RecordsUploadForm(request.POST, request.FILES, kind=kind)
        context["form"] = form
        if form.is_valid():
            _preview(request, kind, form.cleaned_data, context)
    return admin_page(model_admin, request, "admin/tracker/commitment/records_import.html", title=kind.title, **context)


def _preview(request, kind: Kind, data: dict, context: dict) -> None:
    held = hold(data["files"])
    options = {"overwrite": data["overwrite"], "strict": data.get("strict", False)}
    files = held_files(held, cap=settings.TRACKER_MAX_BYTES[kind.limit])
    names = {path: name for name, (path, _data) in files.items()}
    try:
        report = run_kind(kind, files, dry_run=True, by=request.user, **options)
    except Refused as exc:
        release(held)  # nothing to confirm: the files are not kept
        context["problems"] = problem_rows(exc.problems, names=names)
        return
    token = signing.dumps({"kind": kind.slug, "held": held, "user": request.user.pk, **options}, salt=SIGNING_NAMESPACE)
    context.update(_report_context(report, names=names), token=token, files=[name for name, _digest in held], **options)


def _confirm(model_admin, request, kind: Kind, context: dict):
    try:
        claim = signing.loads(request.POST.get("token", ""), salt=SIGNING_NAMESPACE, max_age=HELD_MAX_AGE_SECONDS)
        if claim["kind"] != kind.slug or claim["user"] != request.user.pk:
            raise signing.BadSignature
        files = held_files([tuple(h) for h in claim["held"]], cap=settings.TRACKER_MAX_BYTES[kind.limit])
    except (signing.BadSignature, UploadGone, KeyError, TypeError, ValueError):
        context["expired"] = gettext(
            "This preview has expired or its files have changed; nothing was imported. Upload the files again."
        )
        return None
    held = [tuple(h) for h in claim["held"]]
    try:
        report = run_kind(
            kind, files, dry_run=False, by=request.user, overwrite=claim["overwrite"], strict=claim["strict"]
        )
    except Refused as exc:
        # The register changed since the preview (another import, a clerk's edit): nothing was written.
        names = {path: name for name, (path, _data) in files.items()}
        context["problems"] = problem_rows(exc.problems, names=names)
        return None
    finally:
        release(held)
    counts = sum((c for _label, c in counts_per_kind(report)), Counts())
    model_admin.message_user(
        request,
        gettext("Imported from %(files)s: %(counts)s.") % {"files": ", ".join(files), "counts": counts},
        messages.SUCCESS,
    )
    # What a clerk must know besides the counts: the file's oddities and the hand edits left as they were.
    for line in [*getattr(report, "warnings", []), *getattr(report, "kept", [])]:
        model_admin.message_user(request, line, messages.WARNING)
    return HttpResponseRedirect(reverse("admin:tracker_commitment_changelist"))


def _report_context(report, *, names: dict[str, str]) -> dict:
    def shown(text: str) -> str:
        # The report names files by the path it read; the clerk knows them by the name they uploaded.
        for path, name in names.items():
            text = text.replace(path, name)
        return text

    return {
        "counts": counts_per_kind(report),
        "lines": [shown(line) for line in report.lines()],
        "warnings": [shown(w) for w in getattr(report, "warnings", [])],
        "changed": report.changed,
    }
