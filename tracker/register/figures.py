"""The scorecards of committee and person pages, read from a tally the database keeps current.

Counting a committee's commitments on every cold page view cost time in proportion to its history (a
committee holds a tenth of the register). The tally (CommitmentTally) holds, per committee and per
promiser, the number of public commitments per status, with or without deadline, and for fulfilled
ones per number of days to fulfil. Triggers on commitments, questions (moved to another sitting) and
sittings (another committee or date) keep it current in the same transaction as the write, whatever
wrote it: workflow, services, the admin, spreadsheet, fixture and open-data imports, bulk inserts,
QuerySet.update() and loaddata alike. Application code never writes it.

"Overdue" depends on today's date, so it is not stored: it is the pending commitments with a deadline
(stored) minus those whose deadline has not passed yet, which is counted live. The latter are the
register's current work, not its history; an index on status and due date (and on promiser, status and
due date) bounds that count.

SQLite rebuilds a table for most schema changes and drops its triggers, so, as for the search index
(sqlite_search), the triggers are dropped before a migration run with work to do and put back, with the
tally recomputed, after every run that finds them missing. `manage.py refresh_figures` recomputes the
tally (`--check` compares it with a recount and fails on any difference).

Dates: the days to fulfil count from the sitting's date, or from the registration day in the
register's time zone (TIME_ZONE) when the sitting has none. SQLite reads the time zone from the
process (Django sets TZ from TIME_ZONE); PostgreSQL's trigger names it, so after changing TIME_ZONE
run `manage.py refresh_figures`, which reinstalls the triggers.
"""

# ruff: noqa: S608 - every statement here is built from this module's constants and the validated
# TIME_ZONE setting, never from input.

import datetime
import re
import statistics

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction
from django.utils.translation import gettext as _

from tracker.models import INTERNAL_STATUSES, PENDING_STATUSES, Commitment, CommitmentTally, Status
from tracker.public.presentation import status_chart
from tracker.register import rules

TABLE = CommitmentTally._meta.db_table
SCOPES = ("committee", "person")
TRIGGERS = {
    "sqlite": (
        "tally_commitment_insert",
        "tally_commitment_update",
        "tally_commitment_delete",
        "tally_question_update",
        "tally_session_update",
    ),
    "postgresql": (
        "tally_commitment_insert",
        "tally_commitment_delete",
        "tally_commitment_update",
        "tally_question_update",
        "tally_session_update",
    ),
}
_PUBLIC = "{c}.status NOT IN (" + ", ".join(f"'{s}'" for s in INTERNAL_STATUSES) + ")"
_CHANGED = ("status", "due_date", "fulfilled_on", "question_id", "promised_by_id", "created")


def _time_zone() -> str:
    name = settings.TIME_ZONE
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", name):
        raise ValueError(f"TIME_ZONE is not a time zone name: {name!r}")
    return name


def _days(vendor: str, c: str, sitting_date: str) -> str:
    """Days from the sitting (or the registration day) to fulfilment; 0 unless fulfilled."""
    if vendor == "postgresql":
        start = f"COALESCE({sitting_date}, ({c}.created AT TIME ZONE '{_time_zone()}')::date)"
        days = f"{c}.fulfilled_on - {start}"
    else:
        start = f"COALESCE({sitting_date}, date({c}.created, 'localtime'))"
        days = f"CAST(julianday({c}.fulfilled_on) - julianday({start}) AS INTEGER)"
    return f"CASE WHEN {c}.status = '{Status.FULFILLED}' THEN COALESCE({days}, 0) ELSE 0 END"


def _upsert(scope: str, select: str) -> str:
    return (
        f"INSERT INTO {TABLE} ({scope}_id, status, dated, days, n) {select} "
        f"ON CONFLICT ({scope}_id, status, dated, days) WHERE {scope}_id IS NOT NULL "
        f"DO UPDATE SET n = {TABLE}.n + excluded.n"
    )


def _scope_id(scope: str, c: str, sitting: str) -> str:
    return f"{sitting}.committee_id" if scope == "committee" else f"{c}.promised_by_id"


def _key(vendor: str, scope: str, c: str, sitting: str) -> str:
    """The tally's key columns of commitment row `c` held in sitting row `sitting`."""
    return (
        f"{_scope_id(scope, c, sitting)} AS scope_id, {c}.status AS status, {c}.due_date IS NOT NULL AS dated, "
        f"{_days(vendor, c, f'{sitting}.date')} AS days"
    )


def _row(vendor: str, c: str, sign: int) -> list[str]:
    """Add (sign 1) or take away (-1) one commitment row (`new` or `old` in a trigger) in both scopes."""
    return [
        _upsert(
            scope,
            f"SELECT {_key(vendor, scope, c, 's')}, {sign} "
            "FROM tracker_question AS q JOIN tracker_session AS s ON s.id = q.session_id "
            f"WHERE q.id = {c}.question_id AND {_scope_id(scope, c, 's')} IS NOT NULL AND {_PUBLIC.format(c=c)}",
        )
        for scope in SCOPES
    ]


def _group(vendor: str, scope: str, sitting: str, sign: str, join: str, where: str) -> str:
    """Add or take away, grouped, the commitments a join selects; `sitting` names the sitting's row."""
    return _upsert(
        scope,
        f"SELECT {_key(vendor, scope, 'c', sitting)}, {sign} * COUNT(*) FROM tracker_commitment AS c {join} "
        f"WHERE {where} AND {_scope_id(scope, 'c', sitting)} IS NOT NULL AND {_PUBLIC.format(c='c')} "
        "GROUP BY 1, 2, 3, 4",
    )


def _question_moved(vendor: str) -> list[str]:
    return [
        _group(
            vendor, scope, "s", sign, f"JOIN tracker_session AS s ON s.id = {row}.session_id", "c.question_id = new.id"
        )
        for row, sign in (("old", "-1"), ("new", "1"))
        for scope in SCOPES
    ]


def _session_changed(vendor: str) -> list[str]:
    return [
        _group(
            vendor, scope, row, sign, "JOIN tracker_question AS q ON q.id = c.question_id", f"q.session_id = {row}.id"
        )
        for row, sign in (("old", "-1"), ("new", "1"))
        for scope in SCOPES
    ]


def _differs(columns, old="old", new="new") -> str:
    return " OR ".join(f"{old}.{col} IS DISTINCT FROM {new}.{col}" for col in columns)


def _sqlite_triggers() -> list[str]:
    def body(statements):
        return "BEGIN " + "; ".join(statements) + "; END"

    changed = _differs(_CHANGED).replace("IS DISTINCT FROM", "IS NOT")
    return [
        f"CREATE TRIGGER tally_commitment_insert AFTER INSERT ON tracker_commitment {body(_row('sqlite', 'new', 1))}",
        # `flush` empties SQLite's tables one by one in no fixed order: deleting commitments after their
        # tally would leave negative counts. An empty tally has nothing to take away from (both databases).
        f"CREATE TRIGGER tally_commitment_delete AFTER DELETE ON tracker_commitment "
        f"WHEN EXISTS (SELECT 1 FROM {TABLE}) {body(_row('sqlite', 'old', -1))}",
        f"CREATE TRIGGER tally_commitment_update AFTER UPDATE OF {', '.join(_CHANGED)} ON tracker_commitment "
        f"WHEN {changed} {body(_row('sqlite', 'old', -1) + _row('sqlite', 'new', 1))}",
        "CREATE TRIGGER tally_question_update AFTER UPDATE OF session_id ON tracker_question "
        f"WHEN old.session_id IS NOT new.session_id {body(_question_moved('sqlite'))}",
        "CREATE TRIGGER tally_session_update AFTER UPDATE OF committee_id, date ON tracker_session "
        f"WHEN old.committee_id IS NOT new.committee_id OR old.date IS NOT new.date {body(_session_changed('sqlite'))}",
    ]


def _statement_delta(scope: str, parts: list[tuple[str, int]]) -> str:
    """Add and take away, grouped, the commitments of a statement's transition tables (PostgreSQL)."""
    union = " UNION ALL ".join(
        f"SELECT {_key('postgresql', scope, 'c', 's')}, {sign} AS n FROM {rows} AS c "
        "JOIN tracker_question AS q ON q.id = c.question_id JOIN tracker_session AS s ON s.id = q.session_id "
        f"WHERE {_scope_id(scope, 'c', 's')} IS NOT NULL AND {_PUBLIC.format(c='c')}"
        for rows, sign in parts
    )
    return _upsert(
        scope,
        f"SELECT scope_id, status, dated, days, SUM(n) FROM ({union}) AS d GROUP BY 1, 2, 3, 4 HAVING SUM(n) <> 0 "
        # Rows locked in one order: two clerks' opposite changes in one committee wait, never deadlock.
        "ORDER BY 1, 2, 3, 4",
    )


def _postgresql_triggers() -> list[str]:
    """Statement-level triggers on commitments: a bulk insert of 5,000 rows makes one grouped change per
    scope. Row-level ones updated the same tally row thousands of times in one transaction, and each
    update walks all its earlier versions (a 5,000-row insert then ran past the statement timeout)."""

    def function(name, statements):
        return (
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            + " ".join(s + ";" for s in statements)
            + " RETURN NULL; END $$"
        )

    changed = (
        f"(SELECT {{row}}.* FROM old_rows AS o JOIN new_rows AS w ON w.id = o.id WHERE {_differs(_CHANGED, 'o', 'w')})"
    )
    return [
        function("tracker_tally_insert", [_statement_delta(scope, [("new_rows", 1)]) for scope in SCOPES]),
        function(
            "tracker_tally_delete",
            [
                f"IF EXISTS (SELECT 1 FROM {TABLE}) THEN "
                + " ".join(_statement_delta(scope, [("old_rows", -1)]) + ";" for scope in SCOPES)
                + " END IF"
            ],
        ),
        function(
            "tracker_tally_update",
            [
                _statement_delta(scope, [(changed.format(row="o"), -1), (changed.format(row="w"), 1)])
                for scope in SCOPES
            ],
        ),
        function("tracker_tally_question", _question_moved("postgresql")),
        function("tracker_tally_session", _session_changed("postgresql")),
        "CREATE TRIGGER tally_commitment_insert AFTER INSERT ON tracker_commitment REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION tracker_tally_insert()",
        "CREATE TRIGGER tally_commitment_delete AFTER DELETE ON tracker_commitment REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION tracker_tally_delete()",
        # Transition tables rule out a column list: every UPDATE statement fires it; unchanged rows add nothing.
        "CREATE TRIGGER tally_commitment_update AFTER UPDATE ON tracker_commitment "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION tracker_tally_update()",
        "CREATE TRIGGER tally_question_update AFTER UPDATE OF session_id ON tracker_question "
        "FOR EACH ROW WHEN (old.session_id IS DISTINCT FROM new.session_id) EXECUTE FUNCTION tracker_tally_question()",
        "CREATE TRIGGER tally_session_update AFTER UPDATE OF committee_id, date ON tracker_session FOR EACH ROW "
        f"WHEN ({_differs(('committee_id', 'date'))}) EXECUTE FUNCTION tracker_tally_session()",
    ]


def _recount(vendor: str, scope: str) -> str:
    """Every row of the tally for one scope, counted from the commitments."""
    return (
        f"SELECT {_key(vendor, scope, 'c', 's')}, COUNT(*) "
        "FROM tracker_commitment AS c JOIN tracker_question AS q ON q.id = c.question_id "
        "JOIN tracker_session AS s ON s.id = q.session_id "
        f"WHERE {_scope_id(scope, 'c', 's')} IS NOT NULL AND {_PUBLIC.format(c='c')} GROUP BY 1, 2, 3, 4"
    )


def _trigger_names(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    return {row[0] for row in cursor.fetchall()}


def drop_triggers(connection) -> None:
    tables = {"commitment": "tracker_commitment", "question": "tracker_question", "session": "tracker_session"}
    with connection.cursor() as cursor:
        for name in TRIGGERS.get(connection.vendor, ()):
            on = f" ON {tables[name.split('_')[1]]}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")


def rebuild(connection=default_connection) -> None:
    """Recount the tally from the commitments."""
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        for scope in SCOPES:
            cursor.execute(
                f"INSERT INTO {TABLE} ({scope}_id, status, dated, days, n) {_recount(connection.vendor, scope)}"
            )


def install(connection=default_connection, *, force: bool = False) -> bool:
    """Create missing triggers and recount the tally; False when the tally's table does not exist yet."""
    vendor = connection.vendor
    if vendor not in TRIGGERS or TABLE not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        if not force and set(TRIGGERS[vendor]) <= _trigger_names(cursor, vendor):
            return True
    with transaction.atomic(using=connection.alias):
        drop_triggers(connection)
        with connection.cursor() as cursor:
            for statement in _sqlite_triggers() if vendor == "sqlite" else _postgresql_triggers():
                cursor.execute(statement)
        rebuild(connection)
    return True


def differences(connection=default_connection) -> list[str]:
    """Where the tally differs from a recount: one line per scope and key, empty when they agree."""
    found = {}
    expected = {}
    with connection.cursor() as cursor:
        for scope in SCOPES:
            cursor.execute(_recount(connection.vendor, scope))
            expected.update({(scope, sid, st, bool(d), days): n for sid, st, d, days, n in cursor.fetchall()})
    for row in CommitmentTally.rows.exclude(n=0):
        scope, sid = ("committee", row.committee_id) if row.committee_id else ("person", row.person_id)
        found[scope, sid, row.status, row.dated, row.days] = row.n
    return [
        f"{scope} {sid}, {status}, {'dated' if dated else 'undated'}, {days} days: "
        f"tally {found.get(key, 0)}, recount {expected.get(key, 0)}"
        for key in sorted(set(found) | set(expected), key=repr)
        if found.get(key, 0) != expected.get(key, 0)
        for scope, sid, status, dated, days in [key]
    ]


def before_migrate(sender, *, using, plan=None, **kwargs) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite" and plan:
        drop_triggers(connection)


def after_migrate(sender, *, using, **kwargs) -> None:
    from django.db import connections

    install(connections[using])


def _median(histogram: list[tuple[int, int]]) -> int | None:
    """The median of a sorted histogram of (value, how many), as statistics.median of the values gives it."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    wanted = sorted({(total - 1) // 2, total // 2})
    values, seen = [], 0
    for value, n in histogram:
        while wanted and wanted[0] < seen + n:
            values.append(value)
            wanted.pop(0)
        seen += n
    return round(statistics.mean(values))


def deadlines_ahead(*, committee=None, person=None, on: datetime.date):
    """Pending commitments of a committee or promiser whose deadline is `on` or later: not overdue yet.

    Walks the (status, due date) index from `on`, or (promiser, status, due date): what it reads is the
    register's current work, not its history. For a committee, EXISTS keeps the commitment table the
    driving one (a join could start from the committee's sittings and read all of them)."""
    ahead = Commitment.objects.filter(status__in=PENDING_STATUSES, due_date__gte=on)
    return ahead.in_sessions(committee=committee) if committee else ahead.filter(promised_by=person)


def scorecard(*, committee=None, person=None, on: datetime.date | None = None) -> dict:
    """A committee's or promiser's figures on day `on` (today): a few tally rows and a count of the
    deadlines still ahead."""
    rows = CommitmentTally.rows.filter(committee=committee) if committee else CommitmentTally.rows.filter(person=person)
    rows = list(rows.exclude(n=0).order_by("days").values_list("status", "dated", "days", "n"))
    total = {status: sum(n for st, _, _, n in rows if st == status) for status in Status.values}
    pending = sum(total[s] for s in PENDING_STATUSES)
    pending_dated = sum(n for st, dated, _, n in rows if st in PENDING_STATUSES and dated)
    on = on or rules.today()
    overdue = pending_dated - deadlines_ahead(committee=committee, person=person, on=on).count() if pending_dated else 0
    return {
        "open": pending,
        "overdue": overdue,
        "fulfilled": total[Status.FULFILLED],
        "lapsed": total[Status.LAPSED],
        "median_days": _median([(days, n) for st, _, days, n in rows if st == Status.FULFILLED]),
        "chart": status_chart(
            [
                (_("on time"), pending - overdue),  # open and not overdue: the bars add up
                (_("overdue"), overdue),
                (_("fulfilled"), total[Status.FULFILLED]),
                (_("lapsed"), total[Status.LAPSED]),
            ]
        ),
    }
