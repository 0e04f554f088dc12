"""Non-interference: what hidden units did among themselves never shows in any published figure.

For a random baseline, effort is moved between two hidden units, from (a, j) to (b, j) and back from (b, k)
to (a, k): every unit's total and every process's total stay the same, and so must every figure the
command line, the pages and the workbook publish. If any figure moved, it would be telling the two units
apart. Figures are multiples of 1/64 FTE (and of £15.625), so every sum is exact in floating point and the
comparisons can be exact.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import numpy as np
import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wholecouncil.activity.engine import (
    Baseline,
    OrgUnit,
    baseline_report,
    compute_fragmentation,
    hidden_units,
    suppress_baseline,
)
from wholecouncil.activity.exports import baseline_workbook
from wholecouncil.activity.models import Survey
from wholecouncil.activity.results import Node, SurveyBaseline, survey_result
from wholecouncil.activity.taxonomy import PROCESSES_BY_CODE
from wholecouncil.council.models import Council

PROCESSES = tuple(
    PROCESSES_BY_CODE[c] for c in ("enquiries", "direct-delivery", "finance", "management", "performance")
)
FUNCTIONS = ("customer-services", "service-delivery", "finance")
COST_PER_FTE = 1000.0
LAYER_NAMES = {p.layer: p.layer.replace("-", " ").capitalize() for p in PROCESSES}


def _baseline(draw: st.DrawFn, units: list[tuple[str, str]], respondents: list[int]) -> Baseline:
    """Units (name, directorate) with the given respondents; every allocated cell at least 1/64 FTE."""
    n = len(units)
    fte = np.zeros((n, len(PROCESSES)))
    establishment = []
    for i, count in enumerate(respondents):
        if count:
            fte[i] = [draw(st.integers(1, 320)) / 64 for _ in PROCESSES]
        establishment.append(float(fte[i].sum()) if count else draw(st.integers(16, 320)) / 64)
    engine_units = tuple(
        OrgUnit(
            name=name,
            directorate=directorate,
            function=draw(st.sampled_from(FUNCTIONS)),
            fte=establishment[i],
            cost=establishment[i] * COST_PER_FTE,
            posts=1,
        )
        for i, (name, directorate) in enumerate(units)
    )
    return Baseline(
        processes=PROCESSES,
        units=engine_units,
        respondents=np.array(respondents, dtype=np.int64),
        responding_hours=np.array(respondents, dtype=np.float64) * 37,
        fte=fte,
        cost=fte * COST_PER_FTE,
    )


def _moved(draw: st.DrawFn, baseline: Baseline, a: int, b: int) -> Baseline:
    """The same baseline with effort moved (a, j) -> (b, j) and (b, k) -> (a, k): all totals unchanged."""
    j, k = draw(st.permutations(range(len(PROCESSES))))[:2]
    fte = baseline.fte.copy()
    step = min(fte[a, j], fte[b, k])
    delta = draw(st.integers(1, int(step * 64))) / 64
    fte[a, j] -= delta
    fte[b, j] += delta
    fte[b, k] -= delta
    fte[a, k] += delta
    assert np.array_equal(fte.sum(axis=0), baseline.fte.sum(axis=0))
    assert np.array_equal(fte.sum(axis=1), baseline.fte.sum(axis=1))
    return replace(baseline, fte=fte, cost=fte * COST_PER_FTE)


# --- the command line's report ----------------------------------------------------------------------------


@st.composite
def cli_cases(draw: st.DrawFn) -> tuple[Baseline, Baseline]:
    n = draw(st.integers(2, 8))
    named = draw(st.booleans())
    units = [(f"U{i}", draw(st.sampled_from(["D1", "D2", "D3"])) if named else "") for i in range(n)]
    respondents = draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))
    baseline = _baseline(draw, units, respondents)
    hidden = [i for i in np.flatnonzero(hidden_units(suppress_baseline(baseline))) if respondents[i]]
    if len(hidden) < 2:
        return baseline, baseline
    a, b = draw(st.permutations(hidden))[:2]
    return baseline, _moved(draw, baseline, int(a), int(b))


def _cli_report(baseline: Baseline, threshold: float) -> str:
    suppression = suppress_baseline(baseline)
    fragmentation = compute_fragmentation(baseline, threshold_fte=threshold, hidden=hidden_units(suppression))
    return json.dumps(baseline_report(baseline, fragmentation, suppression=suppression), sort_keys=True)


@settings(max_examples=300, deadline=None)
@given(cli_cases(), st.sampled_from([0.25, 0.5, 1.0, 2.0]))
def test_the_command_lines_report_does_not_depend_on_how_hidden_units_split_their_effort(
    case: tuple[Baseline, Baseline], threshold: float
) -> None:
    before, after = case
    assert _cli_report(before, threshold) == _cli_report(after, threshold)


# --- the pages and the workbook -------------------------------------------------------------------------


@st.composite
def forests(draw: st.DrawFn) -> tuple[list[Node], list[int], Baseline]:
    """A forest of up to 12 org units (directorates have no parent); units with posts answer 0 to 9 times."""
    n = draw(st.integers(1, 12))
    parent: list[int | None] = [None]
    for i in range(1, n):
        parent.append(draw(st.one_of(st.none(), st.integers(0, i - 1))))
    has_posts = [draw(st.booleans()) or all(p != i for p in parent) for i in range(n)]

    def root(i: int) -> int:
        while parent[i] is not None:
            i = parent[i]  # type: ignore[assignment]
        return i

    def path(i: int) -> str:
        return f"{path(parent[i])} / N{i}" if parent[i] is not None else f"N{i}"  # type: ignore[arg-type]

    engine_index = {i: k for k, i in enumerate(i for i in range(n) if has_posts[i])}
    nodes = [
        Node(
            id=i + 1,
            name=f"N{i}",
            kind="team",
            parent=parent[i],
            path=path(i),
            directorate=root(i),
            engine_unit=engine_index.get(i),
        )
        for i in range(n)
    ]
    counts = [draw(st.integers(0, 9)) if has_posts[i] else 0 for i in range(n)]
    units = [(nodes[i].path, f"N{root(i)}") for i in engine_index]
    baseline = _baseline(draw, units, [counts[i] for i in engine_index])
    return nodes, counts, baseline


def _web(nodes: list[Node], counts: list[int], baseline: Baseline, threshold: float) -> SurveyBaseline:
    return survey_result(
        survey=Survey(title="Where our time goes"),
        baseline=baseline,
        nodes=nodes,
        own_counts=counts,
        layer_names=LAYER_NAMES,
        invited=sum(counts) + 3,
        threshold_fte=threshold,
    )


def _published(result: SurveyBaseline) -> str:
    figures: dict[str, Any] = {
        "processes": result.process_rows(),
        "layers": result.layer_rows(),
        "directorates": result.by_directorate(),
        "layers by directorate": result.layer_by_directorate(),
        "units": result.unit_rows(),
        "process by unit": result.unit_cells(),
        "each process": [result.process_by_unit(p.code) for p in PROCESSES],
        "fragmentation": result.fragmentation_rows(),
        "totals": result.totals(),
    }
    return repr(figures)


def _workbook_values(result: SurveyBaseline) -> list[list[Any]]:
    book = openpyxl.load_workbook(io.BytesIO(baseline_workbook(Council(name="Testshire", slug="t"), result)))
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets]


def _shown_containers(result: SurveyBaseline, node: int) -> frozenset[int]:
    """The published totals (shown nodes) that a unit's own posts are part of."""
    found = set()
    current: int | None = node
    while current is not None:
        if result.node_shown(current):
            found.add(current)
        current = result.nodes[current].parent
    return frozenset(found)


def _partner_pairs(result: SurveyBaseline) -> list[tuple[int, int]]:
    """Hidden units with answers that no published total tells apart, as baseline unit indexes."""
    hidden = [(i, n.engine_unit) for i, n in result.answered_units() if result.unit_hidden(i)]
    return [
        (int(u), int(v))
        for i, u in hidden
        for k, v in hidden
        if u is not None
        and v is not None
        and u != v
        and _shown_containers(result, i) == _shown_containers(result, k)
    ]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(forests(), st.sampled_from([0.25, 0.5, 1.0]), st.data())
def test_pages_and_workbook_do_not_depend_on_how_hidden_units_split_their_effort(
    forest: tuple[list[Node], list[int], Baseline], threshold: float, data: st.DataObject
) -> None:
    nodes, counts, baseline = forest
    before = _web(nodes, counts, baseline, threshold)
    pairs = _partner_pairs(before)
    hidden = [i for i, _ in before.answered_units() if before.unit_hidden(i)]
    if hidden and not before.everyone_hidden:
        # complementary suppression always leaves a hidden unit a partner no published total separates
        assert pairs
    if not pairs:
        return
    a, b = data.draw(st.sampled_from(pairs))
    after = _web(nodes, counts, _moved(data.draw, baseline, a, b), threshold)
    assert _published(after) == _published(before)
    assert _workbook_values(after) == _workbook_values(before)
