"""Small-cell suppression for tables built from survey responses, with complementary suppression.

A table has cells, row totals, column totals and a grand total, each with the number of respondents behind
it. Think of it as one grid with an extra column (the row totals) and an extra row (the column totals, ending
with the grand total): every row and every column of that grid is a sum, so if exactly one of its entries were
hidden, it could be worked out from the others. The rule:

1. primary suppression: hide every entry based on at least one and fewer than `minimum` respondents;
2. complementary suppression: while some row or column of the grid has exactly one hidden entry, hide one
   more in it: the shown cell with the fewest respondents (first in order on a tie), or the total when no
   cell is left to hide.

Entries based on no respondents are empty, not hidden: there is nothing to reveal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wholecouncil.activity.engine.baseline import Baseline

DEFAULT_MINIMUM = 5
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Suppression:
    cells: BoolArray  # rows x columns: True = hidden
    row_totals: BoolArray  # per row
    column_totals: BoolArray  # per column
    grand_total: bool

    @property
    def hidden(self) -> int:
        return int(self.cells.sum() + self.row_totals.sum() + self.column_totals.sum() + self.grand_total)


def suppress(
    counts: npt.ArrayLike,
    *,
    row_total_counts: npt.ArrayLike | None = None,
    column_total_counts: npt.ArrayLike | None = None,
    grand_total_count: int | None = None,
    minimum: int = DEFAULT_MINIMUM,
) -> Suppression:
    """Which entries to hide. Counts are respondents per entry; totals' counts default to the sums."""
    cell_counts = np.asarray(counts, dtype=np.int64)
    if cell_counts.ndim != 2:
        raise ValueError("counts must be a two-dimensional table")
    n_rows, n_cols = cell_counts.shape
    grid = np.zeros((n_rows + 1, n_cols + 1), dtype=np.int64)
    grid[:n_rows, :n_cols] = cell_counts
    grid[:n_rows, n_cols] = (
        cell_counts.sum(axis=1) if row_total_counts is None else np.asarray(row_total_counts)
    )
    grid[n_rows, :n_cols] = (
        cell_counts.sum(axis=0) if column_total_counts is None else np.asarray(column_total_counts)
    )
    grid[n_rows, n_cols] = int(cell_counts.sum()) if grand_total_count is None else grand_total_count
    hidden = (grid > 0) & (grid < minimum)
    changed = True
    while changed:
        changed = False
        for i in range(n_rows + 1):
            if hidden[i].sum() == 1 and _hide_one_more(grid[i], hidden[i]):
                changed = True
        for j in range(n_cols + 1):
            if hidden[:, j].sum() == 1 and _hide_one_more(grid[:, j], hidden[:, j]):
                changed = True
    return Suppression(
        cells=hidden[:n_rows, :n_cols].copy(),
        row_totals=hidden[:n_rows, n_cols].copy(),
        column_totals=hidden[n_rows, :n_cols].copy(),
        grand_total=bool(hidden[n_rows, n_cols]),
    )


def _hide_one_more(counts: npt.NDArray[np.int64], hidden: BoolArray) -> bool:
    """Hide, in one line whose last entry is its total, the shown cell with fewest respondents (or the total).

    Returns False when there is nothing left to hide.
    """
    cells = np.flatnonzero(~hidden[:-1] & (counts[:-1] > 0))
    if cells.size:
        hidden[cells[np.argmin(counts[cells])]] = True
        return True
    if not hidden[-1]:
        hidden[-1] = True
        return True
    # Only empty cells are left beside a hidden total: hide one of them, so the total is not alone.
    shown = np.flatnonzero(~hidden[:-1])
    if shown.size:
        hidden[shown[0]] = True
        return True
    return False


def suppress_baseline(baseline: Baseline, *, minimum: int = DEFAULT_MINIMUM) -> Suppression:
    """Suppression for the process x org unit table, with process totals and unit totals shown.

    Every cell of a unit's column rests on all of that unit's respondents; a process total and the grand total
    rest on every respondent.
    """
    n_processes = len(baseline.processes)
    per_unit = baseline.respondents
    everyone = int(per_unit.sum())
    counts = np.repeat(per_unit[None, :], n_processes, axis=0)
    return suppress(
        counts,
        row_total_counts=np.full(n_processes, everyone),
        column_total_counts=per_unit,
        grand_total_count=everyone,
        minimum=minimum,
    )


def hidden_units(suppression: Suppression) -> BoolArray:
    """Per org unit (a column of `suppress_baseline`'s table): True when any of its figures is hidden."""
    return np.asarray(suppression.column_totals | suppression.cells.any(axis=0), dtype=bool)
