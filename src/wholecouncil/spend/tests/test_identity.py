"""Re-importing never doubles payments: the identity rule, as a property and through real imports."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.council.models import Council
from wholecouncil.spend import selectors
from wholecouncil.spend.engine import parse_amount, parse_date
from wholecouncil.spend.engine.identity import Key, PaymentIndex, Refs, compatible
from wholecouncil.spend.models import Transaction
from wholecouncil.spend.tests.helpers import ROWS, csv_bytes, run, xlsx_bytes

refs_st = st.builds(Refs, st.sampled_from(["", "INV1", "INV2"]), st.sampled_from(["", "T1", "T2"]))
key_st = st.tuples(
    st.sampled_from(["acme", "bolt"]), st.integers(738000, 738002), st.sampled_from([100, 250])
)
rows_st = st.lists(st.tuples(key_st, refs_st), max_size=30)


def _index(rows: list[tuple[Key, Refs]]) -> PaymentIndex:
    index = PaymentIndex()
    for key, refs in rows:
        index.add_existing(key, refs)
    return index


@given(rows_st)
def test_rows_imported_again_are_all_recognised(rows: list[tuple[Key, Refs]]) -> None:
    assert _index(rows).sort_out(rows) == [None] * len(rows)


@given(rows_st)
def test_rows_new_to_the_council_are_all_added_with_distinct_fingerprints(
    rows: list[tuple[Key, Refs]],
) -> None:
    found = PaymentIndex().sort_out(rows)
    assert None not in found
    assert len(set(found)) == len(rows)  # identical rows in one file are separate payments


@given(rows_st)
def test_the_same_rows_without_their_references_are_recognised(rows: list[tuple[Key, Refs]]) -> None:
    narrower = [(key, Refs("", "")) for key, _ in rows]
    assert _index(rows).sort_out(narrower) == [None] * len(rows)
    assert _index(narrower).sort_out(rows) == [None] * len(rows)


@given(rows_st, rows_st)
def test_each_payment_before_is_matched_at_most_once(
    old: list[tuple[Key, Refs]], new: list[tuple[Key, Refs]]
) -> None:
    found = _index(old).sort_out(new)
    for key in {k for k, _ in new}:
        matched = sum(1 for (k, _), f in zip(new, found, strict=True) if k == key and f is None)
        assert matched <= sum(1 for k, _ in old if k == key)


@given(rows_st, rows_st)
def test_a_row_is_never_matched_to_a_payment_with_other_references(
    old: list[tuple[Key, Refs]], new: list[tuple[Key, Refs]]
) -> None:
    found = _index(old).sort_out(new)
    for (key, refs), fingerprint in zip(new, found, strict=True):
        if fingerprint is None:
            assert any(k == key and compatible(refs, r) for k, r in old)


def test_fingerprints_added_later_do_not_repeat_earlier_ones() -> None:
    row = (("acme", 738000, 100), Refs("", ""))
    first = PaymentIndex().sort_out([row, row])
    index = _index([row, row])
    later = index.sort_out([row, row, row])
    assert later[:2] == [None, None] and later[2] not in first


@given(rows_st, st.lists(rows_st, min_size=1, max_size=4))
def test_files_of_one_import_give_what_importing_them_one_after_another_gives(
    old: list[tuple[Key, Refs]], files: list[list[tuple[Key, Refs]]]
) -> None:
    together = _index(old).sort_out_files(files)
    council = list(old)  # the payments the council has after each file, imported one by one
    for rows, found in zip(files, together, strict=True):
        alone = _index(council).sort_out(rows)
        assert found == alone  # the same rows recognised, the same fingerprints
        council += [row for row, f in zip(rows, alone, strict=True) if f is not None]
    fingerprints = [f for found in together for f in found if f is not None]
    assert len(set(fingerprints)) == len(fingerprints)


def test_a_file_given_twice_in_one_import_adds_its_rows_once() -> None:
    row = (("acme", 738000, 100), Refs("", ""))
    first, second = PaymentIndex().sort_out_files([[row, row], [row, row]])
    assert None not in first and second == [None, None]
    first, second = _index([row]).sort_out_files([[row], [row, row]])
    assert first == [None] and second[0] is None and second[1] is not None


# --- through the import ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_identical_payments_in_one_file_are_all_kept_and_recognised_again(council: Council) -> None:
    twice = ["Hartley Sundries", "500.00", "01/04/2024", "", "", "", ""]  # no references at all
    rows = [*ROWS, twice, twice]
    assert run(council, {"a.csv": csv_bytes(rows)}).imported == 7
    again = run(council, {"a.csv": csv_bytes(rows)})
    assert (again.imported, again.already) == (0, 7)
    more = run(council, {"b.csv": csv_bytes([*rows, twice])})  # a third such payment, published later
    assert (more.imported, more.already) == (1, 7)
    assert Transaction.objects.filter(council=council, alias__name="Hartley Sundries").count() == 3


@pytest.mark.django_db
def test_the_same_file_read_with_a_narrower_mapping_adds_nothing(council: Council) -> None:
    run(council, {"a.csv": csv_bytes()})
    narrow = {"purpose": "", "org_unit": "", "invoice_ref": "", "vat_number": ""}
    again = run(council, {"a.csv": csv_bytes()}, columns=narrow)
    assert (again.imported, again.already) == (0, 5)
    assert selectors.spend_totals(council).transactions == 5


@pytest.mark.django_db
def test_a_narrow_file_then_the_full_one_adds_nothing(council: Council) -> None:
    narrow = {"purpose": "", "org_unit": "", "invoice_ref": ""}
    run(council, {"a.csv": csv_bytes()}, columns=narrow)
    again = run(council, {"a.csv": csv_bytes()})
    assert (again.imported, again.already) == (0, 5)


@pytest.mark.django_db
def test_the_same_rows_as_xlsx_in_another_layout_add_nothing(council: Council) -> None:
    run(council, {"a.csv": csv_bytes()})
    headers = ["Date Paid", "Vendor Name", "Amount", "Department", "Description", "Invoice Ref", "VAT"]
    typed = [  # as a finance system writes a workbook: numbers and dates, not text
        [parse_date(r[2]), r[0], float(parse_amount(r[1])), r[4], r[3], r[5], r[6]] for r in ROWS
    ]
    again = run(council, {"republished.xlsx": xlsx_bytes(typed, headers)})
    assert again.ok and (again.imported, again.already) == (0, 5)


@pytest.mark.django_db
def test_another_invoice_on_the_same_day_for_the_same_amount_is_a_new_payment(council: Council) -> None:
    run(council, {"a.csv": csv_bytes()})
    same_but_other_invoice = ["ACME LTD", "1200", "03/04/2024", "Cleaning", "Schools", "INV-777", ""]
    again = run(council, {"b.csv": csv_bytes([*ROWS, same_but_other_invoice])})
    assert (again.imported, again.already) == (1, 5)
