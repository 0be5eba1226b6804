"""Django's admin looks for `tracker.admin`: the clerks' admin lives in tracker.clerks.admin, the letters'
screens (issue #15) with the letters in tracker.letters.admin."""

from tracker.clerks import admin  # noqa: F401
from tracker.letters import admin as letters_admin  # noqa: F401
