"""Django's admin looks for `tracker.admin`; the clerks' admin lives in tracker.clerks.admin."""

from tracker.clerks import admin  # noqa: F401
