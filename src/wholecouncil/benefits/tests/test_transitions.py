"""Marking a benefit at risk, recovering it and marking it undeliverable, through the services and the pages:
who may, what each move does to the MTFP, and that a refused move changes nothing and says why."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import selectors, services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.models import Benefit, StatusChange
from wholecouncil.benefits.services.register import line_claims
from wholecouncil.benefits.tests.helpers import benefit, line, sign_off
from wholecouncil.council.models import AuditEvent, Council, Membership

D = Decimal
TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture
def members(council: Council, make_member: Callable[..., Membership]) -> dict[str, Membership]:
    return {role: make_member(council, role) for role in Role}


@pytest.fixture
def banked(council: Council, members: dict[str, Membership]) -> Benefit:
    return sign_off(
        benefit(council, budget_line=line(council)), members[Role.FINANCE], members[Role.PROGRAMME_LEAD]
    )


def _move(
    b: Benefit, action: Action, who: Membership, reason: str = "Supplier is six months late"
) -> Benefit:
    return services.benefit_transition(benefit=b, action=action, actor=who.user, role=who.role, reason=reason)


def _footprint(b: Benefit) -> tuple[object, ...]:
    """Everything a move writes: the benefit's status fields, its history and the audit trail."""
    fresh = Benefit.objects.get(pk=b.pk)
    return (
        fresh.status,
        fresh.resume_status,
        fresh.board_signed_at,
        fresh.finance_signed_at,
        StatusChange.objects.filter(benefit=b).count(),
        AuditEvent.objects.filter(council=b.council).count(),
    )


def _refused(b: Benefit, action: Action, who: Membership, match: str, reason: str = "A reason") -> None:
    before = _footprint(b)
    with pytest.raises(services.BenefitError, match=match):
        _move(b, action, who, reason)
    assert _footprint(b) == before


def _banked(council: Council) -> tuple[Decimal, Decimal]:
    year = selectors.mtfp_position(council, TODAY).position.years[0]
    return year.banked, year.at_risk


def test_marking_at_risk_takes_the_saving_out_of_banked(
    council: Council, banked: Benefit, members: dict[str, Membership]
) -> None:
    assert _banked(council) == (D("60000"), D("0"))
    b = _move(banked, Action.MARK_AT_RISK, members[Role.PROGRAMME_LEAD])
    assert (b.status, b.resume_status) == ("at_risk", "in_delivery")
    assert _banked(council) == (D("0"), D("60000"))
    change = StatusChange.objects.filter(benefit=b).first()
    assert change is not None and change.action == "mark_at_risk"
    assert change.reason == "Supplier is six months late"
    event = AuditEvent.objects.filter(council=council, action="benefits.benefit.mark_at_risk").get()
    assert event.before["status"] == "In delivery" and event.after["status"] == "At risk"
    assert event.after["reason"] == "Supplier is six months late"
    assert b in line_claims(b.budget_line)  # a validated benefit at risk keeps its claim on the line


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.COUNCILLOR])
def test_only_those_who_record_benefits_mark_them_at_risk(
    banked: Benefit, members: dict[str, Membership], role: str
) -> None:
    _refused(banked, Action.MARK_AT_RISK, members[role], "Only someone who records benefits")


def test_a_move_needing_a_reason_is_refused_without_one(
    banked: Benefit, members: dict[str, Membership]
) -> None:
    _refused(banked, Action.MARK_AT_RISK, members[Role.FINANCE], "Give the reason", reason="  ")


def test_finance_recovers_a_benefit_to_the_status_it_had(
    council: Council, banked: Benefit, members: dict[str, Membership]
) -> None:
    at_risk = _move(banked, Action.MARK_AT_RISK, members[Role.PROGRAMME_LEAD])
    for role in (Role.PROGRAMME_LEAD, Role.PROJECT_MANAGER, Role.COUNCILLOR):
        _refused(at_risk, Action.RECOVER, members[role], r"Only finance \(or an administrator\) can recover")
    b = _move(at_risk, Action.RECOVER, members[Role.FINANCE], "Supplier back on plan")
    assert (b.status, b.resume_status) == ("in_delivery", "")
    assert b.board_signed_at is not None and b.finance_signed_at is not None  # sign-offs survive the risk
    assert _banked(council) == (D("60000"), D("0"))
    _refused(b, Action.RECOVER, members[Role.FINANCE], "not at risk, so there is nothing to recover from")


def test_a_benefit_already_at_risk_cannot_be_marked_again(
    banked: Benefit, members: dict[str, Membership]
) -> None:
    at_risk = _move(banked, Action.MARK_AT_RISK, members[Role.PROGRAMME_LEAD])
    _refused(at_risk, Action.MARK_AT_RISK, members[Role.FINANCE], "already marked at risk")


def test_undeliverable_is_finances_call_and_final(
    council: Council, banked: Benefit, members: dict[str, Membership]
) -> None:
    for role in (Role.PROGRAMME_LEAD, Role.PROJECT_MANAGER, Role.COUNCILLOR):
        _refused(banked, Action.MARK_UNDELIVERABLE, members[role], "Only finance")
    b = _move(banked, Action.MARK_UNDELIVERABLE, members[Role.FINANCE], "The service is being outsourced")
    assert b.status == "undeliverable"
    year = selectors.mtfp_position(council, TODAY).position.years[0]
    assert (year.banked, year.unachievable) == (D("0"), D("60000"))
    assert b not in line_claims(b.budget_line)  # its claim on the line is released
    for action in (Action.RECOVER, Action.MARK_AT_RISK, Action.MARK_UNDELIVERABLE, Action.VALIDATE):
        _refused(b, action, members[Role.ADMIN], "marked undeliverable, so its status cannot change again")


def test_an_identified_benefit_can_be_put_at_risk_and_recovered_to_identified(
    council: Council, members: dict[str, Membership]
) -> None:
    b = benefit(council, "BEN-9")
    b = _move(b, Action.MARK_AT_RISK, members[Role.FINANCE])
    assert (b.status, b.resume_status) == ("at_risk", "identified")
    assert _move(b, Action.RECOVER, members[Role.ADMIN], "Resolved").status == "identified"


# --- The pages ------------------------------------------------------------------------------------------


def _url(name: str, b: Benefit) -> str:
    return reverse(f"benefits:{name}", args=[b.council.slug, b.pk])


def test_the_pages_check_the_role_before_anything(
    banked: Benefit, council: Council, client_for: Callable[..., Client]
) -> None:
    councillor = client_for(council, Role.COUNCILLOR)
    lead = client_for(council, Role.PROGRAMME_LEAD)
    before = _footprint(banked)
    for name in ("mark_at_risk", "recover", "mark_undeliverable"):
        assert councillor.get(_url(name, banked)).status_code == 403
        assert councillor.post(_url(name, banked), {"reason": "x"}).status_code == 403
    for name in ("recover", "mark_undeliverable"):
        assert lead.post(_url(name, banked), {"reason": "x"}).status_code == 403
    assert _footprint(banked) == before


def test_marking_at_risk_and_recovering_by_the_pages(
    banked: Benefit, council: Council, client_for: Callable[..., Client]
) -> None:
    lead = client_for(council, Role.PROGRAMME_LEAD)
    page = lead.get(_url("mark_at_risk", banked)).content.decode()
    assert "The benefit may not be delivered as planned" in page
    response = lead.post(_url("mark_at_risk", banked), {"reason": "Supplier late"}, follow=True)
    assert response.redirect_chain[-1][0] == _url("benefit", banked)
    text = response.content.decode()
    assert "mark at risk recorded" in text and "(was in delivery)" in text
    assert "Supplier late" in text  # in the status history
    finance = client_for(council, Role.FINANCE)
    assert "Recover from risk" in finance.get(_url("benefit", banked)).content.decode()
    assert finance.post(_url("recover", banked), {"reason": "On plan again"}).status_code == 302
    assert Benefit.objects.get(pk=banked.pk).status == "in_delivery"


def test_a_refused_move_by_the_pages_changes_nothing_and_says_why(
    banked: Benefit, council: Council, client_for: Callable[..., Client]
) -> None:
    finance = client_for(council, Role.FINANCE)
    before = _footprint(banked)
    # Said up front, before the form is sent...
    page = finance.get(_url("recover", banked)).content.decode()
    assert "The benefit is not at risk, so there is nothing to recover from." in page
    # ...and again if it is sent anyway.
    response = finance.post(_url("recover", banked), {"reason": "Try anyway"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "nothing to recover from" in response.content.decode()
    missing = finance.post(_url("mark_undeliverable", banked), {"reason": ""})
    assert missing.status_code == 200 and "Give the reason." in missing.content.decode()
    assert _footprint(banked) == before
    finance.post(_url("mark_undeliverable", banked), {"reason": "Outsourced"})
    gone = finance.post(_url("mark_at_risk", banked), {"reason": "Late"})
    assert "its status cannot change again" in gone.content.decode()
    assert Benefit.objects.get(pk=banked.pk).status == "undeliverable"
