"""Figures for the clerks' dashboard, in a fixed number of queries whatever the register's size."""

import datetime

from django.db.models import Count, Q

from tracker.models import Commitment, Status
from tracker.register import rules


def dashboard_figures(*, on: datetime.date | None = None) -> dict:
    on = on or rules.today()
    totals = Commitment.objects.aggregate(
        overdue=Count("pk", filter=rules.overdue_q(on=on)),
        due_soon=Count("pk", filter=rules.due_within_q(on=on)),
        **{status: Count("pk", filter=Q(status=status)) for status in Status.values},
    )
    per_status = [(Status(s).label, s, totals[s]) for s in Status.values]
    oldest = list(
        Commitment.objects.pending().select_related("promised_by", "question__session").order_by("created", "pk")[:10]
    )
    per_minister = list(
        Commitment.objects.pending()
        .filter(promised_by__isnull=False)
        .values("promised_by__full_name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=rules.overdue_q(on=on)))
        .order_by("-overdue", "-open", "promised_by__full_name")[:15]
    )
    biggest = max([n for _, _, n in per_status] + [1])
    return {
        "on": on,
        "per_status": [
            {"label": label, "code": code, "count": n, "width": round(260 * n / biggest), "y": 20 * i}
            for i, (label, code, n) in enumerate(per_status)
        ],
        "chart_height": 20 * len(per_status),
        "overdue": totals["overdue"],
        "due_soon": totals["due_soon"],
        "due_soon_days": rules.due_soon_days(),
        "oldest": oldest,
        "per_minister": per_minister,
    }
