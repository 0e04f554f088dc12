"""The lifecycle, RAID, plans, reports and reviews through the services, with their audit trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import AuditEvent, Council, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import Condition, GateSubmission, HighlightReport, Project, Stage
from wholecouncil.portfolio.services import PortfolioDomainError
from wholecouncil.portfolio.tests.helpers import all_met, assess, programme, project, submit

pytestmark = pytest.mark.django_db


def reload(p: Project) -> Project:
    return Project.objects.get(pk=p.pk)


def test_the_default_five_stages_are_created_with_the_first_project(council: Council) -> None:
    project(council)
    assert [str(s) for s in Stage.objects.filter(council=council)] == [
        "1 Inspiration",
        "2 Understand",
        "3 Innovate",
        "4 Change",
        "5 Embed",
    ]


def test_a_project_passes_every_gate_and_closes_with_an_audit_row_per_move(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    lead = make_member(council, Role.PROGRAMME_LEAD).user
    p = project(council)
    with pytest.raises(
        PortfolioDomainError, match="cannot pass gate 1 without a design-principles assessment"
    ):
        submit(p)
    assess(p)
    for gate in range(1, 6):
        submit(p)
        assert reload(p).status == "at_gate"
        services.gate_decide(project=p, decision="approve", reasons=f"Gate {gate} met", actor=lead)
    p = reload(p)
    assert (p.stage, p.status) == (5, "closed")
    actions = list(AuditEvent.objects.filter(council=council).values_list("action", flat=True))
    assert actions.count("portfolio.gate.submit") == 5
    assert actions.count("portfolio.gate.decide") == 5
    last = AuditEvent.objects.filter(action="portfolio.gate.decide").first()
    assert last.before == {"stage": 5, "status": "at_gate"}
    assert last.after["status"] == "closed" and last.after["reasons"] == "Gate 5 met"


def test_conditions_must_close_before_the_next_submission(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    lead = make_member(council, Role.PROGRAMME_LEAD).user
    p = project(council)
    assess(p, conflicts=1)
    submit(p)
    with pytest.raises(PortfolioDomainError, match="conflicts with"):
        services.gate_decide(project=p, decision="approve", reasons="Fine", actor=lead)
    conditions = [services.NewCondition("Resolve the conflict with the first principle", "Head of digital")]
    services.gate_decide(
        project=p, decision="approve_with_conditions", reasons="Fine", conditions=conditions, actor=lead
    )
    assert reload(p).stage == 2
    with pytest.raises(PortfolioDomainError, match="1 condition set at an earlier gate is still open"):
        submit(p)
    condition = Condition.objects.get(project=p)
    with pytest.raises(PortfolioDomainError, match="how the condition has been met"):
        services.condition_close(condition=condition, note=" ", actor=lead)
    services.condition_close(condition=condition, note="Redesigned", actor=lead)
    with pytest.raises(PortfolioDomainError, match="already met"):
        services.condition_close(condition=condition, note="Again", actor=lead)
    submit(p)
    assert reload(p).status == "at_gate"


def test_a_refused_move_changes_nothing(council: Council, make_member: Callable[..., Membership]) -> None:
    pm = make_member(council, Role.PROJECT_MANAGER).user
    p = project(council, manager=pm)
    assess(p)
    submit(p, actor=pm)
    events = AuditEvent.objects.count()
    with pytest.raises(PortfolioDomainError, match="cannot decide its own gate"):
        services.gate_decide(project=p, decision="approve", reasons="Mine", actor=pm)
    with pytest.raises(PortfolioDomainError, match="already submitted for gate 1"):
        submit(p, actor=pm)
    assert AuditEvent.objects.count() == events
    assert reload(p).status == "at_gate"
    assert GateSubmission.objects.filter(project=p).count() == 1


def test_defer_keeps_the_submission_and_reject_returns_it(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    lead = make_member(council, Role.PROGRAMME_LEAD).user
    p = project(council)
    assess(p)
    submit(p)
    services.gate_decide(project=p, decision="defer", reasons="Next month", actor=lead)
    assert reload(p).status == "at_gate"
    assert GateSubmission.objects.get(project=p).status == "pending"
    services.gate_decide(project=p, decision="reject", reasons="Rework the options", actor=lead)
    assert (reload(p).stage, reload(p).status) == (1, "in_stage")
    assert GateSubmission.objects.get(project=p).status == "decided"


def test_unmet_required_criteria_are_named(council: Council) -> None:
    p = project(council)
    assess(p)
    answers = all_met(p)[1:]
    with pytest.raises(PortfolioDomainError, match="Gate 1 criteria not yet met: The problem"):
        services.gate_submit(project=p, summary="x", answers=answers, actor=None)


def test_the_assessment_needs_every_principle_with_a_reason(council: Council) -> None:
    p = project(council)
    with pytest.raises(PortfolioDomainError, match="choose supports, neutral or conflicts"):
        services.assessment_record(project=p, ratings={}, notes="", actor=None)


def test_dependency_loops_are_refused(council: Council) -> None:
    a, b, c = project(council, "A"), project(council, "B"), project(council, "C")
    services.dependency_add(project=a, depends_on=b, note="", actor=None)
    services.dependency_add(project=b, depends_on=c, note="", actor=None)
    with pytest.raises(PortfolioDomainError, match="loop: C → A → B → C"):
        services.dependency_add(project=c, depends_on=a, note="", actor=None)


def test_risk_scores_and_residual_check(council: Council) -> None:
    p = project(council)
    data = {
        "title": "Supplier fails",
        "likelihood": 4,
        "impact": 5,
        "residual_likelihood": 2,
        "residual_impact": 3,
        "raised_on": dt.date(2025, 5, 1),
    }
    risk = services.raid_save(kind="risk", project=p, data=data, actor=None)
    assert (risk.score, risk.residual_score) == (20, 6)
    with pytest.raises(PortfolioDomainError, match="cannot be higher than the current"):
        services.raid_save(
            kind="risk", project=p, data={**data, "residual_impact": 5, "likelihood": 1}, actor=None
        )


def test_reports_lock_once_submitted_and_the_submitter_cannot_approve(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    pm = make_member(council, Role.PROJECT_MANAGER).user
    lead = make_member(council, Role.PROGRAMME_LEAD).user
    p = project(council, manager=pm)
    data = {"rag": "amber", "narrative": "Slow start", "benefit_status": "on_track"}
    report = services.report_save(council=council, project=p, month=dt.date(2025, 6, 14), data=data, actor=pm)
    assert report.month == dt.date(2025, 6, 1)
    services.report_submit(report=report, actor=pm)
    assert reload(p).latest_rag == "amber"
    with pytest.raises(PortfolioDomainError, match="locked"):
        services.report_save(council=council, report=report, data={**data, "rag": "green"}, actor=pm)
    with pytest.raises(PortfolioDomainError, match="another programme lead"):
        services.report_approve(report=report, actor=pm)
    services.report_approve(report=report, actor=lead)
    assert HighlightReport.objects.get(pk=report.pk).status == "approved"


def test_a_review_pauses_stops_aligns_and_releases_capacity(council: Council) -> None:
    prog = programme(council)
    keep, paused, stopped, aligned = (project(council, code) for code in ("K", "PA", "ST", "AL"))
    for p, fte in ((paused, "1.5"), (stopped, "2"), (keep, "3")):
        services.allocation_save(project=p, data={"role": "Analyst", "fte": Decimal(fte)}, actor=None)
    review = services.review_create(
        council=council,
        name="Spring review",
        held_on=dt.date(2025, 4, 1),
        projects=[keep, paused, stopped, aligned],
        notes="",
        actor=None,
    )
    items = {i.project.code: i for i in review.items.select_related("project", "review")}
    with pytest.raises(PortfolioDomainError, match="Still to decide: AL, K, PA, ST"):
        services.review_conclude(review=review, actor=None)
    services.review_item_set(item=items["K"], data={"outcome": "continue", "rationale": "Core"}, actor=None)
    services.review_item_set(item=items["PA"], data={"outcome": "pause", "rationale": "Later"}, actor=None)
    services.review_item_set(
        item=items["ST"], data={"outcome": "stop", "rationale": "Duplicates CX"}, actor=None
    )
    with pytest.raises(PortfolioDomainError, match="one programme or workstream"):
        services.review_item_set(item=items["AL"], data={"outcome": "align", "rationale": "Fits"}, actor=None)
    services.review_item_set(
        item=items["AL"], data={"outcome": "align", "rationale": "Fits", "programme": prog}, actor=None
    )
    review = services.review_conclude(review=review, actor=None)
    assert (review.released_people, review.released_fte, review.released_budget) == (
        2,
        Decimal("3.5"),
        Decimal("200000"),
    )
    assert reload(paused).status == "paused" and reload(stopped).status == "stopped"
    assert reload(aligned).programme == prog and reload(keep).status == "in_stage"


def test_a_project_serves_only_councils_in_a_partnership(
    council: Council, make_council: Callable[..., Council]
) -> None:
    stranger = make_council()
    with pytest.raises(PortfolioDomainError, match="not in a partnership"):
        services.project_create(
            council=council, data={"code": "X", "name": "X"}, councils=[stranger], actor=None
        )
