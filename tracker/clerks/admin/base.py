"""Building blocks shared by the clerks' admin screens (tracker/clerks/admin/)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from import_export.admin import ImportExportMixin

from tracker.exchange import spreadsheets
from tracker.exchange.spreadsheets import SpreadsheetImportForm
from tracker.register import workflow
from tracker.register.workflow import TransitionError


class ReadOnlyAdminMixin:
    """A record written only by the register itself (history, sent e-mails): clerks read it, nobody adds,
    edits or deletes it by hand, or the record would stop telling what happened."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@dataclass
class Done:
    """What an operation that succeeded tells the clerk, and where it sends them next."""

    url: str
    message: str
    level: int = messages.SUCCESS
    more: tuple[tuple[str, int], ...] = ()


def admin_page(model_admin, request, template: str, *, title: str, **context) -> TemplateResponse:
    """One of the register's own admin pages, with the admin's frame (site header, breadcrumbs, model)."""
    frame = {**model_admin.admin_site.each_context(request), "opts": model_admin.opts, "title": title}
    return TemplateResponse(request, template, {**frame, **context})


def bulk_page(model_admin, request, *, title: str, form, queryset, action: str, **context) -> TemplateResponse:
    """The intermediate page of a bulk action: the chosen objects, the form asking the step's inputs."""
    return admin_page(
        model_admin,
        request,
        "admin/tracker/bulk_transition.html",
        title=title,
        form=form,
        queryset=queryset,
        action=action,
        action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
        **context,
    )


def run_operation(model_admin, request, *, form, perform, page, errors=(TransitionError,), error_field=None):
    """The shape every operation view shares (as Wagtail's BaseOperationView): a valid POST performs the
    operation; success gives a message and a redirect, a refusal becomes a form error on the same page.

    `perform(cleaned_data)` returns a Done, or None to show the page again (a preview); `page()` renders it.
    The caller checks permissions and fetches the object first, so a refusal never half-happens."""
    if request.method == "POST" and form.is_valid():
        try:
            done = perform(form.cleaned_data)
        except errors as exc:
            form.add_error(error_field, str(exc))
        else:
            if done is not None:
                for text, level in ((done.message, done.level), *done.more):
                    model_admin.message_user(request, text, level)
                return HttpResponseRedirect(done.url)
    return page()


def apply_to_all(model_admin, request, objects, operation, *, success) -> bool:
    """A bulk action (as Wagtail's BulkAction): `operation` on every object, all or none.

    One refusal rolls the whole batch back with one message naming the reason; otherwise one summary,
    `success(count)`. Returns whether anything changed."""
    count = 0
    try:
        with transaction.atomic():
            for obj in objects:
                operation(obj)
                count += 1
    except TransitionError as exc:
        model_admin.message_user(request, gettext("Nothing was changed: %s") % exc, messages.ERROR)
        return False
    model_admin.message_user(request, success(count), messages.SUCCESS)
    return True


# Refused rows shown one message each after a confirmation; the preview shows them all.
MAX_PROBLEMS_SHOWN = 20


class SpreadsheetMixin(ImportExportMixin):
    """Spreadsheet import and export within limits, and no uploaded sheet left behind on disk."""

    import_form_class = SpreadsheetImportForm
    formats = spreadsheets.FORMATS
    tmp_storage_class = spreadsheets.PreviewStorage

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        spreadsheets.previews_expire()
        response = None
        try:
            response = super().import_action(request, **kwargs)
        finally:
            # A preview that cannot be confirmed (unreadable, too large, rows in error) keeps nothing;
            # one that can waits for its confirmation, or for previews_expire.
            # The upload object is the one in request.FILES: import-export notes the stored name on it.
            context = getattr(response, "context_data", None) or {}
            if not context.get("confirm_form"):
                upload = request.FILES.get("import_file")
                spreadsheets.preview_remove(name=getattr(upload, "tmp_storage_name", ""))
        return response

    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        name = request.POST.get("import_file_name", "") if request.method == "POST" else ""
        try:
            return super().process_import(request, **kwargs)
        except FileNotFoundError:
            refusal = gettext("The preview has expired or was already imported; read the file in again.")
        except spreadsheets.SpreadsheetRefused as exc:
            refusal = str(exc)
        finally:
            spreadsheets.preview_remove(name=name)
        # Back to the upload form: nothing was imported, the clerk reads the file in again.
        self.message_user(request, refusal, messages.ERROR)
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))

    def add_success_message(self, result, request):
        """The confirmation's outcome in the words of every import: counts, or the problems and nothing saved.

        A row can turn invalid only at confirmation (the register changed since the preview); the import is
        then rolled back whole, and the clerk reads why instead of import-export's counts of rows not kept."""
        counts, problems = spreadsheets.result_report(result, file=request.POST.get("original_file_name", ""))
        if not problems:
            self.message_user(request, gettext("Import finished: %(counts)s.") % {"counts": counts}, messages.SUCCESS)
            return
        self.message_user(
            request,
            gettext("Nothing was imported: %(count)s problem(s) found.") % {"count": len(problems)},
            messages.ERROR,
        )
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            self.message_user(request, str(problem), messages.ERROR)

    def get_import_data_kwargs(self, **kwargs):
        # All or nothing also when a row turns invalid only at confirmation (the register changed since
        # the preview): import-export would otherwise keep the other rows.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, spreadsheets.SpreadsheetRefused):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file", gettext("The file could not be read as the chosen format (%s).") % type(e).__name__
            )


class StatusPermissionMixin:
    """The admin action permission "change_status": the workflow's own permission check."""

    def has_change_status_permission(self, request):
        return workflow.can_change_status(request.user)
