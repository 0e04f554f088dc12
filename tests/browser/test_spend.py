"""The spend journey that matters most: import a small file through column matching to confirmation, then
read the analysis and review a possible duplicate payment. Every page visited is checked with axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import TEST_PASSWORD
from playwright.sync_api import expect

from tests.browser.axe import check_page
from tests.browser.pages import sign_in
from wholecouncil.accounts.roles import Role
from wholecouncil.council import services
from wholecouncil.council.models import Council, Membership
from wholecouncil.spend.models import DuplicateCandidate, SpendImport, Transaction
from wholecouncil.spend.tests.helpers import csv_bytes

pytestmark = pytest.mark.browser

ROWS = [
    ["ACME LTD", "£1,200.00", "03/04/2024", "Cleaning", "Schools", "INV-001", "GB 812 3112 85"],
    ["Acme Limited", "1200", "05/04/2024", "Cleaning", "Schools", "INV 001", ""],
    ["Bolt Plc", "(250.50)", "10-Apr-2024", "Refund", "Highways", "B-9", ""],
    ["Bolt Plc", "9,999.99", "1 May 2024", "Road salt", "Highways", "B-10", ""],
    ["Quill Office Supplies", "84.20", "2024-05-09", "Stationery", "Resources", "Q-77", ""],
]


@pytest.fixture
def spend_council(transactional_db: None) -> Council:
    return services.council_create(slug="spendshire", name="Spendshire Council")


def test_import_a_file_and_read_the_analysis(
    page: Any, spend_council: Council, make_member: Callable[..., Membership], tmp_path: Path
) -> None:
    make_member(spend_council, Role.FINANCE, username="finance-user")
    upload = tmp_path / "payments-over-500.csv"
    upload.write_bytes(
        csv_bytes(ROWS, preamble=["Payments over £500, April to May 2024", ""], encoding="cp1252")
    )

    page.goto("/sign-in/")
    page.get_by_label("Username").fill("finance-user")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(f"/c/{spend_council.slug}/spend/")
    check_page(page)
    page.get_by_role("link", name="Import spend files").click()
    check_page(page)
    page.get_by_role("button", name="Upload and continue").click()  # nothing chosen: an error, not a crash
    check_page(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose one or more files")
    page.get_by_label("Upload spend files").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and continue").click()

    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns")
    expect(page.get_by_label("Supplier name", exact=True)).to_have_value("Supplier Name")
    expect(page.get_by_label("Amount", exact=True)).to_have_value("Net Amount")
    page.get_by_role("button", name="Check the files").click()

    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and confirm the import")
    expect(page.locator("main")).to_contain_text("£12,233.69")
    page.get_by_role("button", name="Confirm import").click()

    check_page(page)
    expect(page.locator("main")).to_contain_text("Imported 5 payments")
    imp = SpendImport.objects.get(council=spend_council)
    assert imp.status == SpendImport.Status.COMPLETED
    assert Transaction.objects.filter(council=spend_council).count() == 5
    page.get_by_role("link", name="See the spend analysis").click()

    check_page(page)
    main = page.locator("main")
    expect(main).to_contain_text("£12,233.69")
    expect(main.locator("svg[role=img]").first).to_be_visible()
    expect(main.get_by_role("table", name="The 20 suppliers with most net spend")).to_contain_text("Bolt Plc")

    for link in ("Suppliers", "Categories", "Contracts", "Imports", "Duplicate payments"):
        page.get_by_role("navigation", name="Spend").get_by_role("link", name=link, exact=True).click()
        check_page(page)

    candidate = DuplicateCandidate.objects.get(council=spend_council)
    page.get_by_role("link", name=re.compile(r"^Review payments to")).first.click()
    check_page(page)
    page.get_by_label("Confirmed duplicate").check()
    page.get_by_label("Note (optional)").fill("Invoice INV-001 paid twice; refund requested")
    page.get_by_role("button", name="Record the review").click()
    check_page(page)
    candidate.refresh_from_db()
    assert candidate.outcome == DuplicateCandidate.Outcome.CONFIRMED


def test_import_a_contracts_register_matching_its_columns(
    page: Any, spend_council: Council, make_member: Callable[..., Membership], tmp_path: Path
) -> None:
    make_member(spend_council, Role.FINANCE, username="finance-user")
    register = tmp_path / "contracts-register.csv"
    register.write_bytes(
        csv_bytes(
            [["C-1", "Bolt Plc", "Road salt", "01/01/2024", "31/12/2030", "£5,000"]],
            ["Ref", "Contractor", "Title", "Commenced", "Expiry Date", "Contract value"],
        )
    )
    sign_in(page, "finance-user")
    page.goto(f"/c/{spend_council.slug}/spend/contracts/")
    check_page(page)
    page.get_by_role("link", name="Import a contracts register").click()
    check_page(page)
    page.get_by_label("Upload a contracts register").set_input_files(str(register))
    page.get_by_role("button", name="Upload and continue").click()

    check_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the register's columns")
    expect(page.get_by_label("Supplier name", exact=True)).to_have_value("Contractor")
    page.get_by_role("button", name="Import the register").click()  # no start date chosen yet
    check_page(page)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose the column that holds the start date"
    )
    page.get_by_label("Start date", exact=True).select_option("Commenced")
    page.get_by_role("button", name="Import the register").click()

    check_page(page)
    expect(page.locator("main")).to_contain_text("Imported 1 contracts")
    expect(page.get_by_role("table", name="Every contract, by end date")).to_contain_text("Road salt")


def test_the_progress_page_names_each_step_in_place_and_can_be_paused(
    page: Any,
    spend_council: Council,
    make_member: Callable[..., Membership],
    settings: Any,
    tmp_path: Path,
) -> None:
    from django.utils import timezone

    from wholecouncil.spend.engine import suggest_mapping
    from wholecouncil.spend.models import SpendFile
    from wholecouncil.spend.services import background
    from wholecouncil.spend.tests.helpers import HEADERS

    settings.VAR_DIR = tmp_path
    make_member(spend_council, Role.COUNCILLOR, username="councillor")
    imp = SpendImport.objects.create(
        council=spend_council,
        status=SpendImport.Status.RUNNING,
        started_at=timezone.now(),
        file_names=["big.csv"],
        layouts=[{"headers": HEADERS, "tables": ["big.csv"], "mapping": suggest_mapping(HEADERS)}],
        rows_read=5,
    )
    SpendFile.objects.create(spend_import=imp, name="big.csv", content=csv_bytes(), size=10)
    background.progress_write(imp.pk, 2, 5)
    sign_in(page, "councillor")
    page.goto(f"/c/{spend_council.slug}/spend/import/{imp.pk}/")
    check_page(page)
    step = page.locator("#wc-progress-step")
    expect(step).to_have_text("Step 1 of 4: Reading the files")
    expect(page.locator("#wc-progress-figures")).to_contain_text("2 of 5 rows read (40%)")
    page.evaluate("window.wcSamePage = true")  # gone if the page reloads

    background.progress_write(imp.pk, 5, 5, "writing")
    expect(step).to_have_text("Step 2 of 4: Adding the payments", timeout=10_000)
    assert page.evaluate("window.wcSamePage === true"), "updated in place, not by reloading"
    check_page(page)

    page.get_by_role("button", name="Stop updating").click()
    background.progress_write(imp.pk, 5, 5, "duplicates")
    page.wait_for_timeout(4_500)
    expect(step).to_have_text("Step 2 of 4: Adding the payments")  # paused: no update
    page.get_by_role("button", name="Start updating again").click()
    expect(step).to_have_text("Step 4 of 4: Looking for duplicate payments", timeout=10_000)

    SpendImport.objects.filter(pk=imp.pk).update(
        status=SpendImport.Status.COMPLETED, completed_at=timezone.now(), rows_imported=5
    )
    expect(page.locator("main")).to_contain_text("Payments added", timeout=10_000)  # reloaded to show it
    assert not page.evaluate("window.wcSamePage === true")
    expect(page.locator("#wc-progress")).to_have_count(0)
    check_page(page)
