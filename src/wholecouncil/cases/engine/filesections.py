"""Sections of the case file other than the opportunities and the chosen lines: baseline pots, releases,
costs, workforce and risk. Each reads its part with a FieldReader, recording problems by field path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wholecouncil.cases.engine.money import HUNDRED, ONE, ZERO
from wholecouncil.cases.engine.opportunities import BaselinePot, PotKind
from wholecouncil.cases.engine.profile import CostLine, CostType
from wholecouncil.cases.engine.reading import FieldReader
from wholecouncil.cases.engine.releases import Release
from wholecouncil.cases.engine.risk import Distribution, RiskSettings
from wholecouncil.cases.engine.workforce import WorkforceAssumptions
from wholecouncil.council.engine import FinancialYear


def pots_section(r: FieldReader, value: Any) -> tuple[BaselinePot, ...]:
    pots: list[BaselinePot] = []
    seen: set[str] = set()
    for i, item in enumerate(r.items(value, "baseline_pots")):
        path = f"baseline_pots[{i}]"
        m = r.mapping(item, path, ("code", "name", "amount", "kind", "fte"), ("code", "amount"))
        if m is None:
            continue
        code = r.text(m.get("code"), f"{path}.code")
        if code in seen:
            r.fail(f"{path}.code", f"'{code}' is used by an earlier baseline pot")
        seen.add(code)
        amount = r.number(m.get("amount"), f"{path}.amount", low=ZERO)
        kind = r.choice(m.get("kind"), f"{path}.kind", PotKind, tuple(PotKind)) or PotKind.OTHER
        fte = r.number(m.get("fte"), f"{path}.fte", low=ZERO)
        if fte is not None and kind is not PotKind.STAFF:
            r.fail(f"{path}.fte", "is used only with kind: staff")
        if code and amount is not None:
            name = r.text(m.get("name"), f"{path}.name") or code
            pots.append(BaselinePot(code, name, amount, kind, fte or None))
    return tuple(pots)


def releases_section(
    r: FieldReader, value: Any, first: FinancialYear | None, years: int
) -> tuple[Release, ...]:
    out: list[Release] = []
    seen: set[str] = set()
    for i, item in enumerate(r.items(value, "releases")):
        path = f"releases[{i}]"
        m = r.mapping(item, path, ("code", "name", "go_live"), ("code", "go_live"))
        if m is None:
            continue
        code = r.text(m.get("code"), f"{path}.code")
        if code in seen:
            r.fail(f"{path}.code", f"'{code}' is used by an earlier release")
        seen.add(code)
        go_live = r.year(m["go_live"], f"{path}.go_live") if m.get("go_live") is not None else None
        if go_live is None or first is None or not code:
            continue
        index = go_live.start_year - first.start_year
        if not 0 <= index < years:
            r.fail(f"{path}.go_live", f"is outside the case's years {first} to {first + (years - 1)}")
            continue
        out.append(Release(code, r.text(m.get("name"), f"{path}.name") or code, go_live))
    return tuple(out)


def costs_section(
    r: FieldReader, value: Any, where: str, first: FinancialYear | None, years: int, *, one_off: bool
) -> tuple[CostLine, ...]:
    fields = ("name", "type", "amounts", "range_pct") if one_off else ("name", "amounts", "range_pct")
    out: list[CostLine] = []
    for i, item in enumerate(r.items(value, where)):
        path = f"{where}[{i}]"
        m = r.mapping(item, path, fields, ("name", "amounts", "type") if one_off else ("name", "amounts"))
        if m is None:
            continue
        kind = r.choice(m.get("type"), f"{path}.type", CostType, tuple(CostType)) if one_off else None
        amounts = r.by_year(m.get("amounts"), f"{path}.amounts", first, years)
        rng = r.pct_range(m.get("range_pct"), f"{path}.range_pct", pivot=HUNDRED) or (HUNDRED, HUNDRED)
        out.append(CostLine(r.text(m.get("name"), f"{path}.name"), amounts, kind, rng[0], rng[1]))
    return tuple(out)


WORKFORCE_FIELDS = (
    "average_cost_per_fte", "turnover_fte", "turnover_capture_pct", "redeployment_pct",
    "average_redundancy_cost", "redundancy_in_costs",
)  # fmt: skip


def workforce_section(
    r: FieldReader, value: Any, first: FinancialYear | None, years: int
) -> WorkforceAssumptions | None:
    if value is None:
        return None
    m = r.mapping(value, "workforce", WORKFORCE_FIELDS, ("average_cost_per_fte",))
    if m is None:
        return None
    per_fte = r.number(m.get("average_cost_per_fte"), "workforce.average_cost_per_fte", low=ZERO)
    if per_fte is not None and per_fte == 0:
        r.fail("workforce.average_cost_per_fte", "must be more than 0")
    flag = m.get("redundancy_in_costs", True)
    if not isinstance(flag, bool):
        r.fail("workforce.redundancy_in_costs", "must be true or false")

    def pct(key: str, default: Decimal) -> Decimal:
        found = r.number(m.get(key), f"workforce.{key}", low=ZERO, high=HUNDRED)
        return default if found is None else found

    return WorkforceAssumptions(
        average_cost_per_fte=per_fte or ONE,
        turnover_fte=r.by_year(m.get("turnover_fte"), "workforce.turnover_fte", first, years),
        turnover_capture_pct=pct("turnover_capture_pct", HUNDRED),
        redeployment_pct=pct("redeployment_pct", ZERO),
        average_redundancy_cost=r.number(
            m.get("average_redundancy_cost"), "workforce.average_redundancy_cost", low=ZERO
        )
        or ZERO,
        redundancy_in_costs=bool(flag),
    )


def risk_section(r: FieldReader, value: Any) -> RiskSettings:
    if value is None:
        return RiskSettings()
    m = r.mapping(value, "risk", ("distribution", "discount_rate_pct_range", "optimism_bias_pct_range"))
    if m is None:
        return RiskSettings()
    return RiskSettings(
        distribution=r.choice(m.get("distribution"), "risk.distribution", Distribution, tuple(Distribution))
        or Distribution.PERT,
        discount_rate_pct_range=r.pct_range(m.get("discount_rate_pct_range"), "risk.discount_rate_pct_range"),
        optimism_bias_pct_range=r.pct_range(m.get("optimism_bias_pct_range"), "risk.optimism_bias_pct_range"),
    )
