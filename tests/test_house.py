"""House rules that keep the code readable: short functions, bounded complexity, lists that only shrink."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_FUNCTION_LINES = 60
# Generated or measuring code, not code to read: migrations are written by makemigrations, benchmarks
# are throwaway drivers.
SKIPPED_DIRS = {"migrations", "benchmarks", "node_modules", "site-packages", "venv"}

# Today's functions over MAX_FUNCTION_LINES (issue #12). This list may only shrink: a new long function
# fails the test, and an entry that is no longer long fails it too, so the list is kept honest.
LONG_FUNCTIONS_ALLOWED: set[str] = set()

# Files where ruff's C901 (complexity over 15) is switched off, with the reason in pyproject.toml.
COMPLEX_FILES_ALLOWED: set[str] = set()

# The only modules under tests/ a test module may import from (issue #12): builders of data, runners of
# commands and settings, the browser tests' pages. A helper taken from another test module or a conftest
# ties the two modules' bodies together, so moving or changing one test breaks another.
SHARED_TEST_MODULES = {"tests.factories", "tests.runners", "tests.browser.pages"}

# Test packages named after no tracker package, with the reason: the browser tests walk every package's pages.
TEST_PACKAGES_OF_THEIR_OWN = {"browser"}


def _python_files():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        yield path


def _long_in(tree: ast.AST, file: str, max_lines: int) -> dict[str, int]:
    found: dict[str, int] = {}

    def walk(node, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                length = child.end_lineno - child.lineno + 1
                if length > max_lines:
                    found[f"{file}::{name}"] = length
                walk(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                walk(child, prefix + child.name + ".")
            else:
                walk(child, prefix)

    walk(tree, "")
    return found


def long_functions(max_lines: int = MAX_FUNCTION_LINES) -> dict[str, int]:
    """'file::Class.function' → length in lines (def to last line, decorators not counted) of each longer one."""
    found: dict[str, int] = {}
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.update(_long_in(tree, path.relative_to(ROOT).as_posix(), max_lines))
    return found


def test_no_new_function_is_longer_than_60_lines():
    new = {name: length for name, length in long_functions().items() if name not in LONG_FUNCTIONS_ALLOWED}
    assert not new, f"split these along their seams (at most {MAX_FUNCTION_LINES} lines): {new}"


def test_the_allow_list_of_long_functions_only_shrinks():
    stale = LONG_FUNCTIONS_ALLOWED - set(long_functions())
    assert not stale, f"no longer over {MAX_FUNCTION_LINES} lines (or gone): remove from the allow-list: {stale}"


def test_the_walk_sees_methods_nested_functions_and_async_ones():
    # The check itself must see every kind of definition, or it would pass on anything.
    body = "\n".join(f"    x = {i}" for i in range(3))
    source = f"class A:\n    async def m(self):\n        def inner():\n{body.replace('    ', '            ')}\n"
    source += f"def f():\n{body}\n"
    assert _long_in(ast.parse(source), "x.py", max_lines=2) == {
        "x.py::A.m": 5,
        "x.py::A.m.inner": 4,
        "x.py::f": 4,
    }


def _is_package(dotted: str) -> bool:
    return (ROOT / dotted.replace(".", "/")).is_dir()


def _imported_modules(tree: ast.AST, package: str) -> set[str]:
    """Every module the code imports (at any depth), relative imports resolved from `package`.

    `from package import name` counts as importing package.name, since the name may be a module."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if _is_package(base):
                found.update(f"{base}.{alias.name}" for alias in node.names)
            else:
                found.add(base)
    return found


def other_test_modules_imported(source: str, package: str) -> set[str]:
    """What code in `package` imports from tests/ besides the shared modules (and packages themselves)."""
    return {
        name
        for name in _imported_modules(ast.parse(source), package)
        if name.startswith("tests.") and name not in SHARED_TEST_MODULES and not _is_package(name)
    }


def test_no_test_module_imports_another_test_modules_helpers():
    found = {}
    for path in sorted((ROOT / "tests").rglob("*.py")):
        package = ".".join(path.relative_to(ROOT).parent.parts)
        imported = other_test_modules_imported(path.read_text(encoding="utf-8"), package)
        if imported:
            found[path.relative_to(ROOT).as_posix()] = sorted(imported)
    assert not found, f"move shared helpers to one of {sorted(SHARED_TEST_MODULES)} and import them there: {found}"


def test_tests_mirror_trackers_packages_and_each_folder_of_tests_is_a_package():
    # Without __init__.py pytest imports a test by its bare file name, so two test_x.py in two folders clash.
    folders = {path.parent for path in (ROOT / "tests").rglob("test_*.py")}
    not_packages = sorted(f.relative_to(ROOT).as_posix() for f in folders if not (f / "__init__.py").exists())
    assert not not_packages, f"add an __init__.py to: {not_packages}"
    tracker = {path.parent.name for path in (ROOT / "tracker").glob("*/__init__.py")}
    stray = sorted(f.name for f in folders - {ROOT / "tests"} if f.name not in tracker | TEST_PACKAGES_OF_THEIR_OWN)
    assert not stray, f"test folders named after no package of tracker/: {stray}"


def test_the_import_check_sees_every_way_to_reach_another_test_module():
    # The check itself must catch absolute, relative, package-level and nested imports, or it would pass on
    # anything; the shared modules, packages and code outside tests/ stay allowed.
    source = """
import tests.exchange.test_opendata
from tests.conftest import build_register
from tests import conftest
from .conftest import visit
from . import test_phone
from ..exchange.test_fixture_import import dump
from tests.factories import build_register
from tests.runners import manage
from .pages import visit
from tests.browser import pages
import tests.browser
from tracker.models import Commitment
from django.db import connection

def helper():
    from .test_accessibility import describe
"""
    assert other_test_modules_imported(source, "tests.browser") == {
        "tests.exchange.test_opendata",
        "tests.conftest",
        "tests.browser.conftest",
        "tests.browser.test_phone",
        "tests.exchange.test_fixture_import",
        "tests.browser.test_accessibility",
    }


def test_complexity_is_checked_for_the_whole_project_with_listed_exceptions_only():
    lint = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["ruff"]["lint"]
    assert "C901" in lint["select"] + lint.get("extend-select", [])
    assert lint["mccabe"]["max-complexity"] == 15
    ignoring = {pattern for pattern, codes in lint.get("per-file-ignores", {}).items() if "C901" in codes}
    assert ignoring <= COMPLEX_FILES_ALLOWED, f"C901 may only be switched off where listed: {ignoring}"
