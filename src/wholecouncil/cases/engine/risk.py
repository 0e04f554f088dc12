"""Risk range: Monte Carlo over the case's lines, and a tornado of the assumptions that move NPV most.

Each chosen opportunity is a line whose full-year saving runs from its low to its high point with its mode at
the case's chosen point; each cost line with a range is a line whose amounts are scaled by a factor from its
low % to its high % with its mode at 100%. Lines are drawn independently from a triangular or a PERT
(beta, lambda = 4) distribution. Everything else (phasing, discounting, optimism bias, the workforce rules)
is applied as in the case itself, in floating point.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from wholecouncil.cases.engine import sampling
from wholecouncil.cases.engine.errors import CaseError
from wholecouncil.cases.engine.profile import Case, CaseResult, compute_case

F64 = npt.NDArray[np.float64]
F32 = npt.NDArray[np.float32]
CHUNK_CELLS = 1 << 20


class Distribution(StrEnum):
    TRIANGULAR = "triangular"
    PERT = "pert"


@dataclass(frozen=True)
class RiskSettings:
    distribution: Distribution = Distribution.PERT
    discount_rate_pct_range: tuple[Decimal, Decimal] | None = None
    optimism_bias_pct_range: tuple[Decimal, Decimal] | None = None


@dataclass(frozen=True, eq=False)
class WorkforceTerms:
    capturable_leavers: F64  # by year
    redeployment: float  # fraction
    redundancy_cost: float


@dataclass(frozen=True, eq=False)
class RiskModel:
    """The case as linear algebra over its uncertain lines. Lines are opportunities then cost lines."""

    names: tuple[str, ...]
    kinds: tuple[str, ...]
    low: F64
    mode: F64
    high: F64
    benefit: F64  # lines x years: contribution of one unit of the line to cumulative recurring benefit
    posts: F64  # lines x years: contribution to the posts reduced that year (staff saving / cost per FTE)
    cost: F64  # lines x years: contribution to costs (uplifted)
    fixed_cost: F64  # years: costs with no range (uplifted), redundancy excluded
    discount: F64  # years: 1 / (1 + r)^t
    uplift: float
    workforce: WorkforceTerms | None

    def evaluate(self, values: F64) -> dict[str, F64]:
        """Figures for each row of `values` (scenarios x lines)."""
        cum = values @ self.benefit
        costs = values @ self.cost + self.fixed_cost
        if self.workforce is not None:
            costs = costs + self.redundancy(values @ self.posts)
        npv = (cum - costs) @ self.discount
        return {"cumulative_recurring": cum[:, -1], "benefit_over_period": cum.sum(axis=1), "npv": npv}

    def redundancy(self, posts_reduced: F64) -> F64:
        assert self.workforce is not None
        wf = self.workforce
        posts = np.maximum(posts_reduced, 0.0)
        remaining = np.maximum(posts - wf.capturable_leavers, 0.0)
        return remaining * (1.0 - wf.redeployment) * wf.redundancy_cost * self.uplift


def build_model(result: CaseResult) -> RiskModel:
    case = result.case
    n = case.years
    uplift = 1.0 + float(case.optimism_bias_pct) / 100.0
    names: list[str] = []
    kinds: list[str] = []
    low: list[float] = []
    mode: list[float] = []
    high: list[float] = []
    benefit: list[F64] = []
    posts: list[F64] = []
    cost: list[F64] = []
    zeros = np.zeros(n)
    wf = case.workforce
    average = float(wf.average_cost_per_fte) if wf is not None else 1.0
    for line in result.lines:
        names.append(line.opportunity.code)
        kinds.append("opportunity")
        low.append(float(line.range.low))
        mode.append(float(line.value))
        high.append(float(line.range.high))
        phasing = np.array([float(f) for f in line.phasing])
        benefit.append(np.cumsum(phasing))
        per_fte = float(line.cost_per_fte) if line.cost_per_fte else average
        posts.append(phasing * float(line.opportunity.staff_pct) / 100.0 / per_fte)
        cost.append(zeros)
    fixed = np.zeros(n)
    for kind, group in (("one-off cost", case.one_off_costs), ("recurring cost", case.recurring_costs)):
        for c in group:
            amounts = np.zeros(n)
            amounts[: min(n, len(c.amounts))] = [float(a) * uplift for a in c.amounts[:n]]
            if c.low_pct == c.high_pct:
                fixed += amounts * float(c.low_pct) / 100.0
                continue
            names.append(c.name)
            kinds.append(kind)
            low.append(float(c.low_pct) / 100.0)
            mode.append(1.0)
            high.append(float(c.high_pct) / 100.0)
            benefit.append(zeros)
            posts.append(zeros)
            cost.append(amounts)
    workforce: WorkforceTerms | None = None
    if wf is not None and wf.redundancy_in_costs:
        leavers = np.zeros(n)
        given = [float(t) * float(wf.turnover_capture_pct) / 100 for t in wf.turnover_fte[:n]]
        leavers[: len(given)] = given
        workforce = WorkforceTerms(
            capturable_leavers=leavers,
            redeployment=float(wf.redeployment_pct) / 100.0,
            redundancy_cost=float(wf.average_redundancy_cost),
        )
    rate = float(case.discount_rate_pct) / 100.0
    empty = np.zeros((0, n))
    return RiskModel(
        names=tuple(names),
        kinds=tuple(kinds),
        low=np.array(low),
        mode=np.array(mode),
        high=np.array(high),
        benefit=np.array(benefit) if benefit else empty,
        posts=np.array(posts) if posts else empty,
        cost=np.array(cost) if cost else empty,
        fixed_cost=fixed,
        discount=(1.0 + rate) ** -np.arange(n, dtype=np.float64),
        uplift=uplift,
        workforce=workforce,
    )


def shapes(model: RiskModel) -> F64:
    """Where each line's mode sits in its range, from 0 (at low) to 1 (at high); 0.5 for a fixed line."""
    span = model.high - model.low
    safe = np.where(span > 0, span, 1.0)
    return np.clip(np.where(span > 0, (model.mode - model.low) / safe, 0.5), 0.0, 1.0)


def quantile_tables(model: RiskModel, distribution: Distribution) -> F32:
    if distribution is Distribution.TRIANGULAR:
        return sampling.triangular_tables(shapes(model))
    return sampling.pert_tables(shapes(model))


@dataclass(frozen=True)
class Percentiles:
    p10: float
    p50: float
    p90: float


@dataclass(frozen=True)
class MonteCarloResult:
    iterations: int
    seed: int
    distribution: Distribution
    cumulative_recurring: Percentiles
    benefit_over_period: Percentiles
    npv: Percentiles


def _check(model: RiskModel) -> None:
    if np.any(model.low > model.mode) or np.any(model.mode > model.high):
        bad = [
            n
            for n, lo, m, hi in zip(model.names, model.low, model.mode, model.high, strict=True)
            if not lo <= m <= hi
        ]
        raise CaseError(f"Risk lines with a mode outside their range: {', '.join(bad)}.")


def monte_carlo(
    model: RiskModel,
    iterations: int,
    seed: int,
    distribution: Distribution = Distribution.PERT,
    workers: int | None = None,
) -> MonteCarloResult:
    """Seeded and reproducible: the same seed gives the same answer whatever the number of workers."""
    if iterations < 1:
        raise CaseError("Monte Carlo needs at least one iteration.")
    _check(model)
    tables = quantile_tables(model, distribution)
    span = model.high - model.low
    n_lines = len(model.names)
    # every output is linear in the lines except the redundancy cost, so each line needs only its weight in
    # NPV (benefit and cost), in the final cumulative benefit, in the benefit over the period, and (for the
    # redundancy rule) in each year's posts reduced
    columns = [
        model.benefit @ model.discount - model.cost @ model.discount,
        model.benefit[:, -1],
        model.benefit.sum(axis=1),
    ]
    if model.workforce is not None:
        columns += list(model.posts.T)
    linear = np.stack(columns, axis=1) if n_lines else np.zeros((0, len(columns)))
    weights = np.ascontiguousarray((span[:, None] * linear).T, dtype=np.float32)  # outputs x lines
    base = model.low @ linear
    fixed_npv = float(model.fixed_cost @ model.discount)
    rows = max(64, CHUNK_CELLS // max(n_lines, 1))
    starts = list(range(0, iterations, rows))
    seeds = np.random.SeedSequence(seed).spawn(len(starts))
    out = {k: np.empty(iterations) for k in ("cumulative_recurring", "benefit_over_period", "npv")}

    def run(i: int) -> None:
        start = starts[i]
        size = min(rows, iterations - start)
        if n_lines:
            drawn = sampling.draw(tables, np.random.PCG64(seeds[i]), size)
            # einsum without optimisation does not call BLAS, whose own threads would compete with these
            flows = np.einsum("kl,lr->rk", weights, drawn).astype(np.float64)
            flows += base
        else:
            flows = np.broadcast_to(base, (size, base.size)).copy()
        npv = flows[:, 0] - fixed_npv
        if model.workforce is not None:
            npv -= model.redundancy(flows[:, 3:]) @ model.discount
        out["npv"][start : start + size] = npv
        out["cumulative_recurring"][start : start + size] = flows[:, 1]
        out["benefit_over_period"][start : start + size] = flows[:, 2]

    count = workers or min(2, os.cpu_count() or 1)
    if count == 1 or len(starts) == 1:
        for i in range(len(starts)):
            run(i)
    else:
        with ThreadPoolExecutor(max_workers=count) as pool:
            list(pool.map(run, range(len(starts))))

    def pct(values: F64) -> Percentiles:
        p10, p50, p90 = np.percentile(values, [10, 50, 90])
        return Percentiles(float(p10), float(p50), float(p90))

    return MonteCarloResult(
        iterations=iterations,
        seed=seed,
        distribution=distribution,
        cumulative_recurring=pct(out["cumulative_recurring"]),
        benefit_over_period=pct(out["benefit_over_period"]),
        npv=pct(out["npv"]),
    )


@dataclass(frozen=True)
class TornadoBar:
    name: str
    kind: str
    npv_low: float
    npv_high: float

    @property
    def swing(self) -> float:
        return abs(self.npv_high - self.npv_low)


def tornado(
    model: RiskModel, result: CaseResult | None = None, settings: RiskSettings | None = None
) -> tuple[TornadoBar, ...]:
    """NPV with each assumption at its low then its high point, every other at its mode; largest swing first.

    Global assumptions (discount rate, optimism bias) are included when `settings` gives them a range.
    """
    _check(model)
    n = len(model.names)
    bars: list[TornadoBar] = []
    if n:
        scenarios = np.tile(model.mode, (2 * n, 1))
        idx = np.arange(n)
        scenarios[idx, idx] = model.low
        scenarios[n + idx, idx] = model.high
        npv = model.evaluate(scenarios)["npv"]
        bars += [
            TornadoBar(model.names[i], model.kinds[i], float(npv[i]), float(npv[n + i])) for i in range(n)
        ]
    if settings is not None and result is not None:
        bars += _global_bars(result, settings)
    return tuple(sorted(bars, key=lambda b: b.swing, reverse=True))


def _global_bars(result: CaseResult, settings: RiskSettings) -> list[TornadoBar]:
    bars: list[TornadoBar] = []
    case: Case = result.case
    specs: Sequence[tuple[str, str, tuple[Decimal, Decimal] | None]] = (
        ("Discount rate", "discount_rate_pct", settings.discount_rate_pct_range),
        ("Optimism bias", "optimism_bias_pct", settings.optimism_bias_pct_range),
    )
    for label, attr, rng in specs:
        if rng is None:
            continue
        npvs = []
        for value in rng:
            changed = (
                replace(case, discount_rate_pct=value)
                if attr == "discount_rate_pct"
                else replace(case, optimism_bias_pct=value)
            )
            model = build_model(compute_case(changed))
            npvs.append(float(model.evaluate(model.mode[None, :])["npv"][0]))
        bars.append(TornadoBar(label, "assumption", npvs[0], npvs[1]))
    return bars
