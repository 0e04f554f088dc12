"""The case file: a business case written as YAML or JSON, read into engine values with errors by field path.

Every problem found is reported, each as "FILE: PATH: message", where PATH names the field the way the file
is written: `opportunities[2].low_pct` (lists count from 0), `chosen[0].phasing[2026/27]`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from wholecouncil.cases.engine.errors import CaseError, OverlapError
from wholecouncil.cases.engine.filesections import (
    costs_section,
    pots_section,
    releases_section,
    risk_section,
    workforce_section,
)
from wholecouncil.cases.engine.money import HUNDRED, ONE, ZERO, pennies, total
from wholecouncil.cases.engine.opportunities import (
    BaselinePot,
    Opportunity,
    PotKind,
    check_overlaps,
    size_opportunity,
)
from wholecouncil.cases.engine.profile import GREEN_BOOK_RATE_PCT, Case, ChosenOpportunity, CostType, Point
from wholecouncil.cases.engine.reading import FieldReader
from wholecouncil.cases.engine.releases import Release
from wholecouncil.cases.engine.risk import RiskSettings
from wholecouncil.council.engine import FinancialYear

MAX_YEARS = 30
TOP_LEVEL = (
    "case",
    "mtfp_gap",
    "baseline_pots",
    "releases",
    "opportunities",
    "chosen",
    "one_off_costs",
    "recurring_costs",
    "workforce",
    "risk",
)


class CaseFileError(CaseError):
    def __init__(self, file: str, problems: list[tuple[str, str]]) -> None:
        self.file = file
        self.problems = problems
        super().__init__(
            "\n".join(f"{file}: {path}: {msg}" if path else f"{file}: {msg}" for path, msg in problems)
        )


@dataclass(frozen=True)
class CaseFile:
    case: Case
    risk: RiskSettings
    council: str = ""


def load_case(path: Path) -> CaseFile:
    """Read a .yaml, .yml or .json case file."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise CaseFileError(name, [("", "no such file")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseFileError(name, [("", f"cannot be read ({exc})")]) from exc
    return parse_case_text(text, name)


def parse_case_text(text: str, name: str) -> CaseFile:
    try:
        data = json.loads(text) if name.lower().endswith(".json") else yaml.safe_load(text)
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            name, [("", f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})")]
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CaseFileError(name, [("", f"{where}not valid YAML ({problem})")]) from exc
    return parse_case(data, name)


def parse_case(data: Any, name: str) -> CaseFile:
    r = FieldReader()
    top = r.mapping(data, "", TOP_LEVEL, ("case", "opportunities", "chosen"))
    if top is None:
        raise CaseFileError(name, r.problems)
    head = (
        r.mapping(
            top.get("case") or {},
            "case",
            ("name", "council", "first_year", "years", "point", "discount_rate_pct", "optimism_bias_pct"),
            ("name", "first_year", "years"),
        )
        or {}
    )
    first = r.year(head["first_year"], "case.first_year") if head.get("first_year") is not None else None
    years = 1
    if head.get("years") is not None:
        n = r.number(head["years"], "case.years", low=ONE, high=Decimal(MAX_YEARS))
        if n is not None and n != n.to_integral_value():
            r.fail("case.years", f"must be a whole number of years (it is {n})")
        years = int(n) if n is not None else 1
    point = r.choice(head.get("point"), "case.point", Point, tuple(Point)) or Point.MID
    pots = pots_section(r, top.get("baseline_pots"))
    opportunities = _opportunities(r, top.get("opportunities"), {p.code: p for p in pots})
    releases = releases_section(r, top.get("releases"), first, years)
    chosen = _chosen(r, top.get("chosen"), opportunities, pots, (first, years, releases))
    one_off = costs_section(r, top.get("one_off_costs"), "one_off_costs", first, years, one_off=True)
    recurring = costs_section(r, top.get("recurring_costs"), "recurring_costs", first, years, one_off=False)
    workforce = workforce_section(r, top.get("workforce"), first, years)
    if workforce is not None and workforce.redundancy_in_costs:
        for i, c in enumerate(one_off):
            if c.kind is CostType.REDUNDANCY:
                r.fail(
                    f"one_off_costs[{i}].type",
                    "redundancy costs are worked out from the workforce impact; remove this cost or set "
                    "workforce.redundancy_in_costs to false",
                )
    risk = risk_section(r, top.get("risk"))
    case = Case(
        name=r.text(head.get("name"), "case.name"),
        first_year=first or FinancialYear(2000),
        years=years,
        pots=pots,
        opportunities=opportunities,
        chosen=chosen,
        point=point,
        one_off_costs=one_off,
        recurring_costs=recurring,
        optimism_bias_pct=r.number(head.get("optimism_bias_pct"), "case.optimism_bias_pct", low=ZERO) or ZERO,
        discount_rate_pct=_rate(r, head.get("discount_rate_pct")),
        mtfp_gap=r.by_year(top.get("mtfp_gap"), "mtfp_gap", first, years),
        workforce=workforce,
        releases=releases,
    )
    if r.problems:
        raise CaseFileError(name, r.problems)
    return CaseFile(case=case, risk=risk, council=r.text(head.get("council"), "case.council"))


def _rate(r: FieldReader, value: Any) -> Decimal:
    if value is None:
        return GREEN_BOOK_RATE_PCT
    return r.number(value, "case.discount_rate_pct", low=Decimal(-50), high=HUNDRED) or ZERO


OPPORTUNITY_FIELDS = (
    "code", "name", "layer", "lever", "pot", "baseline", "low_pct", "high_pct", "low_amount", "high_amount",
    "staff_pct", "rationale", "source", "illustrative",
)  # fmt: skip


def _opportunities(r: FieldReader, value: Any, pots: dict[str, BaselinePot]) -> tuple[Opportunity, ...]:
    out: list[tuple[str, Opportunity]] = []
    seen: set[str] = set()
    for i, item in enumerate(r.items(value, "opportunities")):
        path = f"opportunities[{i}]"
        m = r.mapping(item, path, OPPORTUNITY_FIELDS, ("code", "layer", "lever"))
        if m is None:
            continue
        opp = _opportunity(r, m, path, pots)
        if opp is None:
            continue
        if opp.code in seen:
            r.fail(f"{path}.code", f"'{opp.code}' is used by an earlier opportunity")
        seen.add(opp.code)
        out.append((path, opp))
    try:
        check_overlaps((o for _, o in out), pots)
    except OverlapError as exc:
        paths = [p for p, o in out if o.code in exc.codes]
        r.fail(", ".join(paths), str(exc))
    return tuple(o for _, o in out)


def _opportunity(
    r: FieldReader, m: dict[str, Any], path: str, pots: dict[str, BaselinePot]
) -> Opportunity | None:
    before = len(r.problems)
    code = r.text(m.get("code"), f"{path}.code")
    pct = [r.number(m.get(k), f"{path}.{k}", low=ZERO, high=HUNDRED) for k in ("low_pct", "high_pct")]
    amt = [r.number(m.get(k), f"{path}.{k}", low=ZERO) for k in ("low_amount", "high_amount")]
    has_pct = m.get("low_pct") is not None or m.get("high_pct") is not None
    has_amt = m.get("low_amount") is not None or m.get("high_amount") is not None
    if has_pct == has_amt:
        r.fail(
            path,
            "give low_pct and high_pct (percent of the baseline), or low_amount and high_amount, not both",
        )
    for pair, names in ((pct, ("low_pct", "high_pct")), (amt, ("low_amount", "high_amount"))):
        given = [m.get(k) is not None for k in names]
        if any(given) and not all(given):
            missing = names[given.index(False)]
            r.fail(f"{path}.{missing}", f"is required with {names[given.index(True)]}")
        elif pair[0] is not None and pair[1] is not None and pair[0] > pair[1]:
            r.fail(f"{path}.{names[0]}", f"must not be more than {names[1]} ({pair[0]} > {pair[1]})")
    pot_code = r.text(m.get("pot"), f"{path}.pot") or None
    baseline = r.number(m.get("baseline"), f"{path}.baseline", low=ZERO)
    if pot_code is not None and pot_code not in pots:
        known = ", ".join(pots) or "none are defined"
        r.fail(f"{path}.pot", f"there is no baseline pot '{pot_code}' (the pots are: {known})")
    if pot_code is not None and m.get("baseline") is not None:
        r.fail(f"{path}.baseline", "give a baseline amount or a baseline pot, not both")
    if has_pct and pot_code is None and m.get("baseline") is None:
        r.fail(path, "a percentage saving needs a baseline (pounds) or a pot")
    default_staff = HUNDRED if pot_code in pots and pots[pot_code].kind is PotKind.STAFF else ZERO
    staff = r.number(m.get("staff_pct"), f"{path}.staff_pct", low=ZERO, high=HUNDRED)
    illustrative = m.get("illustrative", False)
    if not isinstance(illustrative, bool):
        r.fail(f"{path}.illustrative", "must be true or false")
    if len(r.problems) > before:
        return None
    return Opportunity(
        code=code,
        name=r.text(m.get("name"), f"{path}.name") or code,
        layer=r.text(m.get("layer"), f"{path}.layer"),
        lever=r.text(m.get("lever"), f"{path}.lever"),
        low_pct=pct[0],
        high_pct=pct[1],
        low_amount=amt[0],
        high_amount=amt[1],
        baseline=baseline,
        pot=pot_code,
        staff_pct=default_staff if staff is None else staff,
        rationale=r.text(m.get("rationale"), f"{path}.rationale"),
        source=r.text(m.get("source"), f"{path}.source"),
        illustrative=bool(illustrative),
    )


def _chosen(
    r: FieldReader,
    value: Any,
    opportunities: tuple[Opportunity, ...],
    pots: tuple[BaselinePot, ...],
    span: tuple[FinancialYear | None, int, tuple[Release, ...]],
) -> tuple[ChosenOpportunity, ...]:
    first, years, releases = span
    by_code = {o.code: o for o in opportunities}
    pot_map = {p.code: p for p in pots}
    out: list[ChosenOpportunity] = []
    seen: set[str] = set()
    for i, item in enumerate(r.items(value, "chosen")):
        path = f"chosen[{i}]"
        m = r.mapping(item, path, ("opportunity", "phasing", "releases", "point", "amount"), ("opportunity",))
        if m is None:
            continue
        if (m.get("phasing") is None) == (m.get("releases") is None):
            r.fail(path, "give phasing (fractions by year) or releases (shares by release), not both")
        code = r.text(m.get("opportunity"), f"{path}.opportunity")
        if code and code not in by_code:
            r.fail(f"{path}.opportunity", f"there is no opportunity '{code}' (or it has errors above)")
        if code in seen:
            r.fail(f"{path}.opportunity", f"'{code}' is chosen more than once")
        seen.add(code)
        phasing = r.by_year(m.get("phasing"), f"{path}.phasing", first, years, high=ONE)
        if total(phasing) > ONE:
            r.fail(f"{path}.phasing", f"adds up to {total(phasing)}; the fractions may add up to at most 1")
        point = r.choice(m.get("point"), f"{path}.point", Point, tuple(Point))
        amount = r.number(m.get("amount"), f"{path}.amount", low=ZERO)
        if point is Point.CUSTOM and amount is None and m.get("amount") is None:
            r.fail(f"{path}.amount", "is required when the point is custom")
        if m.get("amount") is not None and point is not Point.CUSTOM:
            r.fail(f"{path}.amount", "is used only with point: custom")
        if point is Point.CUSTOM and amount is not None and code in by_code:
            rng = size_opportunity(by_code[code], pot_map)
            if not rng.low <= amount <= rng.high:
                r.fail(
                    f"{path}.amount",
                    f"must be within the opportunity's range {pennies(rng.low)} to {pennies(rng.high)} "
                    f"(it is {amount})",
                )
        shares = _shares(r, m.get("releases"), f"{path}.releases", releases)
        out.append(ChosenOpportunity(code, phasing, point, amount, shares))
    return tuple(out)


def _shares(
    r: FieldReader, value: Any, path: str, releases: tuple[Release, ...]
) -> tuple[tuple[str, Decimal], ...]:
    """Shares (percent) of the full-year saving each release delivers: {R1: 40, R2: 60}, totalling 100."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        r.fail(path, "must be a mapping of release code to share, such as {R1: 40, R2: 60}")
        return ()
    known = {rel.code for rel in releases}
    out: list[tuple[str, Decimal]] = []
    for key, v in value.items():
        code = str(key)
        if code not in known:
            r.fail(
                f"{path}[{code}]",
                f"there is no release '{code}' (the releases are: {', '.join(known) or 'none'})",
            )
            continue
        share = r.number(v, f"{path}[{code}]", low=ZERO, high=HUNDRED)
        if share is not None:
            out.append((code, share))
    summed = total(s for _, s in out)
    if out and summed != HUNDRED:
        r.fail(path, f"adds up to {summed}%; the shares of the releases must total 100%")
    return tuple(out)
