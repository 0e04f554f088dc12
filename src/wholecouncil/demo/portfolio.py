"""Demo portfolio: four whole-council programmes, four enabling workstreams, two service-change programmes and
about sixty projects spread over every stage, with risks, milestones, resources and a year of monthly reports.

Everything that is a decision goes through the portfolio services, audit trail included: projects, design-
principles assessments, every gate submission and board decision, conditions and their closure, dependencies,
a reprioritisation review. The history behind the current position (risks, milestones, resources, a year of
highlight reports, monthly board meetings) is bulk-loaded, as an import of earlier records would be. Dates
are counted back from the first day of the month the demo is loaded, so the dashboard always shows a
current year. Every name and figure is fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Max

from wholecouncil.cases.models import Opportunity
from wholecouncil.council.engine import add_months
from wholecouncil.council.models import Council, DesignPrinciple
from wholecouncil.portfolio import services
from wholecouncil.portfolio.engine import raid
from wholecouncil.portfolio.models import (
    BoardMeeting,
    GateCriterion,
    GateDecision,
    HighlightReport,
    Milestone,
    Programme,
    Project,
    ResourceAllocation,
    Risk,
    Workstream,
)

if TYPE_CHECKING:
    from wholecouncil.demo.generator import DemoContext

D = Decimal
SLUG = "exampleshire"

PROGRAMMES = (
    ("strategic", "Strategic and enabling services", "Director of Corporate Services", "whole_council", "14"),
    ("commissioning", "Commissioning and procurement", "Director of Commissioning", "whole_council", "10"),
    ("customer", "Customer experience", "Director of Customer and Digital", "whole_council", "16"),
    (
        "business-support",
        "Business support and ways of working",
        "Director of Resources",
        "whole_council",
        "10",
    ),
    ("adults-housing", "Adults and housing service change", "Director of Adult Care", "service_change", "6"),
    ("place", "Place service change", "Director of Place", "service_change", "6"),
)
WORKSTREAMS = (
    ("capability", "Building transformation capability", "Head of Transformation", "5"),
    ("communications", "Communications", "Head of Communications", "3"),
    ("people", "People and change", "Head of HR", "5"),
    ("finance", "Finance", "Deputy Section 151 Officer", "4"),
)

PROJECTS: dict[str, tuple[str, ...]] = {
    "strategic": (
        "Target operating model design",
        "Technology and data roadmap",
        "Replace the finance and HR system",
        "Automate transactional back-office tasks",
        "Internal front door for HR, ICT and property",
        "Data warehouse and reporting",
        "Cloud migration of line-of-business systems",
        "Organisational redesign of the strategic core",
    ),
    "commissioning": (
        "Contract management tool",
        "Spend analytics service",
        "One commissioning and payment process",
        "Commercial strategy and supplier management",
        "Demand strategies for high-cost placements",
        "Category plans for the top twenty suppliers",
        "Social value in procurement",
    ),
    "customer": (
        "Customer relationship management system",
        "Customer experience strategy",
        "Telephony replacement",
        "Bring service lines into the contact centre",
        "Online forms and accounts",
        "Automated triage for common requests",
        "Information and advice before the front door",
        "Community partnership hubs",
        "Blue badge and concessionary travel online",
    ),
    "business-support": (
        "Business administration hub",
        "Self-service review of support policies",
        "Hybrid working and office rationalisation",
        "Digital mailroom",
        "Meeting and minute support consolidation",
        "Standard service levels for support",
    ),
    "adults-housing": (
        "Housing and accommodation support redesign",
        "Adult social care operations redesign",
        "Reablement capacity",
        "Assistive technology at home",
    ),
    "place": (
        "Strategic asset management plan",
        "Modernise waste collection rounds",
        "Libraries open access",
        "Highways defect reporting online",
    ),
}
WORKSTREAM_PROJECTS: dict[str, tuple[str, ...]] = {
    "capability": (
        "Transformation office set-up",
        "Portfolio method and gateway",
        "Change practitioner training",
    ),
    "communications": ("Staff engagement campaign", "Resident communications on new channels"),
    "people": ("Workforce design", "Manager development programme", "Redeployment pool"),
    "finance": (
        "Benefits realisation framework",
        "Invest-to-save fund rules",
        "Savings tracking into the MTFP",
    ),
}
# Projects a council already had before the portfolio: the reprioritisation review decides them.
LEGACY = (
    ("L-01", "Intranet refresh", "stop", "Superseded by the customer management system's staff portal"),
    ("L-02", "Printer fleet renewal", "stop", "Falls away with the digital mailroom"),
    ("L-03", "Parking permits online", "align", "Part of online forms and accounts"),
    ("L-04", "Scanning backlog clearance", "pause", "Resume once the digital mailroom is live"),
    ("L-05", "Room booking system", "pause", "Wait for the hybrid working decision"),
    ("L-06", "Licensing payments portal", "align", "Part of online forms and accounts"),
    ("L-07", "Leisure centre kiosks", "stop", "Low value; the contact centre covers it"),
    ("L-08", "Fleet telematics", "continue", "Already delivering fuel savings"),
    ("L-09", "Records retention clean-up", "continue", "Statutory; small and nearly done"),
    ("L-10", "Local plan evidence base", "continue", "Statutory deadline"),
)

# (stage, status) the projects end in, over every stage; the weights give the shape of a real portfolio.
POSITIONS = (
    ((1, "in_stage"), 9),
    ((1, "at_gate"), 3),
    ((2, "in_stage"), 9),
    ((2, "at_gate"), 3),
    ((3, "in_stage"), 8),
    ((3, "at_gate"), 2),
    ((4, "in_stage"), 10),
    ((4, "at_gate"), 1),
    ((5, "in_stage"), 4),
    ((5, "closed"), 2),
    ((2, "stopped"), 1),
)
RISKS = (
    ("Key staff leave before the change is embedded", 3, 4),
    ("Supplier cannot deliver to the agreed timetable", 3, 3),
    ("Savings are counted in more than one project", 2, 4),
    ("Services cannot release people for design work", 4, 3),
    ("Data quality in the old system delays migration", 4, 4),
    ("Residents do not take up the new online channel", 3, 4),
    ("Trade union consultation takes longer than planned", 3, 2),
    ("Integration with the case management system fails testing", 2, 5),
    ("Budget pressures cut the invest-to-save fund", 2, 5),
    ("Business as usual performance drops during the change", 3, 3),
)
MILESTONES = ("Outline business case agreed", "Design signed off", "Go live", "Benefits first measured")
NARRATIVES = {
    "green": "On plan: this month's milestones were met and the risks are in hand.",
    "amber": "Some slippage this month; the recovery plan is agreed and the board is asked to note it.",
    "red": "Delivery is in doubt: a key dependency has slipped and the board is asked to agree a re-plan.",
}
MONTHS = 12


@dataclass
class Built:
    project: Project
    target: tuple[int, str]
    started: dt.date


def _month(anchor: dt.date, back: int) -> dt.date:
    """The first day of the month `back` months before `anchor`'s (after it, when `back` is negative)."""
    return add_months(anchor.replace(day=1), -back)


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
                "lead": lead if kind == "whole_council" else None,
            },
            actor=None,
        )
        for code, name, who, kind, cap in PROGRAMMES
    }
    workstreams = {
        code: services.workstream_save(
            council=council,
            data={"code": code, "name": name, "lead_name": who, "capacity_fte": D(cap)},
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


def _walk(
    built: Built,
    lead: Any,
    principles: list[DesignPrinciple],
    criteria: dict[int, list[GateCriterion]],
    rng: random.Random,
) -> None:
    """Take the project through the services to its target stage and status."""
    project = built.project
    stage, status = built.target
    ratings = {
        p.pk: (
            rng.choice(["supports", "supports", "neutral"]),
            f"The proposal is consistent with '{p.title}'.",
        )
        for p in principles
    }
    if rng.random() < 0.15:
        first = principles[0]
        ratings[first.pk] = ("conflicts", f"It keeps a separate channel, against '{first.title}'.")
    services.assessment_record(project=project, ratings=ratings, notes="", actor=None)
    gates_to_pass = stage - 1 + (1 if status == "closed" else 0)
    for gate in range(1, gates_to_pass + 1):
        answers = [
            services.CriterionAnswer(c.pk, True, "In the project file") for c in criteria.get(gate, [])
        ]
        services.gate_submit(project=project, summary=f"Ready for gate {gate}.", answers=answers, actor=None)
        conflicts = gate == 1 and any(r[0] == "conflicts" for r in ratings.values())
        with_conditions = conflicts or (gate < 5 and rng.random() < 0.2)
        if with_conditions:
            services.gate_decide(
                project=project,
                decision="approve_with_conditions",
                reasons="The board agreed the case subject to the conditions below.",
                conditions=[
                    services.NewCondition("Confirm the savings with finance before the next gate", "Finance")
                ],
                actor=lead,
            )
            if gate < gates_to_pass or rng.random() < 0.5:
                for condition in project.conditions.filter(status="open"):
                    services.condition_close(condition=condition, note="Confirmed by finance.", actor=lead)
        else:
            services.gate_decide(project=project, decision="approve", reasons="Criteria met.", actor=lead)
    if status in {"at_gate", "stopped"}:
        if project.conditions.filter(status="open").exists():
            for condition in project.conditions.filter(status="open"):
                services.condition_close(condition=condition, note="Confirmed by finance.", actor=lead)
        answers = [
            services.CriterionAnswer(c.pk, True, "In the project file") for c in criteria.get(stage, [])
        ]
        services.gate_submit(project=project, summary=f"Ready for gate {stage}.", answers=answers, actor=None)
        if status == "stopped":
            services.gate_decide(
                project=project,
                decision="stop",
                reasons="The outline case does not show value for money against the other options.",
                actor=lead,
            )


def _history(
    council: Council, built: list[Built], anchor: dt.date, rng: random.Random, users: dict[str, Any]
) -> None:
    risks, milestones, allocations, reports = [], [], [], []
    for b in built:
        p = b.project
        for title, likelihood, impact in rng.sample(RISKS, 3):
            lk, im = min(5, max(1, likelihood + rng.choice([-1, 0, 0, 1]))), impact
            rl, ri = max(1, lk - rng.choice([0, 1, 2])), max(1, im - rng.choice([0, 1]))
            scores = raid.score_risk(lk, im, rl, ri)
            risks.append(
                Risk(
                    council=council,
                    project=p,
                    title=title,
                    owner=p.sponsor,
                    likelihood=lk,
                    impact=im,
                    residual_likelihood=rl,
                    residual_impact=ri,
                    score=scores.current,
                    residual_score=scores.residual,
                    mitigations="Named owner, monthly review at the project board.",
                    proximity_date=anchor + dt.timedelta(days=rng.randint(-20, 300)),
                    status="closed" if p.status == "closed" else "open",
                    raised_on=b.started,
                )
            )
        span = max(((p.end_date or anchor) - b.started).days, 120)
        for i, name in enumerate(MILESTONES):
            base = b.started + dt.timedelta(days=span * (i + 1) // len(MILESTONES))
            slip = rng.choice([0, 0, 0, 7, 14, 30, 45, 75]) if i + 1 >= p.stage - 1 else 0
            done = i + 1 < p.stage or p.status == "closed"
            milestones.append(
                Milestone(
                    council=council,
                    project=p,
                    name=name,
                    baseline_date=base,
                    forecast_date=base + dt.timedelta(days=slip),
                    actual_date=base + dt.timedelta(days=slip)
                    if done and base + dt.timedelta(days=slip) < anchor
                    else None,
                )
            )
        if p.is_open:
            allocations.append(
                ResourceAllocation(council=council, project=p, role="Project manager", fte=D("0.5"))
            )
            allocations.append(
                ResourceAllocation(
                    council=council,
                    project=p,
                    role="Business analyst",
                    fte=D(rng.choice(["0.4", "0.6", "1.0"])),
                )
            )
        rag = rng.choice(["green", "green", "amber"])
        for back in range(MONTHS - 1, -1, -1):
            month = _month(anchor, back)
            if month < b.started.replace(day=1) or (not p.is_open and back == 0):
                continue
            rag = rng.choices(
                ["green", "amber", "red"],
                weights={"green": (7, 2, 1), "amber": (3, 5, 2), "red": (2, 4, 4)}[rag],
            )[0]
            approved = back > 0
            reports.append(
                HighlightReport(
                    council=council,
                    project=p,
                    month=month,
                    rag=rag,
                    narrative=NARRATIVES[rag],
                    key_risks="; ".join(r.title for r in risks[-3:]),
                    next_milestones=", ".join(MILESTONES[max(0, p.stage - 2) :][:2]),
                    benefit_status="not_started"
                    if p.stage < 4
                    else rng.choice(["on_track", "on_track", "at_risk"]),
                    status="approved" if approved else "submitted",
                    submitted_by=users.get("pm") if p.manager_id else None,
                    approved_by=users.get("lead") if approved else None,
                )
            )
        last = [r for r in reports if r.project is p]
        if last:
            p.latest_rag, p.latest_report_month = last[-1].rag, last[-1].month
    Risk.objects.bulk_create(risks)
    Milestone.objects.bulk_create(milestones)
    ResourceAllocation.objects.bulk_create(allocations)
    HighlightReport.objects.bulk_create(reports)
    Project.objects.bulk_update([b.project for b in built], ["latest_rag", "latest_report_month"])
    BoardMeeting.objects.bulk_create(
        [
            BoardMeeting(
                council=council,
                kind="board",
                held_on=_month(anchor, back) + dt.timedelta(days=14),
                title=f"Transformation board, {_month(anchor, back):%B %Y}",
            )
            for back in range(MONTHS - 1, -2, -1)
        ]
        + [
            BoardMeeting(
                council=council,
                kind="steering",
                held_on=_month(anchor, back) + dt.timedelta(days=20),
                title=f"Councillor steering group, {_month(anchor, back):%B %Y}",
            )
            for back in (9, 6, 3, 0)
        ]
    )


def _spread_decisions(built: list[Built], anchor: dt.date) -> None:
    """Board decisions dated across each project's life rather than all on the day the demo was loaded."""
    ids = [b.project.pk for b in built]
    decisions = list(GateDecision.objects.filter(project_id__in=ids).order_by("project_id", "id"))
    by_project: dict[int, list[GateDecision]] = {}
    for d in decisions:
        by_project.setdefault(d.project_id, []).append(d)
    for b in built:
        mine = by_project.get(b.project.pk, [])
        span = max((anchor - b.started).days, 30)
        for i, d in enumerate(mine):
            day = b.started + dt.timedelta(days=span * (i + 1) // (len(mine) + 1))
            d.decided_at = dt.datetime.combine(day, dt.time(10), dt.UTC)
    GateDecision.objects.bulk_update(decisions, ["decided_at"])


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
        held_on=_month(anchor, MONTHS - 1) + dt.timedelta(days=10),
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
        _walk(b, lead, principles, criteria, rng)
        b.project.refresh_from_db()
        built.append(b)
    paused = next(b for b in built if b.project.status == "in_stage" and b.project.stage == 2)
    services.project_pause(
        project=paused.project, reason="Waiting for the telephony contract decision.", actor=lead
    )
    paused.project.refresh_from_db()
    by_code = {b.project.code: b.project for b in built}
    for dependent, prerequisite in (
        ("TP-02", "TP-01"),
        ("TP-03", "TP-02"),
        ("TP-17", "TP-16"),
        ("TP-20", "TP-17"),
        ("TP-33", "TP-32"),
        ("TP-05", "TP-03"),
    ):
        if dependent in by_code and prerequisite in by_code:
            services.dependency_add(
                project=by_code[dependent], depends_on=by_code[prerequisite], note="", actor=None
            )
    _history(council, built, anchor, rng, users)
    _spread_decisions(built, anchor)
    _review(council, programmes, anchor, rng)
    top = Project.objects.filter(council=council).aggregate(m=Max("stage"))["m"]
    ctx.log(
        f"{council.name}: {len(programmes)} programmes, {len(workstreams)} workstreams, "
        f"{len(built) + len(LEGACY)} projects up to stage {top}, a year of highlight reports."
    )
