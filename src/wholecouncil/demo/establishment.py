"""Generate a demo council's establishment (its posts) from its organisation chart. Pure: no Django.

Line management runs team staff -> supervisors (in large teams) -> team lead -> head of service -> leadership
team -> the council's most senior post, so spans of control and layers can be computed from manager_ref.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from decimal import Decimal

from wholecouncil.demo.jobs import COST_BASIS, FAMILIES, GENERIC, Family, annual_cost, salary_point
from wholecouncil.demo.structure import LEADERSHIP, CouncilSpec, Team
from wholecouncil.workforce.engine import PostRow

PART_TIME_FTE = (Decimal("0.5"), Decimal("0.6"), Decimal("0.7"), Decimal("0.8"))
FULL_TIME = Decimal("1.00")
MIN_TEAM = 4
SUPERVISE_ABOVE = 14  # a team with more staff than this has supervisors
SUPERVISOR_SPAN = 13
VACANCY_RATE = {"head": 0.03, "lead": 0.04, "staff": 0.077}


class _Refs:
    def __init__(self, spec: CouncilSpec) -> None:
        self._spec = spec
        self._n = 0

    def next(self) -> str:
        self._n += 1
        return f"{self._spec.ref_prefix}{self._n:0{self._spec.ref_digits}d}"


def _contract(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.05:
        return "Fixed term"
    if r < 0.06:
        return "Secondment"
    return "Permanent"


def _post(
    rng: random.Random,
    ref: str,
    path: tuple[str, ...],
    title: str,
    grade: str,
    manager: str,
    level: str,
    part_time_rate: float = 0.0,
) -> PostRow:
    point = rng.randrange(4)
    fte = FULL_TIME
    if part_time_rate and rng.random() < part_time_rate:
        fte = rng.choice(PART_TIME_FTE)
    vacant = level != "leader" and rng.random() < VACANCY_RATE[level]
    return PostRow(
        post_ref=ref,
        org_path=path,
        job_title=title,
        grade=grade,
        fte=fte,
        annual_cost=annual_cost(salary_point(grade, point), fte),
        cost_basis=COST_BASIS,
        vacant=vacant,
        contract_type=_contract(rng),
        manager_ref=manager,
    )


def team_sizes(spec: CouncilSpec, rng: random.Random) -> dict[str, int]:
    """Posts in each team (leadership teams excluded), scaled so the council lands near its target."""
    teams = [t for t in _teams(spec) if t.family != LEADERSHIP]
    heads = sum(1 for d in spec.directorates for s in d.services if s.head_title)
    budget = spec.target_posts - len(spec.leaders) - heads
    raw = {t.name: t.weight * rng.uniform(0.85, 1.15) for t in teams}
    total = sum(raw.values())
    return {name: max(MIN_TEAM, round(w / total * budget)) for name, w in raw.items()}


def _teams(spec: CouncilSpec) -> Iterator[Team]:
    for d in spec.directorates:
        for s in d.services:
            yield from s.teams


def _generic_roles(rng: random.Random, family: Family, staff: int) -> list[tuple[str, str]]:
    own = {j.title for j in family.roles}
    picked: list[tuple[str, str]] = []
    for title, grade, chance, per_40 in GENERIC:
        if title in own or rng.random() >= chance * family.generic_rate:
            continue
        count = 1 + math.floor(per_40 * staff / 40 * rng.uniform(0.5, 1.5))
        picked.extend([(title, grade)] * count)
    return picked[: max(1, int(staff * 0.4))]


def _team_posts(
    rng: random.Random, refs: _Refs, path: tuple[str, ...], team: Team, size: int, head_ref: str
) -> list[PostRow]:
    family = FAMILIES[team.family]
    lead_ref = refs.next()
    posts = [
        _post(rng, lead_ref, path, f"{family.lead.title} - {team.name}", family.lead.grade, head_ref, "lead")
    ]
    staff = size - 1
    n_supervisors = 0 if staff <= SUPERVISE_ABOVE else math.ceil(staff / SUPERVISOR_SPAN)
    staff -= n_supervisors
    supervisors = [refs.next() for _ in range(n_supervisors)]
    for ref in supervisors:
        sup = family.supervisor
        posts.append(_post(rng, ref, path, sup.title, sup.grade, lead_ref, "lead", family.part_time_rate / 2))
    jobs = _generic_roles(rng, family, staff)
    specialists = staff - len(jobs)
    jobs.extend((j.title, j.grade) for j in family.roles[:specialists])
    extra = specialists - min(specialists, len(family.roles))
    weights = [j.weight for j in family.roles]
    jobs.extend((j.title, j.grade) for j in rng.choices(family.roles, weights=weights, k=extra))
    for i, (title, grade) in enumerate(sorted(jobs)):
        manager = supervisors[i % n_supervisors] if supervisors else lead_ref
        posts.append(_post(rng, refs.next(), path, title, grade, manager, "staff", family.part_time_rate))
    return posts


def build_establishment(spec: CouncilSpec, rng: random.Random) -> tuple[PostRow, ...]:
    """Every post of the council, in post_ref order; the same rng state gives the same posts."""
    refs = _Refs(spec)
    sizes = team_sizes(spec, rng)
    leadership_path = next(
        (d.name, s.name, t.name)
        for d in spec.directorates
        for s in d.services
        for t in s.teams
        if t.family == LEADERSHIP
    )
    posts: list[PostRow] = []
    leader_refs: dict[str, str] = {}
    for leader in spec.leaders:
        leader_refs[leader.key] = refs.next()
        manager = leader_refs[leader.manager] if leader.manager else ""
        posts.append(
            _post(
                rng, leader_refs[leader.key], leadership_path, leader.title, leader.grade, manager, "leader"
            )
        )
    for d in spec.directorates:
        for s in d.services:
            if not s.head_title:
                continue
            head_ref = refs.next()
            posts.append(
                _post(
                    rng,
                    head_ref,
                    (d.name, s.name),
                    s.head_title,
                    s.head_grade,
                    leader_refs[s.reports_to],
                    "head",
                )
            )
            for team in s.teams:
                path = (d.name, s.name, team.name)
                posts.extend(_team_posts(rng, refs, path, team, sizes[team.name], head_ref))
    return tuple(posts)
