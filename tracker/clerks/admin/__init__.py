"""The clerks' admin, one module per part of the register. Importing the package registers every screen.

base.py holds what the screens share (the operation view, bulk actions, the spreadsheet and status-permission
mixins); records.py and batch.py are the import pages for fixtures, open data and many transcripts at once."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Commitments register — clerks")
admin.site.site_title = _("Commitments register")
admin.site.index_title = _("Administration")

from tracker.clerks.admin import commitments, history, people, review, sessions, tasks  # noqa: E402, F401
