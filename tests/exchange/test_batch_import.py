"""Batch transcript import: one task per file, each file all or nothing, bad files reported, never twice."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tracker.exchange import batch_import
from tracker.exchange.batch_import import BatchRefused, Upload, batch_file_run, transcript_batch_start
from tracker.models import Commitment, Committee, ImportBatch, ImportBatchFile, Session

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = (ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt").read_text(encoding="utf-8")
State = ImportBatchFile.State


@pytest.fixture(autouse=True)
def rules_threshold(settings):
    """The proposals the rules find (as in test_importing), so the counts below do not move with retraining."""
    settings.TRACKER_CANDIDATE_THRESHOLD = 0.5


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Commissie voor Economie", slug="economie")


def sitting(n: int) -> bytes:
    """The seed as the n-th distinct sitting (the opening words of the question identify a sitting)."""
    return SEED.replace("honderd Belgische ondernemers", f"{n} Belgische ondernemers", 1).encode("utf-8")


BAD = b"%PDF-1.4 this is not a transcript"


def good_and_bad() -> list[Upload]:
    return [Upload(name=f"verslag-{n}.txt", data=sitting(n)) for n in (1, 2, 3)] + [
        Upload(name="kapot.pdf.txt", data=BAD)
    ]


# The worker closes stale connections between tasks, which a test's enclosing transaction does not
# survive on PostgreSQL: tests that run it commit for real (and restore the migrations' data after).
worker_test = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_tasks():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@worker_test
def test_three_good_files_and_a_bad_one_through_the_database_worker(committee, clerk):
    with transaction.atomic():
        batch = transcript_batch_start(files=good_and_bad(), committee=committee, by=clerk)
        assert not DBTaskResult.objects.exists()  # enqueued only once the batch is committed
    assert DBTaskResult.objects.count() == 4
    run_tasks()
    assert Session.objects.count() == 3
    files = {f.name: f for f in batch.files.all()}
    assert [files[f"verslag-{n}.txt"].state for n in (1, 2, 3)] == [State.DONE] * 3
    bad = files["kapot.pdf.txt"]
    assert bad.state == State.FAILED and "PDF" in bad.error and bad.session is None
    assert all(files[f"verslag-{n}.txt"].session.committee == committee for n in (1, 2, 3))
    assert sum(f.proposals for f in files.values()) == Commitment.objects.count() == 6
    assert bytes(files["verslag-1.txt"].data) == b"" and bytes(bad.data) == BAD  # only failed files keep their bytes
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    figures = batch_import.batch_progress(batch)
    assert [figures[k] for k in ("total", "finished", "imported", "failed", "proposals")] == [4, 4, 3, 1, 6]


def test_a_batch_runs_on_the_rq_backend_too(committee, rq_backend, django_capture_on_commit_callbacks):
    """Production runs the tasks on Redis: the same batch, enqueued there, is imported by an RQ worker once."""
    import django_rq
    from rq.worker import SimpleWorker

    with django_capture_on_commit_callbacks(execute=True):
        batch = transcript_batch_start(files=good_and_bad(), committee=committee)
    assert rq_backend.count == 4 and not DBTaskResult.objects.exists()
    batch_import.import_batch_file.enqueue(file_id=batch.files.first().pk)  # a duplicate delivery
    # SimpleWorker runs the jobs in this process, inside the test's database transaction.
    django_rq.get_worker("default", worker_class=SimpleWorker).work(burst=True)
    figures = batch_import.batch_progress(batch)
    assert [figures[k] for k in ("total", "finished", "imported", "failed", "proposals")] == [4, 4, 3, 1, 6]
    assert Session.objects.count() == 3 and Commitment.objects.count() == 6


def test_rerunning_a_task_does_not_import_twice(committee):
    batch = transcript_batch_start(files=good_and_bad()[:1], committee=committee, enqueue=False)
    row = batch.files.get()
    assert batch_file_run(file_id=row.pk) == State.DONE
    proposals = Commitment.objects.count()
    assert batch_file_run(file_id=row.pk) == State.DONE
    assert Session.objects.count() == 1 and Commitment.objects.count() == proposals == 2
    row.refresh_from_db()
    assert row.proposals == 2  # the rerun did not overwrite the first run's figures with "unchanged"


def test_a_zip_of_official_xml_and_a_pdf_report_goes_through_the_same_readers(committee):
    """The batch takes every format the single import reads: the real Handelingen XML and PDF samples."""
    samples = ROOT / "tests" / "samples"
    archive = zip_bytes(
        {
            "tk/h-tk-20172018-61-10.xml": (samples / "handelingen" / "h-tk-20172018-61-10.xml").read_bytes(),
            "vp/verslag.pdf": (samples / "pdf" / "vlaams-parlement-03.pdf").read_bytes(),
        }
    )
    uploads = batch_import.read_zip(archive, name="verslagen.zip")
    batch = transcript_batch_start(files=uploads, committee=committee, enqueue=False)
    states = {row.name: batch_file_run(file_id=row.pk) for row in batch.files.all()}
    assert states == {"tk/h-tk-20172018-61-10.xml": State.DONE, "vp/verslag.pdf": State.DONE}
    speakers = set(Session.objects.values_list("questions__speeches__speaker__surname", flat=True))
    assert "Keijzer" in speakers  # the state secretary named in the official XML's <spreker>


def test_a_failed_file_wrote_nothing_and_a_stray_failure_never_hides_a_success(committee):
    batch = transcript_batch_start(
        files=[Upload(name="zonder-sprekers.txt", data=b"Gewoon een tekst.\n\nNog een alinea.")],
        enqueue=False,
    )
    row = batch.files.get()
    assert batch_file_run(file_id=row.pk) == State.FAILED
    row.refresh_from_db()
    assert "sprekers" in row.error and Session.objects.count() == 0
    done = transcript_batch_start(files=good_and_bad()[:1], committee=committee, enqueue=False).files.get()
    batch_file_run(file_id=done.pk)
    batch_import._record_failure(done.pk, "late failure")
    done.refresh_from_db()
    assert done.state == State.DONE and done.error == ""


def test_the_same_text_twice_in_a_batch_is_imported_once(committee):
    batch = transcript_batch_start(
        files=[Upload(name="a.txt", data=sitting(1)), Upload(name="kopie.txt", data=sitting(1))],
        committee=committee,
        enqueue=False,
    )
    states = [batch_file_run(file_id=f.pk) for f in batch.files.order_by("position")]
    assert states == [State.DONE, State.UNCHANGED] and Session.objects.count() == 1


def zip_bytes(members: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def test_zip_is_read_member_by_member():
    uploads = batch_import.read_zip(
        zip_bytes({"map/a.txt": sitting(1), "b.HTML": b"<p>x</p>", "__MACOSX/._a.txt": b"\x00"}), name="v.zip"
    )
    assert [u.name for u in uploads] == ["map/a.txt", "b.HTML"]


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"a.txt": b"ok", "../../etc/passwd.txt": b"x"}, "onveilig pad"),
        ({"/abs/a.txt": b"x"}, "onveilig pad"),
        ({"a.txt": b"ok", "script.exe": b"MZ"}, "alleen .txt-, .html-, .xml- en .pdf"),
        # A zip bomb: a few kilobytes that unpack to more than one file may hold.
        ({"groot.txt": b"a" * (batch_import.MAX_FILE_BYTES + 1)}, "te groot"),
    ],
)
def test_dangerous_zips_are_refused_whole(members, message):
    archive = zip_bytes(members)
    with pytest.raises(BatchRefused, match=message) as excinfo:
        batch_import.read_zip(archive, name="verslagen.zip")
    assert "verslagen.zip" in str(excinfo.value)


def test_zip_whose_total_is_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(batch_import, "MAX_BATCH_BYTES", 1000)
    with pytest.raises(BatchRefused, match="meer dan 1.000 bytes"):
        batch_import.read_zip(zip_bytes({"a.txt": b"a" * 600, "b.txt": b"b" * 600}), name="v.zip")


def test_not_a_zip_is_refused():
    with pytest.raises(BatchRefused, match="geen geldig ZIP"):
        batch_import.read_zip(io.BytesIO(b"PK\x03\x04 broken"), name="kapot.zip")


def upload(name, data, content_type="text/plain"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def test_admin_upload_of_several_files_starts_a_batch(clerk_client, committee, django_capture_on_commit_callbacks):
    url = reverse("admin:tracker_session_batch_import")
    assert clerk_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(
            url,
            {"files": [upload("a.txt", sitting(1)), upload("b.txt", sitting(2))], "committee": committee.pk},
        )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("admin:tracker_importbatch_change", args=[batch.pk])
    assert batch.started_by.username == "clerk" and batch.files.count() == 2
    assert DBTaskResult.objects.count() == 2
    changelist = clerk_client.get(reverse("admin:tracker_session_changelist")).content.decode()
    assert url in changelist


def test_admin_refuses_a_zip_with_path_tricks_and_saves_nothing(clerk_client):
    archive = zip_bytes({"a.txt": sitting(1), "../b.txt": sitting(2)}).getvalue()
    response = clerk_client.post(
        reverse("admin:tracker_session_batch_import"), {"files": [upload("v.zip", archive, "application/zip")]}
    )
    assert response.status_code == 200
    assert "../b.txt" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_admin_zip_upload_imports_each_member(clerk_client, committee, django_capture_on_commit_callbacks):
    archive = zip_bytes({"a.txt": sitting(1), "b.txt": sitting(2)}).getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        clerk_client.post(
            reverse("admin:tracker_session_batch_import"),
            {"files": [upload("v.zip", archive, "application/zip")], "committee": committee.pk},
        )
    assert list(ImportBatch.objects.get().files.values_list("name", flat=True)) == ["a.txt", "b.txt"]


def test_batch_pages_need_the_import_and_view_permissions(client, django_user_model, committee):
    user = django_user_model.objects.create_user("gast", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:tracker_session_batch_import")).status_code == 403
    batch = transcript_batch_start(files=good_and_bad()[:1], enqueue=False)
    assert client.get(reverse("admin:tracker_importbatch_change", args=[batch.pk])).status_code == 403


def progress_page(client, batch):
    return client.get(reverse("admin:tracker_importbatch_change", args=[batch.pk])).content.decode()


def test_progress_page_shows_figures_errors_and_refreshes_until_done(
    clerk_client, committee, django_assert_max_num_queries
):
    single = transcript_batch_start(files=good_and_bad()[3:], committee=committee, enqueue=False)
    batch_file_run(file_id=single.files.get().pk)
    with django_assert_max_num_queries(20) as small:
        progress_page(clerk_client, single)
    single_queries = len(small.captured_queries)  # the next request empties the connection's query log
    batch = transcript_batch_start(files=good_and_bad(), committee=committee, enqueue=False)
    first, *_ = batch.files.order_by("position")
    html = progress_page(clerk_client, batch)
    assert '<progress value="0" max="4"' in html and 'http-equiv="refresh"' in html
    batch_file_run(file_id=first.pk)
    html = progress_page(clerk_client, batch)
    assert '<progress value="1" max="4"' in html and "1 van 4 bestanden" in html
    for row in batch.files.all():
        batch_file_run(file_id=row.pk)
    with django_assert_max_num_queries(single_queries):
        html = progress_page(clerk_client, batch)
    assert '<progress value="4" max="4"' in html and 'http-equiv="refresh"' not in html
    assert '<td class="tz-imported">3</td>' in html and '<td class="tz-failed">1</td>' in html
    assert '<td class="tz-proposals">6</td>' in html
    assert html.count("<td>ingelezen</td>") == 3 and html.count("<td>mislukt</td>") == 1  # each file's status
    assert "kapot.pdf.txt" in html and "PDF" in html  # the failed file with its reason
    listing = clerk_client.get(reverse("admin:tracker_importbatch_changelist")).content.decode()
    assert "4 / 4" in listing and "1 / 1" in listing


def test_cli_imports_a_directory_glob_reports_each_file_and_fails_for_the_bad_one(committee, tmp_path, capsys):
    for n in (1, 2, 3):
        (tmp_path / f"verslag-{n}.txt").write_bytes(sitting(n))
    (tmp_path / "verslag-4.txt").write_bytes(BAD)
    with pytest.raises(CommandError, match="1 van de 4 bestanden"):
        call_command("import_transcript", str(tmp_path / "*"), "--committee", "economie")
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out[:3]] == ["Ingelezen"] * 3
    assert out[3].startswith(f"{tmp_path / 'verslag-4.txt'}: MISLUKT") and "PDF" in out[3]
    assert out[4].startswith("4 bestanden: 3 ingelezen, 0 ongewijzigd, 1 mislukt; 6 voorgestelde")
    assert Session.objects.count() == 3  # the good ones are kept
    assert ImportBatch.objects.get().started_by is None


def test_cli_with_a_missing_file_reports_it_and_imports_the_rest(committee, tmp_path, capsys):
    (tmp_path / "a.txt").write_bytes(sitting(1))
    with pytest.raises(CommandError):
        call_command("import_transcript", str(tmp_path / "a.txt"), str(tmp_path / "weg.txt"), "--committee", "economie")
    assert "weg.txt: bestand niet gevonden" in capsys.readouterr().out
    assert Session.objects.count() == 1


@worker_test
def test_cli_queue_hands_the_files_to_the_workers(committee, tmp_path, capsys):
    for n in (1, 2):
        (tmp_path / f"v{n}.txt").write_bytes(sitting(n))
    files = [str(tmp_path / "v1.txt"), str(tmp_path / "v2.txt")]
    call_command("import_transcript", *files, "--queue", "--no-wait", "--committee", "economie")
    assert "2 bestanden in de wachtrij" in capsys.readouterr().out
    assert Session.objects.count() == 0 and DBTaskResult.objects.count() == 2
    run_tasks()
    assert Session.objects.count() == 2


def test_cli_options_for_one_sitting_are_refused_with_several_files(tmp_path):
    with pytest.raises(CommandError, match="gelden voor één bestand"):
        call_command("import_transcript", "a.txt", "b.txt", "--date", "2021-03-02")


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


@worker_test
def test_cli_queue_follows_the_workers_with_a_progress_bar_on_a_terminal(committee, tmp_path, capsys, monkeypatch):
    from types import SimpleNamespace

    from tracker.management.commands import import_transcript

    for n in (1, 2):
        (tmp_path / f"v{n}.txt").write_bytes(sitting(n))
    (tmp_path / "v3.txt").write_bytes(BAD)
    # While the command waits, the worker runs (here: in the same process, at the first poll).
    monkeypatch.setattr(import_transcript, "time", SimpleNamespace(sleep=lambda seconds: run_tasks()))
    terminal = FakeTerminal()
    with pytest.raises(CommandError, match="1 van de 3"):
        call_command(
            "import_transcript", str(tmp_path / "v*.txt"), "--queue", "--committee", "economie", stderr=terminal
        )
    out = capsys.readouterr().out
    assert "Ingelezen:" in out and "v3.txt: MISLUKT" in out and "3 bestanden: 2 ingelezen" in out
    assert "\r[" in terminal.getvalue() and "3/3" in terminal.getvalue()
    assert Session.objects.count() == 2


def test_a_collision_with_a_concurrent_import_is_tried_again(committee, monkeypatch):
    from django.db import IntegrityError

    real = batch_import.importing.transcript_import
    calls = []

    def collide_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(**kwargs)

    monkeypatch.setattr(batch_import.importing, "transcript_import", collide_once)
    row = transcript_batch_start(files=good_and_bad()[:1], committee=committee, enqueue=False).files.get()
    assert batch_file_run(file_id=row.pk) == State.DONE and len(calls) == 2

    def always_collide(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(batch_import.importing, "transcript_import", always_collide)
    row = transcript_batch_start(files=[Upload(name="b.txt", data=sitting(2))], committee=committee, enqueue=False)
    row = row.files.get()
    assert batch_file_run(file_id=row.pk) == State.FAILED
    row.refresh_from_db()
    assert "tegelijk" in row.error and Session.objects.count() == 1
