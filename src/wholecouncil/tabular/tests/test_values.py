from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.tabular import (
    CellError,
    RowError,
    clean_text,
    format_money,
    is_missing,
    parse_decimal,
    parse_flag,
    parse_money,
    parse_money_range,
)

pennies = st.integers(min_value=-(10**12), max_value=10**12).map(lambda p: Decimal(p) / 100)


@pytest.mark.parametrize("text", ["", "  ", "NA", "na", "N/A", "n/a", "-", "—", "#N/A", "null"])
def test_missing_words(text: str) -> None:
    assert is_missing(text)
    assert parse_money(text) is None
    assert parse_decimal(text) is None
    assert parse_money_range(text) is None
    assert clean_text(text) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,234.50", "1234.50"),
        ("1234.5", "1234.5"),
        ("(12.50)", "-12.50"),
        ("(£12.50)", "-12.50"),
        ("-12.50", "-12.50"),
        ("-£12.50", "-12.50"),
        ("£-12.50", "-12.50"),
        ("\u22127", "-7"),
        ("GBP 10", "10"),
        (" £ 65,059 ", "65059"),
        ("0", "0"),
        (".5", "0.5"),
    ],
)
def test_parse_money(text: str, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["abc", "1,23", "£", "12.5.1", "--3", "(-3)", "£1e5", "1 2 3 x", "NaN", "Infinity"]
)
def test_parse_money_refuses_what_is_not_money(text: str) -> None:
    with pytest.raises(CellError, match="is not an amount of money"):
        parse_money(text)


@pytest.mark.parametrize(
    ("text", "expected"), [("0.5", "0.5"), ("1", "1"), ("1,000", "1000"), ("-2.25", "-2.25")]
)
def test_parse_decimal(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


def test_parse_decimal_names_the_value() -> None:
    with pytest.raises(CellError) as caught:
        parse_decimal("abc")
    assert str(caught.value) == "'abc' is not a number"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("65000 - 69999", ("65000", "69999")),
        ("65000-69999", ("65000", "69999")),
        ("£65,000 to £69,999", ("65000", "69999")),
        ("65000 \u2013 69999", ("65000", "69999")),
        ("10000 - 104999", ("10000", "104999")),
        ("195000", ("195000", "195000")),
    ],
)
def test_parse_money_range(text: str, expected: tuple[str, str]) -> None:
    assert parse_money_range(text) == (Decimal(expected[0]), Decimal(expected[1]))


@pytest.mark.parametrize("text", ["Grade 5", "SM4 - SM3", "lots"])
def test_parse_money_range_refuses_words(text: str) -> None:
    with pytest.raises(CellError, match="is not a band of amounts"):
        parse_money_range(text)


def test_parse_flag() -> None:
    words = {"true": ("Yes", "Y"), "false": ("No",)}
    assert parse_flag("yes", **words) is True
    assert parse_flag(" NO ", **words) is False
    assert parse_flag("NA", **words) is None
    with pytest.raises(CellError, match="'maybe' is not one of Yes, Y, No"):
        parse_flag("maybe", **words)


def test_row_error_reads_like_a_sentence() -> None:
    error = RowError("trafford.csv", 7, "FTE", "'abc' is not a number")
    assert str(error) == "trafford.csv, row 7, column FTE: 'abc' is not a number"
    assert str(RowError("a.csv", None, "", "the file is empty")) == "a.csv: the file is empty"
    assert str(RowError("a.csv", 3, "", "x")) == "a.csv, row 3: x"
    assert RowError.from_dict(error.as_dict()) == error


@given(pennies)
def test_money_formatting_round_trips(amount: Decimal) -> None:
    assert parse_money(format_money(amount)) == amount
    assert parse_money(format_money(amount, accounting=True)) == amount


@given(pennies)
def test_plain_and_grouped_numbers_agree(amount: Decimal) -> None:
    assert parse_money(str(amount)) == amount
    assert parse_decimal(f"{amount:,}") == amount


@given(pennies, pennies)
def test_bands_round_trip(low: Decimal, high: Decimal) -> None:
    low, high = abs(low), abs(high)
    assert parse_money_range(f"{format_money(low)} - {format_money(high)}") == (low, high)
    assert parse_money_range(f"{low}-{high}") == (low, high)


@given(st.text(max_size=30))
def test_parsers_either_answer_or_raise_a_cell_error(text: str) -> None:
    for parse in (parse_money, parse_decimal, parse_money_range):
        try:
            parse(text)
        except CellError as exc:
            assert str(exc)
