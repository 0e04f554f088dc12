"""The benefit state machine: every allowed and refused move, for every role."""

from __future__ import annotations

import pytest

from wholecouncil.accounts.roles import ROLE_PERMISSIONS, Perm, Role
from wholecouncil.benefits.engine.lifecycle import (
    NEEDS,
    TRANSITIONS,
    Action,
    Authority,
    BenefitState,
    Facts,
    Refused,
    Status,
    apply,
    available,
    refusal,
)

ALL = frozenset(a.value for a in Authority)


def role_authorities(role: str) -> frozenset[str]:
    return frozenset(str(p) for p in ROLE_PERMISSIONS[role] if str(p).startswith("benefits."))


def good_facts(actor: str = "alice", authorities: frozenset[str] = ALL) -> Facts:
    return Facts(actor=actor, authorities=authorities, reason="Because", evidence="Ledger 2025/26", actuals=3)


def state_at(status: Status) -> BenefitState:
    if status is Status.AT_RISK:
        return BenefitState(Status.AT_RISK, resume=Status.IN_DELIVERY)
    return BenefitState(status)


def test_authorities_are_the_benefits_permissions() -> None:
    assert {a.value for a in Authority} == {
        Perm.EDIT_BENEFITS,
        Perm.VALIDATE_BENEFITS,
        Perm.SIGN_OFF_BENEFITS,
    }


def test_roles_hold_the_expected_authorities() -> None:
    assert role_authorities(Role.FINANCE) == {Authority.EDIT, Authority.VALIDATE}
    assert role_authorities(Role.PROGRAMME_LEAD) == {Authority.EDIT, Authority.SIGN_OFF}
    assert role_authorities(Role.ADMIN) == ALL
    assert role_authorities(Role.PROJECT_MANAGER) == frozenset()
    assert role_authorities(Role.COUNCILLOR) == frozenset()


EVERY_MOVE = [(s, a) for s in Status for a in Action]


@pytest.mark.parametrize(("status", "action"), EVERY_MOVE, ids=[f"{s}-{a}" for s, a in EVERY_MOVE])
def test_every_status_and_action(status: Status, action: Action) -> None:
    state = state_at(status)
    problem = refusal(state, action, good_facts())
    if (status, action) in TRANSITIONS:
        assert problem is None, problem
        apply(state, action, good_facts())
    else:
        assert problem, f"{action} from {status} should be refused"
        with pytest.raises(Refused, match=r"\w"):
            apply(state, action, good_facts())


ROLE_MOVES = [(role, s, a) for role in Role for (s, a) in TRANSITIONS]


@pytest.mark.parametrize(
    ("role", "status", "action"), ROLE_MOVES, ids=[f"{r}-{s}-{a}" for r, s, a in ROLE_MOVES]
)
def test_every_role_for_every_allowed_move(role: str, status: Status, action: Action) -> None:
    state = state_at(status)
    held = role_authorities(role)
    problem = refusal(state, action, good_facts(authorities=held))
    if NEEDS[action].value in held:
        assert problem is None, problem
    else:
        assert problem is not None
        assert "your role cannot" in problem


def test_the_whole_journey_to_realised() -> None:
    finance = Facts(actor="fin", authorities=role_authorities(Role.FINANCE), evidence="Ledger", actuals=1)
    board = Facts(actor="lead", authorities=role_authorities(Role.PROGRAMME_LEAD))
    state = apply(BenefitState(), Action.VALIDATE, finance)
    assert state.status is Status.VALIDATED
    state = apply(state, Action.BOARD_SIGN_OFF, board)
    assert state.status is Status.VALIDATED and state.board_signed_by == "lead"
    assert available(state, role_authorities(Role.PROGRAMME_LEAD)) == [Action.MARK_AT_RISK]
    state = apply(state, Action.FINANCE_SIGN_OFF, finance)
    assert state.status is Status.IN_DELIVERY
    state = apply(state, Action.REALISE, finance)
    assert state.status is Status.REALISED


def test_finance_first_then_board_also_reaches_delivery() -> None:
    state = apply(BenefitState(Status.VALIDATED), Action.FINANCE_SIGN_OFF, good_facts("fin"))
    assert state.status is Status.VALIDATED
    assert apply(state, Action.BOARD_SIGN_OFF, good_facts("lead")).status is Status.IN_DELIVERY


def test_one_person_cannot_give_both_sign_offs() -> None:
    state = apply(BenefitState(Status.VALIDATED), Action.BOARD_SIGN_OFF, good_facts("admin"))
    problem = refusal(state, Action.FINANCE_SIGN_OFF, good_facts("admin"))
    assert problem is not None and "someone else" in problem
    state = apply(BenefitState(Status.VALIDATED), Action.FINANCE_SIGN_OFF, good_facts("admin"))
    assert "someone else" in (refusal(state, Action.BOARD_SIGN_OFF, good_facts("admin")) or "")


def test_a_sign_off_is_not_given_twice() -> None:
    state = apply(BenefitState(Status.VALIDATED), Action.BOARD_SIGN_OFF, good_facts("lead"))
    assert "already signed off" in (refusal(state, Action.BOARD_SIGN_OFF, good_facts("other")) or "")


def test_sign_off_is_refused_with_the_collision_message() -> None:
    facts = Facts(actor="lead", authorities=ALL, collision="B-2 cannot be signed off: on budget line X")
    assert refusal(BenefitState(Status.VALIDATED), Action.BOARD_SIGN_OFF, facts) == facts.collision
    assert refusal(BenefitState(Status.VALIDATED), Action.FINANCE_SIGN_OFF, facts) == facts.collision


def test_validation_names_what_is_missing() -> None:
    facts = Facts(actor="fin", authorities=ALL, missing=("choose the budget line", "enter a profile"))
    problem = refusal(BenefitState(), Action.VALIDATE, facts)
    assert problem == "The benefit cannot be validated yet: choose the budget line; enter a profile."


@pytest.mark.parametrize("action", [Action.MARK_AT_RISK, Action.MARK_UNDELIVERABLE])
def test_risk_and_undeliverable_need_a_reason(action: Action) -> None:
    assert refusal(BenefitState(), action, Facts(authorities=ALL)) == "Give the reason."


def test_realising_needs_evidence_and_an_actual() -> None:
    state = BenefitState(Status.IN_DELIVERY)
    no_evidence = Facts(actor="fin", authorities=ALL, actuals=2)
    assert "evidence" in (refusal(state, Action.REALISE, no_evidence) or "")
    no_actuals = Facts(actor="fin", authorities=ALL, evidence="Ledger")
    assert "monthly actual" in (refusal(state, Action.REALISE, no_actuals) or "")
    non_financial = Facts(actor="fin", authorities=ALL, evidence="Survey results", financial=False)
    assert refusal(state, Action.REALISE, non_financial) is None


@pytest.mark.parametrize("status", [Status.IDENTIFIED, Status.VALIDATED, Status.IN_DELIVERY, Status.REALISED])
def test_at_risk_remembers_where_it_came_from(status: Status) -> None:
    risky = apply(BenefitState(status), Action.MARK_AT_RISK, good_facts())
    assert risky.status is Status.AT_RISK and risky.resume is status
    assert apply(risky, Action.RECOVER, good_facts()).status is status


def test_undeliverable_is_final() -> None:
    gone = apply(BenefitState(Status.IN_DELIVERY), Action.MARK_UNDELIVERABLE, good_facts())
    for action in Action:
        assert "undeliverable" in (refusal(gone, action, good_facts()) or "")
    assert available(gone, ALL) == []


@pytest.mark.parametrize(
    "state",
    [
        BenefitState(Status.VALIDATED, board_signed_by="lead"),
        BenefitState(Status.IN_DELIVERY, board_signed_by="lead", finance_signed_by="fin"),
        BenefitState(Status.REALISED),
        BenefitState(Status.AT_RISK, resume=Status.IN_DELIVERY),
    ],
)
def test_a_change_after_validation_sends_it_back(state: BenefitState) -> None:
    assert state.is_validated
    after = apply(state, Action.REVALIDATE, good_facts())
    assert after == BenefitState(Status.IDENTIFIED)


def test_a_change_before_validation_does_not_move_it() -> None:
    assert refusal(BenefitState(), Action.REVALIDATE, good_facts()) is not None
    at_risk_early = BenefitState(Status.AT_RISK, resume=Status.IDENTIFIED)
    assert not at_risk_early.is_validated
    assert refusal(at_risk_early, Action.REVALIDATE, good_facts()) is not None


def test_states_that_cannot_exist_are_refused() -> None:
    with pytest.raises(ValueError, match="remembers"):
        BenefitState(Status.AT_RISK)
    with pytest.raises(ValueError, match="remembers"):
        BenefitState(Status.VALIDATED, resume=Status.IDENTIFIED)


def test_available_offers_only_what_the_role_holds() -> None:
    validated = BenefitState(Status.VALIDATED)
    assert available(validated, role_authorities(Role.FINANCE)) == [
        Action.FINANCE_SIGN_OFF,
        Action.MARK_AT_RISK,
        Action.MARK_UNDELIVERABLE,
    ]
    assert available(validated, role_authorities(Role.PROGRAMME_LEAD)) == [
        Action.BOARD_SIGN_OFF,
        Action.MARK_AT_RISK,
    ]
    assert available(validated, role_authorities(Role.COUNCILLOR)) == []
