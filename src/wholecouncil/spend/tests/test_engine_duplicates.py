"""Duplicate-payment candidates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.spend.engine import (
    DuplicateOptions,
    Payment,
    PaymentColumns,
    concentration,
    find_duplicates,
    normalise_invoice,
)
from wholecouncil.spend.engine.duplicates import SAME_AMOUNT, SAME_INVOICE, VARIANT_AMOUNT

D = dt.date(2024, 6, 3)


def _find(payments: list[Payment], **options: int) -> dict[tuple[int, int], tuple[str, ...]]:
    found = find_duplicates(PaymentColumns.from_payments(payments), DuplicateOptions(**options))
    return {(c.first, c.second): c.reasons for c in found}


def test_normalise_invoice() -> None:
    assert normalise_invoice("inv-000123") == normalise_invoice("INV 123") == "INV123"
    assert normalise_invoice("N/A") == "" and normalise_invoice("000") == ""


def test_rules() -> None:
    later = D + dt.timedelta(days=5)
    payments = [
        Payment(1, supplier=1, alias=1, pennies=50000, date=D, invoice=7),
        Payment(
            2, supplier=1, alias=1, pennies=50000, date=D + dt.timedelta(days=40), invoice=7
        ),  # same invoice
        Payment(3, supplier=2, alias=2, pennies=12000, date=D),
        Payment(4, supplier=2, alias=2, pennies=12000, date=later),  # same amount in the window
        Payment(5, supplier=2, alias=2, pennies=12000, date=D + dt.timedelta(days=60)),  # outside
        Payment(6, supplier=3, alias=3, pennies=99900, date=D),
        Payment(7, supplier=3, alias=4, pennies=99950, date=later),  # near amount, another name
        Payment(8, supplier=4, alias=5, pennies=-3000, date=D),  # credits never
        Payment(9, supplier=4, alias=5, pennies=-3000, date=D),
        Payment(10, supplier=5, alias=6, pennies=100, date=D, transaction=1),  # lines of one payment
        Payment(11, supplier=5, alias=6, pennies=100, date=D, transaction=1),
    ]
    found = _find(payments)
    assert set(found) == {(1, 2), (3, 4), (6, 7)}
    assert found[(1, 2)][0] == SAME_INVOICE
    assert found[(3, 4)] == (SAME_AMOUNT,)
    assert found[(6, 7)][0] == VARIANT_AMOUNT
    assert (4, 5) in _find(payments, window_days=60)


def test_variant_rule_looks_across_suppliers_proposed_as_one() -> None:
    payments = [Payment(1, 1, 1, 99900, D), Payment(2, 2, 2, 99950, D)]
    columns = PaymentColumns.from_payments(payments)
    assert not find_duplicates(columns)
    columns.group = columns.supplier * 0 + 1
    found = find_duplicates(columns)
    assert [(c.first, c.second) for c in found] == [(1, 2)] and found[0].reasons[0] == VARIANT_AMOUNT


def test_ranked_invoice_first() -> None:
    payments = [
        Payment(1, 1, 1, 1000, D, invoice=3),
        Payment(2, 1, 1, 1000, D, invoice=3),
        Payment(3, 2, 2, 90000, D),
        Payment(4, 2, 2, 90000, D + dt.timedelta(days=1)),
    ]
    ranked = find_duplicates(PaymentColumns.from_payments(payments))
    assert [(c.first, c.second) for c in ranked] == [(1, 2), (3, 4)]
    assert ranked[0].score > ranked[1].score


payment_st = st.builds(
    Payment,
    id=st.integers(1, 10**6),
    supplier=st.integers(1, 3),
    alias=st.integers(1, 4),
    pennies=st.integers(-500, 3000),
    date=st.dates(min_value=D, max_value=D + dt.timedelta(days=60)),
    invoice=st.integers(0, 3),
    transaction=st.integers(0, 2),
)


@given(st.lists(payment_st, max_size=40, unique_by=lambda p: p.id))
def test_candidates_are_pairs_of_one_supplier(payments: list[Payment]) -> None:
    by_id = {p.id: p for p in payments}
    for c in find_duplicates(PaymentColumns.from_payments(payments)):
        a, b = by_id[c.first], by_id[c.second]
        assert a.supplier == b.supplier and a.pennies > 0 and b.pennies > 0
        assert (a.date, a.id) <= (b.date, b.id)
        assert not (a.transaction and a.transaction == b.transaction)
        assert 0 < c.score < 100 and c.reasons


def test_concentration() -> None:
    result = concentration([50, 30, 10, 5, 5, -20, 0])
    assert (result.suppliers, result.of_suppliers) == (2, 5)
    assert concentration([]).suppliers == 0
