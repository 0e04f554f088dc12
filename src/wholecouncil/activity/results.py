"""One survey's baseline as the pages and the export publish it, with small groups hidden.

`survey_result` takes a computed baseline and the organisation tree, decides suppression over the tree
(`engine.hierarchy`) and computes the fragmentation measures from published figures only (hidden units
pooled). `SurveyBaseline` then gives every table the pages and the workbook show; nothing here reads the
database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np

from wholecouncil.activity.engine import (
    DEFAULT_MINIMUM,
    DEFAULT_THRESHOLD_FTE,
    Baseline,
    Fragmentation,
    OutsideHome,
    compute_fragmentation,
    money,
    outside_home_reason,
)
from wholecouncil.activity.engine import fte as round_fte
from wholecouncil.activity.engine.hierarchy import TreeSuppression, suppress_tree
from wholecouncil.activity.models import Comparator, Survey

UNMAPPED = "unmapped"
NOT_MAPPED = "Not mapped to a layer"


@dataclass(frozen=True)
class Node:
    """An org unit of the council, as the activity pages see it."""

    id: int
    name: str
    kind: str
    parent: int | None  # index into SurveyBaseline.nodes
    path: str  # "Directorate / Service / Team"
    directorate: int  # index of its top-level ancestor (itself when top-level)
    engine_unit: int | None  # index into baseline.units when it has posts


@dataclass
class Cell:
    fte: Decimal | None
    cost: Decimal | None
    hidden: bool = False
    heat: int = 0  # shading band for the heatmap, 0 (none) to 5
    cost_heat: int = 0


@dataclass
class SurveyBaseline:
    survey: Survey
    baseline: Baseline
    fragmentation: Fragmentation
    nodes: list[Node]
    suppression: TreeSuppression
    layer_names: dict[str, str]  # layer code -> name, in the council's order
    invited: int
    submitted: int
    minimum: int = DEFAULT_MINIMUM
    warnings: list[str] = field(default_factory=list)

    # Who can be shown
    @property
    def everyone_hidden(self) -> bool:
        """The council's totals are hidden: too few answers, or a total that would reveal a small group."""
        return self.submitted < self.minimum or self.suppression.grand_hidden

    def node_shown(self, index: int) -> bool:
        return self.suppression.shown(index)

    def node_hidden(self, index: int) -> bool:
        return self.suppression.counts[index] > 0 and self.suppression.hidden[index]

    def unit_hidden(self, index: int) -> bool:
        """The figures of node `index`'s own posts are hidden (it has answers, and they are too few)."""
        u = self.nodes[index].engine_unit
        return u is not None and self.baseline.respondents[u] > 0 and self.suppression.own_hidden[index]

    @property
    def directorates(self) -> list[int]:
        return [i for i, n in enumerate(self.nodes) if n.parent is None]

    @property
    def hidden_reason(self) -> str:
        return f"fewer than {self.minimum} answers"

    # Council-wide figures
    def _share_rows(self, items: list[tuple[str, str, float, float]]) -> list[dict[str, Any]]:
        total = float(self.baseline.fte.sum())
        hidden = self.everyone_hidden
        return [
            {
                "code": code,
                "name": name,
                "fte": None if hidden else round_fte(f),
                "cost": None if hidden else money(c),
                "share": None if hidden or total <= 0 else Decimal(repr(f / total)),
                "hidden": hidden,
            }
            for code, name, f, c in items
        ]

    def process_rows(self) -> list[dict[str, Any]]:
        b = self.baseline
        items = [
            (p.code, p.name, float(b.process_fte[j]), float(b.process_cost[j]))
            for j, p in enumerate(b.processes)
        ]
        rows = self._share_rows(items)
        for row, p in zip(rows, b.processes, strict=True):
            row["layer"] = self.layer_names.get(p.layer, NOT_MAPPED)
        return rows

    def _layers(self) -> list[tuple[str, str, int | None]]:
        """(code, name, column of `baseline.by_layer()` or None) for each layer, in the council's order."""
        present = self.baseline.layers()
        listed = [*self.layer_names.items(), (UNMAPPED, NOT_MAPPED)]
        return [
            (code, name, present.index(code) if code in present else None)
            for code, name in listed
            if code != UNMAPPED or code in present
        ]

    def layer_rows(self) -> list[dict[str, Any]]:
        layer_fte, layer_cost = self.baseline.by_layer()
        items = [
            (
                code,
                name,
                0.0 if k is None else float(layer_fte[:, k].sum()),
                0.0 if k is None else float(layer_cost[:, k].sum()),
            )
            for code, name, k in self._layers()
        ]
        return self._share_rows(items)

    # By directorate
    def _directorate_sums(self, values: np.ndarray) -> np.ndarray:
        """Units x columns summed into directorates x columns (directorates in `self.directorates` order)."""
        dirs = self.directorates
        member = np.zeros((len(self.baseline.units), len(dirs)))
        for node in self.nodes:
            if node.engine_unit is not None:
                member[node.engine_unit, dirs.index(node.directorate)] = 1.0
        return member.T @ values

    def _directorate_cells(self, fte: np.ndarray, cost: np.ndarray) -> list[list[Cell]]:
        """For each column of `fte` (directorates x columns): a cell per directorate, hidden or empty."""
        rows = []
        for j in range(fte.shape[1]):
            cells = []
            for k, d in enumerate(self.directorates):
                if self.node_hidden(d):
                    cells.append(Cell(None, None, hidden=True))
                elif self.suppression.counts[d] == 0:
                    cells.append(Cell(None, None))
                else:
                    cells.append(Cell(round_fte(float(fte[k, j])), money(float(cost[k, j]))))
            rows.append(cells)
        return rows

    def by_directorate(self) -> tuple[list[Node], list[dict[str, Any]]]:
        """Process x directorate FTE and cost: the heatmap. Hidden directorates show no figures."""
        b = self.baseline
        cells = self._directorate_cells(self._directorate_sums(b.fte), self._directorate_sums(b.cost))
        rows = [{"code": p.code, "name": p.name, "cells": cells[j]} for j, p in enumerate(b.processes)]
        return [self.nodes[d] for d in self.directorates], rows

    def layer_by_directorate(self) -> tuple[list[Node], list[dict[str, Any]]]:
        """Layer x directorate FTE and cost."""
        layer_fte, layer_cost = self.baseline.by_layer()
        fte, cost = self._directorate_sums(layer_fte), self._directorate_sums(layer_cost)
        zero = np.zeros((fte.shape[0], 1))
        rows = []
        for code, name, k in self._layers():
            column = (zero, zero) if k is None else (fte[:, [k]], cost[:, [k]])
            rows.append({"code": code, "name": name, "cells": self._directorate_cells(*column)[0]})
        return [self.nodes[d] for d in self.directorates], rows

    # By unit
    def unit_rows(self) -> list[dict[str, Any]]:
        """Every unit with posts: respondents (when shown), establishment, allocated or not, hidden or not."""
        b = self.baseline
        rows = []
        for i, node in enumerate(self.nodes):
            u = node.engine_unit
            if u is None:
                continue
            count = int(b.respondents[u])
            hidden = self.unit_hidden(i)
            rows.append(
                {
                    "node": node,
                    "posts": b.units[u].posts,
                    "fte": round_fte(b.units[u].fte),
                    "cost": money(b.units[u].cost),
                    "respondents": None if hidden else count,
                    "allocated": count > 0,
                    "hidden": hidden,
                }
            )
        return rows

    def answered_units(self) -> list[tuple[int, Node]]:
        """(node index, node) of every unit with answers, in tree order."""
        b = self.baseline
        return [
            (i, n)
            for i, n in enumerate(self.nodes)
            if n.engine_unit is not None and b.respondents[n.engine_unit] > 0
        ]

    def process_by_unit(self, code: str) -> list[dict[str, Any]]:
        """The units doing one process (hidden units listed, without figures)."""
        b = self.baseline
        j = next(k for k, p in enumerate(b.processes) if p.code == code)
        rows: list[dict[str, Any]] = []
        for i, node in self.answered_units():
            u = node.engine_unit
            assert u is not None
            if self.unit_hidden(i):
                rows.append({"node": node, "fte": None, "cost": None, "hidden": True})
            elif b.fte[u, j] > 0:
                fte, cost = round_fte(float(b.fte[u, j])), money(float(b.cost[u, j]))
                rows.append({"node": node, "fte": fte, "cost": cost, "hidden": False})
        return rows

    def unit_cells(self) -> tuple[list[Node], list[dict[str, Any]]]:
        """Process x unit FTE and cost for every unit with answers; hidden units' cells are hidden."""
        b = self.baseline
        units = self.answered_units()
        rows = []
        for j, p in enumerate(b.processes):
            cells = []
            for i, node in units:
                u = node.engine_unit
                assert u is not None
                if self.unit_hidden(i):
                    cells.append(Cell(None, None, hidden=True))
                else:
                    cells.append(Cell(round_fte(float(b.fte[u, j])), money(float(b.cost[u, j]))))
            rows.append({"code": p.code, "name": p.name, "cells": cells})
        return [n for _, n in units], rows

    # Fragmentation
    def fragmentation_rows(self) -> list[dict[str, Any]]:
        names = {p.code: p for p in self.baseline.processes}
        if self.everyone_hidden:
            return []
        rows: list[dict[str, Any]] = []
        for r in self.fragmentation.ranking():
            p = names[r.code]
            shown = r.outside_home == OutsideHome.SHARE and r.outside_home_share is not None
            rows.append(
                {
                    "code": r.code,
                    "name": p.name,
                    "layer": self.layer_names.get(p.layer, NOT_MAPPED),
                    "fte": round_fte(r.fte),
                    "units": r.units_with_material_effort,
                    "effective_units": Decimal(repr(r.effective_units)).quantize(Decimal("0.1")),
                    "outside_home": r.outside_home.value,
                    "outside_home_share": Decimal(repr(r.outside_home_share)) if shown else None,
                    "outside_home_hidden": r.outside_home == OutsideHome.HIDDEN,
                    "outside_home_reason": outside_home_reason(self.minimum),
                    "directorates": r.directorates_with_material_effort,
                }
            )
        return rows

    def totals(self) -> dict[str, Any]:
        b = self.baseline
        hidden = self.everyone_hidden
        return {
            "establishment_fte": round_fte(b.establishment_fte),
            "establishment_cost": money(b.establishment_cost),
            "allocated_fte": None if hidden else round_fte(b.allocated_fte),
            "allocated_cost": None if hidden else money(b.allocated_cost),
            "unallocated_fte": round_fte(b.unallocated_fte),
            "unallocated_cost": money(b.unallocated_cost),
            "units": len(b.units),
            "units_allocated": int((b.respondents > 0).sum()),
            "units_unallocated": int((b.respondents == 0).sum()),
            "invited": self.invited,
            "submitted": self.submitted,
            "rate": Decimal(self.submitted) / Decimal(self.invited) if self.invited else None,
        }

    def comparison(self, comparator: Comparator) -> list[dict[str, Any]]:
        """Our share of effort against the comparator's, by layer or by process, in percentage points."""
        ours = self.layer_rows() if comparator.basis == Comparator.Basis.LAYER else self.process_rows()
        rows = []
        for row in ours:
            theirs = comparator.shares.get(row["code"])
            their_share = Decimal(str(theirs)) if theirs is not None else None
            rows.append(
                {
                    **row,
                    "comparator": their_share,
                    "variance": None
                    if their_share is None or row["share"] is None
                    else row["share"] - their_share,
                }
            )
        return rows


def survey_result(
    *,
    survey: Survey,
    baseline: Baseline,
    nodes: list[Node],
    own_counts: Sequence[int],
    layer_names: dict[str, str],
    invited: int,
    threshold_fte: float = DEFAULT_THRESHOLD_FTE,
    minimum: int = DEFAULT_MINIMUM,
    warnings: list[str] | None = None,
) -> SurveyBaseline:
    """Suppression over the tree, then fragmentation from published figures only (hidden units pooled)."""
    suppression = suppress_tree(own_counts, [n.parent for n in nodes], minimum=minimum)
    hidden = np.zeros(len(baseline.units), dtype=bool)
    for i, node in enumerate(nodes):
        if node.engine_unit is not None:
            hidden[node.engine_unit] = (
                suppression.own_hidden[i] and baseline.respondents[node.engine_unit] > 0
            )
    submitted = int(baseline.respondents.sum())
    if submitted < minimum or suppression.grand_hidden:
        hidden[:] = baseline.respondents > 0
    fragmentation = compute_fragmentation(baseline, threshold_fte=threshold_fte, hidden=hidden)
    return SurveyBaseline(
        survey=survey,
        baseline=baseline,
        fragmentation=fragmentation,
        nodes=nodes,
        suppression=suppression,
        layer_names=layer_names,
        invited=invited,
        submitted=submitted,
        minimum=minimum,
        warnings=warnings or [],
    )
