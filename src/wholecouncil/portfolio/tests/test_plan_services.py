"""Plans and reports through the services: baselines that only the board moves, milestone dependencies,
who approves which highlight report, programme reports, and resources against capacity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import AuditEvent, Council, Membership
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.models import HighlightReport, Milestone, MilestoneRebaseline
from wholecouncil.portfolio.services import PortfolioDomainError
from wholecouncil.portfolio.tests.helpers import allocate, milestone, programme, project, report

pytestmark = pytest.mark.django_db

JUNE, JULY = dt.date(2026, 6, 30), dt.date(2026, 7, 31)


def test_an_edit_cannot_move_the_baseline(council: Council) -> None:
    p = project(council)
    m = milestone(p, "Go live", JUNE)
    with pytest.raises(PortfolioDomainError, match="The baseline date cannot be changed here"):
        services.milestone_save(
            project=p, milestone=m, data={"baseline_date": JULY, "forecast_date": JULY}, actor=None
        )
    services.milestone_save(
        project=p, milestone=m, data={"name": "Go live", "forecast_date": JULY}, actor=None
    )
    m.refresh_from_db()
    assert (m.baseline_date, m.forecast_date) == (JUNE, JULY)
    assert selectors.milestone_rows([m], dt.date(2026, 1, 1))[0].view.slippage == 31


def test_the_board_re_baselines_with_a_reason_and_the_old_date_is_kept(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    pm = make_member(council, Role.PROJECT_MANAGER).user
    lead = make_member(council, Role.PROGRAMME_LEAD).user
    p = project(council, manager=pm)
    m = milestone(p, "Go live", JUNE, JULY)
    with pytest.raises(PortfolioDomainError, match="manager cannot re-baseline its own plan"):
        services.milestone_rebaseline(milestone=m, baseline_date=JULY, reason="Slipped", actor=pm)
    with pytest.raises(PortfolioDomainError, match="Give the reason for re-baselining"):
        services.milestone_rebaseline(milestone=m, baseline_date=JULY, reason=" ", actor=lead)
    with pytest.raises(PortfolioDomainError, match="already 30 June 2026"):
        services.milestone_rebaseline(milestone=m, baseline_date=JUNE, reason="Same", actor=lead)
    assert Milestone.objects.get(pk=m.pk).baseline_date == JUNE
    change = services.milestone_rebaseline(
        milestone=m, baseline_date=JULY, reason="Scope grew to a second directorate", actor=lead
    )
    assert Milestone.objects.get(pk=m.pk).baseline_date == JULY
    assert (change.previous_date, change.new_date, change.changed_by) == (JUNE, JULY, lead)
    assert [r.reason for r in selectors.rebaselines(p)] == ["Scope grew to a second directorate"]
    event = AuditEvent.objects.get(action="portfolio.milestone.rebaseline")
    assert event.before == {"baseline_date": "2026-06-30"}
    assert event.after == {"baseline_date": "2026-07-31", "reason": "Scope grew to a second directorate"}
    assert MilestoneRebaseline.objects.count() == 1


def test_milestone_dependencies_refuse_loops_and_flag_a_dependent_forecast_first(council: Council) -> None:
    a, b = project(council, "A"), project(council, "B")
    design = milestone(a, "Design", dt.date(2026, 3, 1))
    build = milestone(a, "Build", dt.date(2026, 5, 1))
    live = milestone(b, "Live", dt.date(2026, 4, 1))
    services.milestone_dependency_add(milestone=build, depends_on=design, actor=None)
    services.milestone_dependency_add(milestone=live, depends_on=build, actor=None)
    with pytest.raises(PortfolioDomainError, match="loop: A: Design → B: Live → A: Build → A: Design"):
        services.milestone_dependency_add(milestone=design, depends_on=live, actor=None)
    with pytest.raises(PortfolioDomainError, match="already recorded"):
        services.milestone_dependency_add(milestone=build, depends_on=design, actor=None)
    links = {(x.milestone.name, x.depends_on.name): x.conflict for x in selectors.project_links(a)}
    assert links == {("Build", "Design"): False, ("Live", "Build"): True}
    assert selectors.out_of_order(council).count() == 1
    rows = selectors.rows_with_links([live], dt.date(2026, 1, 1))
    assert rows[0].conflict and rows[0].after[0].depends_on == build
    services.milestone_save(
        project=b, milestone=live, data={"forecast_date": dt.date(2026, 5, 2)}, actor=None
    )
    assert selectors.out_of_order(council).count() == 0
    dependency = live.dependencies.get()
    services.milestone_dependency_remove(dependency=dependency, actor=None)
    assert not selectors.project_links(b)
    actions = list(
        AuditEvent.objects.filter(action__startswith="portfolio.milestone_dependency").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == [
        "portfolio.milestone_dependency.add",
        "portfolio.milestone_dependency.add",
        "portfolio.milestone_dependency.remove",
    ]


def test_milestones_of_another_council_cannot_be_linked(
    council: Council, make_council: Callable[..., Council]
) -> None:
    mine = milestone(project(council), "Mine", JUNE)
    theirs = milestone(project(make_council(), "T"), "Theirs", JUNE)
    with pytest.raises(PortfolioDomainError, match="belongs to another council"):
        services.milestone_dependency_add(milestone=mine, depends_on=theirs, actor=None)


@pytest.fixture
def roles(council: Council, make_member: Callable[..., Membership]) -> dict[str, Membership]:
    return {
        "admin": make_member(council, Role.ADMIN),
        "lead": make_member(council, Role.PROGRAMME_LEAD, username="lead-cx"),
        "other_lead": make_member(council, Role.PROGRAMME_LEAD, username="lead-bs"),
        "pm": make_member(council, Role.PROJECT_MANAGER),
    }


def test_a_programme_lead_approves_only_their_own_programmes_reports(
    council: Council, roles: dict[str, Membership]
) -> None:
    cx = services.programme_save(
        council=council, data={"code": "cx", "name": "Customer", "lead": roles["lead"].user}, actor=None
    )
    pm = roles["pm"].user
    p = project(council, manager=pm, programme=cx)
    first, second = report(p, JUNE, "amber", actor=pm), report(p, JULY, "green", actor=roles["lead"].user)
    assert p.__class__.objects.get(pk=p.pk).latest_rag == "green"
    with pytest.raises(PortfolioDomainError, match="locked"):
        services.report_save(council=council, report=first, data={"rag": "green"}, actor=pm)
    with pytest.raises(PortfolioDomainError, match="Only the lead of Customer"):
        services.report_approve(report=first, actor=roles["other_lead"].user)
    with pytest.raises(PortfolioDomainError, match="Your role cannot approve"):
        services.report_approve(report=first, actor=pm)
    with pytest.raises(PortfolioDomainError, match="You submitted this report"):
        services.report_approve(report=second, actor=roles["lead"].user)
    services.report_approve(report=first, actor=roles["lead"].user)
    services.report_approve(report=second, actor=roles["admin"].user)
    assert list(HighlightReport.objects.order_by("month").values_list("status", "approved_by")) == [
        ("approved", roles["lead"].user.pk),
        ("approved", roles["admin"].user.pk),
    ]


def test_the_manager_of_a_project_cannot_approve_its_report(
    council: Council, roles: dict[str, Membership]
) -> None:
    lead = roles["lead"].user
    cx = services.programme_save(
        council=council, data={"code": "cx", "name": "Customer", "lead": lead}, actor=None
    )
    p = project(council, manager=lead, programme=cx)
    r = report(p, JUNE, actor=roles["admin"].user)
    with pytest.raises(PortfolioDomainError, match="You manage this project"):
        services.report_approve(report=r, actor=lead)
    unaligned = report(project(council, "U"), JUNE, actor=roles["pm"].user)
    with pytest.raises(PortfolioDomainError, match="in no programme or workstream"):
        services.report_approve(report=unaligned, actor=lead)


def test_programme_highlight_reports_lock_and_their_lead_approves_them(
    council: Council, roles: dict[str, Membership]
) -> None:
    lead, admin = roles["lead"].user, roles["admin"].user
    cx = services.programme_save(
        council=council, data={"code": "cx", "name": "Customer", "lead": lead}, actor=None
    )
    with pytest.raises(PortfolioDomainError, match="one project or one programme"):
        services.report_save(council=council, month=JUNE, data={}, actor=admin)
    draft = services.report_save(
        council=council,
        programme=cx,
        month=JUNE,
        data={"rag": "amber", "narrative": "Two projects slipping", "benefit_status": "at_risk"},
        actor=admin,
    )
    with pytest.raises(PortfolioDomainError, match="already a report for June 2026"):
        services.report_save(
            council=council, programme=cx, month=JUNE, data={"narrative": "Again"}, actor=admin
        )
    with pytest.raises(PortfolioDomainError, match="must be submitted first"):
        services.report_approve(report=draft, actor=lead)
    services.report_submit(report=draft, actor=admin)
    with pytest.raises(PortfolioDomainError, match="locked"):
        services.report_save(council=council, report=draft, data={"rag": "green"}, actor=admin)
    with pytest.raises(PortfolioDomainError, match="Only the lead of Customer"):
        services.report_approve(report=draft, actor=roles["other_lead"].user)
    services.report_approve(report=draft, actor=lead)
    draft.refresh_from_db()
    assert (draft.status, draft.rag, draft.programme, draft.approved_by) == ("approved", "amber", cx, lead)


def test_allocations_count_against_the_programmes_capacity(council: Council) -> None:
    cx = services.programme_save(
        council=council, data={"code": "cx", "name": "Customer", "capacity_fte": Decimal("4")}, actor=None
    )
    a, b = project(council, "A", programme=cx), project(council, "B", programme=cx)
    allocate(a, "1.5"), allocate(a, "0.5"), allocate(b, "1")
    closed = project(council, "C", programme=cx)
    allocate(closed, "3")
    services.project_stop(project=closed, reason="Stopped", actor=None)
    row = next(r for r in selectors.programme_rows(council) if r.group == cx)
    assert (row.fte, row.utilisation, row.open_projects) == (Decimal("3.0"), Decimal("75.0"), 2)
    with pytest.raises(PortfolioDomainError, match="more than 0 and at most 50"):
        allocate(a, "0")
    assert programme(council, "bs", "Business support").capacity_fte is None
    no_capacity = next(r for r in selectors.programme_rows(council) if r.group.code == "bs")
    assert no_capacity.utilisation is None
