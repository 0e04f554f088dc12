"""The lifecycle of a benefit, as an explicit state machine with role checks.

    identified ──validate (finance)──► validated ──board sign-off + finance sign-off──► in delivery
    in delivery ──realise (finance, with evidence)──► realised
    any open status ──mark at risk──► at risk ──recover (finance)──► the status it was at
    any open status ──mark undeliverable (finance)──► undeliverable (final)
    validated or later ──a change to its recorded figures──► identified (back for validation)

A benefit is "in delivery" only once both the board and finance have signed it off, recorded by two
different people, in either order. `refusal` gives the reason a move is wrong; `apply` makes the move.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from enum import StrEnum

from wholecouncil.benefits.engine.errors import Refused


class Status(StrEnum):
    IDENTIFIED = "identified"
    VALIDATED = "validated"
    IN_DELIVERY = "in_delivery"
    REALISED = "realised"
    AT_RISK = "at_risk"
    UNDELIVERABLE = "undeliverable"


STATUS_LABELS: dict[Status, str] = {
    Status.IDENTIFIED: "Identified",
    Status.VALIDATED: "Validated by finance",
    Status.IN_DELIVERY: "In delivery",
    Status.REALISED: "Realised",
    Status.AT_RISK: "At risk",
    Status.UNDELIVERABLE: "Undeliverable",
}

# GOV.UK tag colours.
STATUS_COLOURS: dict[Status, str] = {
    Status.IDENTIFIED: "grey",
    Status.VALIDATED: "blue",
    Status.IN_DELIVERY: "turquoise",
    Status.REALISED: "green",
    Status.AT_RISK: "orange",
    Status.UNDELIVERABLE: "red",
}


class Action(StrEnum):
    VALIDATE = "validate"
    BOARD_SIGN_OFF = "board_sign_off"
    FINANCE_SIGN_OFF = "finance_sign_off"
    REALISE = "realise"
    MARK_AT_RISK = "mark_at_risk"
    RECOVER = "recover"
    MARK_UNDELIVERABLE = "mark_undeliverable"
    REVALIDATE = "revalidate"


ACTION_LABELS: dict[Action, str] = {
    Action.VALIDATE: "Validate",
    Action.BOARD_SIGN_OFF: "Sign off for the board",
    Action.FINANCE_SIGN_OFF: "Sign off for finance",
    Action.REALISE: "Confirm as realised",
    Action.MARK_AT_RISK: "Mark at risk",
    Action.RECOVER: "Recover from risk",
    Action.MARK_UNDELIVERABLE: "Mark undeliverable",
    Action.REVALIDATE: "Send back for validation",
}

# Completes "Only ... can ___; your role cannot."
ACTION_VERBS: dict[Action, str] = {
    Action.VALIDATE: "validate a benefit",
    Action.BOARD_SIGN_OFF: "sign a benefit off for the board",
    Action.FINANCE_SIGN_OFF: "sign a benefit off for finance",
    Action.REALISE: "confirm a benefit as realised",
    Action.MARK_AT_RISK: "mark a benefit at risk",
    Action.RECOVER: "recover a benefit from risk",
    Action.MARK_UNDELIVERABLE: "mark a benefit undeliverable",
    Action.REVALIDATE: "change a benefit",
}

ACTION_HINTS: dict[Action, str] = {
    Action.VALIDATE: "Finance confirms the figures, the budget line and the profile are sound.",
    Action.BOARD_SIGN_OFF: (
        "The board agrees the benefit is in delivery. It enters the MTFP once finance has signed it off too."
    ),
    Action.FINANCE_SIGN_OFF: (
        "Finance agrees the saving can be banked. It enters the MTFP once the board has signed it off too."
    ),
    Action.REALISE: "Finance confirms the saving has been made, with the evidence.",
    Action.MARK_AT_RISK: "The benefit may not be delivered as planned. Say why.",
    Action.RECOVER: "The risk has passed: the benefit returns to the status it had before.",
    Action.MARK_UNDELIVERABLE: "The benefit will not be delivered. It leaves the MTFP and cannot come back.",
    Action.REVALIDATE: "Its recorded figures changed, so finance must validate it again.",
}


class Authority(StrEnum):
    """What the actor's role allows; the values are the benefits permissions of accounts.roles."""

    EDIT = "benefits.edit"
    VALIDATE = "benefits.validate"
    SIGN_OFF = "benefits.sign_off"


NEEDS: dict[Action, Authority] = {
    Action.VALIDATE: Authority.VALIDATE,
    Action.BOARD_SIGN_OFF: Authority.SIGN_OFF,
    Action.FINANCE_SIGN_OFF: Authority.VALIDATE,
    Action.REALISE: Authority.VALIDATE,
    Action.MARK_AT_RISK: Authority.EDIT,
    Action.RECOVER: Authority.VALIDATE,
    Action.MARK_UNDELIVERABLE: Authority.VALIDATE,
    Action.REVALIDATE: Authority.EDIT,
}

WHO: dict[Authority, str] = {
    Authority.EDIT: "someone who records benefits (finance, a programme lead or an administrator)",
    Authority.VALIDATE: "finance (or an administrator)",
    Authority.SIGN_OFF: "the board, through a programme lead (or an administrator)",
}

OPEN = (Status.IDENTIFIED, Status.VALIDATED, Status.IN_DELIVERY, Status.REALISED)
VALIDATED_OR_LATER = frozenset({Status.VALIDATED, Status.IN_DELIVERY, Status.REALISED})
SIGNED_OFF = frozenset({Status.IN_DELIVERY, Status.REALISED})

# Every move the statuses allow: (status, action) -> status after. Sign-offs and recovery are worked out
# by `apply` (the second sign-off moves to in delivery; recovery returns to the status before the risk).
TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.IDENTIFIED, Action.VALIDATE): Status.VALIDATED,
    (Status.VALIDATED, Action.BOARD_SIGN_OFF): Status.VALIDATED,
    (Status.VALIDATED, Action.FINANCE_SIGN_OFF): Status.VALIDATED,
    (Status.IN_DELIVERY, Action.REALISE): Status.REALISED,
    **{(s, Action.MARK_AT_RISK): Status.AT_RISK for s in OPEN},
    (Status.AT_RISK, Action.RECOVER): Status.AT_RISK,
    **{(s, Action.MARK_UNDELIVERABLE): Status.UNDELIVERABLE for s in (*OPEN, Status.AT_RISK)},
    **{
        (s, Action.REVALIDATE): Status.IDENTIFIED
        for s in (Status.VALIDATED, Status.IN_DELIVERY, Status.REALISED, Status.AT_RISK)
    },
}

NEEDS_REASON = frozenset({Action.MARK_AT_RISK, Action.RECOVER, Action.MARK_UNDELIVERABLE, Action.REVALIDATE})


@dataclass(frozen=True)
class BenefitState:
    status: Status = Status.IDENTIFIED
    resume: Status | None = None  # while at risk: the status it returns to on recovery
    board_signed_by: str = ""
    finance_signed_by: str = ""

    def __post_init__(self) -> None:
        if (self.status is Status.AT_RISK) != (self.resume is not None):
            raise ValueError("A benefit at risk, and only one at risk, remembers the status it returns to.")
        if self.resume in (Status.AT_RISK, Status.UNDELIVERABLE):
            raise ValueError(f"A benefit cannot return to '{self.resume}' from risk.")

    @property
    def effective(self) -> Status:
        """The status that decides what the benefit has passed: at risk counts as the status it came from."""
        return self.resume if self.resume is not None else self.status

    @property
    def is_validated(self) -> bool:
        """Finance has validated it (it may since have been signed off, realised or put at risk)."""
        return self.effective in VALIDATED_OR_LATER

    @property
    def is_signed_off(self) -> bool:
        return self.effective in SIGNED_OFF


@dataclass(frozen=True)
class Facts:
    """What a move depends on beyond the state. Services gather these from the database.

    `actor` identifies the person (two sign-offs need two people); `authorities` are what their role allows.
    `missing` lists what validation needs and the benefit lacks; `collision` is the message of a budget-line
    over-claim (see prudence.line_collision); `actuals` counts the monthly actuals recorded.
    """

    actor: str = ""
    authorities: Collection[str] = ()
    reason: str = ""
    evidence: str = ""
    missing: tuple[str, ...] = ()
    collision: str = ""
    financial: bool = True
    actuals: int = 0


def _status_refusal(state: BenefitState, action: Action) -> str:
    status = state.status
    label = STATUS_LABELS[status].lower()
    if status is Status.UNDELIVERABLE:
        return "The benefit has been marked undeliverable, so its status cannot change again."
    if action is Action.VALIDATE:
        return f"Only an identified benefit can be validated; this one is {label}."
    if action in (Action.BOARD_SIGN_OFF, Action.FINANCE_SIGN_OFF):
        if status is Status.IDENTIFIED:
            return "Finance must validate the benefit before it can be signed off."
        return f"Only a validated benefit can be signed off; this one is {label}."
    if action is Action.REALISE:
        return f"Only a benefit in delivery can be confirmed as realised; this one is {label}."
    if action is Action.MARK_AT_RISK:
        return "The benefit is already marked at risk."
    if action is Action.RECOVER:
        return "The benefit is not at risk, so there is nothing to recover from."
    return "The benefit has not been validated, so there is no validation to send it back from."


def _fact_refusal(state: BenefitState, action: Action, facts: Facts) -> str | None:
    if action in NEEDS_REASON and not facts.reason.strip():
        return "Give the reason."
    if action is Action.VALIDATE and facts.missing:
        return "The benefit cannot be validated yet: " + "; ".join(facts.missing) + "."
    if action is Action.BOARD_SIGN_OFF:
        if state.board_signed_by:
            return "The board has already signed off this benefit; it is waiting for finance's sign-off."
        if facts.actor and facts.actor == state.finance_signed_by:
            return (
                "You recorded finance's sign-off, so someone else must record the board's: the two "
                "sign-offs are independent checks."
            )
    if action is Action.FINANCE_SIGN_OFF:
        if state.finance_signed_by:
            return "Finance has already signed off this benefit; it is waiting for the board's sign-off."
        if facts.actor and facts.actor == state.board_signed_by:
            return (
                "You recorded the board's sign-off, so someone else must record finance's: the two "
                "sign-offs are independent checks."
            )
    if action in (Action.BOARD_SIGN_OFF, Action.FINANCE_SIGN_OFF) and facts.collision:
        return facts.collision
    if action is Action.REALISE:
        if not facts.evidence.strip():
            return "Give the evidence that the benefit has been realised."
        if facts.financial and facts.actuals == 0:
            return "Record at least one monthly actual before confirming the benefit as realised."
    return None


def refusal(state: BenefitState, action: Action, facts: Facts | None = None) -> str | None:
    """Why `action` cannot happen from `state` for this actor, or None when it can."""
    facts = facts or Facts()
    if (state.status, action) not in TRANSITIONS:
        return _status_refusal(state, action)
    needed = NEEDS[action]
    if needed.value not in {str(a) for a in facts.authorities}:
        return f"Only {WHO[needed]} can {ACTION_VERBS[action]}; your role cannot."
    if action is Action.REVALIDATE and not state.is_validated:
        return _status_refusal(state, action)
    return _fact_refusal(state, action, facts)


def apply(state: BenefitState, action: Action, facts: Facts | None = None) -> BenefitState:
    """The state after `action`, or Refused with the reason the move is wrong."""
    facts = facts or Facts()
    problem = refusal(state, action, facts)
    if problem is not None:
        raise Refused(problem)
    if action is Action.VALIDATE:
        return BenefitState(Status.VALIDATED)
    if action in (Action.BOARD_SIGN_OFF, Action.FINANCE_SIGN_OFF):
        after = (
            replace(state, board_signed_by=facts.actor)
            if action is Action.BOARD_SIGN_OFF
            else replace(state, finance_signed_by=facts.actor)
        )
        if after.board_signed_by and after.finance_signed_by:
            return replace(after, status=Status.IN_DELIVERY)
        return after
    if action is Action.MARK_AT_RISK:
        return replace(state, status=Status.AT_RISK, resume=state.status)
    if action is Action.RECOVER:
        assert state.resume is not None
        return replace(state, status=state.resume, resume=None)
    if action is Action.MARK_UNDELIVERABLE:
        return replace(state, status=Status.UNDELIVERABLE, resume=None)
    if action is Action.REVALIDATE:
        return BenefitState(Status.IDENTIFIED)
    return replace(state, status=TRANSITIONS[(state.status, action)])


def available(state: BenefitState, authorities: Collection[str]) -> list[Action]:
    """The actions a user with `authorities` could take from `state` (the facts may still refuse them).

    Sending back for validation happens through editing, so it is not offered as a button.
    """
    held = {str(a) for a in authorities}
    out: list[Action] = []
    for (status, action), _after in TRANSITIONS.items():
        if status is not state.status or action is Action.REVALIDATE or NEEDS[action].value not in held:
            continue
        if action is Action.BOARD_SIGN_OFF and state.board_signed_by:
            continue
        if action is Action.FINANCE_SIGN_OFF and state.finance_signed_by:
            continue
        out.append(action)
    return out
