from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from wholecouncil.activity.engine import (
    BaselineOptions,
    baseline_report,
    run_baseline,
    suppress,
    suppress_baseline,
)
from wholecouncil.activity.tests.helpers import EST_ROWS, RESP_HEADERS, est_table, resp_table


def grid_hidden(s) -> np.ndarray:
    rows, cols = s.cells.shape
    grid = np.zeros((rows + 1, cols + 1), dtype=bool)
    grid[:rows, :cols] = s.cells
    grid[:rows, cols] = s.row_totals
    grid[rows, :cols] = s.column_totals
    grid[rows, cols] = s.grand_total
    return grid


def test_a_small_cell_and_its_complements() -> None:
    counts = np.array([[10, 3, 8], [7, 9, 12]])
    s = suppress(counts)
    # 3 is hidden; its row needs a second hidden cell (8, the smallest left), then both columns need one more.
    assert s.cells.tolist() == [[False, True, True], [False, True, True]]
    assert not s.row_totals.any() and not s.column_totals.any() and not s.grand_total


def test_nothing_hidden_when_every_group_is_large_enough() -> None:
    s = suppress(np.full((3, 4), 5))
    assert s.hidden == 0


def test_empty_cells_are_not_hidden() -> None:
    s = suppress(np.array([[0, 6], [7, 8]]))
    assert s.hidden == 0


def test_a_lone_cell_in_a_line_takes_the_total_with_it() -> None:
    s = suppress(np.array([[2, 0], [9, 9]]))
    assert s.cells[0, 0]
    assert s.row_totals[0]  # the row total would equal the hidden cell


@settings(max_examples=300, deadline=None)
@given(
    arrays(
        np.int64,
        st.tuples(st.integers(1, 6), st.integers(1, 6)),
        elements=st.integers(0, 12),
    )
)
def test_no_hidden_figure_can_be_worked_out_from_its_row_or_column(counts: np.ndarray) -> None:
    s = suppress(counts)
    hidden = grid_hidden(s)
    rows, cols = counts.shape
    full = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    full[:rows, :cols] = counts
    full[:rows, cols] = counts.sum(axis=1)
    full[rows, :cols] = counts.sum(axis=0)
    full[rows, cols] = counts.sum()
    # every small group is hidden
    assert hidden[(full > 0) & (full < 5)].all()
    # no hidden cell is the only hidden cell in its row or column when that total is shown
    for i in range(rows):
        if not s.row_totals[i]:
            assert s.cells[i].sum() != 1
    for j in range(cols):
        if not s.column_totals[j]:
            assert s.cells[:, j].sum() != 1
    # and the same holds for the totals themselves against the grand total
    for line in [*hidden, *hidden.T]:
        assert line.sum() != 1


def test_baseline_table_hides_small_units_in_pairs() -> None:
    est = [*EST_ROWS, ["P6", "Parks", "Ranger", "4", "1", "25000"]]
    resp = (
        [[f"C{i}", "Customer Services", "37", "30", "7", ""] for i in range(6)]
        + [[f"F{i}", "Finance", "37", "", "", "37"] for i in range(7)]
        + [["K1", "Parks", "37", "37", "", ""]]
    )
    result = run_baseline(est_table(est), resp_table(resp, RESP_HEADERS), BaselineOptions())
    assert result.ok, result.errors
    b = result.baseline
    s = suppress_baseline(b)
    names = [u.name for u in b.units]
    parks, cs, fin = names.index("Parks"), names.index("Customer Services"), names.index("Finance")
    assert s.cells[:, parks].all()
    assert s.cells[:, cs].all()  # the smallest other unit, so Parks can't be found by subtraction
    assert not s.cells[:, fin].any()
    report = baseline_report(b, result.fragmentation, suppression=s)
    enquiries = report["processes"]["enquiries"]
    assert enquiries["by_org_unit"]["Parks"] == {"fte": None, "cost": None, "suppressed": True}
    assert enquiries["by_org_unit"]["Finance"] == {"fte": "0.00", "cost": "0.00"}
    assert enquiries["fte"] is not None
    assert report["org_units"]["Parks"]["respondents"] is None
    assert report["org_units"]["Finance"]["respondents"] == 7


def test_fewer_than_five_respondents_in_all_hides_every_total() -> None:
    resp = [["C1", "Customer Services", "37", "30", "7", ""], ["F1", "Finance", "37", "", "", "37"]]
    result = run_baseline(est_table(), resp_table(resp), BaselineOptions())
    s = suppress_baseline(result.baseline)
    report = baseline_report(result.baseline, result.fragmentation, suppression=s)
    assert report["processes"]["enquiries"]["fte"] is None
    assert report["totals"]["allocated"]["suppressed"] is True
    assert report["totals"]["respondents"] is None
    assert report["layers"]["customer-management"]["share"] is None
    assert report["fragmentation"]["processes"]["enquiries"] == {
        "name": "Handling enquiries",
        "suppressed": True,
    }
    assert report["totals"]["establishment"] == {"fte": "4.50", "cost": "170000.00"}
