from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from wholecouncil.cases.engine import (
    CaseError,
    ChosenOpportunity,
    CostLine,
    CostType,
    Distribution,
    build_model,
    compute_case,
    monte_carlo,
    sampling,
    tornado,
)
from wholecouncil.cases.engine.fileformat import load_case
from wholecouncil.cases.engine.risk import quantile_tables
from wholecouncil.cases.tests.helpers import entered, seed_profile_case
from wholecouncil.cases.tests.test_fileformat import EXAMPLE

D = Decimal


def test_mode_model_reproduces_the_case() -> None:
    result = compute_case(load_case(EXAMPLE).case)
    model = build_model(result)
    figures = model.evaluate(model.mode[None, :])
    assert figures["npv"][0] == pytest.approx(float(result.npv), abs=1.0)
    assert figures["cumulative_recurring"][0] == pytest.approx(
        float(result.final_cumulative_recurring), abs=0.5
    )


def test_fixed_lines_give_the_case_itself() -> None:
    # every release is a fixed amount, so every iteration is the case: P10 = P50 = P90 = NPV
    result = compute_case(seed_profile_case())
    mc = monte_carlo(build_model(result), 1000, seed=3)
    assert mc.npv.p10 == pytest.approx(float(result.npv), abs=0.01)
    assert mc.npv.p90 == pytest.approx(float(result.npv), abs=0.01)
    assert mc.cumulative_recurring.p50 == pytest.approx(46_000_000)


@pytest.mark.parametrize("distribution", list(Distribution))
def test_seeded_reproducible_and_independent_of_workers(distribution: Distribution) -> None:
    model = build_model(compute_case(load_case(EXAMPLE).case))
    one = monte_carlo(model, 30_000, seed=5, distribution=distribution, workers=1)
    two = monte_carlo(model, 30_000, seed=5, distribution=distribution, workers=2)
    assert one == two
    assert one.npv.p10 < one.npv.p50 < one.npv.p90
    assert monte_carlo(model, 30_000, seed=6, distribution=distribution) != one


@pytest.mark.parametrize(
    ("distribution", "mean", "sd"),
    [
        # triangular(0, 0.25, 1) scaled to 100..300: mean 100 + 200 x (0 + 0.25 + 1) / 3 = 183.33;
        # variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18 = (1 + 0.0625 - 0.25) / 18 = 0.04514, sd 0.2125
        (Distribution.TRIANGULAR, 100 + 200 * 1.25 / 3, 200 * 0.04514**0.5),
        # PERT(0, 0.25, 1): Beta(2, 4), mean 2/6 -> 166.67; variance 2x4/(36x7) = 0.031746, sd 0.1782
        (Distribution.PERT, 100 + 200 / 3, 200 * 0.031746**0.5),
    ],
)
def test_distribution_moments(distribution: Distribution, mean: float, sd: float) -> None:
    case = seed_profile_case(
        opportunities=(entered("R1", "100", "300"),),
        chosen=(ChosenOpportunity("R1", (D(1),)),),
        one_off_costs=(),
    )
    model = build_model(compute_case(case))
    model.mode[:] = 150.0  # mode a quarter of the way from 100 to 300
    tables = quantile_tables(model, distribution)
    draws = 100 + 200 * sampling.draw(tables, np.random.PCG64(1), 400_000)[0].astype(np.float64)
    assert draws.min() >= 100 and draws.max() <= 300
    assert draws.mean() == pytest.approx(mean, rel=2e-3)
    assert draws.std() == pytest.approx(sd, rel=5e-3)


def test_tornado_swings_are_the_line_ranges_through_their_weights() -> None:
    case = seed_profile_case(
        opportunities=(entered("A", "0", "1000000"), entered("B", "0", "2000000")),
        chosen=(
            ChosenOpportunity("A", (D(1),)),
            ChosenOpportunity("B", (D(0), D(0), D(0), D(0), D(1))),
        ),
        one_off_costs=(CostLine("Team", (D(500_000),), CostType.IMPLEMENTATION, D(80), D(160)),),
        discount_rate_pct=D(0),
    )
    bars = tornado(build_model(compute_case(case)))
    # A: in force all 5 years -> swing 1,000,000 x 5 = 5,000,000; B: only the last year -> 2,000,000;
    # the team cost from 80% to 160% of 500,000 -> swing 400,000
    assert [(b.name, round(b.swing)) for b in bars] == [("A", 5_000_000), ("B", 2_000_000), ("Team", 400_000)]
    assert bars[2].npv_low > bars[2].npv_high


def test_bad_monte_carlo_inputs() -> None:
    model = build_model(compute_case(seed_profile_case()))
    with pytest.raises(CaseError, match="at least one iteration"):
        monte_carlo(model, 0, seed=1)
