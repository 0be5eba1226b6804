"""Building blocks shared by the admin modules (admin.py, admin_tasks.py, admin_batch.py)."""


class ReadOnlyAdminMixin:
    """A record written only by the register itself (history, sent e-mails): clerks read it, nobody adds,
    edits or deletes it by hand, or the record would stop telling what happened."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
