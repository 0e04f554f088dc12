"""Reading the activity baseline out of the database, with small groups suppressed, for pages and exports.

The figures come from the same engine as `wholecouncil activity baseline`: the council's establishment (every
post of its own, by org unit) and one survey's submitted answers. Suppression is decided over the whole
organisation tree (`engine.hierarchy`), so no published total gives away a group of fewer than five.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Sum

from wholecouncil.activity.engine import (
    DEFAULT_MINIMUM,
    DEFAULT_THRESHOLD_FTE,
    Baseline,
    Establishment,
    Fragmentation,
    Responses,
    compute_baseline,
    compute_fragmentation,
    money,
)
from wholecouncil.activity.engine import (
    OrgUnit as EngineUnit,
)
from wholecouncil.activity.engine import (
    fte as round_fte,
)
from wholecouncil.activity.engine.hierarchy import TreeSuppression, suppress_tree
from wholecouncil.activity.models import Comparator, Process, Respondent, Survey
from wholecouncil.activity.taxonomy import (
    ANYWHERE,
    PROCESSES_BY_CODE,
    function_of_unit,
)
from wholecouncil.activity.taxonomy import (
    Process as EngineProcess,
)
from wholecouncil.council.models import Council, Layer, OrgUnit
from wholecouncil.workforce.models import Post

UNMAPPED = "unmapped"


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
        return self.submitted < self.minimum

    def node_shown(self, index: int) -> bool:
        return self.suppression.shown(index)

    def node_hidden(self, index: int) -> bool:
        return self.suppression.counts[index] > 0 and self.suppression.hidden[index]

    @property
    def directorates(self) -> list[int]:
        return [i for i, n in enumerate(self.nodes) if n.parent is None]

    # Figures
    def process_rows(self) -> list[dict[str, Any]]:
        b = self.baseline
        hidden = self.everyone_hidden
        total = float(b.fte.sum())
        rows = []
        for j, p in enumerate(b.processes):
            f = float(b.process_fte[j])
            rows.append(
                {
                    "code": p.code,
                    "name": p.name,
                    "layer": self.layer_names.get(p.layer, "Not mapped to a layer"),
                    "fte": None if hidden else round_fte(f),
                    "cost": None if hidden else money(float(b.process_cost[j])),
                    "share": None if hidden or total <= 0 else Decimal(repr(f / total)),
                    "hidden": hidden,
                }
            )
        return rows

    def layer_rows(self) -> list[dict[str, Any]]:
        b = self.baseline
        layer_fte, layer_cost = b.by_layer()
        fte_by = dict(zip(b.layers(), layer_fte.sum(axis=0), strict=True))
        cost_by = dict(zip(b.layers(), layer_cost.sum(axis=0), strict=True))
        total = float(sum(fte_by.values()))
        hidden = self.everyone_hidden
        rows = []
        for code, name in [*self.layer_names.items(), (UNMAPPED, "Not mapped to a layer")]:
            if code not in fte_by:
                if code == UNMAPPED:
                    continue
                fte_by[code] = 0.0
                cost_by[code] = 0.0
            f = float(fte_by[code])
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "fte": None if hidden else round_fte(f),
                    "cost": None if hidden else money(float(cost_by[code])),
                    "share": None if hidden or total <= 0 else Decimal(repr(f / total)),
                    "hidden": hidden,
                }
            )
        return rows

    def by_directorate(self) -> tuple[list[Node], list[dict[str, Any]]]:
        """Process x directorate FTE: the heatmap. Hidden directorates show no figures."""
        b = self.baseline
        dirs = self.directorates
        columns = [self.nodes[d] for d in dirs]
        unit_dir = np.full(len(b.units), -1)
        for node in self.nodes:
            if node.engine_unit is not None:
                unit_dir[node.engine_unit] = dirs.index(node.directorate)
        member = np.zeros((len(b.units), len(dirs)))
        for u, d in enumerate(unit_dir):
            if d >= 0:
                member[u, d] = 1.0
        fte = member.T @ b.fte  # directorates x processes
        cost = member.T @ b.cost
        rows = []
        for j, p in enumerate(b.processes):
            cells = []
            for k, d in enumerate(dirs):
                if self.node_hidden(d):
                    cells.append(Cell(None, None, hidden=True))
                elif self.suppression.counts[d] == 0:
                    cells.append(Cell(None, None))
                else:
                    cells.append(Cell(round_fte(float(fte[k, j])), money(float(cost[k, j]))))
            rows.append({"code": p.code, "name": p.name, "cells": cells})
        return columns, rows

    def unit_rows(self) -> list[dict[str, Any]]:
        """Every unit with posts: respondents (when shown), establishment, allocated or not, hidden or not."""
        b = self.baseline
        rows = []
        for i, node in enumerate(self.nodes):
            u = node.engine_unit
            if u is None:
                continue
            count = int(b.respondents[u])
            hidden = count > 0 and self.suppression.own_hidden[i]
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

    def process_by_unit(self, code: str) -> list[dict[str, Any]]:
        b = self.baseline
        j = next(k for k, p in enumerate(b.processes) if p.code == code)
        rows: list[dict[str, Any]] = []
        for i, node in enumerate(self.nodes):
            u = node.engine_unit
            if u is None or b.respondents[u] == 0:
                continue
            if self.suppression.own_hidden[i]:
                rows.append({"node": node, "fte": None, "cost": None, "hidden": True})
            elif b.fte[u, j] > 0:
                rows.append(
                    {
                        "node": node,
                        "fte": round_fte(float(b.fte[u, j])),
                        "cost": money(float(b.cost[u, j])),
                        "hidden": False,
                    }
                )
        return rows

    def fragmentation_rows(self) -> list[dict[str, Any]]:
        names = {p.code: p for p in self.baseline.processes}
        rows: list[dict[str, Any]] = []
        if self.everyone_hidden:
            return rows
        for r in self.fragmentation.ranking():
            p = names[r.code]
            rows.append(
                {
                    "code": r.code,
                    "name": p.name,
                    "layer": self.layer_names.get(p.layer, "Not mapped to a layer"),
                    "fte": round_fte(r.fte),
                    "units": r.units_with_material_effort,
                    "effective_units": Decimal(repr(r.effective_units)).quantize(Decimal("0.1")),
                    "outside_home_share": None
                    if r.outside_home_share is None
                    else Decimal(repr(r.outside_home_share)),
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


def surveys_with_answers(council: Council) -> list[Survey]:
    return list(
        Survey.objects.filter(council=council, respondents__status=Respondent.Status.SUBMITTED)
        .distinct()
        .order_by("-created_at", "-id")
    )


def engine_processes(council: Council, survey: Survey) -> tuple[EngineProcess, ...]:
    """The survey's frozen process list as engine processes, with layers and home functions filled in."""
    own = {p.code: p for p in Process.objects.filter(council=council).select_related("layer")}
    result = []
    for item in survey.processes:
        code = item["code"]
        current = own.get(code)
        default = PROCESSES_BY_CODE.get(code)
        layer = item.get("layer_code") or (
            current.layer.code if current is not None and current.layer is not None else None
        )
        if layer is None:
            layer = default.layer if default is not None else UNMAPPED
        home = item.get("home_function") or (
            current.home_function if current is not None else default.home_function if default else ANYWHERE
        )
        result.append(EngineProcess(code, item.get("name", code), item.get("description", ""), layer, home))
    return tuple(result)


def _nodes(council: Council) -> tuple[list[Node], list[OrgUnit], dict[int, int]]:
    units = list(OrgUnit.objects.filter(council=council).order_by("name", "id"))
    by_id = {u.pk: u for u in units}
    children: dict[int | None, list[OrgUnit]] = defaultdict(list)
    for u in units:
        children[u.parent_id if u.parent_id in by_id else None].append(u)
    ordered: list[OrgUnit] = []

    def walk(unit: OrgUnit) -> None:
        ordered.append(unit)
        for child in children.get(unit.pk, []):
            walk(child)

    for root in children[None]:
        walk(root)
    index = {u.pk: i for i, u in enumerate(ordered)}
    nodes: list[Node] = []
    for u in ordered:
        chain = [u]
        while chain[-1].parent_id in by_id:
            chain.append(by_id[chain[-1].parent_id])
        nodes.append(
            Node(
                id=u.pk,
                name=u.name,
                kind=u.kind,
                parent=index.get(u.parent_id) if u.parent_id is not None else None,
                path=" / ".join(x.name for x in reversed(chain)),
                directorate=index[chain[-1].pk],
                engine_unit=None,
            )
        )
    return nodes, ordered, index


def survey_baseline(
    council: Council,
    survey: Survey,
    *,
    threshold_fte: float = DEFAULT_THRESHOLD_FTE,
    minimum: int = DEFAULT_MINIMUM,
) -> SurveyBaseline:
    nodes, ordered, index = _nodes(council)
    by_id = {u.pk: u for u in ordered}
    posts = Post.objects.filter(council=council).values_list("org_unit_id", "fte", "annual_cost")
    fte_by: dict[int, float] = defaultdict(float)
    cost_by: dict[int, float] = defaultdict(float)
    count_by: dict[int, int] = defaultdict(int)
    uncosted = 0
    for unit_id, post_fte, cost in posts:
        fte_by[unit_id] += float(post_fte)
        cost_by[unit_id] += float(cost or 0)
        count_by[unit_id] += 1
        uncosted += cost is None
    engine_units: list[EngineUnit] = []
    unit_of_node: dict[int, int] = {}
    for i, node in enumerate(nodes):
        if node.id not in count_by:
            continue
        chain_names = []
        u: OrgUnit | None = by_id[node.id]
        while u is not None:
            chain_names.append(u.name)
            u = by_id.get(u.parent_id) if u.parent_id else None
        unit_of_node[i] = len(engine_units)
        engine_units.append(
            EngineUnit(
                name=node.path,
                directorate=nodes[node.directorate].name,
                function=function_of_unit(chain_names),
                fte=fte_by[node.id],
                cost=cost_by[node.id],
                posts=count_by[node.id],
            )
        )
    nodes = [replace(n, engine_unit=unit_of_node.get(i)) for i, n in enumerate(nodes)]
    processes = engine_processes(council, survey)
    codes = [p.code for p in processes]
    submitted = list(
        Respondent.objects.filter(survey=survey, status=Respondent.Status.SUBMITTED).values_list(
            "ref", "org_unit_id", "contracted_hours", "answers"
        )
    )
    warnings: list[str] = []
    rows_unit: list[int] = []
    rows_hours: list[list[float]] = []
    rows_contracted: list[float] = []
    refs: list[str] = []
    own_counts = [0] * len(nodes)
    outside = 0
    percent = survey.unit == Survey.Unit.PERCENT
    for ref, unit_id, contracted, answers in submitted:
        node_index = index.get(unit_id)
        if node_index is None or node_index not in unit_of_node:
            outside += 1
            continue
        hours = [float(answers.get(code) or 0) for code in codes]
        if percent:
            hours = [h * float(contracted) / 100.0 for h in hours]
        refs.append(ref)
        rows_unit.append(unit_of_node[node_index])
        rows_hours.append(hours)
        rows_contracted.append(float(contracted))
        own_counts[node_index] += 1
    if outside:
        warnings.append(
            f"{outside} answers are from units with no posts on the establishment now; they are left out."
        )
    if uncosted:
        warnings.append(f"{uncosted} posts have no annual cost; they count as £0 in the cost figures.")
    establishment = Establishment(file="establishment", posts=(), units=tuple(engine_units))
    responses = Responses(
        file=survey.title,
        processes=processes,
        respondent_ids=tuple(refs),
        unit=np.array(rows_unit, dtype=np.int64),
        contracted_hours=np.array(rows_contracted, dtype=np.float64),
        hours=np.array(rows_hours, dtype=np.float64).reshape(len(refs), len(processes)),
    )
    baseline = compute_baseline(establishment, responses)
    fragmentation = compute_fragmentation(baseline, threshold_fte=threshold_fte)
    suppression = suppress_tree(own_counts, [n.parent for n in nodes], minimum=minimum)
    layer_names = {
        layer.code: layer.name for layer in Layer.objects.filter(council=council).order_by("position")
    }
    for p in processes:
        if p.layer != UNMAPPED and p.layer not in layer_names:
            layer_names[p.layer] = p.layer.replace("-", " ").capitalize()
    return SurveyBaseline(
        survey=survey,
        baseline=baseline,
        fragmentation=fragmentation,
        nodes=nodes,
        suppression=suppression,
        layer_names=layer_names,
        invited=Respondent.objects.filter(survey=survey).count(),
        submitted=len(refs),
        minimum=minimum,
        warnings=warnings,
    )


def latest_baseline(council: Council) -> SurveyBaseline | None:
    surveys = surveys_with_answers(council)
    return survey_baseline(council, surveys[0]) if surveys else None


def _inputs_version(council: Council, survey: Survey) -> str:
    """Changes whenever an answer, the establishment or the process list that the baseline reads changes."""
    answers = Respondent.objects.filter(survey=survey, status=Respondent.Status.SUBMITTED).aggregate(
        n=Count("id"), last=Max("submitted_at")
    )
    posts = Post.objects.filter(council=council).aggregate(n=Count("id"), top=Max("id"), fte=Sum("fte"))
    processes = Process.objects.filter(council=council).aggregate(n=Count("id"), top=Max("id"))
    layers = Layer.objects.filter(council=council).aggregate(n=Count("id"), top=Max("id"))
    return repr((survey.pk, answers, posts, processes, layers))


def layer_baseline(council: Council) -> dict[str, dict[str, Decimal]] | None:
    """Effort by operating-model layer from the latest survey with answers: {layer code: {fte, cost}}.

    None when there is no survey with answers, or too few respondents to publish anything. Used by the
    business case to size opportunities, on every page of it, so the result is cached until the answers,
    the establishment or the process list change.
    """
    surveys = surveys_with_answers(council)
    if not surveys:
        return None
    key = "activity:layers:" + hashlib.sha256(_inputs_version(council, surveys[0]).encode()).hexdigest()
    cached: dict[str, dict[str, Decimal]] | str | None = cache.get(key, "missing")
    if cached != "missing":
        return cached  # type: ignore[return-value]
    result = survey_baseline(council, surveys[0])
    layers = (
        None
        if result.everyone_hidden
        else {
            row["code"]: {"fte": row["fte"], "cost": row["cost"]}
            for row in result.layer_rows()
            if row["fte"] is not None
        }
    )
    cache.set(key, layers, timeout=3600)
    return layers
