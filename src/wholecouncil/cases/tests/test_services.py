"""Opportunities, baselines, cases and options through services and selectors: figures, refusals, audit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from wholecouncil.cases import baselines as B
from wholecouncil.cases import selectors, services
from wholecouncil.cases.models import CostLine, Opportunity
from wholecouncil.cases.tests.factories import layer, lever, pct_opportunity, small_case, staff_baseline
from wholecouncil.council.models import AuditEvent, Council

pytestmark = pytest.mark.django_db
D = Decimal


def test_the_small_case_adds_up_by_hand(council: Council) -> None:
    case, _ = small_case(council)
    figures = selectors.case_figures(case)
    result = figures.shown.result
    assert result is not None, figures.shown.problem
    years = [
        (str(y.year), y.recurring_in_year, y.cumulative_recurring, y.one_off_costs, y.net, y.cumulative_net)
        for y in result.years
    ]
    assert years == [
        ("2025/26", D("0.00"), D("0.00"), D("100000.00"), D("-100000.00"), D("-100000.00")),
        ("2026/27", D("75000.00"), D("75000.00"), D("0.00"), D("75000.00"), D("-25000.00")),
        ("2027/28", D("75000.00"), D("150000.00"), D("0.00"), D("150000.00"), D("125000.00")),
    ]
    assert str(result.payback_year) == "2027/28"
    assert result.npv == D("125000.00")  # at 0% the NPV is the final cumulative net
    assert (result.total_low, result.total_mid, result.total_high) == (D("100000"), D("150000"), D("200000"))
    assert result.years[2].gap_closed == D("150000.00")
    # the establishment is empty, so the workforce terms come from the baseline: £1,000,000 / 25 FTE
    assert figures.average_cost == D("40000")
    assert result.years[1].workforce is not None
    assert result.years[1].workforce.posts_reduced == D("1.875")


def test_editing_an_assumption_changes_the_case_and_is_audited(council: Council) -> None:
    case, _ = small_case(council)
    opp = Opportunity.objects.get(council=council, code="CM-1")
    services.opportunity_update(opportunity=opp, actor=None, low_pct=D("20"), high_pct=D("30"))
    result = selectors.case_figures(case).shown.result
    assert result is not None
    assert result.years[-1].cumulative_recurring == D("250000.00")
    event = AuditEvent.objects.filter(council=council, action="opportunity.update").get()
    assert event.before["low_pct"] == "10.00" and event.after["low_pct"] == "20"
    assert event.before["high_pct"] == "20.00" and event.after["high_pct"] == "30"


def test_opportunities_claiming_more_than_a_whole_baseline_are_refused_naming_them(council: Council) -> None:
    staff_baseline(council, "customer-management", "1000000")
    pct_opportunity(council, "CM-1", "20", "60")
    pct_opportunity(council, "CM-2", "10", "30", lever_code="consolidation-standardisation")
    with pytest.raises(services.CaseInputError) as caught:
        pct_opportunity(council, "CM-3", "5", "20", lever_code="ways-of-working")
    message = str(caught.value)
    assert "CM-1 (60%), CM-2 (30%), CM-3 (20%) together claim 110%" in message
    assert caught.value.field == "high_pct"
    assert not Opportunity.objects.filter(code="CM-3").exists()
    # within the baseline it is accepted
    pct_opportunity(council, "CM-3", "5", "10", lever_code="ways-of-working")


def test_the_table_shows_overlaps_that_a_smaller_computed_baseline_creates(council: Council) -> None:
    staff_baseline(council, "customer-management", "1000000")
    services.opportunity_create(
        council=council,
        actor=None,
        code="CM-A",
        name="Entered amounts",
        layer=layer(council, "customer-management"),
        lever=lever(council, "automation-technology"),
        basis=Opportunity.Basis.ACTIVITY,
        saving=Opportunity.Saving.AMOUNT,
        low_amount=D("100000"),
        high_amount=D("600000"),
    )
    pct_opportunity(council, "CM-B", "10", "40", lever_code="ways-of-working")
    # the activity analysis (not an entry anyone can refuse) now finds a smaller baseline: 75% + 40%
    smaller = B.council_baselines(
        council, layer_baseline=lambda c: {"customer-management": {"fte": D(20), "cost": D(800_000)}}
    )
    table = selectors.opportunity_table(council, smaller)
    assert len(table.overlaps) == 1
    assert "CM-A (75%), CM-B (40%) together claim 115%" in table.overlaps[0]
    assert all(r.overlapping for r in table.rows)


def test_totals_per_layer_lever_and_overall(council: Council) -> None:
    staff_baseline(council, "customer-management", "1000000")
    staff_baseline(council, "enabling-support", "2000000")
    pct_opportunity(council, "CM-1", "10", "20")
    pct_opportunity(council, "ES-1", "5", "10", layer_code="enabling-support")
    pct_opportunity(council, "ES-2", "1", "2", layer_code="enabling-support", lever_code="ways-of-working")
    table = selectors.opportunity_table(council)
    assert [(r.opportunity.code, r.low, r.mid, r.high) for r in table.rows] == [
        ("CM-1", D("100000.00"), D("150000.00"), D("200000.00")),
        ("ES-1", D("100000.00"), D("150000.00"), D("200000.00")),
        ("ES-2", D("20000.00"), D("30000.00"), D("40000.00")),
    ]
    assert [(g.name, g.mid) for g in table.by_layer] == [
        ("Customer management", D("150000.00")),
        ("Enabling and support services", D("180000.00")),
    ]
    assert [(g.name, g.high) for g in table.by_lever] == [
        ("Automation and technology enablement", D("400000.00")),
        ("Ways of working", D("40000.00")),
    ]
    assert (table.total.low, table.total.mid, table.total.high) == (D("220000"), D("330000"), D("440000"))


def test_an_opportunity_without_a_baseline_is_listed_with_what_it_needs(council: Council) -> None:
    opp = pct_opportunity(council, "CM-1", "10", "20")
    table = selectors.opportunity_table(council)
    assert table.rows[0].low is None
    assert "no staff-cost baseline for Customer management" in table.rows[0].problem
    assert table.total.count == 0
    staff_baseline(council, "customer-management", "500000")
    assert selectors.opportunity_table(council).rows[0].mid == D("75000.00")
    assert opp.pk


def test_shapes_of_assumption_are_checked_with_the_field_at_fault(council: Council) -> None:
    staff_baseline(council, "customer-management", "1000000")
    with pytest.raises(services.CaseInputError) as caught:
        pct_opportunity(council, "X", "30", "20")
    assert caught.value.field == "low_pct"
    with pytest.raises(services.CaseInputError) as caught:
        pct_opportunity(council, "X", "10", "120")
    assert caught.value.field == "high_pct"
    pct_opportunity(council, "X", "1", "2")
    with pytest.raises(services.CaseInputError) as caught:
        pct_opportunity(council, "X", "1", "2", lever_code="ways-of-working")
    assert caught.value.field == "code"


def test_another_councils_layer_is_refused(council: Council, make_council: Callable[..., Council]) -> None:
    other = make_council()
    with pytest.raises(services.CaseInputError) as caught:
        services.opportunity_create(
            council=council,
            actor=None,
            code="X",
            name="X",
            layer=layer(other, "customer-management"),
            lever=lever(council, "automation-technology"),
            basis=Opportunity.Basis.NONE,
            saving=Opportunity.Saving.AMOUNT,
            low_amount=D(1),
            high_amount=D(2),
        )
    assert caught.value.field == "layer"


def test_redundancy_is_not_entered_twice(council: Council) -> None:
    case, option = small_case(council)
    with pytest.raises(services.CaseInputError) as caught:
        services.cost_create(option=option, actor=None, name="Redundancy", kind=CostLine.Kind.REDUNDANCY)
    assert caught.value.field == "kind"
    services.case_update(case=case, actor=None, redundancy_in_costs=False)
    services.cost_create(option=option, actor=None, name="Redundancy", kind=CostLine.Kind.REDUNDANCY)
    with pytest.raises(services.CaseInputError):
        services.case_update(case=case, actor=None, redundancy_in_costs=True)


def test_an_opportunity_in_an_option_cannot_be_deleted(council: Council) -> None:
    small_case(council)
    opp = Opportunity.objects.get(code="CM-1")
    with pytest.raises(services.CaseInputError, match="chosen in Test case: Preferred"):
        services.opportunity_delete(opportunity=opp, actor=None)


def test_shortening_a_case_drops_later_years(council: Council) -> None:
    case, option = small_case(council)
    services.case_update(case=case, actor=None, years=2)
    assert option.lines.get().phasing == ["0", "0.5"]
    case.refresh_from_db()
    assert case.mtfp_gap == ["100000", "200000"]
    assert selectors.case_figures(case).shown.result is not None


def test_recommending_needs_reasons(council: Council) -> None:
    case, option = small_case(council)
    with pytest.raises(services.CaseInputError):
        services.case_recommend(case=case, option=option, reasons=" ", actor=None)
    services.case_recommend(case=case, option=option, reasons="Meets the gap", actor=None)
    case.refresh_from_db()
    assert case.recommended_option == option
    assert AuditEvent.objects.filter(action="business_case.recommend").exists()


def test_risk_range_brackets_the_case(council: Council) -> None:
    case, _ = small_case(council)
    figures = selectors.case_figures(case)
    assert figures.risk is not None
    mc = figures.risk.monte_carlo
    assert 100_000 <= mc.cumulative_recurring.p10 <= mc.cumulative_recurring.p50 <= 200_000
    assert mc.cumulative_recurring.p90 <= 200_000
    assert figures.risk.tornado[0].name == "CM-1"
    names = {b.name for b in figures.risk.tornado}
    assert {"Discount rate", "Optimism bias"} <= names


# --- baselines: computed where they exist, entered otherwise ----------------------------------------


def fake_layers(council: Council) -> dict[str, dict[str, Decimal]]:
    return {"customer-management": {"fte": D("50"), "cost": D("2000000")}}


def fake_spend(council: Council) -> dict[str, Decimal]:
    return {"Agency staff": D("3000000")}


def test_computed_baselines_win_over_entered_ones(council: Council) -> None:
    staff_baseline(council, "customer-management", "1000000")
    staff_baseline(council, "enabling-support", "700000")
    found = B.council_baselines(council, layer_baseline=fake_layers, spend_baseline=fake_spend)
    assert found.staff("customer-management").amount == D("2000000")
    assert found.staff("customer-management").source == B.ACTIVITY_SOURCE
    assert found.staff("enabling-support").amount == D("700000")
    assert found.staff("enabling-support").source == B.ENTERED_SOURCE
    assert found.spend("Agency staff").amount == D("3000000")
    assert found.has_activity and found.has_spend
    assert found.average_cost_per_fte == D("40000")


def test_with_no_survey_responses_the_entered_figures_are_used(council: Council) -> None:
    staff_baseline(council, "customer-management", "1000000")
    found = B.council_baselines(council, layer_baseline=lambda c: None, spend_baseline=lambda c: None)
    assert found.staff("customer-management").amount == D("1000000")
    assert not found.has_activity and not found.has_spend


def test_the_case_uses_a_baseline_when_one_is_provided(council: Council) -> None:
    case, _ = small_case(council)
    entered = selectors.case_figures(case, with_risk=False).shown.result
    found = B.council_baselines(council, layer_baseline=fake_layers, spend_baseline=fake_spend)
    computed = selectors.case_figures(case, baselines=found, with_risk=False).shown.result
    assert entered is not None and computed is not None
    assert computed.chosen_full_year == 2 * entered.chosen_full_year


def test_the_providers_are_found_only_when_their_modules_have_them(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    fake = types.ModuleType("wholecouncil.activity.selectors")
    monkeypatch.setitem(__import__("sys").modules, "wholecouncil.activity.selectors", fake)
    assert B.activity_provider() is None
    fake.layer_baseline = fake_layers  # type: ignore[attr-defined]
    assert B.activity_provider() is fake_layers
    monkeypatch.setitem(__import__("sys").modules, "wholecouncil.spend.selectors", None)
    assert B.spend_provider() is None
