"""The stage-gate lifecycle of a project, as an explicit state machine.

A project's state is its current stage (1..N) and a status. `TRANSITIONS` lists every move the statuses
allow; `apply` also checks the facts a move depends on (the design-principles assessment, open conditions,
unmet gate criteria, the board's reasons) and refuses a wrong move with a reason fit to show the user.

    in stage ──submit──► at gate ──approve (with or without conditions)──► stage k+1 (closed after the last)
        ▲                   │ ├─defer──► at gate (decision postponed; the submission stays with the board)
        └──withdraw/reject──┘ └─stop───► stopped
    in stage / at gate ──pause──► paused ──resume──► in stage;  any open state ──stop──► stopped
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from wholecouncil.portfolio.engine.errors import Refused
from wholecouncil.portfolio.engine.stages import DESIGN_PRINCIPLES_GATE


class Status(StrEnum):
    IN_STAGE = "in_stage"
    AT_GATE = "at_gate"
    PAUSED = "paused"
    STOPPED = "stopped"
    CLOSED = "closed"


STATUS_LABELS: dict[Status, str] = {
    Status.IN_STAGE: "In stage",
    Status.AT_GATE: "Awaiting gate decision",
    Status.PAUSED: "Paused",
    Status.STOPPED: "Stopped",
    Status.CLOSED: "Closed: benefit realised",
}

TERMINAL = frozenset({Status.STOPPED, Status.CLOSED})


class Decision(StrEnum):
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    DEFER = "defer"
    REJECT = "reject"
    STOP = "stop"


DECISION_LABELS: dict[Decision, str] = {
    Decision.APPROVE: "Approve",
    Decision.APPROVE_WITH_CONDITIONS: "Approve with conditions",
    Decision.DEFER: "Defer",
    Decision.REJECT: "Reject",
    Decision.STOP: "Stop",
}

DECISION_HINTS: dict[Decision, str] = {
    Decision.APPROVE: "The project passes the gate and moves into the next stage.",
    Decision.APPROVE_WITH_CONDITIONS: (
        "The project passes the gate; the conditions must be closed before it can submit for the next gate."
    ),
    Decision.DEFER: "The board will decide at a later meeting; the submission stays with the board.",
    Decision.REJECT: "The project stays in its stage to rework the submission and submit again.",
    Decision.STOP: "The project is stopped. This cannot be undone.",
}


class Action(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"
    DEFER = "defer"
    REJECT = "reject"
    STOP_AT_GATE = "stop_at_gate"
    PAUSE = "pause"
    RESUME = "resume"
    STOP = "stop"


ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: "submit for the gate",
    Action.WITHDRAW: "withdraw the submission",
    Action.APPROVE: "approve the gate",
    Action.APPROVE_WITH_CONDITIONS: "approve the gate with conditions",
    Action.DEFER: "defer the gate decision",
    Action.REJECT: "reject the submission",
    Action.STOP_AT_GATE: "stop the project at the gate",
    Action.PAUSE: "pause the project",
    Action.RESUME: "resume the project",
    Action.STOP: "stop the project",
}

DECISION_ACTIONS: dict[Decision, Action] = {
    Decision.APPROVE: Action.APPROVE,
    Decision.APPROVE_WITH_CONDITIONS: Action.APPROVE_WITH_CONDITIONS,
    Decision.DEFER: Action.DEFER,
    Decision.REJECT: Action.REJECT,
    Decision.STOP: Action.STOP_AT_GATE,
}
GATE_DECISIONS = frozenset(DECISION_ACTIONS.values())
APPROVALS = frozenset({Action.APPROVE, Action.APPROVE_WITH_CONDITIONS})

# Every move the statuses allow: (status, action) -> status after. "Next stage" is worked out by `apply`.
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.IN_STAGE, Action.SUBMIT): Status.AT_GATE,
    (Status.IN_STAGE, Action.PAUSE): Status.PAUSED,
    (Status.IN_STAGE, Action.STOP): Status.STOPPED,
    (Status.AT_GATE, Action.WITHDRAW): Status.IN_STAGE,
    (Status.AT_GATE, Action.APPROVE): Status.IN_STAGE,
    (Status.AT_GATE, Action.APPROVE_WITH_CONDITIONS): Status.IN_STAGE,
    (Status.AT_GATE, Action.DEFER): Status.AT_GATE,
    (Status.AT_GATE, Action.REJECT): Status.IN_STAGE,
    (Status.AT_GATE, Action.STOP_AT_GATE): Status.STOPPED,
    (Status.AT_GATE, Action.PAUSE): Status.PAUSED,
    (Status.AT_GATE, Action.STOP): Status.STOPPED,
    (Status.PAUSED, Action.RESUME): Status.IN_STAGE,
    (Status.PAUSED, Action.STOP): Status.STOPPED,
}

# Moves that must carry a reason in words.
NEEDS_REASON = GATE_DECISIONS | {Action.PAUSE, Action.STOP}


@dataclass(frozen=True)
class ProjectState:
    stage: int
    status: Status = Status.IN_STAGE

    def __post_init__(self) -> None:
        if self.stage < 1:
            raise ValueError("A project's stage is numbered from 1.")


@dataclass(frozen=True)
class Assessment:
    """What a design-principles assessment says: the principles not yet rated with a reason, and conflicts."""

    missing: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Facts:
    """What a move depends on beyond the state. Services gather these from the database."""

    assessment: Assessment | None = None
    open_conditions: int = 0
    unmet_criteria: tuple[str, ...] = ()
    missing_evidence: tuple[str, ...] = ()
    reasons: str = ""
    new_conditions: int = 0
    actor_is_manager: bool = False
    actor_submitted: bool = False
    notes: tuple[str, ...] = field(default=(), compare=False)


def allowed_actions(state: ProjectState) -> list[Action]:
    """The actions whose status move exists from `state` (the facts may still refuse them)."""
    return [action for (status, action) in TRANSITIONS if status == state.status]


def _status_refusal(state: ProjectState, action: Action) -> str:
    gate = state.stage
    if state.status is Status.CLOSED:
        return "The project is closed: its final gate has been passed, so nothing more can change its stage."
    if state.status is Status.STOPPED:
        return "The project has been stopped, so it cannot move again."
    if state.status is Status.PAUSED:
        return f"The project is paused: resume it before you {ACTION_LABELS[action]}."
    if state.status is Status.AT_GATE:
        if action is Action.SUBMIT:
            return f"The project is already submitted for gate {gate} and waiting for the board's decision."
        return f"The project is waiting for the board's decision at gate {gate}, so it cannot be resumed."
    # In stage.
    if action in GATE_DECISIONS:
        return f"There is no submission for gate {gate} to decide: the project manager must submit first."
    if action is Action.WITHDRAW:
        return f"There is no submission for gate {gate} to withdraw."
    return "The project is not paused, so there is nothing to resume."


def _assessment_refusal(gate: int, assessment: Assessment | None) -> str | None:
    if assessment is None:
        return f"A project cannot pass gate {gate} without a design-principles assessment."
    if not assessment.complete:
        names = "; ".join(assessment.missing)
        return (
            f"A project cannot pass gate {gate} without a design-principles assessment that rates every "
            f"principle with a reason. Not yet assessed: {names}."
        )
    return None


def _criteria_refusal(gate: int, facts: Facts) -> str | None:
    if facts.unmet_criteria:
        return f"Gate {gate} criteria not yet met: " + "; ".join(facts.unmet_criteria) + "."
    if facts.missing_evidence:
        return (
            f"Gate {gate} needs each required document as an uploaded file or a link. Missing: "
            + "; ".join(facts.missing_evidence)
            + "."
        )
    return None


def _fact_refusal(
    state: ProjectState, action: Action, facts: Facts, stage_count: int, design_gate: int
) -> str | None:
    gate = state.stage
    if action in NEEDS_REASON and not facts.reasons.strip():
        return "Give the reasons for this decision." if action in GATE_DECISIONS else "Give the reason."
    if action in GATE_DECISIONS and facts.actor_is_manager:
        return "The project's manager cannot decide its own gate: the board records the decision."
    if action in GATE_DECISIONS and facts.actor_submitted:
        return "You submitted this gate, so another member of the board must record the decision."
    if action is Action.SUBMIT:
        if facts.open_conditions:
            n = facts.open_conditions
            return (
                f"{n} condition{'s' if n != 1 else ''} set at an earlier gate {'are' if n != 1 else 'is'} "
                f"still open. Close {'them' if n != 1 else 'it'} before submitting for gate {gate}."
            )
        if gate == design_gate and (problem := _assessment_refusal(gate, facts.assessment)):
            return problem
        if problem := _criteria_refusal(gate, facts):
            return problem
    if action in APPROVALS:
        if facts.open_conditions:
            return f"Conditions from an earlier gate are still open, so gate {gate} cannot be passed yet."
        if gate == design_gate and (problem := _assessment_refusal(gate, facts.assessment)):
            return problem
        if problem := _criteria_refusal(gate, facts):
            return problem
    if action is Action.APPROVE:
        if facts.new_conditions:
            return "An approval with conditions must be recorded as 'approve with conditions'."
        conflicts = facts.assessment.conflicts if facts.assessment and gate == design_gate else ()
        if conflicts:
            return (
                "The assessment says the project conflicts with: " + "; ".join(conflicts) + ". Approve it "
                "with conditions that resolve the conflict, or defer, reject or stop it."
            )
    if action is Action.APPROVE_WITH_CONDITIONS:
        if not facts.new_conditions:
            return "Set at least one condition, or record a plain approval."
        if gate == stage_count:
            return (
                f"Gate {gate} is the last gate and closes the project, so no condition could be followed up. "
                "Defer or reject the submission until the conditions are met."
            )
    elif action is not Action.APPROVE and facts.new_conditions:
        return "Conditions can only be set with an approval."
    return None


def refusal(
    state: ProjectState,
    action: Action,
    facts: Facts | None = None,
    *,
    stage_count: int,
    design_gate: int = DESIGN_PRINCIPLES_GATE,
) -> str | None:
    """Why `action` cannot happen from `state`, or None when it can."""
    if state.stage > stage_count:
        return f"The project is at stage {state.stage} but the council has only {stage_count} stages."
    if (state.status, action) not in TRANSITIONS:
        return _status_refusal(state, action)
    return _fact_refusal(state, action, facts or Facts(), stage_count, design_gate)


def apply(
    state: ProjectState,
    action: Action,
    facts: Facts | None = None,
    *,
    stage_count: int,
    design_gate: int = DESIGN_PRINCIPLES_GATE,
) -> ProjectState:
    """The state after `action`, or Refused with the reason the move is wrong."""
    problem = refusal(state, action, facts, stage_count=stage_count, design_gate=design_gate)
    if problem is not None:
        raise Refused(problem)
    after = TRANSITIONS[(state.status, action)]
    if action in APPROVALS:
        if state.stage == stage_count:
            return replace(state, status=Status.CLOSED)
        return ProjectState(stage=state.stage + 1, status=after)
    return replace(state, status=after)


def decide(
    state: ProjectState,
    decision: Decision,
    facts: Facts | None = None,
    *,
    stage_count: int,
    design_gate: int = DESIGN_PRINCIPLES_GATE,
) -> ProjectState:
    """The board's decision at the gate the project is waiting at."""
    return apply(state, DECISION_ACTIONS[decision], facts, stage_count=stage_count, design_gate=design_gate)
