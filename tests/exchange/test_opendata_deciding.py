"""What an open-data record means for the register's commitment of the same number, decided apart from
reading and writing."""

import datetime

from tracker.exchange.opendata import deciding
from tracker.exchange.opendata.cleaning import Item
from tracker.models import Commitment, Status

NOON = datetime.datetime(2024, 12, 5, 12, tzinfo=datetime.UTC)


def item(**more):
    fields = {"index": 1, "line": 1, "number": "TZ1", "text": "Tekst", "status": Status.OPEN, "tk_updated": NOON}
    return Item(**(fields | more))


def commitment(**more):
    fields = {"pk": 7, "reference": "TZ1", "quote": "Tekst", "status": Status.OPEN, "tk_updated": NOON}
    return Commitment(**(fields | more))


def test_a_record_is_new_changed_unchanged_stale_or_locked():
    current = commitment()
    assert deciding.decide(item(), None, {}, locks={}, overwrite=False) == deciding.CREATED
    assert deciding.decide(item(), current, {}, locks={}, overwrite=False) == deciding.UNCHANGED
    changed = {"status": (Status.OPEN, Status.FULFILLED)}
    assert deciding.decide(item(), current, changed, locks={}, overwrite=False) == deciding.UPDATED
    assert deciding.decide(item(), current, changed, locks={7: "edited"}, overwrite=False) == deciding.LOCKED
    assert deciding.decide(item(), current, changed, locks={7: "edited"}, overwrite=True) == deciding.UPDATED
    older = item(tk_updated=NOON - datetime.timedelta(days=1))
    assert deciding.decide(older, current, changed, locks={}, overwrite=False) == deciding.STALE


def test_the_changes_name_each_field_from_old_to_new():
    current = commitment(ministry="Financiën", promised_by_function="minister")
    found = deciding.changes(
        item(ministry="Financiën", function="staatssecretaris"), current, promiser=None, question=None
    )
    assert found == {"promised_by_function": ("minister", "staatssecretaris")}


def test_a_withdrawal_skips_the_unknown_leaves_the_withdrawn_and_respects_a_lock():
    current = commitment()
    assert deciding.decide_withdrawal(None, done=set(), locks={}, overwrite=False) == deciding.SKIPPED
    assert deciding.decide_withdrawal(current, done={7}, locks={}, overwrite=False) == deciding.UNCHANGED
    gone = commitment(status=Status.REJECTED)
    assert deciding.decide_withdrawal(gone, done=set(), locks={}, overwrite=False) == deciding.UNCHANGED
    assert deciding.decide_withdrawal(current, done=set(), locks={7: "x"}, overwrite=False) == deciding.LOCKED
    assert deciding.decide_withdrawal(current, done=set(), locks={7: "x"}, overwrite=True) == deciding.WITHDRAWN
