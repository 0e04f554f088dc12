"""Text a person might type or upload that a spreadsheet would take for a formula, and the checks that a
workbook wrote it as text: shared by every app's export tests."""

from __future__ import annotations

from typing import Any

HYPERLINK = '=HYPERLINK("http://example.invalid/x","Click for invoice")'
SUM = "=1+2"


def assert_text(cell: Any, expected: str) -> None:
    """An openpyxl cell holding `expected` as a string: not a formula, not a link."""
    assert (cell.value, cell.data_type) == (expected, "s")
    assert cell.hyperlink is None
