"""Services: the register, the audited lifecycle, prudence on budget lines, actuals and the MTFP position."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import selectors, services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.models import Benefit, MonthlyActual, ProfileYear, StatusChange
from wholecouncil.benefits.tests.helpers import benefit, line, sign_off
from wholecouncil.council import services as council_services
from wholecouncil.council.models import AuditEvent, Council, Membership
from wholecouncil.portfolio import services as portfolio_services
from wholecouncil.portfolio.tests import helpers as portfolio

D = Decimal
TODAY = dt.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(council: Council, make_member: Callable[..., Membership]) -> Membership:
    return make_member(council, Role.FINANCE)


@pytest.fixture
def lead(council: Council, make_member: Callable[..., Membership]) -> Membership:
    return make_member(council, Role.PROGRAMME_LEAD)


def test_signing_off_banks_the_saving(council: Council, finance: Membership, lead: Membership) -> None:
    b = benefit(council, budget_line=line(council))
    view = selectors.mtfp_position(council, TODAY)
    assert view.position.years[0].pipeline == D("60000") and view.position.years[0].banked == 0
    b = sign_off(b, finance, lead)
    assert b.status == "in_delivery"
    assert b.board_signed_by == lead.user and b.finance_signed_by == finance.user
    view = selectors.mtfp_position(council, TODAY)
    assert [y.banked for y in view.position.years[:2]] == [D("60000"), D("120000")]
    history = list(StatusChange.objects.filter(benefit=b).values_list("action", flat=True))
    assert history == ["finance_sign_off", "board_sign_off", "validate"]
    actions = set(AuditEvent.objects.filter(council=council).values_list("action", flat=True))
    assert {
        "benefits.benefit.create",
        "benefits.benefit.validate",
        "benefits.benefit.board_sign_off",
    } <= actions


def test_validation_names_what_is_missing(council: Council, finance: Membership) -> None:
    b = benefit(council, owner="")
    with pytest.raises(services.BenefitError, match="name its owner; choose the budget line it lands in"):
        services.benefit_transition(benefit=b, action=Action.VALIDATE, actor=finance.user, role=finance.role)
    assert Benefit.objects.get(pk=b.pk).status == "identified"


def test_roles_are_checked_by_the_service(council: Council, lead: Membership) -> None:
    b = benefit(council, budget_line=line(council))
    with pytest.raises(services.BenefitError, match="Only finance"):
        services.benefit_transition(benefit=b, action=Action.VALIDATE, actor=lead.user, role=lead.role)
    with pytest.raises(services.BenefitError, match="your role cannot"):
        services.benefit_transition(benefit=b, action=Action.VALIDATE, actor=None, role=Role.COUNCILLOR)


def test_a_budget_line_cannot_be_claimed_twice(
    council: Council, finance: Membership, lead: Membership
) -> None:
    shared = line(council, baseline="150000")
    first = benefit(council, "BEN-1", budget_line=shared, value="100000", profile={2026: "100000"})
    first = sign_off(first, finance, lead)
    assert first.status == "in_delivery"
    second = benefit(council, "BEN-2", budget_line=shared, value="80000", profile={2026: "80000"})
    services.benefit_transition(benefit=second, action=Action.VALIDATE, actor=finance.user, role=finance.role)
    with pytest.raises(services.BenefitError) as caught:
        services.benefit_transition(
            benefit=second, action=Action.BOARD_SIGN_OFF, actor=lead.user, role=lead.role
        )
    message = str(caught.value)
    assert "BEN-2 cannot be signed off" in message and "BEN-1 Benefit BEN-1 (£100,000.00)" in message
    assert "£30,000.00 more than the line's baseline of £150,000.00" in message
    with pytest.raises(services.BenefitError, match="already claim"):
        services.budget_line_save(council=council, data={"baseline": D("90000")}, line=shared, actor=None)


def test_a_validated_benefit_is_not_changed_silently(
    council: Council, finance: Membership, lead: Membership
) -> None:
    b = sign_off(benefit(council, budget_line=line(council)), finance, lead)
    data = services.BenefitInput(
        values={"title": "Bigger saving", "full_year_value": D("150000")},
        profile={2026: D("60000"), 2027: D("150000")},
    )
    with pytest.raises(services.NeedsRevalidation) as caught:
        services.benefit_update(benefit=b, data=data, actor=lead.user, role=lead.role)
    assert "title" in caught.value.changed and "profile" in caught.value.changed
    b.refresh_from_db()
    assert b.title == "Benefit BEN-1" and b.status == "in_delivery"
    services.benefit_update(benefit=b, data=data, actor=lead.user, role=lead.role, confirmed=True)
    b.refresh_from_db()
    assert b.title == "Bigger saving" and b.status == "identified"
    assert b.board_signed_by is None and b.finance_signed_by is None
    change = StatusChange.objects.filter(benefit=b).first()
    assert change is not None and change.action == "revalidate" and "title" in change.reason
    update = AuditEvent.objects.filter(action="benefits.benefit.update").first()
    assert update is not None and update.before["title"] == "Benefit BEN-1"
    assert update.after["profile"]["2027/28"] == "150000.00"
    assert selectors.mtfp_position(council, TODAY).position.years[0].banked == 0


def test_an_unchanged_save_writes_nothing(council: Council, finance: Membership, lead: Membership) -> None:
    b = sign_off(benefit(council, budget_line=line(council)), finance, lead)
    events = AuditEvent.objects.count()
    same = services.BenefitInput(
        values={"title": b.title, "full_year_value": D("120000"), "tolerance_pct": D("10")},
        profile={2026: D("60000"), 2027: D("120000")},
    )
    services.benefit_update(benefit=b, data=same, actor=lead.user, role=lead.role)
    assert AuditEvent.objects.count() == events
    assert Benefit.objects.get(pk=b.pk).status == "in_delivery"


def test_a_profile_year_cannot_exceed_the_full_year_value(council: Council) -> None:
    with pytest.raises(services.BenefitError, match="more than the full-year value") as caught:
        benefit(council, value="1000", profile={2026: "2000"})
    assert caught.value.field == "y2026"


def test_actuals_roll_up_into_the_year(council: Council, finance: Membership) -> None:
    b = benefit(council)
    services.actual_record(benefit=b, month=dt.date(2026, 4, 9), amount=D("4000"), actor=None, today=TODAY)
    services.actual_record(
        benefit=b,
        month=dt.date(2026, 6, 1),
        amount=D("6000"),
        evidence="Payroll report June",
        attachment=services.Attachment("payroll.csv", b"post,saving\nA,6000\n"),
        actor=finance.user,
        today=TODAY,
    )
    row = ProfileYear.objects.get(benefit=b, year=2026)
    assert (row.actual, row.reported) == (D("10000"), 3)
    services.actual_record(benefit=b, month=dt.date(2026, 6, 1), amount=D("5000"), actor=None, today=TODAY)
    row.refresh_from_db()
    assert row.actual == D("9000")
    june = MonthlyActual.objects.get(benefit=b, month=dt.date(2026, 6, 1))
    assert june.attachment_name == "payroll.csv" and bytes(june.attachment).startswith(b"post")
    services.actual_delete(actual=june, actor=None)
    row.refresh_from_db()
    assert (row.actual, row.reported) == (D("4000"), 1)
    perf = selectors.performance_of(b, TODAY)[0]
    assert perf.forecast == D("4000") + D("60000") * 11 / 12


def test_actuals_refuse_bad_input(council: Council) -> None:
    b = benefit(council)
    with pytest.raises(services.BenefitError, match="has not started yet"):
        services.actual_record(benefit=b, month=dt.date(2027, 1, 1), amount=D("1"), actor=None, today=TODAY)
    with pytest.raises(services.BenefitError, match="is not a file type the council keeps"):
        services.actual_record(
            benefit=b,
            month=dt.date(2026, 5, 1),
            amount=D("1"),
            attachment=services.Attachment("run.exe", b"MZ"),
            actor=None,
            today=TODAY,
        )
    assert not MonthlyActual.objects.filter(benefit=b).exists()


def test_actuals_in_a_year_without_a_plan_are_kept(council: Council) -> None:
    b = benefit(council, profile={2027: "1000"}, value="1000")
    services.actual_record(benefit=b, month=dt.date(2025, 5, 1), amount=D("50"), actor=None, today=TODAY)
    assert ProfileYear.objects.get(benefit=b, year=2025).actual == D("50")


def test_savings_required_and_the_shortfall(council: Council, finance: Membership, lead: Membership) -> None:
    services.savings_required_set(
        council=council, amounts={2026: D("100000"), 2027: D("300000"), 2028: None}, actor=finance.user
    )
    sign_off(benefit(council, budget_line=line(council)), finance, lead)
    view = selectors.mtfp_position(council, TODAY)
    assert [y.year.start_year for y in view.position.years] == [2026, 2027, 2028, 2029, 2030]
    assert [y.shortfall for y in view.position.years[:3]] == [D("40000"), D("180000"), None]
    assert AuditEvent.objects.filter(action="benefits.savings_required.set").exists()


def test_a_shared_benefit_counts_each_councils_share(
    council: Council, make_council: Callable[..., Council], finance: Membership, lead: Membership
) -> None:
    partner = make_council(slug="partner", name="Partner District")
    council_services.partnership_create(name="Both", councils=[council, partner], actor=None)
    b = benefit(
        council,
        budget_line=line(council),
        value="100000.01",
        profile={2026: "100000.01"},
        shares={council: D("60"), partner: D("40")},
    )
    sign_off(b, finance, lead)
    ours = selectors.mtfp_position(council, TODAY).position.years[0].banked
    theirs = selectors.mtfp_position(partner, TODAY).position.years[0].banked
    assert ours + theirs == D("100000.01")
    assert theirs == D("40000.00")


def test_shares_only_with_partners(council: Council, make_council: Callable[..., Council]) -> None:
    stranger = make_council(slug="stranger", name="Stranger Borough")
    with pytest.raises(services.BenefitError, match="not in a partnership"):
        benefit(council, shares={council: D("50"), stranger: D("50")})


def test_a_slipped_milestone_puts_the_saving_at_risk(
    council: Council, finance: Membership, lead: Membership
) -> None:
    project = portfolio.project(council)
    milestone = portfolio_services.milestone_save(
        project=project,
        data={
            "name": "New system live",
            "baseline_date": dt.date(2026, 3, 1),
            "forecast_date": dt.date(2026, 3, 1),
        },
        actor=None,
    )
    b = benefit(council, budget_line=line(council), projects=[project], milestone=milestone)
    sign_off(b, finance, lead)
    assert selectors.mtfp_position(council, TODAY).position.years[0].banked_at_risk == 0
    portfolio_services.milestone_save(
        project=project, milestone=milestone, data={"forecast_date": dt.date(2026, 7, 1)}, actor=None
    )
    year = selectors.mtfp_position(council, TODAY).position.years[0]
    assert year.banked == D("60000") and year.banked_at_risk == D("60000")
    assert selectors.slips(Benefit.objects.filter(pk=b.pk))[b.pk].milestone == "New system live"


def test_the_delivering_milestone_must_be_in_a_chosen_project(council: Council) -> None:
    project = portfolio.project(council)
    milestone = portfolio_services.milestone_save(
        project=project,
        data={"name": "Go live", "baseline_date": dt.date(2026, 3, 1), "forecast_date": dt.date(2026, 3, 1)},
        actor=None,
    )
    with pytest.raises(services.BenefitError, match="not one of the benefit's projects"):
        benefit(council, milestone=milestone)


def test_realising_needs_evidence(council: Council, finance: Membership, lead: Membership) -> None:
    b = sign_off(benefit(council, budget_line=line(council)), finance, lead)
    services.actual_record(benefit=b, month=dt.date(2026, 4, 1), amount=D("5000"), actor=None, today=TODAY)
    with pytest.raises(services.BenefitError, match="evidence"):
        services.benefit_transition(benefit=b, action=Action.REALISE, actor=finance.user, role=finance.role)
    b = services.benefit_transition(
        benefit=b, action=Action.REALISE, actor=finance.user, role=finance.role, evidence="Ledger R100"
    )
    assert b.status == "realised" and b.evidence == "Ledger R100"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_databases_sums_match_the_engine_one_by_one(
    council: Council, make_council: Callable[..., Council], seed: int
) -> None:
    """The position summed by the database (grouping.py) equals every saving judged by the engine."""
    import random

    from wholecouncil.benefits.models import ProfileYear

    rng = random.Random(seed)
    partner = make_council(slug=f"partner-{seed}", name=f"Partner {seed}")
    council_services.partnership_create(name="Both", councils=[council, partner], actor=None)
    project = portfolio.project(council)
    milestones = [
        portfolio_services.milestone_save(
            project=project,
            data={"name": f"M{i}", "baseline_date": base, "forecast_date": day, "actual_date": done},
            actor=None,
        )
        for i, (base, day, done) in enumerate(
            [
                (dt.date(2025, 1, 1), dt.date(2025, 6, 1), None),
                (dt.date(2026, 9, 1), dt.date(2026, 9, 1), None),
                (dt.date(2027, 1, 1), dt.date(2027, 1, 1), None),
                (dt.date(2024, 1, 1), dt.date(2024, 1, 1), dt.date(2024, 3, 1)),
                (dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2027, 2, 1)),
            ]
        )
    ]
    categories = [
        "staff_cost",
        "income",
        "third_party_spend",
        "cost_avoidance",
        "productivity",
        "digital_take_up",
    ]
    statuses = ["identified", "validated", "in_delivery", "realised", "at_risk", "undeliverable"]
    for i in range(40):
        start = rng.randint(2024, 2028)
        value = D(rng.randint(1, 40) * 1000)
        profile = {y: value for y in range(start, 2031)}
        shared = {council: D("60"), partner: D("40")} if i % 7 == 0 else None
        b = benefit(
            council,
            f"R-{i}",
            value=str(value),
            profile={y: str(a) for y, a in profile.items()},
            category=rng.choice(categories),
            measure="Measure",
            baseline_value=D(1),
            target_value=D(2),
            projects=[project],
            milestone=rng.choice([None, *milestones]),
            shares=shared,
            tolerance_pct=D(rng.choice([0, 5, 10, 25])),
        )
        status = rng.choice(statuses)
        Benefit.objects.filter(pk=b.pk).update(
            status=status, resume_status="in_delivery" if status == "at_risk" else ""
        )
        for row in ProfileYear.objects.filter(benefit=b, year__lte=2026):
            reported = 12 if row.year < 2026 else rng.randint(0, 8)
            ProfileYear.objects.filter(pk=row.pk).update(
                reported=reported,
                actual=D(rng.randint(0, int(row.planned) // 1000 + 1) * 1000) if reported else 0,
            )
    for who in (council, partner):
        quick = selectors.mtfp_position(who, TODAY).position
        slow = selectors.mtfp_position(who, TODAY, every_saving=True).position
        assert quick == slow
