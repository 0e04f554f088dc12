"""Every allowed and every refused move of the stage-gate lifecycle, with the reasons given."""

from __future__ import annotations

import pytest

from wholecouncil.portfolio.engine.errors import Refused
from wholecouncil.portfolio.engine.lifecycle import (
    TRANSITIONS,
    Action,
    Assessment,
    Decision,
    Facts,
    ProjectState,
    Status,
    allowed_actions,
    apply,
    decide,
    refusal,
)

N = 5
FULL = Assessment()
GOOD = Facts(assessment=FULL, reasons="Agreed by the board", new_conditions=0)


def good_facts(action: Action) -> Facts:
    if action is Action.APPROVE_WITH_CONDITIONS:
        return Facts(assessment=FULL, reasons="Agreed", new_conditions=2)
    if action in {Action.SUBMIT, Action.WITHDRAW, Action.RESUME}:
        return Facts(assessment=FULL)
    return GOOD


# (status, action, stage before, expected state after) for every allowed move.
ALLOWED = [
    (Status.IN_STAGE, Action.SUBMIT, 2, ProjectState(2, Status.AT_GATE)),
    (Status.IN_STAGE, Action.PAUSE, 2, ProjectState(2, Status.PAUSED)),
    (Status.IN_STAGE, Action.STOP, 2, ProjectState(2, Status.STOPPED)),
    (Status.AT_GATE, Action.WITHDRAW, 2, ProjectState(2, Status.IN_STAGE)),
    (Status.AT_GATE, Action.APPROVE, 2, ProjectState(3, Status.IN_STAGE)),
    (Status.AT_GATE, Action.APPROVE, 5, ProjectState(5, Status.CLOSED)),
    (Status.AT_GATE, Action.APPROVE_WITH_CONDITIONS, 2, ProjectState(3, Status.IN_STAGE)),
    (Status.AT_GATE, Action.DEFER, 2, ProjectState(2, Status.AT_GATE)),
    (Status.AT_GATE, Action.REJECT, 2, ProjectState(2, Status.IN_STAGE)),
    (Status.AT_GATE, Action.STOP_AT_GATE, 2, ProjectState(2, Status.STOPPED)),
    (Status.AT_GATE, Action.PAUSE, 2, ProjectState(2, Status.PAUSED)),
    (Status.AT_GATE, Action.STOP, 2, ProjectState(2, Status.STOPPED)),
    (Status.PAUSED, Action.RESUME, 2, ProjectState(2, Status.IN_STAGE)),
    (Status.PAUSED, Action.STOP, 2, ProjectState(2, Status.STOPPED)),
]


def test_the_table_of_allowed_moves_is_covered() -> None:
    assert {(s, a) for s, a, _, _ in ALLOWED} == set(TRANSITIONS)


@pytest.mark.parametrize(("status", "action", "stage", "after"), ALLOWED, ids=lambda v: str(v))
def test_allowed_moves(status: Status, action: Action, stage: int, after: ProjectState) -> None:
    state = ProjectState(stage, status)
    assert refusal(state, action, good_facts(action), stage_count=N) is None
    assert apply(state, action, good_facts(action), stage_count=N) == after
    assert action in allowed_actions(state)


REFUSED_BY_STATUS = [
    pytest.param(status, action, id=f"{status}-{action}")
    for status in Status
    for action in Action
    if (status, action) not in TRANSITIONS
]

STATUS_REASONS = {
    Status.CLOSED: "The project is closed",
    Status.STOPPED: "The project has been stopped",
    Status.PAUSED: "The project is paused: resume it before you",
}


@pytest.mark.parametrize(("status", "action"), REFUSED_BY_STATUS)
def test_moves_the_status_does_not_allow_are_refused_with_a_reason(status: Status, action: Action) -> None:
    state = ProjectState(3, status)
    with pytest.raises(Refused) as caught:
        apply(state, action, good_facts(action), stage_count=N)
    reason = caught.value.reason
    assert reason and reason.endswith(".")
    if status in STATUS_REASONS:
        assert reason.startswith(STATUS_REASONS[status])
    assert action not in allowed_actions(state)


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        (Status.AT_GATE, Action.SUBMIT, "already submitted for gate 3"),
        (Status.AT_GATE, Action.RESUME, "waiting for the board's decision at gate 3"),
        (Status.IN_STAGE, Action.APPROVE, "no submission for gate 3 to decide"),
        (Status.IN_STAGE, Action.DEFER, "no submission for gate 3 to decide"),
        (Status.IN_STAGE, Action.WITHDRAW, "no submission for gate 3 to withdraw"),
        (Status.IN_STAGE, Action.RESUME, "not paused"),
    ],
)
def test_status_refusals_say_what_is_wrong(status: Status, action: Action, expected: str) -> None:
    assert expected in (refusal(ProjectState(3, status), action, GOOD, stage_count=N) or "")


# --- refusals that depend on the facts ------------------------------------------------------------


def refused(state: ProjectState, action: Action, facts: Facts, stage_count: int = N) -> str:
    with pytest.raises(Refused) as caught:
        apply(state, action, facts, stage_count=stage_count)
    return caught.value.reason


def test_gate_1_cannot_be_submitted_without_a_design_principles_assessment() -> None:
    reason = refused(ProjectState(1), Action.SUBMIT, Facts(assessment=None))
    assert reason == "A project cannot pass gate 1 without a design-principles assessment."


def test_gate_1_needs_every_principle_rated() -> None:
    facts = Facts(assessment=Assessment(missing=("Digital by default", "One council")))
    reason = refused(ProjectState(1), Action.SUBMIT, facts)
    assert "rates every principle with a reason" in reason
    assert "Digital by default; One council" in reason


def test_gate_1_cannot_be_approved_without_an_assessment_even_if_submitted() -> None:
    facts = Facts(assessment=None, reasons="Good idea")
    assert "without a design-principles assessment" in refused(
        ProjectState(1, Status.AT_GATE), Action.APPROVE, facts
    )
    with_conditions = Facts(assessment=None, reasons="Good idea", new_conditions=1)
    reason = refused(ProjectState(1, Status.AT_GATE), Action.APPROVE_WITH_CONDITIONS, with_conditions)
    assert "without a design-principles assessment" in reason


def test_later_gates_do_not_need_the_assessment() -> None:
    assert (
        apply(ProjectState(2), Action.SUBMIT, Facts(assessment=None), stage_count=N).status is Status.AT_GATE
    )


def test_the_design_principles_gate_is_configurable() -> None:
    with pytest.raises(Refused, match="cannot pass gate 2 without"):
        apply(ProjectState(2), Action.SUBMIT, Facts(), stage_count=N, design_gate=2)
    assert (
        apply(ProjectState(1), Action.SUBMIT, Facts(), stage_count=N, design_gate=2).status is Status.AT_GATE
    )


def test_a_conflicting_principle_needs_an_approval_with_conditions() -> None:
    facts = Facts(assessment=Assessment(conflicts=("Digital by default",)), reasons="Go ahead")
    at_gate = ProjectState(1, Status.AT_GATE)
    reason = refused(at_gate, Action.APPROVE, facts)
    assert "conflicts with: Digital by default" in reason
    conditional = Facts(assessment=facts.assessment, reasons="Go ahead", new_conditions=1)
    assert apply(at_gate, Action.APPROVE_WITH_CONDITIONS, conditional, stage_count=N) == ProjectState(2)


@pytest.mark.parametrize("stage", [2, 3])
def test_open_conditions_block_the_next_submission(stage: int) -> None:
    assert "1 condition set at an earlier gate is still open" in refused(
        ProjectState(stage), Action.SUBMIT, Facts(open_conditions=1)
    )
    assert "3 conditions set at an earlier gate are still open" in refused(
        ProjectState(stage), Action.SUBMIT, Facts(open_conditions=3)
    )


def test_open_conditions_block_an_approval() -> None:
    facts = Facts(open_conditions=1, reasons="Fine")
    assert "still open" in refused(ProjectState(2, Status.AT_GATE), Action.APPROVE, facts)


def test_unmet_required_criteria_block_submission_and_approval() -> None:
    facts = Facts(unmet_criteria=("Outline business case", "Options appraisal"), reasons="x")
    assert refused(ProjectState(2), Action.SUBMIT, facts) == (
        "Gate 2 criteria not yet met: Outline business case; Options appraisal."
    )
    assert "criteria not yet met" in refused(ProjectState(2, Status.AT_GATE), Action.APPROVE, facts)


@pytest.mark.parametrize("decision", list(Decision))
def test_every_decision_needs_reasons(decision: Decision) -> None:
    with pytest.raises(Refused, match="Give the reasons for this decision"):
        decide(
            ProjectState(2, Status.AT_GATE), decision, Facts(reasons="  ", new_conditions=1), stage_count=N
        )


@pytest.mark.parametrize("decision", list(Decision))
def test_the_manager_cannot_decide_their_own_gate(decision: Decision) -> None:
    facts = Facts(reasons="Mine", actor_is_manager=True, new_conditions=1)
    with pytest.raises(Refused, match="cannot decide its own gate"):
        decide(ProjectState(2, Status.AT_GATE), decision, facts, stage_count=N)


@pytest.mark.parametrize("decision", list(Decision))
def test_whoever_submitted_the_gate_cannot_decide_it(decision: Decision) -> None:
    conditions = 1 if decision is Decision.APPROVE_WITH_CONDITIONS else 0
    facts = Facts(reasons="My own submission", actor_submitted=True, new_conditions=conditions)
    with pytest.raises(Refused, match="You submitted this gate, so another member of the board"):
        decide(ProjectState(2, Status.AT_GATE), decision, facts, stage_count=N)
    allowed = Facts(reasons="Someone else's submission", new_conditions=conditions)
    assert decide(ProjectState(2, Status.AT_GATE), decision, allowed, stage_count=N)


def test_required_documents_need_a_file_or_a_link() -> None:
    facts = Facts(missing_evidence=("Outline business case",), reasons="x")
    assert refused(ProjectState(2), Action.SUBMIT, facts) == (
        "Gate 2 needs each required document as an uploaded file or a link. Missing: Outline business case."
    )
    assert "Missing: Outline business case" in refused(ProjectState(2, Status.AT_GATE), Action.APPROVE, facts)


def test_approve_with_conditions_needs_a_condition() -> None:
    assert (
        refused(ProjectState(2, Status.AT_GATE), Action.APPROVE_WITH_CONDITIONS, Facts(reasons="ok"))
        == "Set at least one condition, or record a plain approval."
    )


def test_a_plain_approval_cannot_carry_conditions() -> None:
    reason = refused(ProjectState(2, Status.AT_GATE), Action.APPROVE, Facts(reasons="ok", new_conditions=1))
    assert "approve with conditions" in reason


@pytest.mark.parametrize("action", [Action.DEFER, Action.REJECT, Action.STOP_AT_GATE])
def test_conditions_come_only_with_an_approval(action: Action) -> None:
    reason = refused(ProjectState(2, Status.AT_GATE), action, Facts(reasons="no", new_conditions=1))
    assert reason == "Conditions can only be set with an approval."


def test_the_last_gate_closes_the_project_so_takes_no_conditions() -> None:
    facts = Facts(reasons="Nearly", new_conditions=1)
    assert "last gate" in refused(ProjectState(5, Status.AT_GATE), Action.APPROVE_WITH_CONDITIONS, facts)
    assert apply(ProjectState(5, Status.AT_GATE), Action.APPROVE, Facts(reasons="Done"), stage_count=5) == (
        ProjectState(5, Status.CLOSED)
    )


@pytest.mark.parametrize("action", [Action.PAUSE, Action.STOP])
def test_pausing_and_stopping_need_a_reason(action: Action) -> None:
    assert refused(ProjectState(2), action, Facts()) == "Give the reason."


def test_a_stage_beyond_the_configuration_is_refused() -> None:
    assert "only 3 stages" in refused(ProjectState(4), Action.SUBMIT, Facts(), stage_count=3)


def test_a_council_with_three_stages_closes_after_gate_3() -> None:
    state = ProjectState(1)
    for _ in range(3):
        state = apply(state, Action.SUBMIT, Facts(assessment=FULL), stage_count=3)
        state = apply(state, Action.APPROVE, GOOD, stage_count=3)
    assert state == ProjectState(3, Status.CLOSED)
