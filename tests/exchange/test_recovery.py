"""make backup / make restore: a round trip that loses nothing, history included, on SQLite and PostgreSQL."""

import io

import pytest
from django.core.management import call_command

from tests.factories import build_register
from tracker.models import Commitment, CommitmentEvent, Status
from tracker.register.workflow import transition


def snapshot():
    out = io.StringIO()
    call_command("dumpdata", "tracker", "auth.user", natural_foreign=True, natural_primary=True, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_then_restore_loses_nothing(tmp_path, clerk):
    call_command("loaddata", "fixtures/seed.json", verbosity=0)
    build_register(3, prefix="bk")
    c = Commitment.objects.get(reference="TZ-2026-0001")
    transition(c, Status.LAPSED, by=clerk, note="Einde legislatuur")
    before = snapshot()
    call_command("backup_database", str(tmp_path / "backup"), stdout=io.StringIO())
    # Disaster: commitments and history lost.
    CommitmentEvent.objects.all().delete()
    Commitment.objects.filter(reference__startswith="TZ-bk").delete()
    assert snapshot() != before
    backup = next(tmp_path.glob("backup.*"))
    call_command("restore_database", str(backup), stdout=io.StringIO())
    assert snapshot() == before
    assert CommitmentEvent.objects.filter(commitment__reference="TZ-2026-0001", to_status="lapsed").exists()


@pytest.mark.django_db
def test_restore_of_a_missing_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("restore_database", str(tmp_path / "nope.sqlite3"))
