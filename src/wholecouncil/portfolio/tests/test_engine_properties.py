"""Properties of the portfolio engine that hold for any input."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.portfolio.engine import capacity, graph, raid, schedule, status
from wholecouncil.portfolio.engine.errors import CycleError, PortfolioError, Refused
from wholecouncil.portfolio.engine.lifecycle import (
    APPROVALS,
    TERMINAL,
    Action,
    Assessment,
    Facts,
    ProjectState,
    Status,
    apply,
)
from wholecouncil.portfolio.engine.stages import DEFAULT_STAGES, StageDef, check_stages

facts_strategy = st.builds(
    Facts,
    assessment=st.one_of(
        st.none(),
        st.builds(
            Assessment,
            missing=st.lists(st.sampled_from(["A", "B"]), max_size=1).map(tuple),
            conflicts=st.lists(st.sampled_from(["C"]), max_size=1).map(tuple),
        ),
    ),
    open_conditions=st.integers(0, 2),
    unmet_criteria=st.lists(st.sampled_from(["X"]), max_size=1).map(tuple),
    reasons=st.sampled_from(["", "Because"]),
    new_conditions=st.integers(0, 2),
    actor_is_manager=st.booleans(),
    actor_submitted=st.booleans(),
    missing_evidence=st.lists(st.sampled_from(["Outline business case"]), max_size=1).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(
    stage_count=st.integers(2, 7),
    moves=st.lists(st.tuples(st.sampled_from(list(Action)), facts_strategy), max_size=40),
)
def test_any_sequence_of_moves_keeps_the_lifecycle_sound(
    stage_count: int, moves: list[tuple[Action, Facts]]
) -> None:
    state = ProjectState(1)
    approvals = 0
    for action, facts in moves:
        try:
            after = apply(state, action, facts, stage_count=stage_count)
        except Refused as exc:
            assert exc.reason.strip()
            continue
        assert state.status not in TERMINAL, "nothing moves a stopped or closed project"
        assert 1 <= after.stage <= stage_count
        assert after.stage >= state.stage, "a project never goes back a stage"
        if action in APPROVALS:
            approvals += 1
            assert facts.reasons.strip() and not facts.actor_is_manager and not facts.open_conditions
            assert not facts.actor_submitted and not facts.missing_evidence and not facts.unmet_criteria
            if state.stage == 1:
                assert facts.assessment is not None and facts.assessment.complete
            assert after.stage == state.stage + 1 or after.status is Status.CLOSED
        else:
            assert after.stage == state.stage
        if after.status is Status.CLOSED:
            assert state.stage == stage_count and action in APPROVALS
        state = after
    assert state.stage == min(approvals + 1, stage_count)


def test_default_stages_are_a_valid_configuration() -> None:
    check_stages(DEFAULT_STAGES)
    assert [s.name for s in DEFAULT_STAGES] == ["Inspiration", "Understand", "Innovate", "Change", "Embed"]


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ((StageDef(1, "Only", ""),), "between 2 and 10"),
        ((StageDef(1, "A", ""), StageDef(3, "B", "")), "numbered 1 to 2"),
        ((StageDef(1, "A", ""), StageDef(2, " ", "")), "needs 1 to 60"),
        ((StageDef(1, "A", ""), StageDef(2, "a", "")), "used by another stage"),
    ],
)
def test_bad_stage_configurations_are_refused(stages: tuple[StageDef, ...], message: str) -> None:
    with pytest.raises(PortfolioError, match=message):
        check_stages(stages)


# --- dependencies ---------------------------------------------------------------------------------


@settings(deadline=None)
@given(st.integers(2, 30), st.data())
def test_edges_that_follow_an_order_never_make_a_loop(n: int, data: st.DataObject) -> None:
    """Dependencies that always point to an earlier item can be added in any order without a refusal."""
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] > p[1])
    edges = data.draw(st.lists(pairs, max_size=60, unique=True))
    for i, (a, b) in enumerate(edges):
        graph.check_new_dependency(edges[:i], a, b)


@settings(deadline=None)
@given(st.lists(st.integers(0, 8), min_size=2, max_size=9, unique=True))
def test_closing_a_chain_is_refused_and_names_the_loop(chain: list[int]) -> None:
    edges = list(itertools.pairwise(chain))
    with pytest.raises(CycleError) as caught:
        graph.check_new_dependency(edges, chain[-1], chain[0])
    cycle = caught.value.cycle
    assert cycle[0] == cycle[-1] == str(chain[-1])
    assert len(cycle) == len(chain) + 1
    assert cycle[1:] == [str(k) for k in chain], "the loop is named edge by edge"


@given(
    st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=20),
    st.integers(0, 6),
    st.integers(0, 6),
)
def test_a_refused_dependency_names_a_loop_made_of_real_edges(
    edges: list[tuple[int, int]], a: int, b: int
) -> None:
    try:
        graph.check_new_dependency(edges, a, b)
    except CycleError as exc:
        loop = [int(k) for k in exc.cycle]
        assert loop[0] == loop[-1] == a
        assert all(pair in {*edges, (a, b)} for pair in itertools.pairwise(loop))
    else:
        assert graph.path_between(edges, b, a) is None and a != b


def test_a_project_cannot_depend_on_itself_and_names_are_used() -> None:
    with pytest.raises(CycleError, match="Alpha → Alpha"):
        graph.check_new_dependency([], 1, 1, {1: "Alpha"})
    with pytest.raises(CycleError, match=r"loop: A → B → A\."):
        graph.check_new_dependency([(2, 1)], 1, 2, {1: "A", 2: "B"})


def test_a_long_chain_does_not_hit_the_recursion_limit() -> None:
    edges = [(i + 1, i) for i in range(5000)]
    graph.check_new_dependency(edges, 5001, 5000)
    with pytest.raises(CycleError):
        graph.check_new_dependency(edges, 0, 5000)


# --- risks ----------------------------------------------------------------------------------------

scale = st.integers(1, 5)


@given(scale, scale, scale, scale)
def test_risk_scores_multiply_and_residual_never_exceeds_current(l1: int, i1: int, l2: int, i2: int) -> None:
    assert raid.risk_score(l1, i1) == l1 * i1
    assert raid.band(l1 * i1) in raid.Band
    if l2 * i2 <= l1 * i1:
        scores = raid.score_risk(l1, i1, l2, i2)
        assert scores.reduction >= 0
    else:
        with pytest.raises(PortfolioError, match="cannot be higher than the current"):
            raid.score_risk(l1, i1, l2, i2)


@pytest.mark.parametrize("value", [0, 6, -1, True, 2.5])
def test_scores_outside_1_to_5_are_refused(value: object) -> None:
    with pytest.raises(PortfolioError, match="whole number from 1 to 5"):
        raid.risk_score(value, 3)  # type: ignore[arg-type]


def test_bands_cover_every_possible_score_in_order() -> None:
    scores = sorted({a * b for a in range(1, 6) for b in range(1, 6)})
    bands = [raid.band(s) for s in scores]
    order = list(raid.Band)
    assert [order.index(b) for b in bands] == sorted(order.index(b) for b in bands)
    for b, (low, high) in raid.BAND_RANGES.items():
        assert raid.band(low) is b and raid.band(high) is b


@given(st.dates(), st.one_of(st.none(), st.dates()))
def test_proximity_is_defined_for_every_date(today: dt.date, expected: dt.date | None) -> None:
    p = raid.proximity(today, expected)
    assert (p is raid.Proximity.UNKNOWN) == (expected is None)
    if expected is not None:
        assert (p is raid.Proximity.PASSED) == (expected < today)


# --- milestones -----------------------------------------------------------------------------------


dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2060, 12, 31))


@given(dates, st.integers(-100, 400), dates, st.one_of(st.none(), st.integers(-50, 200)))
def test_slippage_and_state(base: dt.date, shift: int, today: dt.date, done_shift: int | None) -> None:
    forecast = base + dt.timedelta(days=shift)
    actual = None if done_shift is None else base + dt.timedelta(days=done_shift)
    view = schedule.milestone_state(base, forecast, actual, today)
    assert view.slippage == ((actual or forecast) - base).days
    if actual is not None:
        assert view.state in {schedule.MilestoneState.DONE, schedule.MilestoneState.DONE_LATE}
        assert (view.state is schedule.MilestoneState.DONE) == (done_shift <= 0)
    elif forecast < today:
        assert view.state is schedule.MilestoneState.OVERDUE
    elif shift <= 0:
        assert view.state is schedule.MilestoneState.ON_TRACK
    elif shift > schedule.MAJOR_SLIPPAGE_DAYS:
        assert view.state is schedule.MilestoneState.SLIPPED
    else:
        assert view.state is schedule.MilestoneState.SLIPPING


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), max_size=15),
    st.dictionaries(st.integers(0, 5), dates, min_size=6, max_size=6),
)
def test_a_dependency_conflicts_exactly_when_the_dependent_comes_first(
    edges: list[tuple[int, int]], when: dict[int, dt.date]
) -> None:
    found = schedule.conflicts(edges, when)
    assert found == {(a, b) for a, b in edges if when[a] < when[b]}
    assert all(schedule.out_of_order(when[a], when[b]) for a, b in found)


def test_a_milestone_done_counts_from_its_actual_date() -> None:
    forecast, actual = dt.date(2026, 5, 1), dt.date(2026, 3, 1)
    assert schedule.effective_date(forecast, actual) == actual
    assert schedule.effective_date(forecast, None) == forecast
    assert not schedule.out_of_order(dt.date(2026, 3, 1), dt.date(2026, 3, 1)), "the same day is in order"


# --- delivery confidence --------------------------------------------------------------------------

rags = st.lists(st.sampled_from(list(status.Rag)), max_size=40)


@given(rags)
def test_roll_up_is_never_better_than_all_green_nor_worse_than_the_worst(ratings: list[status.Rag]) -> None:
    result = status.roll_up(ratings)
    if not ratings:
        assert result is None
        return
    worst = max(ratings, key=status.RAG_ORDER.__getitem__)
    best = min(ratings, key=status.RAG_ORDER.__getitem__)
    assert status.RAG_ORDER[best] <= status.RAG_ORDER[result] <= status.RAG_ORDER[worst]
    if status.Rag.RED in ratings:
        assert result is not status.Rag.GREEN
    assert status.roll_up(status.counts(ratings)) is result


def test_every_rating_has_a_definition() -> None:
    assert set(status.RAG_DEFINITIONS) == set(status.Rag)


# --- capacity -------------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10**7, places=2)
caps = st.builds(
    capacity.Capacity, st.integers(0, 20), st.decimals(min_value=0, max_value=20, places=2), money
)


@given(st.lists(st.tuples(st.sampled_from(list(capacity.Outcome)), caps), max_size=20))
def test_capacity_released_is_the_sum_of_paused_and_stopped(
    items: list[tuple[capacity.Outcome, capacity.Capacity]],
) -> None:
    total = capacity.released(items)
    releasing = [c for o, c in items if o in capacity.RELEASING]
    assert total.people == sum(c.people for c in releasing)
    assert total.fte == sum((c.fte for c in releasing), Decimal(0))
    assert total.budget == sum((c.budget for c in releasing), Decimal(0))


def test_utilisation() -> None:
    assert capacity.utilisation(Decimal("7.5"), Decimal("10")) == Decimal("75.0")
    assert capacity.utilisation(Decimal("7.5"), None) is None
