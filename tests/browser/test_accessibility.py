"""axe-core on every kind of page: no "serious" or "critical" violation (WCAG 2.1 AA and axe's best practices).

axe-core ships inside the axe-playwright-python package, so the scan runs offline.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .pages import AXE_OPTIONS, BLOCKING, PAGES, describe, log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def axe():
    return Axe()


@pytest.mark.parametrize(("path", "needs_login"), [pytest.param(p, login, id=name) for name, p, login in PAGES])
def test_no_serious_accessibility_violations(request, page, register, journal, axe, path, needs_login):
    if needs_login:
        request.getfixturevalue("member")
        log_in(page)
    visit(page, path)
    assert not journal.bad_responses, f"{path}: the page did not load completely: {journal.bad_responses}"
    violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    others = [v for v in violations if v["impact"] not in BLOCKING]
    if others:  # shown with -rA / on failure; they do not fail the test
        print(f"{path}: lesser accessibility issues\n{describe(others)}")
    assert not blocking, f"{path}: accessibility violations\n{describe(blocking)}"


# axe only reports these as "needs review" (incomplete), so they are checked here outright: every id is
# unique, and every id an ARIA attribute or a label refers to exists.
ID_REFERENCES = """() => {
  const count = {};
  for (const el of document.querySelectorAll("[id]")) count[el.id] = (count[el.id] || 0) + 1;
  const problems = Object.entries(count).filter(([, n]) => n > 1).map(([id, n]) => `id "${id}" is used ${n} times`);
  for (const attr of ["aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "for", "list", "headers"]) {
    for (const el of document.querySelectorAll(`[${attr}]`)) {
      for (const ref of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
        if (!count[ref]) problems.push(`${attr}="${ref}" refers to no element: ${el.outerHTML.slice(0, 160)}`);
      }
    }
  }
  return problems;
}"""


def test_ids_are_unique_and_references_resolve(page, register, member):
    found = {}
    for name, path, needs_login in PAGES:
        if needs_login:
            log_in(page)
        visit(page, path)
        found[name] = page.evaluate(ID_REFERENCES)
    problems = [f"{name}: {p}" for name, found_problems in found.items() for p in found_problems]
    assert not problems, "\n".join(problems)
