"""The establishment import journey in a real Chromium, with an accessibility check (axe, WCAG 2.2 AA)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_PASSWORD
from tests.browser.axe import check_page

from wholecouncil.accounts.roles import Role
from wholecouncil.council import services as council_services
from wholecouncil.council.models import Council, Membership
from wholecouncil.workforce.models import Post
from wholecouncil.workforce.tests.helpers import SIMPLE_HEADERS, SIMPLE_ROWS, csv_bytes, trafford

pytestmark = pytest.mark.browser


@pytest.fixture
def tab(page: Any) -> Any:
    """A tab on the shared headless Chromium (root conftest), pointed at the live server."""
    return page


@pytest.fixture
def trafford_council(transactional_db: None) -> Council:
    return council_services.council_create(slug="trafford", name="Trafford Council")


def test_import_journey_is_accessible(
    tab: Any,
    trafford_council: Council,
    make_member: Callable[..., Membership],
    shared_data_dir: Path,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    make_member(trafford_council, Role.FINANCE, username="fin")
    tab.goto("/sign-in/")
    tab.get_by_label("Username").fill("fin")
    tab.get_by_label("Password").fill(TEST_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()

    tab.goto(f"/c/{trafford_council.slug}/establishment/")
    check_page(tab)
    tab.get_by_role("button", name="Import an establishment list").click()
    check_page(tab)

    # An unreadable file first: the error summary links to the file input.
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0 old workbook")
    tab.get_by_label("Upload an establishment list").set_input_files(str(bad))
    tab.get_by_role("button", name="Upload and continue").click()
    expect(tab.locator(".govuk-error-summary")).to_contain_text("old-style Excel workbook")
    check_page(tab)

    # A file with a bad FTE: the errors table names file, row and column.
    data = [list(r) for r in SIMPLE_ROWS]
    data[1][6] = "abc"
    broken = tmp_path / "broken.csv"
    broken.write_bytes(csv_bytes(SIMPLE_HEADERS, data))
    tab.get_by_label("Upload an establishment list").set_input_files(str(broken))
    tab.get_by_role("button", name="Upload and continue").click()
    check_page(tab)
    tab.get_by_role("button", name="Check the file").click()
    errors = tab.get_by_role("table", name="1 problem in broken.csv")
    expect(errors).to_contain_text("'abc' is not a number")
    check_page(tab)

    # The real Trafford file goes all the way through.
    tab.goto(f"/c/{trafford_council.slug}/establishment/import/")
    tab.get_by_label("Upload an establishment list").set_input_files(str(trafford(shared_data_dir)))
    tab.get_by_role("button", name="Upload and continue").click()
    expect(tab.get_by_label("Job title")).to_have_value("JobTitle")
    tab.get_by_label("Job title").focus()
    tab.get_by_role("button", name="Check the file").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Check and confirm the import")
    check_page(tab)
    tab.get_by_role("button", name="Confirm import").click()
    expect(tab.get_by_role("alert")).to_contain_text("Imported 80 posts")
    check_page(tab)
    assert Post.objects.filter(council=trafford_council).count() == 80

    tab.goto(f"/c/{trafford_council.slug}/organisation/")
    check_page(tab)
    tab.get_by_role("table", name="Directorates, services and teams").get_by_role(
        "link", name="Place", exact=True
    ).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Place")
    check_page(tab)
    tab.goto(f"/c/{trafford_council.slug}/establishment/")
    check_page(tab)
