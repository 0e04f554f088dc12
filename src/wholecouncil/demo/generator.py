"""Load, detect and delete the fictional demo councils.

The demo is built by an ordered list of steps (`STEPS`). Each step is a function taking the `DemoContext`: the
seed, the pure plan, the councils and partnership made so far, and a place (`extras`) to hand things to later
steps. A later module adds its demo data by appending a step; see docs/modules/demo.md.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from wholecouncil.council.models import Council, Partnership
from wholecouncil.council.services import DomainError, read_lgsl
from wholecouncil.demo import activity, steps
from wholecouncil.demo import benefits as demo_benefits
from wholecouncil.demo import cases as demo_cases
from wholecouncil.demo import portfolio as demo_portfolio
from wholecouncil.demo import spend as demo_spend
from wholecouncil.demo.plan import USERS, DemoPlan, build_plan, rng_for
from wholecouncil.demo.structure import COUNCILS

DEMO_SLUGS: tuple[str, ...] = tuple(spec.slug for spec in COUNCILS)


@dataclass
class DemoContext:
    seed: int
    plan: DemoPlan
    log: Callable[[str], None] = print
    councils: dict[str, Council] = field(default_factory=dict)
    partnership: Partnership | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def rng(self, *part: str) -> random.Random:
        """A generator for one part of a step's data; the same seed and part always give the same draws."""
        return rng_for(self.seed, *part)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[DemoContext], None]


# In order: a step may use whatever the steps before it put on the context.
STEPS: list[Step] = [
    Step("councils", steps.councils),
    Step("establishment", steps.establishment),
    Step("service catalogue", steps.catalogue),
    Step("partnership", steps.partnership),
    Step("logins", steps.logins),
    Step("activity survey", activity.activity_survey),
    Step("supplier spend", demo_spend.spend),
    Step("business case", demo_cases.business_case),
    Step("portfolio", demo_portfolio.portfolio),
    Step("benefits register", demo_benefits.benefits_register),
]


class DemoError(DomainError):
    pass


def demo_plan(seed: int, lgsl_path: Path) -> DemoPlan:
    if not lgsl_path.is_file():
        raise DemoError(
            f"The Local Government Service List is missing: {lgsl_path}. The demo's service catalogue is "
            "drawn from it; put the shared data folder beside the checkout or set WHOLECOUNCIL_SHARED_DIR."
        )
    return build_plan(seed, read_lgsl(lgsl_path))


def demo_state() -> str:
    """'absent', 'present' (every demo council is here) or 'partial'.

    Raises DemoError if a council that is not a demo uses one of the demo's short names.
    """
    found = list(Council.objects.filter(slug__in=DEMO_SLUGS).order_by("slug"))
    real = [c for c in found if not c.is_demo]
    if real:
        names = ", ".join(f"{c.name} ({c.slug})" for c in real)
        raise DemoError(f"{names} is not a demo council, so the demo cannot use its short name.")
    if not found:
        return "absent"
    return "present" if len(found) == len(DEMO_SLUGS) else "partial"


@transaction.atomic
def demo_delete() -> int:
    """Delete the demo councils (only councils marked is_demo), their partnership and their unused logins."""
    councils = list(Council.objects.filter(slug__in=DEMO_SLUGS, is_demo=True))
    ids = {c.pk for c in councils}
    for partnership in Partnership.objects.filter(councils__in=ids).distinct():
        if set(partnership.councils.values_list("pk", flat=True)) <= ids:
            partnership.delete()
    steps.delete_council_data(councils)
    for council in councils:
        council.delete()
    usernames = [name for name, _ in USERS]
    user_model = get_user_model()
    user_model.objects.filter(
        username__in=usernames, memberships__isnull=True, is_staff=False, is_superuser=False
    ).delete()
    return len(councils)


@transaction.atomic
def demo_load(plan: DemoPlan, log: Callable[[str], None] = print) -> DemoContext:
    """Run every step in one transaction: the demo lands whole or not at all."""
    ctx = DemoContext(seed=plan.seed, plan=plan, log=log)
    for step in STEPS:
        started = time.perf_counter()
        step.run(ctx)
        log(f"  {step.name}: {time.perf_counter() - started:.1f} s")
    return ctx
