"""Demo benefits register: Exampleshire's budget lines, savings required by the MTFP, and benefits in every
state of their lifecycle with a year of monthly actuals.

Benefits are linked to the business case's opportunities and the portfolio's projects and milestones when
those steps have loaded them (found by query, so this step also runs without them). One benefit is shared
with Westmere through the partnership; one has a delivering milestone that has slipped, so it shows at
risk; one validated benefit would over-claim its budget line, so signing it off is refused. Every move goes
through the benefits services with the demo's finance and programme-lead logins, audit trail included; the
year of actuals (twelve months before the current one, for every benefit signed off) is bulk-loaded, as an
import of earlier records would be. Everything is anchored on the date the demo is loaded. Every name and
figure is fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.models import Benefit, MonthlyActual
from wholecouncil.benefits.services.actuals import rollup
from wholecouncil.cases.models import Opportunity
from wholecouncil.council.engine import FinancialYear, add_months
from wholecouncil.council.models import Council
from wholecouncil.portfolio import services as portfolio_services
from wholecouncil.portfolio.models import Milestone, Project

if TYPE_CHECKING:
    from wholecouncil.demo.generator import DemoContext

D = Decimal
SLUG = "exampleshire"
PARTNER = "westmere"

LINES = (
    ("R1010", "Customer services staffing", "2400000"),
    ("R1120", "Business support staffing", "3100000"),
    ("R2040", "Agency and interim staff", "1800000"),
    ("R3300", "ICT contracts and licences", "2600000"),
    ("R3410", "Printing, postage and stationery", "450000"),
    ("R4200", "Fleet and transport", "1200000"),
    ("R5100", "Fees and charges income", "900000"),
    ("R6020", "Shared legal service", "700000"),
)

# (reference, title, category, line code, full-year value, years from now the saving starts, final status)
# Final status "signed_board" is validated with the board's sign-off only.
Row = tuple[str, str, str, str, str, int, str]
DIS_BENEFIT = "Fewer face-to-face appointments for residents who prefer them."
BENEFITS: tuple[Row, ...] = (
    (
        "BEN-001",
        "One customer contact team instead of seven",
        "staff_cost",
        "R1010",
        "420000",
        -1,
        "in_delivery",
    ),
    ("BEN-002", "Consolidated business support", "staff_cost", "R1120", "650000", -1, "in_delivery"),
    (
        "BEN-003",
        "Fewer agency placements through a talent pool",
        "staff_cost",
        "R2040",
        "300000",
        -1,
        "realised",
    ),
    (
        "BEN-004",
        "Licence rationalisation after the CRM move",
        "third_party_spend",
        "R3300",
        "240000",
        0,
        "in_delivery",
    ),
    ("BEN-005", "Digital post and print by default", "third_party_spend", "R3410", "90000", -1, "realised"),
    ("BEN-006", "Fleet pooling across services", "third_party_spend", "R4200", "160000", 0, "at_risk"),
    ("BEN-007", "Charging for pre-application advice", "income", "R5100", "75000", 0, "validated"),
    ("BEN-008", "Shared legal service with Westmere", "staff_cost", "R6020", "180000", 0, "in_delivery"),
    ("BEN-009", "Automated invoice matching", "staff_cost", "R1120", "120000", 1, "signed_board"),
    ("BEN-010", "Self-service for waste and permits", "staff_cost", "R1010", "260000", 1, "identified"),
    ("BEN-011", "Second-phase contact centre automation", "staff_cost", "R1010", "2000000", 1, "validated"),
    ("BEN-012", "Single debt recovery function", "income", "R5100", "110000", 1, "undeliverable"),
    ("BEN-013", "Avoided cost of a new case system", "cost_avoidance", "", "350000", 0, "in_delivery"),
    ("BEN-014", "Hours released by the new intranet", "productivity", "", "95000", 0, "validated"),
    (
        "BEN-015",
        "Resident satisfaction with first contact",
        "customer_satisfaction",
        "",
        "",
        0,
        "in_delivery",
    ),
    ("BEN-016", "Days to decide a blue badge application", "processing_time", "", "", 0, "identified"),
    ("BEN-017", "Share of permits applied for online", "digital_take_up", "", "", 0, "at_risk"),
    ("BEN-018", "Families supported before crisis", "early_intervention", "", "", 1, "identified"),
)

KPIS = {
    "BEN-015": ("Residents satisfied with their first contact (%)", "64", "80", ("70", "75", "80", "80")),
    "BEN-016": ("Average working days to decide", "34", "10", ("20", "10", "10", "10")),
    "BEN-017": ("Permit applications made online (%)", "41", "85", ("60", "85", "85", "85")),
    "BEN-018": ("Families supported by early help a year", "220", "400", ("300", "400", "400", "400")),
}


@dataclass
class People:
    finance: object
    lead: object


def _pennies(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def _profile(value: Decimal, start: int, first: int) -> dict[int, Decimal]:
    """Half a year's worth in the year it starts, the full-year value from then on, to the plan's end."""
    out: dict[int, Decimal] = {}
    for year in range(first, first + 6):
        if year == start:
            out[year] = _pennies(value / 2)
        elif year > start:
            out[year] = value
    return out


def _people() -> People:
    users = get_user_model().objects
    return People(
        finance=users.filter(username=f"{SLUG}-finance").first(),
        lead=users.filter(username=f"{SLUG}-programme").first(),
    )


def _move(b: Benefit, action: Action, who: object, role: str, **text: str) -> Benefit:
    return services.benefit_transition(benefit=b, action=action, actor=who, role=role, **text)  # type: ignore[arg-type]


def _lifecycle(b: Benefit, final: str, people: People) -> None:
    fin, lead = people.finance, people.lead
    if final == "identified":
        return
    _move(b, Action.VALIDATE, fin, Role.FINANCE, reason="Figures agreed with the service accountant")
    if final == "validated":
        return
    if final == "undeliverable":
        _move(
            b, Action.MARK_UNDELIVERABLE, fin, Role.FINANCE, reason="The service is to be outsourced instead"
        )
        return
    _move(b, Action.BOARD_SIGN_OFF, lead, Role.PROGRAMME_LEAD, reason="Transformation board, monthly meeting")
    if final == "signed_board":
        return
    _move(b, Action.FINANCE_SIGN_OFF, fin, Role.FINANCE, reason="Included in the MTFP refresh")
    if final == "realised":
        _move(
            b, Action.REALISE, fin, Role.FINANCE, evidence="Budget reduced; twelve months of ledger evidence"
        )
    elif final == "at_risk":
        _move(b, Action.MARK_AT_RISK, lead, Role.PROGRAMME_LEAD, reason="Supplier delay; savings behind plan")


def _links(council: Council) -> tuple[list[Opportunity], list[Project], list[Milestone]]:
    opportunities = list(Opportunity.objects.filter(council=council).order_by("position", "id"))
    projects = list(Project.objects.filter(council=council).order_by("code"))
    milestones = list(
        Milestone.objects.filter(council=council, actual_date__isnull=True)
        .select_related("project")
        .order_by("id")
    )
    return opportunities, projects, milestones


def plan_start(today: dt.date) -> int:
    """The first year of the demo's plan: last financial year, so that a year of actuals has a plan."""
    return FinancialYear.containing(today).start_year - 1


def actual_months(today: dt.date, since: dt.date | None = None) -> list[dt.date]:
    """The months a signed-off demo benefit has actuals for, oldest first: the twelve before this one, and
    further back to `since` (the month its savings started) when that is earlier, up to two years."""
    this_month = today.replace(day=1)
    earliest = add_months(this_month, -24)
    first = add_months(this_month, -12)
    if since is not None and since < first:
        first = max(since.replace(day=1), earliest)
    months = []
    month = first
    while month < this_month:
        months.append(month)
        month = add_months(month, 1)
    return months


def _actual(
    b: Benefit, month: dt.date, planned: Decimal, factor: Decimal, k: int, starts: dt.date
) -> tuple[Decimal, str]:
    """One month's figure and evidence note. `k` counts the months back from the latest; `starts` is when
    the benefit's savings start."""
    if not b.is_financial:
        start, target = b.baseline_value or D(0), b.target_value or D(0)
        amount = _pennies(start + (target - start) * D(max(12 - k, 0)) / 12 * factor * D("0.8"))
        return amount, f"Performance report, {month:%B %Y}"
    if not planned:
        return D(0), (
            f"Budget monitoring, {month:%B %Y}: no saving planned before {starts:%B %Y}, and none made yet"
        )
    note = f"Budget monitoring, {month:%B %Y}: saving against the {b.budget_line or 'service'} baseline"
    return _pennies(planned / 12 * factor), note


def _actuals(b: Benefit, profile: dict[int, Decimal], rng: random.Random, today: dt.date, final: str) -> int:
    """Monthly actuals for a year, and back to the start of the profile: savings around plan (short of it for
    a benefit at risk), zero in months before any saving is planned; for a non-financial benefit, the
    measure moving from its baseline towards its target."""
    low, high = (0.45, 0.7) if final == "at_risk" else (0.9, 1.08)
    starts = FinancialYear(min(profile)).starts
    months = actual_months(today, starts)
    rows = []
    for k, month in enumerate(reversed(months)):
        factor = D(str(round(rng.uniform(low, high), 3)))
        planned = profile.get(FinancialYear.containing(month).start_year, D(0))
        amount, note = _actual(b, month, planned, factor, k, starts)
        rows.append(MonthlyActual(council=b.council, benefit=b, month=month, amount=amount, evidence=note))
    MonthlyActual.objects.bulk_create(rows)
    for year in {FinancialYear.containing(r.month).start_year for r in rows}:
        rollup(b, year)
    return len(rows)


def _slipped_milestone(milestones: list[Milestone], start: dt.date) -> Milestone | None:
    """A milestone not yet reached that has slipped past its baseline date or lands after `start`; failing
    that, the first one not yet reached, moved two months past its baseline through the portfolio's service
    (as a project manager would record a slip)."""
    late = [m for m in milestones if m.forecast_date > m.baseline_date or m.forecast_date > start]
    if late:
        return late[0]
    if not milestones:
        return None
    first = milestones[0]
    return portfolio_services.milestone_save(
        project=first.project,
        milestone=first,
        data={"forecast_date": add_months(first.baseline_date, 2)},
        actor=None,
    )


def _values(
    i: int,
    row: Row,
    kpi: tuple[str, str, str, tuple[str, ...]] | None,
    projects: list[Project],
    milestone: Milestone | None,
) -> dict[str, object]:
    """The register's fields of one demo benefit (its opportunity and budget line are added after)."""
    ref, title, category, _line, value = row[:5]
    return {
        "reference": ref,
        "title": title,
        "description": f"{title}. Fictional demo benefit.",
        "feature": projects[0].name if projects else "The new operating model",
        "category": category,
        "owner": "Head of Service" if i % 2 else "Programme Director",
        "milestone": milestone,
        "full_year_value": D(value) if value else None,
        "measure": kpi[0] if kpi else "Saving against the baseline budget (£)",
        "baseline_value": D(kpi[1]) if kpi else None,
        "target_value": D(kpi[2]) if kpi else None,
        "tolerance_pct": D("10"),
        "dis_benefits": DIS_BENEFIT if i % 5 == 0 else "",
    }


def benefits_register(ctx: DemoContext, today: dt.date | None = None) -> None:
    """The demo's benefits, anchored on `today` (the date the demo is loaded, unless given)."""
    council = ctx.councils.get(SLUG)
    if council is None:
        return
    rng = ctx.rng("benefits")
    today = today or timezone.localdate()
    first = plan_start(today)
    people = _people()
    lines = {
        code: services.budget_line_save(
            council=council, data={"code": code, "name": name, "baseline": D(base)}, actor=None
        )
        for code, name, base in LINES
    }
    services.savings_required_set(
        council=council,
        amounts={
            first + i: D(v) for i, v in enumerate(("1500000", "2600000", "3400000", "4200000", "4800000"))
        },
        actor=people.finance,  # type: ignore[arg-type]
    )
    opportunities, projects, milestones = _links(council)
    partner = ctx.councils.get(PARTNER) if ctx.partnership is not None else None
    months = 0
    for i, row in enumerate(BENEFITS):
        ref, _title, _category, line, value, starts, final = row
        start = first + 1 + starts
        financial = bool(value)
        kpi = KPIS.get(ref)
        profile = (
            _profile(D(value), start, first)
            if financial
            else {start + k: D(v) for k, v in enumerate(kpi[3]) if start + k < first + 6}  # type: ignore[index]
        )
        linked_projects = [projects[i % len(projects)]] if projects else []
        milestone = None
        if ref == "BEN-004":
            milestone = _slipped_milestone(milestones, FinancialYear(start).starts)
            if milestone is not None:
                linked_projects = [milestone.project]
        values = _values(i, row, kpi, linked_projects, milestone)
        values.update(
            opportunity=opportunities[i] if i < len(opportunities) and financial else None,
            budget_line=lines.get(line),
        )
        shares = {council: D("70"), partner: D("30")} if ref == "BEN-008" and partner is not None else {}
        b = services.benefit_create(
            council=council,
            data=services.BenefitInput(
                values=values, projects=linked_projects, profile=profile, shares=shares
            ),
            actor=people.lead,  # type: ignore[arg-type]
        )
        if final in ("in_delivery", "realised", "at_risk"):
            months += _actuals(b, profile, rng, today, final)
        _lifecycle(b, final, people)
    linked = "linked to the business case and portfolio" if opportunities and projects else "without links"
    ctx.log(
        f"{council.name}: {len(BENEFITS)} benefits in every state ({linked}), {len(LINES)} budget lines, "
        f"{months} monthly actuals."
    )
