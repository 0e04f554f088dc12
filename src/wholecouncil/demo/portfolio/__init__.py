"""Demo portfolio: four whole-council programmes, four enabling workstreams, two service-change programmes and
about sixty projects spread over every stage, with RAID logs, milestones that depend on each other, resources
and a year of project and programme highlight reports.

Everything that is a decision goes through the portfolio services, audit trail included: projects, design-
principles assessments, every gate submission (with its documents) and board decision, conditions and their
closure, dependencies between projects and between milestones, re-baselining, a reprioritisation review. The
history behind the current position (risks, assumptions, issues, decisions, milestones, resources, a year of
highlight reports, monthly board meetings) is bulk-loaded, as an import of earlier records would be. Dates
are counted back from the first day of the month the demo is loaded, so the dashboard always shows a
current year. Every name and figure is fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Max

from wholecouncil.cases.models import Opportunity
from wholecouncil.council.models import Council, DesignPrinciple
from wholecouncil.demo.portfolio.data import (
    LEGACY,
    MONTHS,
    POSITIONS,
    PROGRAMMES,
    PROJECT_DEPENDENCIES,
    PROJECTS,
    SLUG,
    WORKSTREAM_PROJECTS,
    WORKSTREAMS,
    Built,
    D,
    month_of,
)
from wholecouncil.demo.portfolio.gates import spread_decisions, walk
from wholecouncil.demo.portfolio.history import history, milestone_links, programme_reports, raid_log
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import GateCriterion, Programme, Project, Workstream

if TYPE_CHECKING:
    from wholecouncil.demo.generator import DemoContext


def _structure(council: Council, lead: Any) -> tuple[dict[str, Programme], dict[str, Workstream]]:
    programmes = {
        code: services.programme_save(
            council=council,
            data={
                "code": code,
                "name": name,
                "lead_name": who,
                "kind": kind,
                "capacity_fte": D(cap),
                "lead": lead,
            },
            actor=None,
        )
        for code, name, who, kind, cap in PROGRAMMES
    }
    workstreams = {
        code: services.workstream_save(
            council=council,
            data={"code": code, "name": name, "lead_name": who, "capacity_fte": D(cap), "lead": lead},
            actor=None,
        )
        for code, name, who, cap in WORKSTREAMS
    }
    return programmes, workstreams


def _positions(rng: random.Random, n: int) -> list[tuple[int, str]]:
    pool = [pos for pos, weight in POSITIONS for _ in range(weight)]
    while len(pool) < n:
        pool.append(rng.choice([pos for pos, _ in POSITIONS]))
    rng.shuffle(pool)
    return pool[:n]


def _review(council: Council, programmes: dict[str, Programme], anchor: dt.date, rng: random.Random) -> None:
    legacy = []
    for code, name, _outcome, _why in LEGACY:
        p = services.project_create(
            council=council,
            data={
                "code": code,
                "name": name,
                "budget": D(rng.randrange(20, 160) * 1000),
                "sponsor": "Service head",
            },
            actor=None,
            stage=rng.choice([2, 3, 4]),
        )
        services.allocation_save(
            project=p, data={"role": "Officer", "fte": D(rng.choice(["0.5", "1.0", "2.0"]))}, actor=None
        )
        legacy.append(p)
    review = services.review_create(
        council=council,
        name="Review of existing change projects",
        held_on=month_of(anchor, MONTHS - 1) + dt.timedelta(days=10),
        projects=legacy,
        notes="Every change project under way, held against the new programmes and the design principles.",
        actor=None,
    )
    for item in review.items.select_related("project", "review"):
        _, _, outcome, why = next(x for x in LEGACY if x[0] == item.project.code)
        data: dict[str, Any] = {"outcome": outcome, "rationale": why}
        if outcome == "align":
            data["programme"] = programmes["customer"]
        services.review_item_set(item=item, data=data, actor=None)
    services.review_conclude(review=review, actor=None)


def portfolio(ctx: DemoContext) -> None:
    council = ctx.councils[SLUG]
    rng = ctx.rng("portfolio", SLUG)
    anchor = dt.date.today().replace(day=1)
    user_model = get_user_model()
    users = {
        "pm": user_model.objects.filter(username=f"{SLUG}-pm").first(),
        "lead": user_model.objects.filter(username=f"{SLUG}-programme").first(),
        "admin": user_model.objects.filter(username=f"{SLUG}-admin").first(),
    }
    lead = users["lead"]
    services.stages_ensure(council=council)
    programmes, workstreams = _structure(council, lead)
    principles = list(DesignPrinciple.objects.filter(council=council))
    criteria: dict[int, list[GateCriterion]] = {}
    for c in GateCriterion.objects.filter(council=council).select_related("stage"):
        criteria.setdefault(c.stage.number, []).append(c)
    opportunities = list(Opportunity.objects.filter(council=council).order_by("code"))
    partners = [ctx.councils[s] for s in ctx.councils if s != SLUG]

    names = [(code, name, "programme") for code, ns in PROJECTS.items() for name in ns]
    names += [(code, name, "workstream") for code, ns in WORKSTREAM_PROJECTS.items() for name in ns]
    positions = _positions(rng, len(names))
    built = []
    for i, ((group, name, kind), target) in enumerate(zip(names, positions, strict=True)):
        started = anchor - dt.timedelta(days=rng.randint(60 + 70 * target[0], 120 + 110 * target[0]))
        data: dict[str, Any] = {
            "code": f"TP-{i + 1:02}",
            "name": name,
            "programme": programmes[group] if kind == "programme" else None,
            "workstream": workstreams[group] if kind == "workstream" else None,
            "manager": users["pm"] if i % 4 == 0 else None,
            "sponsor": (
                PROGRAMMES[[c for c, *_ in PROGRAMMES].index(group)][2]
                if kind == "programme"
                else WORKSTREAMS[[c for c, *_ in WORKSTREAMS].index(group)][2]
            ),
            "scope": f"{name}: scope, options and the change agreed at each gate.",
            "start_date": started,
            "end_date": started + dt.timedelta(days=rng.randint(400, 900)),
            "budget": D(rng.randrange(40, 900) * 1000),
        }
        served = (
            [council, *partners]
            if kind == "programme" and group == "business-support" and partners
            else [council]
        )
        linked = (
            [opportunities[i % len(opportunities)]]
            if opportunities and kind == "programme" and i % 3 == 0
            else []
        )
        project = services.project_create(
            council=council, data=data, councils=served, opportunities=linked, actor=None
        )
        b = Built(project, target, started)
        walk(b, lead, principles, criteria, rng)
        b.project.refresh_from_db()
        built.append(b)
    paused = next(b for b in built if b.project.status == "in_stage" and b.project.stage == 2)
    services.project_pause(
        project=paused.project, reason="Waiting for the telephony contract decision.", actor=lead
    )
    paused.project.refresh_from_db()
    by_code = {b.project.code: b.project for b in built}
    pairs = [(d, p) for d, p in PROJECT_DEPENDENCIES if d in by_code and p in by_code]
    for dependent, prerequisite in pairs:
        services.dependency_add(
            project=by_code[dependent], depends_on=by_code[prerequisite], note="", actor=None
        )
    history(council, built, anchor, rng, users)
    raid_log(council, built, rng)
    programme_count = programme_reports(council, programmes, anchor, users)
    links = milestone_links(built, pairs, lead)
    spread_decisions(built, anchor)
    _review(council, programmes, anchor, rng)
    top = Project.objects.filter(council=council).aggregate(m=Max("stage"))["m"]
    ctx.log(
        f"{council.name}: {len(programmes)} programmes, {len(workstreams)} workstreams, "
        f"{len(built) + len(LEGACY)} projects up to stage {top}, a year of project and programme highlight "
        f"reports ({programme_count} programme reports), {links} milestone dependencies."
    )
