"""The import, stage by stage: read (stream and check the file), clean (validate and read each record),
decide and write — all in one transaction through the importer base (tracker.exchange.base)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import transaction

from tracker.exchange.base import run_import
from tracker.register import rules

from .cleaning import Cleaner, Item
from .reading import Reader, read_opendata_file
from .report import OpendataRefused, OpendataReport
from .writing import Writer


class _Importer(Reader, Cleaner, Writer):
    def __init__(self, *, data: bytes, filename: str, dry_run: bool, overwrite: bool, by, strict: bool | None = None):
        self.data, self.filename = data, filename
        self.dry_run, self.overwrite, self.by = dry_run, overwrite, by
        self.strict, self.feed = strict, False
        self.withdrawals: list[Item] = []
        self.report = OpendataReport(filename=filename, dry_run=dry_run)
        self.items: list[Item] = []
        self.today = rules.today()
        self.stamps: list[tuple[str, str]] = []  # (id, bijgewerkt) of each record on a feed page, from the survey
        self.locked: set[str] = set()
        self._start_problems()


def opendata_import(
    *, data: bytes, filename: str, dry_run: bool = False, by=None, overwrite: bool = False, strict: bool | None = None
) -> OpendataReport:
    """Import `toezegging` elements (Tweede Kamer open data) from a record file, our export or a SyncFeed page.

    Strict (the default for record files and our export): all valid and written in one transaction, or
    nothing; raises OpendataRefused with every problem found (element, line, field, reason). A SyncFeed
    page is not strict unless asked: an invalid record is refused on its own (report.refused, with its id
    and reason) and the rest of the page is imported. Idempotent by `nummer` (the reference): importing
    the same file again reports every commitment unchanged. Commitments a clerk has edited by hand are
    left alone unless `overwrite` (as for fixtures).
    """
    importer = _Importer(data=data, filename=filename, dry_run=dry_run, overwrite=overwrite, by=by, strict=strict)
    elements = importer.parse()
    if importer.errors:
        importer.refuse()
    importer.validate(elements)
    if importer.errors:
        importer.refuse()
    run_import(importer.write, dry_run=dry_run)
    return importer.report


def opendata_import_pages(
    *, pages: Iterable[Path], read=None, dry_run: bool = False, by=None, overwrite: bool = False, strict: bool = False
) -> OpendataReport:
    """Import several files (SyncFeed pages) in order, one report. Strict: every page or nothing. Otherwise
    each page is written on its own; a page refused as a whole (not XML, too large) is reported in
    `refused` and the next pages are still imported, as later pages repeat the records that changed."""
    read = read or read_opendata_file
    pages = list(pages)
    total = OpendataReport(filename=", ".join(str(p) for p in pages), dry_run=dry_run)

    def write_pages():
        for page in pages:
            try:
                with transaction.atomic():
                    report = opendata_import(
                        data=read(str(page)), filename=str(page), by=by, overwrite=overwrite, strict=strict or None
                    )
            except OpendataRefused as exc:
                if strict:
                    raise
                total.refused.extend(str(e) for e in exc.errors)
                continue
            total.merge(report)
        return total

    return run_import(write_pages, dry_run=dry_run)
