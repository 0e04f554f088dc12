"""A small portfolio and benefits register for the board-pack tests, built through the services as users
would build it. Dates are relative to today, so every pack's current period has something in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import services as benefit_services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.models import Benefit, BudgetLine
from wholecouncil.council.engine import FinancialYear, add_months
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import Project
from wholecouncil.portfolio.tests.helpers import assess, programme, project, submit

D = Decimal
RAGS = ["red", "amber", "green"]


@dataclass
class World:
    council: Council
    today: dt.date
    finance: Membership
    lead: Membership
    projects: list[Project] = field(default_factory=list)
    benefits: dict[str, Benefit] = field(default_factory=dict)


def _project(council: Council, i: int, today: dt.date, parent: dict[str, object], label: str) -> Project:
    p = project(council, f"P-{i:03}", name=f"{label}Project number {i}", **parent)
    services.raid_save(
        kind="risk",
        project=p,
        data={
            "title": f"{label}Risk number {i}",
            "likelihood": 1 + i % 5,
            "impact": 4,
            "residual_likelihood": 1,
            "residual_impact": 2,
            "mitigations": f"Mitigation for risk {i}",
            "raised_on": today,
        },
        actor=None,
    )
    services.milestone_save(
        project=p,
        data={
            "name": f"Slipping milestone {i}",
            "baseline_date": today - dt.timedelta(days=10),
            "forecast_date": today + dt.timedelta(days=30 + i),
        },
        actor=None,
    )
    services.allocation_save(project=p, data={"role": "Analyst", "fte": D("0.5")}, actor=None)
    report = services.report_save(
        council=council,
        project=p,
        month=today.replace(day=1),
        data={"rag": RAGS[i % 3], "narrative": f"Narrative of project {i}", "benefit_status": "on_track"},
        actor=None,
    )
    services.report_submit(report=report, actor=None)
    return p


def _benefit(
    council: Council, reference: str, line: BudgetLine | None, profile: dict[int, str], **values: object
) -> Benefit:
    category = values.pop("category", "staff_cost")
    projects = values.pop("projects", [])
    data = {
        "reference": reference,
        "title": f"Benefit {reference}",
        "feature": "A single front door for contacts",
        "category": category,
        "owner": "Head of Customer Services",
        "budget_line": line,
        "full_year_value": D(str(values.pop("value", "120000"))),
        "tolerance_pct": D("10"),
        **values,
    }
    return benefit_services.benefit_create(
        council=council,
        data=benefit_services.BenefitInput(
            values=data,
            projects=list(projects),  # type: ignore[call-overload]
            profile={y: D(a) for y, a in profile.items()},
        ),
        actor=None,
    )


def _move(b: Benefit, action: Action, who: Membership, **kw: str) -> Benefit:
    return benefit_services.benefit_transition(benefit=b, action=action, actor=who.user, role=who.role, **kw)


def build(
    council: Council,
    make_member: Callable[..., Membership],
    projects: int = 3,
    extra_benefits: int = 0,
    label: str = "",
) -> World:
    """`projects` projects (at least 3) in two programmes and a workstream, each with a risk, a slipped
    milestone, an allocation and this month's report; one waiting at its gate, one passed with a condition,
    one stopped. Benefits: one banked with actuals, one at risk, one identified, one validated and signed
    off by the board only, and `extra_benefits` more banked ones; savings required this year and next.
    `label` starts every project's name and risk's title."""
    today = timezone.localdate()
    year = FinancialYear.containing(today).start_year
    world = World(
        council,
        today,
        make_member(council, Role.FINANCE, username=f"fin-{council.slug}"),
        make_member(council, Role.PROGRAMME_LEAD, username=f"lead-{council.slug}"),
    )
    parents: list[dict[str, object]] = [
        {"programme": programme(council, "cx", "Customer experience")},
        {"programme": programme(council, "bs", "Business support")},
        {
            "workstream": services.workstream_save(
                council=council, data={"code": "dig", "name": "Digital"}, actor=None
            )
        },
    ]
    for i in range(projects):
        world.projects.append(_project(council, i, today, parents[i % 3], label))
        assess(world.projects[-1])
    waiting, passed, stopped = world.projects[:3]
    submit(waiting)
    submit(passed)
    services.gate_decide(
        project=passed,
        decision="approve_with_conditions",
        reasons="Criteria met",
        conditions=[services.NewCondition("Confirm the supplier", "Head of digital", today)],
        actor=world.lead.user,
    )
    services.project_stop(project=stopped, reason="No longer needed", actor=world.lead.user)

    line = benefit_services.budget_line_save(
        council=council, data={"code": "R100", "name": "Contact centre", "baseline": D("5000000")}, actor=None
    )
    benefit_services.savings_required_set(
        council=council, amounts={year: D("200000"), year + 1: D("300000")}, actor=None
    )
    banked = _benefit(council, "BEN-1", line, {year: "120000", year + 1: "120000"}, projects=[passed])
    _sign_off(world, banked)
    for month in _months_so_far(today):
        benefit_services.actual_record(
            benefit=banked, month=month, amount=D("9000"), actor=world.finance.user
        )
    at_risk = _benefit(council, "BEN-2", line, {year: "60000"}, value="60000", projects=[waiting])
    _sign_off(world, at_risk)
    _move(at_risk, Action.MARK_AT_RISK, world.finance, reason="Supplier late")
    identified = _benefit(council, "BEN-3", line, {year + 1: "40000"}, value="40000")
    validated = _benefit(council, "BEN-4", line, {year + 1: "30000"}, value="30000")
    _move(validated, Action.VALIDATE, world.finance)
    _move(validated, Action.BOARD_SIGN_OFF, world.lead)
    world.benefits = {"banked": banked, "at_risk": at_risk, "identified": identified, "validated": validated}
    for k in range(extra_benefits):
        more = _benefit(council, f"BEN-X{k}", line, {year: "1000"}, value="1000", projects=world.projects[:2])
        _sign_off(world, more)
        benefit_services.actual_record(benefit=more, month=today, amount=D("50"), actor=world.finance.user)
    return world


def _sign_off(world: World, b: Benefit) -> None:
    _move(b, Action.VALIDATE, world.finance)
    _move(b, Action.BOARD_SIGN_OFF, world.lead)
    _move(b, Action.FINANCE_SIGN_OFF, world.finance)


def _months_so_far(today: dt.date) -> list[dt.date]:
    """Every month of this financial year up to and including this one."""
    month = FinancialYear.containing(today).starts
    out = []
    while month <= today:
        out.append(month)
        month = add_months(month, 1)
    return out
