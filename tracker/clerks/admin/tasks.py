"""The clerks' view of background work: notification e-mails (on every backend) and the database task queue.

A failed e-mail shows its error; "send again" puts the change's notification back on the queue, which sends
only to those who did not get it. Both need the permission tracker.retry_notification (the Griffie has it).
"""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from tracker.clerks.admin.base import ReadOnlyAdminMixin
from tracker.models import DeliveryStatus, Notification
from tracker.ops import tasks

RETRY_PERMISSION = "tracker.retry_notification"


class RetryPermissionMixin:
    def has_retry_permission(self, request):
        return request.user.has_perm(RETRY_PERMISSION)


@admin.register(Notification)
class NotificationAdmin(RetryPermissionMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["updated", "reference", "recipient", "status", "attempts", "short_error", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["event__commitment"]
    search_fields = ["recipient", "event__commitment__reference"]
    readonly_fields = ["event", "recipient", "status", "attempts", "error", "updated", "sent_at"]
    fields = readonly_fields
    actions = ["send_again"]
    ordering = ["-updated"]

    @admin.display(description=_("commitment"), ordering="event__commitment__reference")
    def reference(self, obj):
        return obj.event.commitment.reference

    @admin.display(description=_("error"))
    def short_error(self, obj):
        return Truncator(obj.error).chars(120)

    @admin.action(description=_("Send the selected failed e-mails again"), permissions=["retry"])
    def send_again(self, request, queryset):
        # "Being sent" for long means a worker died mid-send: it may or may not have gone; the clerk decides.
        stuck = Q(status=DeliveryStatus.SENDING)
        chosen = queryset.filter(Q(status=DeliveryStatus.FAILED) | stuck)
        events = sorted(set(chosen.values_list("event_id", flat=True)))
        count = chosen.update(status=DeliveryStatus.FAILED)
        for event_id in events:
            tasks.enqueue_on_commit(tasks.notify_followers, event_id=event_id)
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail is queued to be sent again.", "%(count)d e-mails are queued to be sent again.", count
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(RetryPermissionMixin, DBTaskResultAdmin):
    """The package's read-only queue (waiting, running, failed, with the traceback), plus "run again"."""

    list_display = ["task", "status", "enqueued_at", "started_at", "finished_at", "not_before", "last_error"]
    actions = ["run_again"]

    @admin.display(description=_("task"))
    def task(self, obj):
        return obj.task_name

    @admin.display(description=_("run after"))
    def not_before(self, obj):
        return self.display_run_after(obj)

    @admin.display(description=_("error"))
    def last_error(self, obj):
        # The traceback's last line holds the reason (MailNotSent names the addresses and the server's answer).
        lines = (obj.traceback or "").strip().splitlines()
        return Truncator(lines[-1]).chars(160) if lines else ""

    @admin.action(description=_("Run the selected failed tasks again"), permissions=["retry"])
    def run_again(self, request, queryset):
        count = 0
        for result in queryset.filter(status="FAILED"):
            work = import_string(result.task_path)
            kwargs = dict(result.args_kwargs.get("kwargs", {}))
            if "attempt" in kwargs:
                kwargs["attempt"] = 1  # a fresh series of attempts with back-off
            args = result.args_kwargs.get("args", [])
            tasks.enqueue_on_commit(work.using(queue_name=result.queue_name), *args, **kwargs)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d task is queued again.", "%(count)d tasks are queued again.", count) % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )
