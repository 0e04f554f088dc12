"""The effort baseline (FTE and cost by process and org unit) and the fragmentation measures.

Default method: within each org unit, the hours its respondents report for each process, added up, give
that unit's effort shares by process; the shares are applied to the unit's establishment FTE and annual cost.
A unit with no respondents is *unallocated*: its FTE and cost are reported as such, never spread by guesswork.
So allocated + unallocated = the establishment, for FTE and for cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from wholecouncil.activity.engine.inputs import Establishment, FloatArray, IntArray, OrgUnit, Responses
from wholecouncil.activity.taxonomy import ANYWHERE, Process

DEFAULT_THRESHOLD_FTE = 0.5
POOLED = "\x00pooled"  # the function and directorate of the block of hidden units (no real code is this)


@dataclass(frozen=True, eq=False)
class Baseline:
    """Effort by org unit x process, in FTE and pounds (floats: round only when presenting)."""

    processes: tuple[Process, ...]
    units: tuple[OrgUnit, ...]
    respondents: IntArray  # per unit
    responding_hours: FloatArray  # per unit: contracted hours of its respondents
    fte: FloatArray  # units x processes
    cost: FloatArray  # units x processes

    @property
    def allocated(self) -> np.ndarray:
        """Per unit: True when it has respondents, so its effort is allocated to processes."""
        return self.respondents > 0

    @property
    def unit_fte(self) -> FloatArray:
        return np.array([u.fte for u in self.units], dtype=np.float64)

    @property
    def unit_cost(self) -> FloatArray:
        return np.array([u.cost for u in self.units], dtype=np.float64)

    @property
    def process_fte(self) -> FloatArray:
        return self.fte.sum(axis=0)

    @property
    def process_cost(self) -> FloatArray:
        return self.cost.sum(axis=0)

    @property
    def allocated_fte(self) -> float:
        return float(self.fte.sum())

    @property
    def allocated_cost(self) -> float:
        return float(self.cost.sum())

    @property
    def unallocated_fte(self) -> float:
        return float(self.unit_fte[~self.allocated].sum())

    @property
    def unallocated_cost(self) -> float:
        return float(self.unit_cost[~self.allocated].sum())

    @property
    def establishment_fte(self) -> float:
        return float(self.unit_fte.sum())

    @property
    def establishment_cost(self) -> float:
        return float(self.unit_cost.sum())

    def layers(self) -> tuple[str, ...]:
        """Layer codes in the order their processes first appear."""
        return tuple(dict.fromkeys(p.layer for p in self.processes))

    def by_layer(self) -> tuple[FloatArray, FloatArray]:
        """(FTE, cost) as units x layers, in the order of `layers()`."""
        layers = self.layers()
        member = np.zeros((len(self.processes), len(layers)), dtype=np.float64)
        for j, process in enumerate(self.processes):
            member[j, layers.index(process.layer)] = 1.0
        return self.fte @ member, self.cost @ member

    def directorates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(u.directorate for u in self.units if u.directorate))


def compute_baseline(establishment: Establishment, responses: Responses) -> Baseline:
    """The default baseline: each unit's reported hours give its shares of its establishment FTE and cost."""
    units = establishment.units
    n_units, n_processes = len(units), len(responses.processes)
    unit_hours = np.zeros((n_units, n_processes), dtype=np.float64)
    for j in range(n_processes):
        unit_hours[:, j] = np.bincount(responses.unit, weights=responses.hours[:, j], minlength=n_units)
    respondents = np.bincount(responses.unit, minlength=n_units).astype(np.int64)
    responding = np.bincount(responses.unit, weights=responses.contracted_hours, minlength=n_units).astype(
        np.float64
    )
    total = unit_hours.sum(axis=1, keepdims=True)
    shares = np.divide(unit_hours, total, out=np.zeros_like(unit_hours), where=total > 0)
    unit_fte = np.array([u.fte for u in units], dtype=np.float64)
    unit_cost = np.array([u.cost for u in units], dtype=np.float64)
    return Baseline(
        processes=tuple(responses.processes),
        units=units,
        respondents=respondents,
        responding_hours=responding,
        fte=shares * unit_fte[:, None],
        cost=shares * unit_cost[:, None],
    )


class OutsideHome(StrEnum):
    """What a process's outside-home-function figure is."""

    SHARE = "share"  # `outside_home_share` holds the share
    ANYWHERE = "anywhere"  # the process belongs in every team: there is no outside
    HIDDEN = "hidden"  # hidden units lie on both sides of the home function: the share would reveal them


@dataclass(frozen=True)
class ProcessFragmentation:
    code: str
    fte: float
    units_with_material_effort: int  # units spending at least the threshold FTE on the process
    effective_units: float  # 1 / Herfindahl index of the units' shares of the process's FTE; 0 when no effort
    outside_home: OutsideHome
    outside_home_share: float | None  # the share of the FTE done outside the home function, when SHARE
    directorates_with_material_effort: int | None  # None when the establishment names no directorates


@dataclass(frozen=True)
class Fragmentation:
    threshold_fte: float
    processes: tuple[ProcessFragmentation, ...]
    layer_shares: dict[str, float]  # layer code -> share of allocated FTE
    pooled_units: int = 0  # hidden units whose effort was counted as one block

    def ranking(self) -> list[ProcessFragmentation]:
        """Most fragmented first: by effective number of units, then units with material effort."""
        return sorted(
            self.processes, key=lambda p: (-p.effective_units, -p.units_with_material_effort, p.code)
        )


def _pooled(baseline: Baseline, hidden: npt.NDArray[np.bool_]) -> tuple[FloatArray, list[str], list[str]]:
    """(units x processes FTE, function, directorate) with every hidden unit's effort summed into one row.

    The block's effort is the process total less the shown units', so it reveals nothing the published
    figures do not; it stands for one unit (and one directorate) in every count.
    """
    shown = np.flatnonzero(~hidden)
    fte = baseline.fte[shown]
    functions = [baseline.units[i].function for i in shown]
    directorates = [baseline.units[i].directorate for i in shown]
    if hidden.any():
        fte = np.vstack([fte, baseline.fte[hidden].sum(axis=0, keepdims=True)])
        functions.append(POOLED)
        named = any(baseline.units[i].directorate for i in np.flatnonzero(hidden))
        directorates.append(POOLED if named else "")
    return fte, functions, directorates


def compute_fragmentation(
    baseline: Baseline,
    *,
    threshold_fte: float = DEFAULT_THRESHOLD_FTE,
    hidden: npt.ArrayLike | None = None,
) -> Fragmentation:
    """Fragmentation measures per process, and the share of effort by layer.

    `hidden` (per unit, True = its figures are not published) makes every measure a function of published
    figures only: hidden units are pooled into one block (see `_pooled`), and the outside-home share is given
    only when every hidden unit is on the same side of the process's home function (decided from the units'
    functions, not from their answers); otherwise it is HIDDEN.
    """
    mask = np.zeros(len(baseline.units), dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    if mask.shape != (len(baseline.units),):
        raise ValueError("hidden must give one flag per org unit")
    fte, functions, unit_directorates = _pooled(baseline, mask)
    hidden_functions = {baseline.units[i].function for i in np.flatnonzero(mask)}
    totals = fte.sum(axis=0)
    material = (fte >= threshold_fte) & (fte > 0)
    shares = np.divide(fte, totals, out=np.zeros_like(fte), where=totals > 0)
    herfindahl = (shares**2).sum(axis=0)
    effective = np.divide(1.0, herfindahl, out=np.zeros_like(herfindahl), where=herfindahl > 0)
    dir_material = _directorates_material(baseline, fte, unit_directorates, threshold_fte)
    function_of = np.array(functions, dtype=object)
    rows = []
    for j, process in enumerate(baseline.processes):
        kind, outside = _outside_home(process.home_function, hidden_functions, function_of, fte[:, j])
        rows.append(
            ProcessFragmentation(
                code=process.code,
                fte=float(totals[j]),
                units_with_material_effort=int(material[:, j].sum()),
                effective_units=float(effective[j]),
                outside_home=kind,
                outside_home_share=outside,
                directorates_with_material_effort=None if dir_material is None else int(dir_material[j]),
            )
        )
    layer_fte, _ = baseline.by_layer()
    layer_totals = layer_fte.sum(axis=0)
    allocated = float(layer_totals.sum())
    layer_shares = {
        layer: (float(layer_totals[k]) / allocated if allocated > 0 else 0.0)
        for k, layer in enumerate(baseline.layers())
    }
    return Fragmentation(
        threshold_fte=threshold_fte,
        processes=tuple(rows),
        layer_shares=layer_shares,
        pooled_units=int(mask.sum()),
    )


def _outside_home(
    home: str, hidden_functions: set[str], functions: npt.NDArray[np.object_], fte: FloatArray
) -> tuple[OutsideHome, float | None]:
    if home == ANYWHERE:
        return OutsideHome.ANYWHERE, None
    if len({f == home for f in hidden_functions}) > 1:
        return OutsideHome.HIDDEN, None
    total = float(fte.sum())
    if total <= 0:
        return OutsideHome.SHARE, 0.0
    # The pooled block is all on one side: it is outside unless every hidden unit has the home function.
    block_home = bool(hidden_functions) and home in hidden_functions
    outside = np.array([f != home and not (f == POOLED and block_home) for f in functions], dtype=bool)
    return OutsideHome.SHARE, float(fte[outside].sum() / total)


def _directorates_material(
    baseline: Baseline, fte: FloatArray, unit_directorates: list[str], threshold_fte: float
) -> IntArray | None:
    """Per process, how many directorates (the pooled block counting as one) reach the threshold."""
    if not baseline.directorates():
        return None
    groups = list(dict.fromkeys(d for d in unit_directorates if d))
    if not groups:
        return np.zeros(len(baseline.processes), dtype=np.int64)
    member = np.array([[d == g for g in groups] for d in unit_directorates], dtype=np.float64)
    by_group = member.T @ fte  # directorates (and the block) x processes
    return ((by_group >= threshold_fte) & (by_group > 0)).sum(axis=0).astype(np.int64)


__all__ = [
    "DEFAULT_THRESHOLD_FTE",
    "Baseline",
    "Fragmentation",
    "OutsideHome",
    "ProcessFragmentation",
    "compute_baseline",
    "compute_fragmentation",
]
