"""On a phone (390 px wide): nothing is wider than the screen, and the list shows its results before its filters."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tracker.models import Commitment, Follow

from .pages import (
    AXE_OPTIONS,
    BLOCKING,
    MEMBER_SLUG,
    MINISTER_SLUG,
    PAGES,
    SCREENS,
    SESSION_SLUG,
    describe,
    log_in,
    visit,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
RESULT_LINK = "table.commitments tbody th[scope=row] a"

# The elements with a box whose right edge passes the viewport (the innermost ones: those that push the page wider
# rather than those widened by them), unless a container of their own scrolls or clips sideways and that
# container fits (a wide table may scroll inside its box; the page itself may not).
OVERFLOW = """(limit) => {
  const clips = (el) => ["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(el).overflowX);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "");
  const passes = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.right + window.scrollX > limit + 0.5;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!passes(el) || [...el.children].some(passes)) continue;
    let contained = false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (clips(up) && !passes(up)) { contained = true; break; }
    }
    const right = Math.round(el.getBoundingClientRect().right);
    if (!contained) wide.push(`${name(el)} to ${right}px: ${(el.textContent || "").trim().slice(0, 40)}`);
  }
  // Text sticking out of its own box (a long word that does not wrap) widens the page without widening a box.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    if (!text.textContent.trim()) continue;
    range.selectNodeContents(text);
    const right = Math.max(0, ...[...range.getClientRects()].map((r) => r.right + window.scrollX));
    let contained = false;
    for (let up = text.parentElement; up && up !== document.body; up = up.parentElement) {
      if (clips(up) && !passes(up)) { contained = true; break; }
    }
    if (right > limit + 0.5 && !contained) {
      const words = text.textContent.trim().slice(0, 40);
      wide.push(`text in ${name(text.parentElement)} to ${Math.round(right)}px: ${words}`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    wide: wide.slice(0, 12), more: Math.max(0, wide.length - 12),
  };
}"""


@pytest.fixture
def phone(browser, live_server, journal):
    """A phone-sized browser context (Flemish visitor), with the same console journal as `page`.

    Not `is_mobile`: a phone would zoom a too-wide page out (its layout viewport grows to fit), which hides
    which element is too wide; at a fixed 390 px layout viewport the culprits stick out past the edge.
    """
    context = browser.new_context(locale="nl-BE", viewport=PHONE, has_touch=True, base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.on("console", lambda m: journal.console.append((m.type, m.text, tab.url)))
    yield tab
    context.close()


def assert_fits(phone, what: str):
    found = phone.evaluate(OVERFLOW, PHONE["width"])
    assert found["innerWidth"] == PHONE["width"]
    assert found["scrollWidth"] <= found["innerWidth"], (
        f"{what}: scrollWidth {found['scrollWidth']} > {found['innerWidth']}; too wide: {found['wide']}"
    )
    assert not found["wide"], f"{what}: elements past the right edge: {found['wide']} (+{found['more']} more)"


def follow_token(member) -> str:
    follow = Follow.objects.create(user=member, commitment=Commitment.objects.get(reference="TZ-2026-0001"))
    return str(follow.token)


# (id, path, needs a logged-in member); paths with {token} need a follow of the member.
PHONE_PAGES = [
    *(page for page in PAGES if page[0] != "admin-login"),  # every public kind of page; Django's admin is not ours
    ("list-search", "/toezeggingen/?q=lijsten&overdue=1&due_from=2020-01-01&year=2016-2017", False),
    ("list-invalid", "/toezeggingen/?year=zomaar-iets-langs&due_from=gisteren", False),
    ("unsubscribe", "/uitschrijven/{token}/", True),
]


@pytest.mark.parametrize(("path", "needs_member"), [pytest.param(p, m, id=name) for name, p, m in PHONE_PAGES])
def test_page_fits_a_phone(request, phone, register, path, needs_member):
    if needs_member:
        member = request.getfixturevalue("member")
        path = path.format(token=follow_token(member))
        log_in(phone)
    visit(phone, path)
    assert_fits(phone, path)


def test_page_fits_a_phone_in_english(phone, register, member):
    visit(phone, "/toezeggingen/")
    phone.select_option("#lang-select", "en")
    with phone.expect_navigation():
        phone.locator("form.lang button[type=submit]").click()
    assert phone.locator("html").get_attribute("lang") == "en"
    for path in ["/toezeggingen/", "/toezeggingen/TZ-2026-0001/", f"/vergaderingen/{SESSION_SLUG}/"]:
        visit(phone, path)
        assert phone.locator("html").get_attribute("lang") == "en"
        assert_fits(phone, f"{path} (English)")


def test_unsubscribed_and_not_found_pages_fit_a_phone(phone, register, member):
    log_in(phone)
    visit(phone, f"/uitschrijven/{follow_token(member)}/")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    assert not Follow.objects.exists()
    assert_fits(phone, "unsubscribed")

    response = phone.goto("/toezeggingen/TZ-1999-0001/")
    assert response.status == 404
    assert_fits(phone, "404")


def test_long_words_in_headings_wrap(phone, register):
    """A sitting titled with long Dutch compounds (as imported transcripts are) still fits."""
    from tracker.models import Session

    Session.objects.filter(slug=SESSION_SLUG).update(
        title="Commissievergadering: Commissie voor Economie, Werk en Sociale Economie — "
        "Arbeidsmarktbeleidsonderzoeksopdrachtenprogramma (Commissievergaderingsverslag)"
    )
    for path in [f"/vergaderingen/{SESSION_SLUG}/", "/toezeggingen/TZ-2026-0001/"]:
        visit(phone, path)
        assert_fits(phone, path)


FIELDS_SHOWN_BEFORE = """(resultSelector) => {
  const first = document.querySelector(resultSelector);
  const fields = [...document.querySelectorAll("section.filters form :is(input, select, textarea)")]
    .filter((f) => f.type !== "hidden" && f.name !== "q");
  return {
    total: fields.length,
    before: fields
      .filter((f) => f.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
      .filter((f) => f.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)
      .map((f) => f.name + (f.type === "checkbox" ? "=" + f.value : "")),
  };
}"""


@pytest.mark.parametrize(
    "path",
    ["/toezeggingen/", f"/toezeggingen/?minister={MINISTER_SLUG}&status=open&status=fulfilled"],
    ids=["unfiltered", "filtered"],
)
def test_list_shows_results_before_filters_on_a_phone(phone, register, path):
    visit(phone, path)
    shown = phone.evaluate(FIELDS_SHOWN_BEFORE, RESULT_LINK)
    assert shown["total"] >= 10, "the filter form lost its fields"
    assert not shown["before"], f"on a phone these filter fields come before the first result: {shown['before']}"
    first = phone.locator(RESULT_LINK).first
    assert first.is_visible()
    assert first.bounding_box()["y"] < PHONE["height"], "the first result is not on the first screen"

    # The filters are folded, not gone: one tap opens them, with the active filters in place.
    toggle = phone.locator("section.filters details > summary")
    assert toggle.is_visible()
    assert phone.locator("section.filters details").get_attribute("open") is None
    toggle.click()
    assert phone.locator("#id_minister").is_visible()
    if "minister=" in path:
        assert phone.locator("#id_minister").input_value() == MINISTER_SLUG
        # The folded summary names what is filtered, so the visitor sees why the list is short.
        assert "Minister" in toggle.inner_text() and "Status" in toggle.inner_text()
    assert_fits(phone, f"{path} with the filters open")


def test_folded_filters_work_without_javascript(browser, live_server, register):
    context = browser.new_context(locale="nl-BE", viewport=PHONE, java_script_enabled=False, base_url=live_server.url)
    try:
        phone = context.new_page()
        visit(phone, "/toezeggingen/")
        phone.locator("section.filters details > summary").click()
        phone.select_option("#id_minister", MINISTER_SLUG)
        with phone.expect_navigation():
            phone.locator("section.filters form button[type=submit]").click()
        assert f"minister={MINISTER_SLUG}" in phone.url
        assert sorted(phone.locator(RESULT_LINK).all_inner_texts()) == ["TZ-2026-0001", "TZ-2026-0002", "TZ-2026-0003"]
    finally:
        context.close()


def test_filters_stay_open_on_a_wide_screen(page, register):
    """On a laptop the filters stay beside the results, unfolded, with no toggle in the way."""
    visit(page, "/toezeggingen/")
    assert page.locator("#id_minister").is_visible()
    assert page.locator("#id_q").is_visible()
    assert not page.locator("section.filters details > summary").is_visible()
    filters = page.locator("section.filters").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"], "the filters are no longer beside the results"


@pytest.mark.parametrize(
    "path",
    ["/toezeggingen/", "/toezeggingen/TZ-2026-0001/", f"/personen/{MEMBER_SLUG}/"],
    ids=["list", "detail", "person"],
)
def test_phone_layout_keeps_tables_and_accessibility(phone, register, path):
    """The phone layout only restyles: tables stay tables to a screen reader, and axe finds nothing serious."""
    visit(phone, path)
    if phone.locator("table.commitments").count():
        rows = phone.locator("table.commitments tbody tr").count()
        assert phone.get_by_role("columnheader").count() == 5
        assert phone.get_by_role("rowheader").count() == rows
        # The column names shown in front of two cells are not read out on top of the column headers.
        assert phone.get_by_role("cell", name="Toegezegd door", exact=False).count() == 0
    violations = Axe().run(phone, options=AXE_OPTIONS).response["violations"]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{path} on a phone: accessibility violations\n{describe(blocking)}"


def test_screenshots_on_a_phone(phone, register):
    """Screenshots to look at (BROWSER_SCREENSHOTS, /tmp/screens by default)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    shots = [
        ("phone-list", "/toezeggingen/"),
        ("phone-detail", "/toezeggingen/TZ-2026-0001/"),
        ("phone-session", f"/vergaderingen/{SESSION_SLUG}/"),
        ("phone-person", f"/personen/{MINISTER_SLUG}/"),
    ]
    for name, path in shots:
        visit(phone, path)
        assert_fits(phone, path)
        phone.screenshot(path=str(SCREENS / f"{name}.png"), full_page=name != "phone-session")  # long: first screen
    visit(phone, f"/toezeggingen/?minister={MINISTER_SLUG}&status=open")
    phone.locator("section.filters details > summary").click()
    phone.screenshot(path=str(SCREENS / "phone-list-filters-open.png"), full_page=True)
