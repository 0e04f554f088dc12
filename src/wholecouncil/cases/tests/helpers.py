from __future__ import annotations

from decimal import Decimal

from wholecouncil.cases.engine import (
    Case,
    ChosenOpportunity,
    CostLine,
    CostType,
    Opportunity,
)
from wholecouncil.council.engine import FinancialYear

D = Decimal


def entered(
    code: str, low: str, high: str, layer: str = "provision-cycle", lever: str = "ways-of-working"
) -> Opportunity:
    return Opportunity(code, code, layer, lever, low_amount=D(low), high_amount=D(high))


def seed_profile_case(**changes: object) -> Case:
    """The benefits profile of a county council's published business case, in pounds.

    Annual recurring benefit delivered in-year £0m, £14m, £18m, £10m, £4m (2018/19 to 2022/23),
    cumulative annual recurring benefit £0m, £14m, £32m, £42m, £46m; in-year one-off costs £4m, £9m, £2m,
    £2m, £1m. Each release is one opportunity delivered in full in one year.
    """
    m = 1_000_000
    opps = tuple(
        entered(c, str(v * m), str(v * m)) for c, v in (("R1", 14), ("R2", 18), ("R3", 10), ("R4", 4))
    )
    chosen = tuple(
        ChosenOpportunity(o.code, tuple(D(1) if y == i + 1 else D(0) for y in range(5)))
        for i, o in enumerate(opps)
    )
    costs = (CostLine("Implementation", tuple(D(v * m) for v in (4, 9, 2, 2, 1)), CostType.IMPLEMENTATION),)
    base = {
        "name": "Seed profile",
        "first_year": FinancialYear(2018),
        "years": 5,
        "pots": (),
        "opportunities": opps,
        "chosen": chosen,
        "one_off_costs": costs,
    }
    base.update(changes)
    return Case(**base)  # type: ignore[arg-type]
