"""The risk range of a case as the web app shows it: Monte Carlo and tornado, cached by the case's inputs.

A case page, its workbook and its document all show the same risk range; it is computed once for a given
set of inputs and kept in the Django cache under a hash of the engine's whole case (every opportunity,
phasing, cost and assumption) and the risk settings, so any edit gives a new key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from wholecouncil.cases import engine as E
from wholecouncil.cases.models import BusinessCase

RISK_ITERATIONS = 20_000
RISK_SEED = 20_25
CACHE_SECONDS = 24 * 3600
ZERO = Decimal(0)
# Default ranges for the tornado when finance has not entered its own: the discount rate 2 points either
# side of the case's (not below 0%), and optimism bias from none to twice the case's (at least 20 points up).
DISCOUNT_SPREAD = Decimal(2)
OPTIMISM_MIN_SPREAD = Decimal(20)


@dataclass(frozen=True)
class RiskRanges:
    """The ranges the tornado tries the discount rate and optimism bias over, and whether each is the
    product's default rather than finance's own."""

    discount_rate: tuple[Decimal, Decimal]
    optimism_bias: tuple[Decimal, Decimal]
    discount_rate_default: bool
    optimism_bias_default: bool


def risk_ranges(case: BusinessCase) -> RiskRanges:
    rate, bias = case.discount_rate_pct, case.optimism_bias_pct
    own_rate = case.discount_rate_low_pct is not None and case.discount_rate_high_pct is not None
    own_bias = case.optimism_bias_low_pct is not None and case.optimism_bias_high_pct is not None
    default_rate = (max(ZERO, rate - DISCOUNT_SPREAD), rate + DISCOUNT_SPREAD)
    default_bias = (ZERO, max(bias * 2, bias + OPTIMISM_MIN_SPREAD))
    return RiskRanges(
        discount_rate=(case.discount_rate_low_pct, case.discount_rate_high_pct) if own_rate else default_rate,  # type: ignore[arg-type]
        optimism_bias=(case.optimism_bias_low_pct, case.optimism_bias_high_pct) if own_bias else default_bias,  # type: ignore[arg-type]
        discount_rate_default=not own_rate,
        optimism_bias_default=not own_bias,
    )


def risk_settings(case: BusinessCase) -> E.RiskSettings:
    ranges = risk_ranges(case)
    return E.RiskSettings(
        distribution=E.Distribution(case.risk_distribution),
        discount_rate_pct_range=ranges.discount_rate,
        optimism_bias_pct_range=ranges.optimism_bias,
    )


@dataclass(frozen=True)
class RiskFigures:
    monte_carlo: E.MonteCarloResult
    tornado: tuple[E.TornadoBar, ...]


def cache_key(case: E.Case, settings: E.RiskSettings, iterations: int) -> str:
    inputs = repr((case, settings, iterations, RISK_SEED))
    return "cases:risk:" + hashlib.sha256(inputs.encode()).hexdigest()


def risk_of(result: E.CaseResult, settings: E.RiskSettings, iterations: int = RISK_ITERATIONS) -> RiskFigures:
    """Monte Carlo and tornado (with the discount rate and optimism bias bars) for a computed case."""
    key = cache_key(result.case, settings, iterations)
    found = cache.get(key)
    if isinstance(found, RiskFigures):
        return found
    model = E.build_model(result)
    mc = E.monte_carlo(model, iterations, seed=RISK_SEED, distribution=settings.distribution)
    figures = RiskFigures(mc, E.tornado(model, result, settings))
    cache.set(key, figures, timeout=CACHE_SECONDS)
    return figures
