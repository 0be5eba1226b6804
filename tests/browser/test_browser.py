"""What a visitor does in a real browser: filter, read a commitment, check it in the transcript, switch
language, work the list with the keyboard alone; and the strict CSP holds on every page."""

import os
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import translation

from .pages import CHROMIUM, MINISTER_SLUG, MISSING_CHROMIUM, PAGES, SCREENS, SESSION_SLUG, log_in, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FILTER_FORM = "section.filters form"
RESULT_REFS = "table.commitments tbody th[scope=row] a"


def translated(msgid: str, language: str) -> str:
    """What the page should show for msgid in language, according to the project's catalog."""
    with translation.override(language):
        return translation.gettext(msgid)


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_chromium_is_installed():
    """The one place the missing browser shows as a plain failure (the other tests error in setup)."""
    assert os.path.exists(CHROMIUM), MISSING_CHROMIUM


def test_filter_by_minister_and_status(page, register):
    visit(page, "/toezeggingen/")
    everything = page.locator(RESULT_REFS).all_inner_texts()
    assert {"TZ-2026-0001", "TZ-2026-0002", "TZ-2026-0003"} <= set(everything)
    assert "TZ-2026-0004" not in everything  # a candidate is internal

    page.select_option("#id_minister", MINISTER_SLUG)
    page.get_by_role("checkbox", name=translated("open", "nl"), exact=True).check()
    assert translated("open", "nl") == "openstaand"
    with page.expect_navigation():
        page.locator(f"{FILTER_FORM} button[type=submit]").click()

    params = query(page.url)
    assert params["minister"] == [MINISTER_SLUG]
    assert params["status"] == ["open"]
    # Hilde Crevits' open commitment and the committee's open one on her item; her fulfilled one and
    # everybody else's are filtered out.
    assert sorted(page.locator(RESULT_REFS).all_inner_texts()) == ["TZ-2026-0001", "TZ-2026-0002"]
    promisers = page.locator("table.commitments tbody td:nth-child(3)").all_inner_texts()
    assert sorted(promisers) == ["Hilde Crevits", "Voorzitter van de commissie"]
    assert page.locator("table.commitments tbody .status").all_inner_texts() == ["openstaand", "openstaand"]
    # The form shows the filter that is applied.
    assert page.locator("#id_minister").input_value() == MINISTER_SLUG
    assert page.locator(f"{FILTER_FORM} input[name=status][value=open]").is_checked()
    assert not page.locator(f"{FILTER_FORM} input[name=status][value=fulfilled]").is_checked()


def test_commitment_quote_leads_to_highlighted_transcript(page, register):
    SCREENS.mkdir(parents=True, exist_ok=True)
    visit(page, "/toezeggingen/")
    page.screenshot(path=str(SCREENS / "list.png"), full_page=True)

    with page.expect_navigation():
        page.locator(RESULT_REFS, has_text="TZ-2026-0001").click()
    assert urlsplit(page.url).path == "/toezeggingen/TZ-2026-0001/"
    assert "TZ-2026-0001" in page.locator("h1").inner_text()
    quote = register["quote"]
    assert quote in " ".join(page.locator("figure.quote blockquote").inner_text().split())
    page.screenshot(path=str(SCREENS / "detail.png"), full_page=True)

    target = f"/vergaderingen/{SESSION_SLUG}/#speech-{register['speech_pk']}"
    link = page.locator(f'figure.quote figcaption a[href="{target}"]')
    assert link.inner_text() == translated("read it in the transcript", "nl")
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(target)

    speech = page.locator(f"#speech-{register['speech_pk']}")
    assert speech.is_visible()
    assert page.evaluate("location.hash") == f"#speech-{register['speech_pk']}"
    assert page.locator(":target").get_attribute("id") == f"speech-{register['speech_pk']}"
    # The browser scrolled the speech into view.
    top = speech.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"], f"the speech is not in view (top at {top}px)"
    assert "Crevits" in speech.locator("h3").inner_text()
    marks = speech.locator("mark")
    assert marks.count() == 1
    assert quote in " ".join(marks.inner_text().split())
    assert marks.locator("a").get_attribute("href") == "/toezeggingen/TZ-2026-0001/"
    page.screenshot(path=str(SCREENS / "session.png"), full_page=True)


def test_switch_language_to_english_and_back(page, register):
    visit(page, "/toezeggingen/?status=open")

    def shows(language):
        assert page.locator("html").get_attribute("lang") == language
        assert page.locator("#lang-select").input_value() == language
        assert page.locator("h1").inner_text() == translated("Commitments", language)
        assert page.locator("a.brand").inner_text() == translated("Commitments register", language)
        assert page.title().endswith(translated("Commitments register", language))
        assert page.get_by_role("checkbox", name=translated("open", language), exact=True).count() == 1
        assert query(page.url)["status"] == ["open"], "switching language keeps the visitor on the same page"

    shows("nl")
    # Strings the Dutch catalog certainly translates, so the switch is visible on the page itself.
    assert page.locator("a.brand").inner_text() == "Toezeggingenregister"
    assert page.get_by_role("checkbox", name="openstaand", exact=True).count() == 1

    page.select_option("#lang-select", "en")
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()
    shows("en")
    assert page.locator("a.brand").inner_text() == "Commitments register"
    assert page.locator("h1").inner_text() == "Commitments"
    assert page.get_by_role("checkbox", name="open", exact=True).count() == 1

    page.select_option("#lang-select", "nl")
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()
    shows("nl")
    assert page.locator("a.brand").inner_text() == "Toezeggingenregister"


FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name") || "", value: el.value ?? "",
    type: el.getAttribute("type") || "", cls: el.className || "",
    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, outlineColor: style.outlineColor,
    left: el.getBoundingClientRect().left, inForm: !!el.closest("section.filters form"),
    // Focus inside a native control's own parts (the calendar button of <input type=date>): the element
    // itself does not match :focus, and the browser draws its own focus ring on that part.
    focusInside: !el.matches(":focus"),
  };
}"""


def assert_focus_visible(focused):
    if focused["focusInside"] and focused["type"] == "date":
        return  # Chromium's calendar button: its built-in focus ring shows (see /tmp/screens after a run)
    assert focused["outlineStyle"] != "none" and focused["outlineWidth"] != "0px", (
        f"no visible focus indicator on {focused}"
    )


def test_list_by_keyboard_only(page, register):
    visit(page, "/toezeggingen/")

    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] == "a" and "skip" in focused["cls"], f"the first Tab stop is not the skip link: {focused}"
    assert focused["left"] >= 0, "the skip link stays off-screen when focused"
    assert_focus_visible(focused)

    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert page.evaluate(FOCUSED)["id"] == "main", "the skip link does not move focus to <main>"

    # Tab through the filter form: tick "openstaand" with Space, pick the minister by typing, submit with Enter.
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["inForm"], f"Tab left the filter form before reaching its submit button: {focused}"
        assert_focus_visible(focused)
        seen.append(focused["name"] or focused["tag"])
        if focused["name"] == "status" and focused["value"] == "open":
            page.keyboard.press("Space")
        elif focused["id"] == "id_minister":
            page.keyboard.type("Hilde")
            assert page.locator("#id_minister").input_value() == MINISTER_SLUG
        elif focused["tag"] == "button" and focused["type"] == "submit":
            break
    else:
        pytest.fail(f"never reached the filter form's submit button; Tab stops: {seen}")
    assert seen[0] == "q", f"the first Tab stop after the skip link is not the search field: {seen}"
    assert {"status", "committee", "minister", "overdue", "due_from", "due_to", "sort"} <= set(seen), seen
    print("Tab stops in the filter form:", seen)

    with page.expect_navigation():
        page.keyboard.press("Enter")
    params = query(page.url)
    assert params["minister"] == [MINISTER_SLUG]
    assert params["status"] == ["open"]
    assert sorted(page.locator(RESULT_REFS).all_inner_texts()) == ["TZ-2026-0001", "TZ-2026-0002"]

    # The results are reachable too: Tab on from the form's end lands on links with a visible focus.
    page.locator(f"{FILTER_FORM} button[type=submit]").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert_focus_visible(page.evaluate(FOCUSED))


def test_no_csp_violations_on_any_page(page, register, member, journal):
    for name, path, needs_login in PAGES:
        if needs_login:
            log_in(page)
        response = visit(page, path)
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "unsafe-" not in policy, f"{name}: no strict CSP ({policy!r})"
        assert not journal.csp_violations(), f"{name} ({path}):\n" + "\n".join(journal.csp_violations())
        assert not journal.bad_responses, f"{name} ({path}): failed requests {journal.bad_responses}"

    # The check itself works: an inline script without the nonce is blocked and reported.
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__tzInline = 1";
        document.body.append(s);
    }""")
    for _ in range(40):
        if journal.csp_events and journal.console:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("window.__tzInline") is None
    assert any("Content Security Policy" in text for _, text, _ in journal.console), "no console report of the block"
    assert journal.csp_events, "no securitypolicyviolation event for the block"
    journal.clear()
