"""Building blocks shared by the admin modules (admin.py, admin_tasks.py, admin_batch.py)."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.admin import helpers
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext

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
