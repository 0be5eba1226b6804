"""The clerks' spreadsheet export page works under the strict CSP: "select all" ticks and unticks the fields."""

import pytest
from django.contrib.auth.models import Permission

from .pages import visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLERK, CLERK_PASSWORD = "griffier", "browser-test-only-pw"  # noqa: S105
FIELD_BOXES = '.selectable-field-export-row input[type="checkbox"]:not(.select-toggle)'


@pytest.fixture
def export_clerk(register, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(CLERK, password=CLERK_PASSWORD, is_staff=True)
    # Live-server tests flush the database between tests, data migrations included (the "Griffie" group):
    # the clerk gets the two permissions the export page needs directly.
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="tracker", codename__in=["view_commitment", "export_commitment"]
        )
    )
    return user


def boxes_checked(page) -> list[bool]:
    return page.locator(FIELD_BOXES).evaluate_all("boxes => boxes.map((b) => b.checked)")


def test_select_all_on_the_export_page(page, journal, export_clerk):
    visit(page, "/admin/login/?next=/admin/")
    page.fill("#id_username", CLERK)
    page.fill("#id_password", CLERK_PASSWORD)
    with page.expect_navigation():
        page.locator("#login-form [type=submit]").click()
    assert page.url.endswith("/admin/"), f"login failed: at {page.url}"
    journal.clear()  # what the export page reports, from its first byte on
    visit(page, "/admin/tracker/commitment/export/")

    # Its label names it (the package's label pointed at an id nobody had).
    toggle = page.get_by_role("checkbox", name="Alles selecteren")
    assert toggle.is_checked()
    assert len(boxes_checked(page)) >= 5 and all(boxes_checked(page)), "every field is ticked to begin with"

    toggle.uncheck()
    assert not any(boxes_checked(page)), "unticking 'select all' left fields ticked"
    page.locator(FIELD_BOXES).first.check()
    toggle.check()
    assert all(boxes_checked(page)), "ticking 'select all' left fields unticked"

    page.wait_for_timeout(100)  # a blocked handler reports asynchronously
    assert not journal.csp_violations(), "\n".join(journal.csp_violations())
    assert not journal.bad_responses, journal.bad_responses
