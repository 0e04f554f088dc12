"""Reading the activity baseline out of the database, with small groups suppressed, for pages and exports.

The figures come from the same engine as `wholecouncil activity baseline`: the council's establishment (every
post of its own, by org unit) and one closed survey's submitted answers. Suppression is decided over the
whole organisation tree (`results.survey_result`), so no published figure gives away a small group.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum

from wholecouncil.activity.engine import (
    DEFAULT_MINIMUM,
    DEFAULT_THRESHOLD_FTE,
    Establishment,
    Responses,
    compute_baseline,
)
from wholecouncil.activity.engine import OrgUnit as EngineUnit
from wholecouncil.activity.models import Process, Respondent, Survey
from wholecouncil.activity.results import UNMAPPED, Node, SurveyBaseline, survey_result
from wholecouncil.activity.selectors_survey import surveys_for
from wholecouncil.activity.taxonomy import ANYWHERE, PROCESSES_BY_CODE, function_of_unit
from wholecouncil.activity.taxonomy import Process as EngineProcess
from wholecouncil.council.models import Council, Layer, OrgUnit
from wholecouncil.workforce.models import Post

__all__ = [
    "Node",
    "SurveyBaseline",
    "engine_processes",
    "layer_baseline",
    "results_filter",
    "survey_baseline",
    "surveys_in_progress",
    "surveys_with_results",
]


def results_filter() -> Q:
    """Surveys whose results may be shown: closed ones (an imported survey is closed when it lands).

    An open survey's figures would change with each answer, so comparing a page before and after one
    submission would show that person's answers: an open survey shows response rates only.
    """
    return Q(status=Survey.Status.CLOSED) | Q(source=Survey.Source.IMPORT)


def surveys_with_results(council: Council) -> list[Survey]:
    """The council's closed surveys with answers, newest first."""
    return list(
        Survey.objects.filter(
            results_filter(), council=council, respondents__status=Respondent.Status.SUBMITTED
        )
        .distinct()
        .order_by("-created_at", "-id")
    )


def surveys_in_progress(council: Council) -> list[Survey]:
    """Open surveys, each with `invited` and `submitted` counts: their results appear when they close."""
    return list(surveys_for(council).filter(status=Survey.Status.OPEN, source=Survey.Source.LINKS))


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
    layer_names = {
        layer.code: layer.name for layer in Layer.objects.filter(council=council).order_by("position")
    }
    for p in processes:
        if p.layer != UNMAPPED and p.layer not in layer_names:
            layer_names[p.layer] = p.layer.replace("-", " ").capitalize()
    return survey_result(
        survey=survey,
        baseline=baseline,
        nodes=nodes,
        own_counts=own_counts,
        layer_names=layer_names,
        invited=Respondent.objects.filter(survey=survey).count(),
        threshold_fte=threshold_fte,
        minimum=minimum,
        warnings=warnings,
    )


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
    """Effort by operating-model layer from the latest closed survey with answers: {layer code: {fte, cost}}.

    None when there is no closed survey with answers, or too few respondents to publish anything (an open
    survey's figures would change with every answer, see `results_filter`). Used by the business case to
    size opportunities, on every page of it, so the result is cached until the answers, the establishment or
    the process list change.
    """
    surveys = surveys_with_results(council)
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
