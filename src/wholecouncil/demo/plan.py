"""The whole demo as plain values, worked out from a seed before anything touches the database (no Django).

`build_plan(seed, lgsl_entries)` gives the same plan for the same seed on any machine and database: every
random draw comes from a `random.Random` seeded with the seed and the part being drawn (so adding a part never
changes another), and every collection is walked in a fixed order.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from wholecouncil.demo.catalogue import (
    EXAMPLESHIRE_RULES,
    WESTMERE_RULES,
    CatalogueEntry,
    Rule,
    pick_catalogue,
)
from wholecouncil.demo.establishment import build_establishment
from wholecouncil.demo.structure import (
    COUNCILS,
    PARTNERSHIP_DESCRIPTION,
    PARTNERSHIP_NAME,
    SHARED_UNITS,
    CouncilSpec,
)
from wholecouncil.workforce.engine import PostRow

DEFAULT_SEED = 2025
DEMO_PASSWORD = "demo-password-2025"  # noqa: S105 - the fictional demo's published password

CATALOGUE: dict[str, tuple[tuple[Rule, ...], int, float]] = {
    # slug: (assignment rules, number of services, share of them picked from services a rule assigns)
    "exampleshire": (EXAMPLESHIRE_RULES, 450, 0.7),
    "westmere": (WESTMERE_RULES, 150, 0.75),
}

# (username, ((council slug, role), ...)) — one login per role, and a director across the partnership.
USERS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("exampleshire-admin", (("exampleshire", "admin"),)),
    ("exampleshire-finance", (("exampleshire", "finance"),)),
    ("exampleshire-programme", (("exampleshire", "programme_lead"),)),
    ("exampleshire-pm", (("exampleshire", "project_manager"),)),
    ("exampleshire-councillor", (("exampleshire", "councillor"),)),
    ("westmere-admin", (("westmere", "admin"),)),
    ("partnership-director", (("exampleshire", "admin"), ("westmere", "admin"))),
)


@dataclass(frozen=True)
class CouncilPlan:
    slug: str
    name: str
    posts: tuple[PostRow, ...]
    catalogue: tuple[CatalogueEntry, ...]

    @property
    def team_paths(self) -> dict[str, tuple[str, ...]]:
        """Each team's name to its org path (team names are unique within a demo council)."""
        return {p.org_path[-1]: p.org_path for p in self.posts if len(p.org_path) == 3}


@dataclass(frozen=True)
class SharePlan:
    host: str
    org_path: tuple[str, ...]
    shares: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class UserPlan:
    username: str
    memberships: tuple[tuple[str, str], ...]  # (council slug, role)


@dataclass(frozen=True)
class DemoPlan:
    seed: int
    councils: tuple[CouncilPlan, ...]
    partnership_name: str
    partnership_description: str
    shares: tuple[SharePlan, ...]
    users: tuple[UserPlan, ...]
    password: str = DEMO_PASSWORD

    def council(self, slug: str) -> CouncilPlan:
        return next(c for c in self.councils if c.slug == slug)


def rng_for(seed: int, *part: str) -> random.Random:
    """A generator for one part of the demo, independent of every other part's draws."""
    return random.Random(":".join([str(seed), *part]))


def _council_plan(spec: CouncilSpec, seed: int, lgsl_entries: Sequence[tuple[int, str, str]]) -> CouncilPlan:
    posts = build_establishment(spec, rng_for(seed, spec.slug, "establishment"))
    rules, size, assigned_share = CATALOGUE[spec.slug]
    catalogue = pick_catalogue(
        lgsl_entries, rules, rng_for(seed, spec.slug, "catalogue"), size, assigned_share
    )
    return CouncilPlan(slug=spec.slug, name=spec.name, posts=posts, catalogue=catalogue)


def build_plan(seed: int, lgsl_entries: Sequence[tuple[int, str, str]]) -> DemoPlan:
    councils = tuple(_council_plan(spec, seed, lgsl_entries) for spec in COUNCILS)
    paths = {c.slug: c.team_paths for c in councils}
    shares = tuple(SharePlan(s.host, paths[s.host][s.team], s.shares) for s in SHARED_UNITS)
    return DemoPlan(
        seed=seed,
        councils=councils,
        partnership_name=PARTNERSHIP_NAME,
        partnership_description=PARTNERSHIP_DESCRIPTION,
        shares=shares,
        users=tuple(UserPlan(name, memberships) for name, memberships in USERS),
    )
