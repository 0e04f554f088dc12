"""Running the whole baseline from two tables, and presenting it: money in pounds as Decimal, to the penny.

Every figure is rounded on its own (half up) from the unrounded result, so a total can differ by a penny (or
0.01 FTE) from the sum of its rounded parts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from wholecouncil.activity.engine.baseline import (
    DEFAULT_THRESHOLD_FTE,
    Baseline,
    Fragmentation,
    OutsideHome,
    compute_baseline,
    compute_fragmentation,
)
from wholecouncil.activity.engine.inputs import (
    DEFAULT_FULL_TIME_HOURS,
    DEFAULT_TOLERANCE,
    read_establishment,
    read_responses,
)
from wholecouncil.activity.engine.suppression import (
    DEFAULT_MINIMUM,
    Suppression,
    hidden_units,
    suppress_baseline,
)
from wholecouncil.activity.taxonomy import DEFAULT_PROCESSES, Process
from wholecouncil.tabular import RowError, Table

PENNY = Decimal("0.01")
FTE_PLACES = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")


def money(value: float) -> Decimal:
    return _round(value, PENNY)


def fte(value: float) -> Decimal:
    return _round(value, FTE_PLACES)


def share(value: float) -> Decimal:
    return _round(value, SHARE_PLACES)


def _round(value: float, places: Decimal) -> Decimal:
    rounded = Decimal(repr(float(value))).quantize(places, rounding=ROUND_HALF_UP)
    return rounded + 0  # turns -0.00 into 0.00


@dataclass(frozen=True)
class BaselineOptions:
    full_time_hours: float = DEFAULT_FULL_TIME_HOURS
    tolerance: float = DEFAULT_TOLERANCE
    threshold_fte: float = DEFAULT_THRESHOLD_FTE
    processes: tuple[Process, ...] = DEFAULT_PROCESSES
    suppress: bool = True  # hide figures of fewer than `minimum` respondents, and those revealing them
    minimum: int = DEFAULT_MINIMUM


@dataclass
class BaselineRun:
    """Everything from one run; `baseline` and `fragmentation` are None when there is any error.

    With `options.suppress`, `suppression` says which figures are hidden and the fragmentation measures are
    computed from published figures only.
    """

    options: BaselineOptions
    baseline: Baseline | None = None
    fragmentation: Fragmentation | None = None
    suppression: Suppression | None = None
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.baseline is not None

    def report(self) -> dict[str, Any]:
        """The result as plain data (`baseline_report`), hidden figures null."""
        if self.baseline is None or self.fragmentation is None:
            raise ValueError("there is no baseline: the inputs have errors")
        return baseline_report(
            self.baseline, self.fragmentation, suppression=self.suppression, minimum=self.options.minimum
        )


def run_baseline(
    establishment: Table,
    responses: Table,
    options: BaselineOptions | None = None,
    *,
    establishment_mapping: Mapping[str, str] | None = None,
    response_mapping: Mapping[str, str] | None = None,
) -> BaselineRun:
    """Read both tables, then compute the baseline, suppression and fragmentation.

    Any error anywhere computes nothing.
    """
    opts = options or BaselineOptions()
    run = BaselineRun(options=opts)
    est = read_establishment(establishment, establishment_mapping)
    run.errors.extend(est.errors)
    run.warnings.extend(est.warnings)
    if est.value is None:
        return run
    resp = read_responses(
        responses,
        est.value,
        response_mapping,
        processes=opts.processes,
        full_time_hours=opts.full_time_hours,
        tolerance=opts.tolerance,
    )
    run.errors.extend(resp.errors)
    run.warnings.extend(resp.warnings)
    if resp.value is None or run.errors:
        return run
    run.baseline = compute_baseline(est.value, resp.value)
    hidden = None
    if opts.suppress:
        run.suppression = suppress_baseline(run.baseline, minimum=opts.minimum)
        hidden = hidden_units(run.suppression)
    run.fragmentation = compute_fragmentation(run.baseline, threshold_fte=opts.threshold_fte, hidden=hidden)
    return run


def to_the_hundredth(values: npt.ArrayLike) -> npt.NDArray[np.str_]:
    """Each value as `_round(value, 0.01)` would print it, for a whole table at once.

    Rounding a table cell by cell through Decimal is most of the time of a report of a large council, so
    values are scaled and rounded half up in floating point; a value within a hair of a half (or negative)
    is decided exactly, as `_round` does, so the result is the same.
    """
    array = np.asarray(values, dtype=np.float64)
    scaled = array * 100
    nearest = np.floor(scaled + 0.5)
    distance = np.abs(scaled - np.floor(scaled) - 0.5)
    unsure = (distance < 1e-9 * np.maximum(1.0, np.abs(scaled))) | (array < 0) | ~np.isfinite(array)
    text = np.char.mod("%.2f", nearest / 100).astype(object)
    for index in zip(*np.nonzero(unsure), strict=True):
        text[index] = str(_round(float(array[index]), PENNY))
    return text


def _pair(f: float, c: float, hidden: bool = False) -> dict[str, Any]:
    if hidden:
        return {"fte": None, "cost": None, "suppressed": True}
    return {"fte": str(fte(f)), "cost": str(money(c))}


def baseline_report(
    baseline: Baseline,
    fragmentation: Fragmentation,
    *,
    suppression: Suppression | None = None,
    minimum: int = DEFAULT_MINIMUM,
) -> dict[str, Any]:
    """The baseline as plain data (FTE and pounds as decimal strings), as the CLI prints it as JSON.

    With `suppression` (from `suppress_baseline`), hidden figures are null and marked `"suppressed": true`,
    and so is every figure that rests on the same respondents (a small unit's respondent count, a hidden
    process's fragmentation measures, the layer figures when the grand total is hidden).
    """
    hide = suppression
    everyone_hidden = bool(hide is not None and hide.grand_total)
    allocated = [i for i, ok in enumerate(baseline.allocated) if ok]
    fte_text, cost_text = to_the_hundredth(baseline.fte), to_the_hundredth(baseline.cost)
    cell_hidden = np.zeros((len(baseline.processes), len(baseline.units)), dtype=bool)
    if hide is not None:
        cell_hidden = hide.cells
    processes: dict[str, Any] = {}
    for j, process in enumerate(baseline.processes):
        row_hidden = bool(hide is not None and hide.row_totals[j])
        processes[process.code] = {
            "name": process.name,
            "layer": process.layer,
            **_pair(baseline.process_fte[j], baseline.process_cost[j], row_hidden),
            "by_org_unit": {
                baseline.units[i].name: (
                    {"fte": None, "cost": None, "suppressed": True}
                    if cell_hidden[j, i]
                    else {"fte": fte_text[i, j], "cost": cost_text[i, j]}
                )
                for i in allocated
            },
        }
    layer_fte, layer_cost = baseline.by_layer()
    layers = {
        layer: {
            **_pair(layer_fte[:, k].sum(), layer_cost[:, k].sum(), everyone_hidden),
            "share": None if everyone_hidden else str(share(fragmentation.layer_shares[layer])),
        }
        for k, layer in enumerate(baseline.layers())
    }
    units = {}
    for i, u in enumerate(baseline.units):
        count = int(baseline.respondents[i])
        units[u.name] = {
            "directorate": u.directorate,
            "function": u.function,
            "posts": u.posts,
            "establishment": _pair(u.fte, u.cost),
            "respondents": None if hide is not None and 0 < count < minimum else count,
            "allocated": count > 0,
        }
    unallocated_units = [u.name for i, u in enumerate(baseline.units) if not baseline.allocated[i]]
    return {
        "processes": processes,
        "layers": layers,
        "org_units": units,
        "unallocated": {
            **_pair(baseline.unallocated_fte, baseline.unallocated_cost),
            "org_units": unallocated_units,
        },
        "totals": {
            "establishment": _pair(baseline.establishment_fte, baseline.establishment_cost),
            "allocated": _pair(baseline.allocated_fte, baseline.allocated_cost, everyone_hidden),
            "unallocated": _pair(baseline.unallocated_fte, baseline.unallocated_cost),
            "respondents": None if everyone_hidden else int(baseline.respondents.sum()),
            "org_units": len(baseline.units),
            "org_units_allocated": len(allocated),
        },
        "fragmentation": fragmentation_report(
            fragmentation, baseline.processes, suppression=hide, minimum=minimum
        ),
    }


def fragmentation_report(
    fragmentation: Fragmentation,
    processes: Sequence[Process],
    *,
    suppression: Suppression | None = None,
    minimum: int = DEFAULT_MINIMUM,
) -> dict[str, Any]:
    """The fragmentation measures as plain data; with `suppression`, a hidden process total hides its row.

    Compute `fragmentation` with the same suppression's hidden units (`hidden_units`), so that its measures
    rest on published figures only.
    """
    names = {p.code: p.name for p in processes}
    hidden = {
        p.code for j, p in enumerate(processes) if suppression is not None and suppression.row_totals[j]
    }
    everyone_hidden = bool(suppression is not None and suppression.grand_total)
    rows: dict[str, Any] = {}
    for row in fragmentation.processes:
        if row.code in hidden:
            rows[row.code] = {"name": names.get(row.code, row.code), "suppressed": True}
            continue
        rows[row.code] = {
            "name": names.get(row.code, row.code),
            "fte": str(fte(row.fte)),
            "units_with_material_effort": row.units_with_material_effort,
            "effective_units": str(_round(row.effective_units, FTE_PLACES)),
            **_outside_home(row.outside_home, row.outside_home_share, minimum),
            "directorates_with_material_effort": row.directorates_with_material_effort,
        }
    return {
        "threshold_fte": str(Decimal(repr(fragmentation.threshold_fte))),
        "pooled_org_units": fragmentation.pooled_units,
        "processes": rows,
        "layer_shares": {
            layer: None if everyone_hidden else str(share(value))
            for layer, value in fragmentation.layer_shares.items()
        },
    }


def outside_home_reason(minimum: int) -> str:
    return f"would reveal units of fewer than {minimum} respondents"


def _outside_home(kind: OutsideHome, value: float | None, minimum: int) -> dict[str, Any]:
    """`outside_home` says what `outside_home_share` is: a share, null for "anywhere", or hidden (why)."""
    if kind == OutsideHome.SHARE and value is not None:
        return {"outside_home": kind.value, "outside_home_share": str(share(value))}
    if kind == OutsideHome.HIDDEN:
        return {
            "outside_home": kind.value,
            "outside_home_share": None,
            "suppressed_because": outside_home_reason(minimum),
        }
    return {"outside_home": OutsideHome.ANYWHERE.value, "outside_home_share": None}
