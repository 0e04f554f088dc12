"""The workbook every export is made with: no string becomes a formula or a link; formulas still can."""

from __future__ import annotations

import io

import openpyxl
import pytest

from wholecouncil.tabular.xlsx import new_workbook


def test_strings_stay_strings_and_formulas_are_only_written_on_purpose() -> None:
    out = io.BytesIO()
    book = new_workbook(out)
    sheet = book.add_worksheet("S")
    sheet.write(0, 0, "=1+2")
    sheet.write(1, 0, "http://x.example.invalid/")
    sheet.write_row(2, 0, ['=HYPERLINK("http://example.invalid","x")'])
    sheet.write_formula(3, 0, "=SUM(B1:B2)")
    book.close()
    read = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["S"]
    assert [(c.value, c.data_type) for c in read["A"]] == [
        ("=1+2", "s"),
        ("http://x.example.invalid/", "s"),
        ('=HYPERLINK("http://example.invalid","x")', "s"),
        ("=SUM(B1:B2)", "f"),
    ]
    assert all(c.hyperlink is None for c in read["A"])


def test_the_safety_options_cannot_be_turned_back_on() -> None:
    with pytest.raises(ValueError, match="strings_to_formulas"):
        new_workbook(io.BytesIO(), strings_to_formulas=True)
