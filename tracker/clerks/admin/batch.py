"""Clerk screens for batch transcript import: the upload page, the list of batches and a progress page.

Starting a batch needs the same permission as importing one transcript (adding sittings); the list
and progress pages need the view permission on batches (the Griffie group has it).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tracker.clerks.admin.base import Done, admin_page, run_operation
from tracker.exchange import batch_import
from tracker.exchange.batch_import import BatchRefused, Upload
from tracker.models import Committee, ImportBatch, ImportBatchFile

# Seconds between refreshes of an unfinished progress page (a meta refresh: the CSP allows no inline script).
REFRESH_SECONDS = 3


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that takes several files (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".txt,.htm,.html,.xml,.pdf,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)]


class BatchUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Transcript files (.txt, .html, .xml, .pdf) or a ZIP"),
        help_text=_(
            "Choose several files at once (up to 100), or one ZIP file with the transcripts for a larger set. "
            "Each file is imported on its own: a file that cannot be read does not stop the others."
        ),
    )
    committee = forms.ModelChoiceField(
        label=_("Committee"),
        queryset=Committee.objects.all(),
        required=False,
        help_text=_("Only when every file belongs to this committee; otherwise each transcript names its own."),
    )


def _is_zip(upload) -> bool:
    if upload.name.lower().endswith(".zip"):
        return True
    head = upload.read(4)
    upload.seek(0)
    return head == b"PK\x03\x04"


def uploads_from_request(files) -> list[Upload]:
    """The transcripts in the uploaded files: ZIPs are opened (safely), too-large or odd files are
    kept as failed entries so the batch reports them."""
    uploads: list[Upload] = []
    for upload in files:
        if _is_zip(upload):
            if upload.size > batch_import.MAX_BATCH_BYTES:
                raise BatchRefused(gettext("%(name)s is too large for one batch.") % {"name": upload.name})
            uploads.extend(batch_import.read_zip(upload, name=upload.name))
        elif upload.size > batch_import.max_file_bytes(upload.name):
            uploads.append(
                Upload(
                    name=upload.name,
                    data=None,
                    error=gettext("%(name)s is too large (%(size)d bytes; at most %(max)d).")
                    % {"name": upload.name, "size": upload.size, "max": batch_import.max_file_bytes(upload.name)},
                )
            )
        else:
            uploads.append(Upload(name=upload.name, data=upload.read()))
    return uploads


def batch_upload_view(model_admin, request):
    """Upload many transcripts (or a ZIP); they are imported by the workers, one task per file."""
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    form = BatchUploadForm(request.POST or None, request.FILES or None)

    def perform(data):
        files = data["files"]
        batch = batch_import.transcript_batch_start(
            files=uploads_from_request(files),
            committee=data["committee"],
            by=request.user,
            name=files[0].name if len(files) == 1 else "",
        )
        return Done(
            reverse("admin:tracker_importbatch_change", args=[batch.pk]),
            gettext("The files are being imported; this page shows how far the import has got."),
        )

    return run_operation(
        model_admin,
        request,
        form=form,
        perform=perform,
        errors=(BatchRefused,),
        error_field="files",
        page=lambda: admin_page(
            model_admin,
            request,
            "admin/tracker/session/batch_import.html",
            title=gettext("Import several transcripts"),
            form=form,
        ),
    )


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created", "started_by", "committee", "progress", "failed", "proposals"]
    list_select_related = ["started_by", "committee"]
    list_filter = ["committee"]
    date_hierarchy = "created"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(**batch_import.batch_annotations())

    def has_add_permission(self, request):
        return False  # batches start from the upload page, which checks the import permission

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("files done / total"))
    def progress(self, obj):
        return f"{obj.finished_files} / {obj.total_files}"

    @admin.display(description=_("failed"), ordering="failed_files")
    def failed(self, obj):
        return obj.failed_files

    @admin.display(description=_("proposals"), ordering="proposal_count")
    def proposals(self, obj):
        return obj.proposal_count

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The progress page: figures, the failed files with their reasons, and every file's outcome."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        files = ImportBatchFile.objects.defer("data").order_by("position")
        batch = get_object_or_404(
            ImportBatch.objects.select_related("started_by", "committee").prefetch_related(
                Prefetch("files", queryset=files)
            ),
            pk=object_id,
        )
        figures = batch_import.batch_progress(batch)
        rows = list(batch.files.all())
        return admin_page(
            self,
            request,
            "admin/tracker/importbatch/progress.html",
            title=gettext("Batch import: %(name)s") % {"name": batch},
            batch=batch,
            figures=figures,
            files=rows,
            failed=[f for f in rows if f.state == ImportBatchFile.State.FAILED],
            refresh=None if figures["complete"] else REFRESH_SECONDS,
        )
