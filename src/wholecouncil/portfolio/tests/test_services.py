"""The lifecycle through the services, with its audit trail: gates, documents, decisions, conditions, pausing
and stopping, reviews, partners and opportunities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from wholecouncil.accounts.roles import Role
from wholecouncil.council import services as council_services
from wholecouncil.council.models import AuditEvent, Council, Membership
from wholecouncil.portfolio import services
from wholecouncil.portfolio.models import (
    Condition,
    GateCriterion,
    GateSubmission,
    Project,
    Stage,
    SubmissionArtefact,
)
from wholecouncil.portfolio.services import PortfolioDomainError
from wholecouncil.portfolio.tests.helpers import all_met, assess, opportunity, programme, project, submit

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


def test_a_project_serves_partner_councils_but_no_others(
    council: Council, make_council: Callable[..., Council]
) -> None:
    partner, stranger = make_council(name="Partner District Council"), make_council()
    council_services.partnership_create(name="Shared services", councils=[council, partner], actor=None)
    with pytest.raises(PortfolioDomainError, match="not in a partnership"):
        services.project_create(
            council=council, data={"code": "X", "name": "X"}, councils=[stranger], actor=None
        )
    p = services.project_create(
        council=council, data={"code": "S", "name": "Shared"}, councils=[council, partner], actor=None
    )
    assert set(p.councils.all()) == {council, partner}
    event = AuditEvent.objects.get(action="portfolio.project.create")
    assert event.after["councils"] == sorted([council.slug, partner.slug])


def test_a_project_links_its_own_councils_opportunities_only(
    council: Council, make_council: Callable[..., Council]
) -> None:
    mine, theirs = opportunity(council, "OP-1"), opportunity(make_council(), "OP-9")
    p = project(council)
    with pytest.raises(PortfolioDomainError, match="An opportunity belongs to another council"):
        services.project_update(project=p, data={}, opportunities=[theirs], actor=None)
    services.project_update(project=p, data={}, opportunities=[mine], actor=None)
    assert list(reload(p).opportunities.all()) == [mine]
    event = AuditEvent.objects.filter(action="portfolio.project.update").get()
    assert (event.before["opportunities"], event.after["opportunities"]) == ([], [str(mine)])


def test_withdraw_returns_the_project_to_its_stage(council: Council) -> None:
    p = project(council)
    assess(p)
    submit(p)
    services.gate_withdraw(project=p, actor=None)
    assert (reload(p).stage, reload(p).status) == (1, "in_stage")
    assert GateSubmission.objects.get(project=p).status == "withdrawn"
    event = AuditEvent.objects.get(action="portfolio.gate.withdraw")
    assert (event.before, event.after) == (
        {"stage": 1, "status": "at_gate"},
        {"stage": 1, "status": "in_stage"},
    )
    with pytest.raises(PortfolioDomainError, match="no submission for gate 1 to withdraw"):
        services.gate_withdraw(project=p, actor=None)


def test_pause_resume_and_stop_go_through_the_lifecycle(council: Council) -> None:
    p = project(council)
    assess(p)
    submit(p)
    with pytest.raises(PortfolioDomainError, match="Give the reason"):
        services.project_pause(project=p, reason=" ", actor=None)
    services.project_pause(project=p, reason="Waiting for the budget", actor=None)
    assert reload(p).status == "paused"
    assert GateSubmission.objects.get(project=p).status == "withdrawn", "a pending submission is withdrawn"
    with pytest.raises(PortfolioDomainError, match="paused: resume it before you submit"):
        submit(p)
    services.project_resume(project=p, actor=None)
    assert reload(p).status == "in_stage"
    services.project_stop(project=p, reason="No longer needed", actor=None)
    assert reload(p).status == "stopped"
    with pytest.raises(PortfolioDomainError, match="has been stopped"):
        services.project_resume(project=p, actor=None)
    moves = list(
        AuditEvent.objects.filter(
            action__in=["portfolio.project.pause", "portfolio.project.resume", "portfolio.project.stop"]
        )
        .order_by("id")
        .values_list("action", "after")
    )
    assert [(a, after["status"]) for a, after in moves] == [
        ("portfolio.project.pause", "paused"),
        ("portfolio.project.resume", "in_stage"),
        ("portfolio.project.stop", "stopped"),
    ]
    assert moves[0][1]["reason"] == "Waiting for the budget"


def test_the_board_can_stop_a_project_at_its_gate(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    lead = make_member(council, Role.PROGRAMME_LEAD).user
    p = project(council)
    assess(p)
    submit(p)
    decision = services.gate_decide(project=p, decision="stop", reasons="Better value elsewhere", actor=lead)
    assert (reload(p).stage, reload(p).status) == (1, "stopped")
    assert (decision.decision, decision.decided_by) == ("stop", lead)
    assert GateSubmission.objects.get(project=p).status == "decided"
    with pytest.raises(PortfolioDomainError, match="has been stopped"):
        submit(p)


def test_a_condition_waived_by_the_board_stops_blocking_the_next_gate(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    lead = make_member(council, Role.PROGRAMME_LEAD).user
    p = project(council)
    assess(p)
    submit(p)
    services.gate_decide(
        project=p,
        decision="approve_with_conditions",
        reasons="Subject to the condition",
        conditions=[services.NewCondition("Agree the savings with finance", "Finance")],
        actor=lead,
    )
    condition = Condition.objects.get(project=p)
    with pytest.raises(PortfolioDomainError, match="Say why the board waives the condition"):
        services.condition_close(condition=condition, note="", waive=True, actor=lead)
    services.condition_close(
        condition=condition, note="Finance signed off another way", waive=True, actor=lead
    )
    condition.refresh_from_db()
    assert (condition.status, condition.closed_by) == ("waived", lead)
    event = AuditEvent.objects.get(action="portfolio.condition.close")
    assert event.after == {"status": "waived", "note": "Finance signed off another way"}
    submit(p)
    assert reload(p).status == "at_gate"


def test_whoever_submitted_a_gate_cannot_decide_it(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    lead, other_lead = (make_member(council, Role.PROGRAMME_LEAD, username=n).user for n in ("lee", "lou"))
    p = project(council)
    assess(p)
    submit(p, actor=lead)
    events = AuditEvent.objects.count()
    with pytest.raises(PortfolioDomainError, match="You submitted this gate"):
        services.gate_decide(project=p, decision="approve", reasons="Mine", actor=lead)
    assert AuditEvent.objects.count() == events and reload(p).status == "at_gate"
    services.gate_decide(project=p, decision="approve", reasons="Agreed", actor=other_lead)
    assert reload(p).stage == 2


def test_the_manager_cannot_close_their_projects_conditions(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    pm, lead = (
        make_member(council, Role.PROGRAMME_LEAD, username="pm-lead").user,
        make_member(council, Role.ADMIN).user,
    )
    p = project(council, manager=pm)
    assess(p)
    submit(p)
    services.gate_decide(
        project=p,
        decision="approve_with_conditions",
        reasons="Go",
        conditions=[services.NewCondition("Name a sponsor")],
        actor=lead,
    )
    condition = Condition.objects.get(project=p)
    with pytest.raises(PortfolioDomainError, match="manager cannot close its own conditions"):
        services.condition_close(condition=condition, note="Done", actor=pm)
    assert Condition.objects.get(pk=condition.pk).status == "open"


def _answers(p: Project, **by_text: services.CriterionAnswer) -> list[services.CriterionAnswer]:
    answers = {a.criterion_id: a for a in all_met(p)}
    for c in GateCriterion.objects.filter(council=p.council, stage__number=p.stage):
        if c.text in by_text:
            answers[c.pk] = by_text[c.text]
    return list(answers.values())


def _at_gate_2(council: Council, lead: object) -> Project:
    p = project(council)
    assess(p)
    submit(p)
    services.gate_decide(project=p, decision="approve", reasons="Fine", actor=lead)
    return reload(p)


def test_a_required_document_needs_a_file_or_a_link(
    council: Council, make_member: Callable[..., Membership]
) -> None:
    p = _at_gate_2(council, make_member(council, Role.PROGRAMME_LEAD).user)
    case = GateCriterion.objects.get(council=council, stage__number=2, is_artefact=True)
    ticked = services.CriterionAnswer(case.pk, True, "It is on the shared drive")
    with pytest.raises(PortfolioDomainError, match="Missing: Outline business case"):
        services.gate_submit(
            project=p, summary="Ready", answers=_answers(p, **{case.text: ticked}), actor=None
        )
    bad_link = services.CriterionAnswer(case.pk, True, link="shared drive/obc.docx")
    with pytest.raises(
        PortfolioDomainError, match="Outline business case: the link must be a full web address"
    ):
        services.gate_submit(
            project=p, summary="Ready", answers=_answers(p, **{case.text: bad_link}), actor=None
        )
    exe = services.CriterionAnswer(case.pk, True, file=services.Attachment("obc.exe", b"MZ"))
    with pytest.raises(PortfolioDomainError, match=r"Outline business case: obc\.exe is not a file type"):
        services.gate_submit(project=p, summary="Ready", answers=_answers(p, **{case.text: exe}), actor=None)
    big = services.Attachment("obc.pdf", b"%PDF" + b"0" * services.MAX_FILE_BYTES)
    with pytest.raises(PortfolioDomainError, match=r"obc\.pdf is larger than 10 MB"):
        services.gate_submit(
            project=p,
            summary="Ready",
            answers=_answers(p, **{case.text: services.CriterionAnswer(case.pk, True, file=big)}),
            actor=None,
        )
    assert reload(p).status == "in_stage" and not SubmissionArtefact.objects.exists()
    pdf = services.CriterionAnswer(
        case.pk, False, file=services.Attachment("C:\\cases\\obc.pdf", b"%PDF-1.4 case")
    )
    submission = services.gate_submit(
        project=p, summary="Ready", answers=_answers(p, **{case.text: pdf}), actor=None
    )
    stored = SubmissionArtefact.objects.get(submission=submission, criterion_id=case.pk)
    assert (stored.file_name, stored.file_type, bytes(stored.file)) == (
        "obc.pdf",
        "application/pdf",
        b"%PDF-1.4 case",
    )
    row = next(c for c in submission.criteria if c["id"] == case.pk)
    assert (row["met"], row["file"]) == (True, "obc.pdf")
    assert AuditEvent.objects.filter(action="portfolio.gate.submit").order_by("id").last().after[
        "documents"
    ] == {"Outline business case": "obc.pdf"}
