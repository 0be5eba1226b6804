"""`tracker.workflow.transition` and `TransitionError` are named by earlier issues and used from outside the
app; the workflow itself lives in tracker.register.workflow. This module only re-exports its public names."""

from tracker.register.workflow import (  # noqa: F401
    STATUS_PERMISSION,
    TRANSITIONS,
    Step,
    TransitionError,
    allowed_steps,
    can_change_status,
    commitment_register,
    default_due_date,
    due_date_change,
    transition,
)
