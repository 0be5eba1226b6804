"""Issue 16, low: import_opendata reads the XML as a stream and caps toezeggingen and elements, so
2,000,000 empty elements are refused at once with flat memory instead of being read into one tree;
and what it prints from a file reaches the terminal escaped."""

import io
import time
import tracemalloc

import pytest
from django.core.management import CommandError, call_command

from tests.factories import TK_COUNT, TK_FILE, counts, document, dump, toezegging
from tests.runners import import_command, run_manage
from tracker.exchange import opendata
from tracker.exchange.opendata import TK_NS, OpendataRefused, opendata_import
from tracker.models import Commitment

pytestmark = pytest.mark.django_db

N = 2_000_000
ROOT = f'<toezeggingen xmlns:tk="{TK_NS}">'.encode()
RECORDS_LIMIT = (
    "meer dan 50.000 elementen onder <toezeggingen>; een bestand mag hoogstens 50.000 toezeggingen bevatten "
    "(instelling TRACKER_OPENDATA_MAX_RECORDS)."
)
ELEMENTS_LIMIT = "<tk:toezegging> bevat meer dan 1.000 elementen; een toezegging mag er hoogstens 1.000 bevatten."
# Where the 2,000,000 empty elements sit, and the limit that refuses them.
SHAPES = {
    "toezeggingen": (ROOT, b"<tk:toezegging/>", b"</toezeggingen>", RECORDS_LIMIT),
    "other elements": (ROOT, b"<x/>", b"</toezeggingen>", RECORDS_LIMIT),
    "inside one toezegging": (
        ROOT + b"<tk:toezegging>",
        b"<tk:isHerhalingVan/>",
        b"</tk:toezegging></toezeggingen>",
        ELEMENTS_LIMIT,
    ),
    "inside a toezegging as the root": (
        f'<tk:toezegging xmlns:tk="{TK_NS}">'.encode(),
        b"<tk:isHerhalingVan/>",
        b"</tk:toezegging>",
        ELEMENTS_LIMIT,
    ),
}
# The old parser built the whole tree and listed every child of the root (as an element or an error):
# hundreds of megabytes of Python objects for these files. Streaming holds one toezegging at a time and
# at most one error per child of the root up to the records limit (some 15 MB for "other elements").
PEAK_BYTES = 32 * 2**20


def empty_elements(shape: str) -> bytes:
    head, element, tail, _limit = SHAPES[shape]
    return head + element * N + tail


@pytest.mark.parametrize("shape", SHAPES)
def test_two_million_empty_elements_are_refused_at_once_and_nothing_is_written(seed, tmp_path, shape):
    path = tmp_path / "toezeggingen.xml"
    path.write_bytes(empty_elements(shape))
    before, before_dump = counts(), dump()
    started = time.monotonic()
    with pytest.raises(CommandError) as info:
        call_command("import_opendata", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert time.monotonic() - started < 20
    message = str(info.value)
    assert message.startswith("1 fout(en) gevonden; er werd niets ingelezen.")
    assert f"{path}, regel 1: {SHAPES[shape][3]}" in message
    assert counts() == before and dump() == before_dump


@pytest.mark.parametrize("shape", SHAPES)
def test_two_million_empty_elements_keep_memory_flat(db, shape):
    data = empty_elements(shape)
    tracemalloc.start()
    try:
        with pytest.raises(OpendataRefused):
            opendata_import(data=data, filename="toezeggingen.xml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{peak / 2**20:.0f} MB"


def test_on_the_command_line_two_million_elements_exit_1_with_the_limit_and_an_escaped_name(tmp_path):
    """In its own process: the exit status, the message as printed, and the memory libxml2 itself uses
    (which tracemalloc does not see): the old whole tree of these elements alone took some 250 MB."""
    path = tmp_path / "a\x1b[2Jb.xml"
    path.write_bytes(empty_elements("other elements"))
    preamble = (
        "import atexit, resource, sys\n"
        "_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "atexit.register(lambda: sys.stderr.write("
        "f'\\nmaxrss+ {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - _start}\\n'))\n"
    )
    result = run_manage("import_opendata", str(path), preamble=preamble, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stderr
    escaped = str(path).replace("\x1b", "\\u001b")
    assert f"{escaped}, regel 1: {RECORDS_LIMIT}" in result.stderr
    grown_kb = int(result.stderr.rsplit("maxrss+ ", 1)[1])
    assert grown_kb < 100 * 1024, f"{grown_kb / 1024:.0f} MB"


# -- the limits ---------------------------------------------------------------------------------------


def test_more_toezeggingen_than_the_setting_are_refused_and_nothing_is_written(tmp_path, settings):
    settings.TRACKER_OPENDATA_MAX_RECORDS = TK_COUNT - 1
    with pytest.raises(CommandError) as info:
        import_command(tmp_path, TK_FILE)
    message = str(info.value)
    # The fourth toezegging starts on line 6 of the document.
    assert (
        f"toezeggingen.xml, regel 6: meer dan {TK_COUNT - 1} elementen onder <root>; een bestand mag hoogstens "
        f"{TK_COUNT - 1} toezeggingen bevatten (instelling TRACKER_OPENDATA_MAX_RECORDS)." in message
    )
    assert "er werd niets ingelezen" in message
    assert sum(counts().values()) == 0


def test_exactly_as_many_toezeggingen_as_the_setting_are_imported(tmp_path, settings):
    settings.TRACKER_OPENDATA_MAX_RECORDS = TK_COUNT
    output = import_command(tmp_path, TK_FILE)
    assert f"Toezeggingen: {TK_COUNT} aangemaakt, 0 bijgewerkt, 0 ongewijzigd" in output


# toezegging() has nine elements, itself included: toezegging, aanmaakdatum, nummer, naam, achternaam,
# functie, status, ministerie, tekst.
ELEMENTS_IN_ONE = 9


@pytest.mark.parametrize(
    "data",
    [
        document(toezegging("TZ1")),
        toezegging("TZ1").replace("<tk:toezegging ", f'<tk:toezegging xmlns:tk="{TK_NS}" ', 1).encode(),
    ],
    ids=["in a container", "as the root"],
)
def test_the_elements_limit_counts_the_toezegging_and_everything_in_it(db, monkeypatch, data):
    monkeypatch.setattr(opendata, "MAX_ELEMENTS_PER_RECORD", ELEMENTS_IN_ONE)
    assert opendata_import(data=data, filename="x.xml").created == ["TZ1"]
    Commitment.objects.all().delete()
    monkeypatch.setattr(opendata, "MAX_ELEMENTS_PER_RECORD", ELEMENTS_IN_ONE - 1)
    with pytest.raises(OpendataRefused) as info:
        opendata_import(data=data, filename="x.xml")
    assert [str(e) for e in info.value.errors] == [
        f"x.xml, regel {3 if data.startswith(b'<?xml') else 1}: <tk:toezegging> bevat meer dan 8 elementen; "
        "een toezegging mag er hoogstens 8 bevatten."
    ]
    assert not Commitment.objects.exists()


# -- what a whole tree did, streaming does too ----------------------------------------------------------


def test_errors_keep_their_line_and_position_after_earlier_toezeggingen_are_dropped(db):
    numbers = [f"TZ{i}" for i in range(1, 1001)]
    data = document(*[toezegging(n) for n in numbers[:-1]], toezegging(numbers[-1], status="Afgerond"))
    with pytest.raises(OpendataRefused) as info:
        opendata_import(data=data, filename="x.xml")
    assert {(e.line, e.record) for e in info.value.errors} == {(1002, "toezegging 1000 (TZ1000)")}
    assert not Commitment.objects.exists()


def test_structure_errors_still_come_alone_before_any_schema_error(db):
    invalid = toezegging("TZ1", status="Afgerond")
    with pytest.raises(OpendataRefused) as info:
        opendata_import(data=document(invalid, "<iets/>", invalid), filename="x.xml")
    assert [str(e) for e in info.value.errors] == [
        f"x.xml, regel 4: onverwacht element <iets>; verwacht alleen tk:toezegging (namespace {TK_NS})."
    ]
    with pytest.raises(OpendataRefused) as info:
        opendata_import(data=document(invalid)[:-3], filename="x.xml")
    assert len(info.value.errors) == 1 and "geen geldige XML op regel 4" in str(info.value.errors[0])


def test_comments_and_instructions_between_toezeggingen_are_passed_over_as_before(db):
    data = document(toezegging("TZ1"), "<!-- tussenin -->", "<?verwerk iets?>", toezegging("TZ2"))
    report = opendata_import(data=data, filename="x.xml")
    assert report.created == ["TZ1", "TZ2"]
    assert list(Commitment.objects.order_by("reference").values_list("reference", flat=True)) == ["TZ1", "TZ2"]


# -- what the command prints ----------------------------------------------------------------------------


@pytest.mark.parametrize("sequence", ["\x9b2J", "\u202e"])
def test_text_from_the_file_is_printed_with_control_characters_escaped(tmp_path, sequence):
    """C0 escapes cannot be written in XML 1.0, but the 8-bit CSI and the bidirectional overrides can."""
    data = document(
        toezegging(
            "TZ1",
            extra=f"<tk:kamerbriefNakoming>Brief {sequence}1</tk:kamerbriefNakoming>",
        ).replace("E. Heinen", f"E. {sequence}Heinen")
    )
    output = import_command(tmp_path, data)
    escaped = f"\\u{ord(sequence[0]):04x}{sequence[1:]}"
    assert sequence[0] not in output
    assert f"Nieuwe personen: E. {escaped}Heinen" in output
    assert f"kamerbriefNakoming “Brief {escaped}1” genegeerd" in output
    assert "Toezeggingen: 1 aangemaakt, 0 bijgewerkt, 0 ongewijzigd" in output
