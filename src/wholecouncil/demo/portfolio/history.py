"""The records behind the demo portfolio's current position: RAID logs, milestones, resources, a year of
project and programme highlight reports and the board's meetings. They are bulk-loaded, as an import of
earlier records would be; the milestone dependencies and re-baselining go through the services."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from wholecouncil.council.models import Council
from wholecouncil.demo.portfolio.data import (
    ASSUMPTIONS,
    DECISIONS,
    ISSUES,
    MILESTONES,
    MONTHS,
    NARRATIVES,
    RISKS,
    Built,
    D,
    at,
    month_of,
)
from wholecouncil.portfolio import services
from wholecouncil.portfolio.engine import raid
from wholecouncil.portfolio.engine.status import Rag, roll_up
from wholecouncil.portfolio.models import (
    Assumption,
    BoardMeeting,
    Decision,
    HighlightReport,
    Issue,
    Milestone,
    Programme,
    Project,
    ResourceAllocation,
    Risk,
)


def _risks(council: Council, b: Built, anchor: dt.date, rng: random.Random) -> list[Risk]:
    p, out = b.project, []
    for title, likelihood, impact in rng.sample(RISKS, 3):
        lk, im = min(5, max(1, likelihood + rng.choice([-1, 0, 0, 1]))), impact
        rl, ri = max(1, lk - rng.choice([0, 1, 2])), max(1, im - rng.choice([0, 1]))
        scores = raid.score_risk(lk, im, rl, ri)
        out.append(
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
    return out


def _milestones(council: Council, b: Built, anchor: dt.date, rng: random.Random) -> list[Milestone]:
    p, out = b.project, []
    span = max(((p.end_date or anchor) - b.started).days, 120)
    for i, name in enumerate(MILESTONES):
        base = b.started + dt.timedelta(days=span * (i + 1) // len(MILESTONES))
        forecast = base + dt.timedelta(
            days=rng.choice([0, 0, 0, 7, 14, 30, 45, 75]) if i + 1 >= p.stage - 1 else 0
        )
        done = (i + 1 < p.stage or p.status == "closed") and forecast < anchor
        out.append(
            Milestone(
                council=council,
                project=p,
                name=name,
                baseline_date=base,
                forecast_date=forecast,
                actual_date=forecast if done else None,
            )
        )
    return out


def _allocations(council: Council, b: Built, rng: random.Random) -> list[ResourceAllocation]:
    if not b.project.is_open:
        return []
    return [
        ResourceAllocation(council=council, project=b.project, role="Project manager", fte=D("0.5")),
        ResourceAllocation(
            council=council,
            project=b.project,
            role="Business analyst",
            fte=D(rng.choice(["0.4", "0.6", "1.0"])),
        ),
    ]


def _reports(
    council: Council, b: Built, anchor: dt.date, rng: random.Random, users: dict[str, Any], risks: list[Risk]
) -> list[HighlightReport]:
    """A report a month since the project started. Past months are approved; this month's is submitted, or
    for about one open project in five still a draft."""
    p, out = b.project, []
    rag = rng.choice(["green", "green", "amber"])
    for back in range(MONTHS - 1, -1, -1):
        month = month_of(anchor, back)
        if month < b.started.replace(day=1) or (not p.is_open and back == 0):
            continue
        weights = {"green": (7, 2, 1), "amber": (3, 5, 2), "red": (2, 4, 4)}[rag]
        rag = rng.choices(["green", "amber", "red"], weights=weights)[0]
        approved = back > 0
        draft = back == 0 and p.is_open and rng.random() < 0.2
        out.append(
            HighlightReport(
                council=council,
                project=p,
                month=month,
                rag=rag,
                narrative=NARRATIVES[rag],
                key_risks="; ".join(r.title for r in risks),
                next_milestones=", ".join(MILESTONES[max(0, p.stage - 2) :][:2]),
                benefit_status="not_started"
                if p.stage < 4
                else rng.choice(["on_track", "on_track", "at_risk"]),
                status="approved" if approved else "draft" if draft else "submitted",
                created_by=users.get("pm") if p.manager_id else None,
                submitted_by=users.get("pm") if p.manager_id and not draft else None,
                submitted_at=None if draft else at(month),
                approved_by=users.get("lead") if approved else None,
                approved_at=at(month, 20) if approved else None,
            )
        )
    return out


def _meetings(council: Council, anchor: dt.date) -> list[BoardMeeting]:
    board = [
        BoardMeeting(
            council=council,
            kind="board",
            held_on=month_of(anchor, back) + dt.timedelta(days=14),
            title=f"Transformation board, {month_of(anchor, back):%B %Y}",
        )
        for back in range(MONTHS - 1, -2, -1)
    ]
    steering = [
        BoardMeeting(
            council=council,
            kind="steering",
            held_on=month_of(anchor, back) + dt.timedelta(days=20),
            title=f"Councillor steering group, {month_of(anchor, back):%B %Y}",
        )
        for back in (9, 6, 3, 0)
    ]
    return board + steering


def history(
    council: Council, built: list[Built], anchor: dt.date, rng: random.Random, users: dict[str, Any]
) -> None:
    risks, milestones, allocations, reports = [], [], [], []
    for b in built:
        mine = _risks(council, b, anchor, rng)
        risks += mine
        milestones += _milestones(council, b, anchor, rng)
        allocations += _allocations(council, b, rng)
        written = _reports(council, b, anchor, rng, users, mine)
        reports += written
        submitted = [r for r in written if r.status != "draft"]
        if submitted:
            b.project.latest_rag, b.project.latest_report_month = submitted[-1].rag, submitted[-1].month
    Risk.objects.bulk_create(risks)
    Milestone.objects.bulk_create(milestones)
    ResourceAllocation.objects.bulk_create(allocations)
    HighlightReport.objects.bulk_create(reports)
    Project.objects.bulk_update([b.project for b in built], ["latest_rag", "latest_report_month"])
    BoardMeeting.objects.bulk_create(_meetings(council, anchor))


def raid_log(council: Council, built: list[Built], rng: random.Random) -> None:
    """Assumptions, issues and a decisions log for every project, as they were recorded over its life."""
    assumptions, issues, decisions = [], [], []
    for b in built:
        p = b.project
        assumptions += [
            Assumption(
                council=council, project=p, text=text, status=state, owner=p.sponsor, raised_on=b.started
            )
            for text, state in rng.sample(ASSUMPTIONS, 2)
        ]
        for title, severity in rng.sample(ISSUES, rng.randint(0, 2)):
            resolved = not p.is_open or rng.random() < 0.4
            issues.append(
                Issue(
                    council=council,
                    project=p,
                    title=title,
                    severity=severity,
                    owner=p.sponsor,
                    raised_on=b.started + dt.timedelta(days=30),
                    status="resolved" if resolved else "open",
                    resolved_on=b.started + dt.timedelta(days=60) if resolved else None,
                )
            )
        decisions += [
            Decision(
                council=council,
                project=p,
                title=title,
                detail=detail,
                owner=p.sponsor,
                raised_on=b.started + dt.timedelta(days=45),
            )
            for title, detail in rng.sample(DECISIONS, rng.randint(1, 2))
        ]
    Assumption.objects.bulk_create(assumptions)
    Issue.objects.bulk_create(issues)
    Decision.objects.bulk_create(decisions)


def programme_reports(
    council: Council, programmes: dict[str, Programme], anchor: dt.date, users: dict[str, Any]
) -> int:
    """A monthly highlight report for each programme, rated by the roll-up of its projects' reports. The
    transformation office writes them and the programme lead approves them; this month's is still a draft."""
    ratings: dict[tuple[int, dt.date], list[str]] = {}
    for pid, month, rag in HighlightReport.objects.filter(
        council=council, project__programme__isnull=False, status__in=("submitted", "approved")
    ).values_list("project__programme_id", "month", "rag"):
        ratings.setdefault((pid, month), []).append(rag)
    reports = []
    for programme in programmes.values():
        for back in range(MONTHS - 1, -1, -1):
            month = month_of(anchor, back)
            month_ratings = ratings.get((programme.pk, month), [])
            rag = roll_up(month_ratings) or Rag.GREEN
            draft = back == 0
            reports.append(
                HighlightReport(
                    council=council,
                    programme=programme,
                    month=month,
                    rag=rag,
                    narrative=f"{programme.name}: {len(month_ratings)} project reports. {NARRATIVES[rag]}",
                    key_risks="Capacity to release staff; supplier timetables.",
                    next_milestones="See the projects' plans.",
                    benefit_status="at_risk" if rag == Rag.RED else "on_track",
                    status="draft" if draft else "approved",
                    created_by=users.get("admin"),
                    submitted_by=None if draft else users.get("admin"),
                    submitted_at=None if draft else at(month, 10),
                    approved_by=None if draft else users.get("lead"),
                    approved_at=None if draft else at(month, 20),
                )
            )
    HighlightReport.objects.bulk_create(reports)
    return len(reports)


def milestone_links(built: list[Built], pairs: list[tuple[str, str]], lead: Any) -> int:
    """Milestones that must follow others: within every fifth project, go-live after design sign-off; across
    projects that depend on each other, go-live after the other's go-live. A supplier delay then puts one
    dependent milestone before its prerequisite, and the board re-baselines two slipped milestones."""
    projects = [b.project for b in built]
    ms = {
        (m.project.code, m.name): m
        for m in Milestone.objects.filter(project__in=projects).select_related("project")
    }
    links = [((p.code, "Go live"), (p.code, "Design signed off")) for p in sorted(projects, key=str)[::5]]
    links += [((dependent, "Go live"), (prerequisite, "Go live")) for dependent, prerequisite in pairs]
    made = 0
    for a, b in links:
        if a in ms and b in ms:
            services.milestone_dependency_add(milestone=ms[a], depends_on=ms[b], actor=None)
            made += 1
    open_links = [(ms[a], ms[b]) for a, b in links[-len(pairs) :] if a in ms and b in ms]
    open_links = [(m, pre) for m, pre in open_links if m.actual_date is None and pre.actual_date is None]
    delayed = set()
    if open_links:
        dependent, prerequisite = open_links[0]
        late = max(dependent.forecast_date, prerequisite.forecast_date) + dt.timedelta(days=21)
        services.milestone_save(
            project=prerequisite.project, data={"forecast_date": late}, milestone=prerequisite, actor=None
        )
        delayed.add(prerequisite.pk)
    slipped = [
        m
        for m in ms.values()
        if m.actual_date is None and m.forecast_date > m.baseline_date and m.pk not in delayed
    ]
    for m in sorted(slipped, key=lambda m: (m.project.code, m.name))[:2]:
        services.milestone_rebaseline(
            milestone=m,
            baseline_date=m.forecast_date,
            reason="Scope extended to a second directorate; the board agreed the new date.",
            actor=lead,
        )
    return made
