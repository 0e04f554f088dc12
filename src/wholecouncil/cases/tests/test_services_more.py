"""Refusing double counting on every path, releases, custom points, illustrative defaults, the cached risk
range and the cost of a post per layer."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache

from wholecouncil.cases import defaults, release_services, risk_figures, selectors, services
from wholecouncil.cases import engine as E
from wholecouncil.cases.models import BaselineFigure, Opportunity, Release
from wholecouncil.cases.tests.factories import layer, lever, pct_opportunity, small_case, staff_baseline
from wholecouncil.council.models import AuditEvent, Council

pytestmark = pytest.mark.django_db
D = Decimal


def _amount_opportunity(council: Council, code: str, high: str, **extra: Any) -> Opportunity:
    return services.opportunity_create(
        council=council,
        actor=None,
        code=code,
        name=f"Amount {code}",
        layer=layer(council, "customer-management"),
        lever=lever(council, "ways-of-working"),
        basis=Opportunity.Basis.ACTIVITY,
        saving=Opportunity.Saving.AMOUNT,
        low_amount=D(0),
        high_amount=D(high),
        **extra,
    )


def test_percentage_claims_are_checked_before_the_baseline_has_a_figure(council: Council) -> None:
    pct_opportunity(council, "CM-1", "30", "60")
    assert not BaselineFigure.objects.exists()
    with pytest.raises(services.CaseInputError) as caught:
        pct_opportunity(council, "CM-2", "20", "50", lever_code="ways-of-working")
    message = str(caught.value)
    assert "CM-1 (60%), CM-2 (50%) together claim 110%" in message
    assert "no figure yet" in message and "£0.00" not in message
    assert caught.value.field == "high_pct"
    assert not Opportunity.objects.filter(code="CM-2").exists()
    # and the same on a change of an existing opportunity
    other = pct_opportunity(council, "CM-3", "10", "30", lever_code="ways-of-working")
    with pytest.raises(services.CaseInputError, match="CM-1 \\(60%\\), CM-3 \\(45%\\) together claim 105%"):
        services.opportunity_update(opportunity=other, actor=None, high_pct=D(45))


def test_shrinking_a_baseline_under_its_claims_is_refused_naming_them(council: Council) -> None:
    staff_baseline(council, "customer-management", "1000000")
    _amount_opportunity(council, "CM-A", "600000")
    pct_opportunity(council, "CM-B", "10", "40")
    with pytest.raises(services.CaseInputError) as caught:
        staff_baseline(council, "customer-management", "800000")
    assert "CM-A (75%), CM-B (40%) together claim 115%" in str(caught.value)
    assert caught.value.field == "amount"
    assert BaselineFigure.objects.get(council=council).amount == D("1000000")
    assert not AuditEvent.objects.filter(council=council, action="case_baseline.update").exists()
    staff_baseline(council, "customer-management", "1200000")  # a larger figure is fine
    assert BaselineFigure.objects.get(council=council).amount == D("1200000")


def test_entering_a_first_baseline_that_entered_claims_exceed_is_refused(council: Council) -> None:
    _amount_opportunity(council, "CM-A", "600000")
    with pytest.raises(services.CaseInputError, match="CM-A \\(120%\\) together claim 120%"):
        staff_baseline(council, "customer-management", "500000")
    assert not BaselineFigure.objects.exists()


def test_a_custom_point_outside_its_range_is_refused_at_save(council: Council) -> None:
    _, option = small_case(council)  # CM-1 runs from £100,000 to £200,000
    line = option.lines.get()
    with pytest.raises(
        services.CaseInputError, match=r"CM-1: the custom amount £250,000\.00 is outside its range"
    ):
        services.option_lines_set(
            option=option,
            lines=[services.LineInput(line.opportunity, [D(1)], "custom", D(250_000))],
            actor=None,
        )
    services.option_lines_set(
        option=option, lines=[services.LineInput(line.opportunity, [D(1)], "custom", D(180_000))], actor=None
    )
    assert option.lines.get().custom_amount == D(180_000)
    services.option_lines_set(option=option, lines=[services.LineInput(line.opportunity, [D(1)])], actor=None)
    with pytest.raises(services.CaseInputError, match="CM-1: a custom point needs an amount"):
        services.option_update(option=option, actor=None, point="custom")


def _releases(case: Any) -> tuple[Release, Release]:
    r1 = release_services.release_create(
        case=case, code="R1", name="Release 1: digital front door", go_live_year=2026, actor=None
    )
    r2 = release_services.release_create(
        case=case, code="R2", name="Release 2: one assessment", go_live_year=2027, actor=None
    )
    return r1, r2


def test_an_option_phased_by_release(council: Council) -> None:
    case, option = small_case(council)
    r1, r2 = _releases(case)
    opp = option.lines.get().opportunity
    services.option_lines_set(
        option=option,
        lines=[services.LineInput(opp, [], release_shares={r1: D(40), r2: D(60)})],
        actor=None,
    )
    stored = option.lines.get()
    assert stored.phasing == [] and stored.release_shares == {str(r1.pk): "40", str(r2.pk): "60"}
    result = selectors.case_figures(case, with_risk=False).shown.result
    assert result is not None
    # mid £150,000: 40% (£60,000) in 2026/27 when R1 goes live, 60% (£90,000) in 2027/28
    assert [y.recurring_in_year for y in result.years] == [D(0), D(60_000), D(90_000)]
    assert result.lines[0].release_shares == (("R1", D(40)), ("R2", D(60)))
    assert AuditEvent.objects.filter(council=council, action="case_release.create").count() == 2


def test_release_shares_must_total_100_and_not_mix_with_years(council: Council) -> None:
    case, option = small_case(council)
    r1, r2 = _releases(case)
    opp = option.lines.get().opportunity
    with pytest.raises(
        services.CaseInputError, match="CM-1: the release shares add up to 90%; they must total"
    ):
        services.option_lines_set(
            option=option,
            lines=[services.LineInput(opp, [], release_shares={r1: D(40), r2: D(50)})],
            actor=None,
        )
    with pytest.raises(services.CaseInputError, match="CM-1: phase it by year or by release, not both"):
        services.option_lines_set(
            option=option,
            lines=[services.LineInput(opp, [D("0.5")], release_shares={r1: D(100)})],
            actor=None,
        )


def test_releases_stay_within_the_case_and_in_use_cannot_go(council: Council) -> None:
    case, option = small_case(council)
    with pytest.raises(services.CaseInputError, match="within the case's years, 2025/26 to 2027/28"):
        release_services.release_create(case=case, code="R9", name="Late", go_live_year=2030, actor=None)
    r1, _ = _releases(case)
    opp = option.lines.get().opportunity
    services.option_lines_set(
        option=option, lines=[services.LineInput(opp, [], release_shares={r1: D(100)})], actor=None
    )
    with pytest.raises(services.CaseInputError, match="R1 delivers part of Preferred: CM-1"):
        release_services.release_delete(release=r1, actor=None)
    with pytest.raises(services.CaseInputError, match="Releases R2 would go live outside the case's years"):
        services.case_update(case=case, actor=None, years=2)


def test_the_illustrative_defaults_are_labelled_sourced_and_audited(council: Council) -> None:
    pct_opportunity(council, "CM-1", "10", "20")  # customer management x automation is taken already
    made = defaults.opportunities_add_defaults(council=council, actor=None)
    seven_layer = [d for d in defaults.DEFAULTS if layer_exists(council, d.layer)]
    assert len(made) == len(seven_layer) - 1
    assert all(o.illustrative for o in made)
    assert all("replace it with the council's own evidence" in o.source for o in made)
    assert all(o.rationale.startswith("Illustrative default") for o in made)
    assert not any(
        o.layer.code == "customer-management" and o.lever.code == "automation-technology" for o in made
    )
    audited = AuditEvent.objects.filter(council=council, action="opportunity.create").count()
    assert audited == len(made) + 1
    assert defaults.opportunities_add_defaults(council=council, actor=None) == []


def layer_exists(council: Council, code: str) -> bool:
    return council.layers.filter(code=code).exists()


def test_built_in_assumptions_are_illustrative_until_set(council: Council) -> None:
    case, _ = small_case(council)
    assert case.illustrative_defaults == ["turnover_capture_pct", "redeployment_pct"]
    same = services.case_update(case=case, actor=None, turnover_capture_pct=D(100), redeployment_pct=D(0))
    assert same.illustrative_defaults == ["turnover_capture_pct", "redeployment_pct"]
    changed = services.case_update(case=case, actor=None, redeployment_pct=D(20))
    assert changed.illustrative_defaults == ["turnover_capture_pct"]
    confirmed = services.case_update(case=case, actor=None, confirm_defaults=True)
    assert confirmed.illustrative_defaults == []
    event = AuditEvent.objects.filter(council=council, action="business_case.update").latest("id")
    assert event.before["illustrative_defaults"] == ["turnover_capture_pct"]  # type: ignore[index]


def test_the_risk_range_is_computed_once_per_set_of_inputs(
    council: Council, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, option = small_case(council)
    cache.clear()  # another test may have computed this same small case already
    calls: list[int] = []
    real = E.monte_carlo

    def counting(*args: Any, **kwargs: Any) -> E.MonteCarloResult:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(risk_figures.E, "monte_carlo", counting)
    first = selectors.case_figures(case).risk
    again = selectors.case_figures(case).risk
    assert len(calls) == 1 and first == again
    opp = option.lines.get().opportunity
    services.opportunity_update(opportunity=opp, actor=None, high_pct=D(30))
    changed = selectors.case_figures(case).risk
    assert len(calls) == 2 and changed != first
    case = services.case_update(
        case=case, actor=None, optimism_bias_high_pct=D(50), optimism_bias_low_pct=D(5)
    )
    bars = {b.name: b for b in selectors.case_figures(case).risk.tornado}  # type: ignore[union-attr]
    assert len(calls) == 3
    result = selectors.case_figures(case, with_risk=False).shown.result  # type: ignore[union-attr]
    assert result is not None
    at_50 = E.compute_case(dataclasses.replace(result.case, optimism_bias_pct=D(50))).npv
    assert bars["Optimism bias"].npv_high == pytest.approx(float(at_50), abs=0.01)


def test_posts_are_counted_at_the_layers_own_cost(council: Council) -> None:
    case, _ = small_case(council)  # customer management: £1,000,000 for 25 FTE, £40,000 a post
    staff_baseline(council, "enabling-support", "3000000", fte="50")  # £60,000 a post
    services.case_update(case=case, actor=None, turnover_fte=["0", "0", "0"])
    figures = selectors.case_figures(case, with_risk=False)
    assert figures.average_cost == D(4_000_000) / D(75)
    result = figures.shown.result
    assert result is not None and result.lines[0].cost_per_fte == D(40_000)
    # year 2: £75,000 of staff saving / £40,000 = 1.875 posts (not £75,000 / the £53,333 average)
    w = result.years[1].workforce
    assert w is not None and w.posts_reduced == D("1.875")
