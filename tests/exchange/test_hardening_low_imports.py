"""Issue 16, low: the import commands refuse bad URLs, hostile JSON and endless input with a clear
message, and never echo a transcript's control characters to the terminal."""

import json
import os
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.runners import run_manage
from tracker.management.commands import _common
from tracker.models import Committee, Person, Session, Speech

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "transcripts" / "vraag-om-uitleg-maatwerkbedrijven.txt"
COMMITTEE = {"model": "tracker.committee", "fields": {"slug": "economie", "name": "Commissie voor Economie"}}


@pytest.fixture
def committee(db):
    return Committee.objects.create(name="Commissie voor Economie", slug="economie")


def written():
    return (Session.objects.count(), Speech.objects.count(), Person.objects.count())


# -- (a) --url ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.org/verslag.txt",
        "http://",
        "https://example.org/" + "a" * 500,
    ],
)
def test_import_transcript_refuses_a_url_that_is_not_http(committee, url):
    with pytest.raises(CommandError) as info:
        call_command("import_transcript", str(SEED), "--committee", "economie", "--url", url)
    assert "--url" in str(info.value) and "http:// of https://" in str(info.value)
    assert written() == (0, 0, 0)


def test_import_transcript_keeps_an_https_url(committee):
    url = "https://www.vlaamsparlement.be/nl/parlementair-werk/commissies/commissievergaderingen/1"
    call_command("import_transcript", str(SEED), "--committee", "economie", "--url", url, stdout=_Buffer())
    assert Session.objects.get().source_url == url


def test_a_bad_url_on_the_command_line_is_a_usage_error_not_a_traceback():
    result = run_manage("import_transcript", str(SEED), "--committee", "economie", "--url", "javascript:alert(1)")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "--url" in result.stderr and "http:// of https://" in result.stderr


# -- (b) hostile JSON in fixtures ---------------------------------------------------------------------


def test_import_fixture_refuses_deeply_nested_json(tmp_path):
    good = tmp_path / "goed.json"
    good.write_text(json.dumps([COMMITTEE]))
    deep = tmp_path / "diep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError) as info:
        call_command("import_fixture", str(good), str(deep))
    assert f"{deep}: de JSON is te diep genest" in str(info.value)
    assert Committee.objects.count() == 0


def test_import_fixture_refuses_a_5000_digit_integer(tmp_path):
    path = tmp_path / "lang.json"
    path.write_text('[{"model": "tracker.committee", "fields": {"slug": "x", "name": ' + "9" * 5000 + "}}]")
    with pytest.raises(CommandError) as info:
        call_command("import_fixture", str(path))
    assert f"{path}: het bestand bevat een geheel getal van 5.000 cijfers" in str(info.value)
    assert Committee.objects.count() == 0


def test_nesting_below_the_parser_limit_is_an_ordinary_field_error(tmp_path):
    path = tmp_path / "genest.json"
    value = "[" * 900 + "]" * 900
    path.write_text('[{"model": "tracker.committee", "fields": {"slug": "x", "name": ' + value + "}}]")
    with pytest.raises(CommandError, match="verwacht tekst"):
        call_command("import_fixture", str(path))
    assert Committee.objects.count() == 0


# -- (c) input read with a cap, not trusted by its size on disk ----------------------------------------


@pytest.mark.parametrize("command", ["import_transcript", "extract_commitments", "import_opendata"])
def test_dev_zero_is_refused_as_too_large_without_reading_it_all(command):
    preamble = (
        "from tracker.management.commands import _common\n"
        "from tracker.exchange import opendata\n"
        "_common.MAX_TRANSCRIPT_BYTES = opendata.MAX_OPENDATA_BYTES = 1000\n"
    )
    result = run_manage(command, "/dev/zero", preamble=preamble, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "te groot" in result.stderr and "1.000 bytes" in result.stderr


def test_dev_zero_with_the_real_limit_is_refused_too():
    result = run_manage("import_transcript", "/dev/zero", timeout=60)
    assert result.returncode == 1, result.stderr
    assert "te groot (meer dan 5.000.000 bytes)" in result.stderr


def test_a_fifo_is_refused_as_too_large_after_the_cap(committee, tmp_path, monkeypatch):
    monkeypatch.setattr(_common, "MAX_TRANSCRIPT_BYTES", 1000)
    fifo = tmp_path / "pijp.txt"
    os.mkfifo(fifo)
    limit = 50 * 2**20
    sent = []

    def writer():
        chunk = b"Mevrouw X heeft het woord.\n\n" + b"a" * 65_000
        try:
            with open(fifo, "wb") as f:
                while sum(sent) < limit:
                    f.write(chunk)
                    sent.append(len(chunk))
        except BrokenPipeError:
            pass  # the reader stopped, as it should

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    with pytest.raises(CommandError, match="te groot"):
        call_command("import_transcript", str(fifo), "--committee", "economie")
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert sum(sent) < 2**20  # stopped long before the writer's 50 MB
    assert written() == (0, 0, 0)


def test_a_missing_file_and_a_directory_are_still_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="bestand niet gevonden"):
        call_command("import_transcript", str(tmp_path / "weg.txt"))
    with pytest.raises(CommandError, match="een map"):
        call_command("import_transcript", str(tmp_path))
    with pytest.raises(CommandError, match="een map"):
        call_command("import_opendata", str(tmp_path))


# -- (d) control characters are escaped in what the commands print -------------------------------------


def hostile_transcript(tmp_path, sequence: str) -> Path:
    """The seed with `sequence` put inside each proposed commitment, so the commands print it."""
    out = _Buffer()
    call_command("extract_commitments", str(SEED), "--format", "json", stdout=out)
    text = SEED.read_text(encoding="utf-8")
    for candidate in json.loads(out.text)["files"][0]["candidates"]:
        first, rest = candidate["quote"].split(" ", 1)
        assert candidate["quote"] in text
        text = text.replace(candidate["quote"], f"{first} {sequence}{rest}")
    path = tmp_path / "verslag.txt"
    path.write_text(text, encoding="utf-8")
    return path


class _Buffer:
    def __init__(self):
        self.text = ""

    def write(self, s):
        self.text += s

    def flush(self):
        pass


@pytest.mark.parametrize("sequence", ["\x1b[2J", "\x9b2J", "\u202e"])
def test_import_and_extract_do_not_print_control_characters_raw(committee, tmp_path, sequence):
    path = hostile_transcript(tmp_path, sequence)
    escaped = f"\\u{ord(sequence[0]):04x}{sequence[1:]}"
    for args in (
        ["import_transcript", str(path), "--committee", "economie", "--dry-run"],
        ["extract_commitments", str(path)],
    ):
        out = _Buffer()
        call_command(*args, stdout=out)
        assert sequence[0] not in out.text, args
        # The import cleans what it stores (and prints); extraction prints the text as found.
        assert escaped in out.text or args[0] == "import_transcript", args


def test_import_prints_a_file_name_with_control_characters_escaped(committee, tmp_path):
    path = tmp_path / "a\x1b[2Jb.txt"
    path.write_bytes(SEED.read_bytes())
    out = _Buffer()
    call_command("import_transcript", str(path), "--committee", "economie", "--dry-run", stdout=out)
    assert "\x1b" not in out.text
    assert "a\\u001b[2Jb.txt" in out.text


def test_json_output_stays_valid_and_keeps_the_character(tmp_path):
    path = hostile_transcript(tmp_path, "\x9b2J")
    out = _Buffer()
    call_command("extract_commitments", str(path), "--format", "json", stdout=out)
    assert "\x9b" not in out.text
    quotes = [c["quote"] for c in json.loads(out.text)["files"][0]["candidates"]]
    assert any("\x9b2J" in q for q in quotes)


def test_control_characters_in_a_file_name_are_escaped_in_errors(tmp_path):
    path = tmp_path / "a\x1b[2Jb.txt"
    path.write_bytes(b"")
    result = run_manage("import_transcript", str(path))
    assert result.returncode == 1
    assert "\x1b" not in result.stderr
    assert "a\\u001b[2Jb.txt" in result.stderr


def test_escape_controls_keeps_newlines_tabs_and_letters():
    assert _common.escape_controls("é\tä\nß\x07\x7f") == "é\tä\nß\\u0007\\u007f"


def test_a_fixture_from_dev_zero_is_refused_after_the_cap_not_read_whole():
    """stat() reports size 0 for /dev/zero and pipes; the read itself must stop at the limit."""
    from tracker.exchange.fixtures_import import FixtureRefused, read_fixture_file

    with pytest.raises(FixtureRefused) as info:
        read_fixture_file("/dev/zero", max_bytes=1000)
    assert "te groot" in str(info.value.errors[0].message)
