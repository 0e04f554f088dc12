"""The stage-gate lifecycle in the database: submissions, board decisions, conditions and assessments.

Each move asks the engine (`engine.lifecycle`) whether it is allowed, with the facts read here, and writes
the new state and one audit event in the same transaction. A refused move changes nothing and raises
PortfolioDomainError with the engine's reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from wholecouncil.council.audit import Actor
from wholecouncil.council.models import DesignPrinciple
from wholecouncil.portfolio.engine import lifecycle
from wholecouncil.portfolio.engine.errors import Refused
from wholecouncil.portfolio.engine.lifecycle import Action, Assessment, Decision, Facts
from wholecouncil.portfolio.engine.stages import DESIGN_PRINCIPLES_GATE
from wholecouncil.portfolio.models import (
    BoardMeeting,
    Condition,
    DesignPrinciplesAssessment,
    GateCriterion,
    GateDecision,
    GateSubmission,
    PrincipleRating,
    Project,
)
from wholecouncil.portfolio.services.common import PortfolioDomainError, record, state_dict, user_or_none
from wholecouncil.portfolio.services.structure import stage_count

Rating = PrincipleRating.Rating


@dataclass(frozen=True)
class CriterionAnswer:
    criterion_id: int
    met: bool
    evidence: str = ""


@dataclass(frozen=True)
class NewCondition:
    text: str
    owner: str = ""
    due_date: Any = None


def assessment_summary(project: Project) -> Assessment | None:
    """What the latest design-principles assessment says against the council's principles today."""
    latest = project.assessments.order_by("-assessed_at", "-id").first()
    if latest is None:
        return None
    ratings = {r.principle_id: r for r in latest.ratings.all()}
    principles = list(DesignPrinciple.objects.filter(council_id=project.council_id))
    missing = tuple(p.title for p in principles if p.pk not in ratings or not ratings[p.pk].reason.strip())
    conflicts = tuple(
        p.title for p in principles if p.pk in ratings and ratings[p.pk].rating == Rating.CONFLICTS
    )
    return Assessment(missing=missing, conflicts=conflicts)


def _assessment_if_needed(project: Project) -> Assessment | None:
    """The assessment only matters at the design-principles gate; elsewhere it is not read."""
    return assessment_summary(project) if project.stage == DESIGN_PRINCIPLES_GATE else None


def _open_conditions(project: Project) -> int:
    return Condition.objects.filter(project=project, status=Condition.Status.OPEN).count()


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("council").get(pk=project.pk)


def _move(project: Project, action: Action, facts: Facts) -> lifecycle.ProjectState:
    try:
        return lifecycle.apply(project.state, action, facts, stage_count=stage_count(project.council))
    except Refused as exc:
        raise PortfolioDomainError(exc.reason) from exc


def _save_state(project: Project, state: lifecycle.ProjectState) -> None:
    project.stage, project.status = state.stage, state.status.value
    project.save(update_fields=["stage", "status", "updated_at"])


def _pending(project: Project) -> GateSubmission | None:
    return project.submissions.filter(status=GateSubmission.Status.PENDING).order_by("-submitted_at").first()


def unmet_required(criteria: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(c["text"] for c in criteria if c.get("required") and not c.get("met"))


@transaction.atomic
def gate_submit(
    *, project: Project, summary: str, answers: Sequence[CriterionAnswer], actor: Actor
) -> GateSubmission:
    """The project manager asks the board to pass the gate that closes the project's current stage."""
    project = _locked(project)
    criteria = list(GateCriterion.objects.filter(council=project.council, stage__number=project.stage))
    given = {a.criterion_id: a for a in answers}
    checklist = [
        {
            "id": c.pk,
            "text": c.text,
            "required": c.required,
            "artefact": c.is_artefact,
            "met": bool(given.get(c.pk) and given[c.pk].met),
            "evidence": (given[c.pk].evidence.strip() if c.pk in given else "")[:1000],
        }
        for c in criteria
    ]
    facts = Facts(
        assessment=_assessment_if_needed(project),
        open_conditions=_open_conditions(project),
        unmet_criteria=unmet_required(checklist),
    )
    if not summary.strip():
        raise PortfolioDomainError("Summarise what the project asks the board to agree.")
    before = state_dict(project)
    state = _move(project, Action.SUBMIT, facts)
    submission = GateSubmission.objects.create(
        council=project.council,
        project=project,
        gate=project.stage,
        summary=summary.strip(),
        criteria=checklist,
        submitted_by=user_or_none(actor),
    )
    _save_state(project, state)
    after = {**state_dict(project), "gate": submission.gate, "summary": submission.summary}
    record(
        council=project.council, actor=actor, action="gate.submit", obj=project, before=before, after=after
    )
    return submission


@transaction.atomic
def gate_withdraw(*, project: Project, actor: Actor) -> None:
    project = _locked(project)
    before = state_dict(project)
    state = _move(project, Action.WITHDRAW, Facts())
    submission = _pending(project)
    if submission is not None:
        submission.status = GateSubmission.Status.WITHDRAWN
        submission.save(update_fields=["status"])
    _save_state(project, state)
    record(
        council=project.council,
        actor=actor,
        action="gate.withdraw",
        obj=project,
        before=before,
        after=state_dict(project),
    )


@transaction.atomic
def gate_decide(
    *,
    project: Project,
    decision: Decision | str,
    reasons: str,
    actor: Actor,
    conditions: Sequence[NewCondition] = (),
    meeting: BoardMeeting | None = None,
) -> GateDecision:
    """The board's decision at the gate the project is waiting at, with reasons and any conditions."""
    project = _locked(project)
    decision = Decision(decision)
    submission = _pending(project)
    wanted = [c for c in conditions if c.text.strip()]
    if meeting is not None and meeting.council_id != project.council_id:
        raise PortfolioDomainError("The meeting belongs to another council.")
    facts = Facts(
        assessment=_assessment_if_needed(project),
        open_conditions=_open_conditions(project),
        unmet_criteria=unmet_required(submission.criteria) if submission else (),
        reasons=reasons,
        new_conditions=len(wanted),
        actor_is_manager=actor is not None and getattr(actor, "pk", None) == project.manager_id,
    )
    before = state_dict(project)
    gate = project.stage
    state = _move(project, lifecycle.DECISION_ACTIONS[decision], facts)
    assert submission is not None, "a project at a gate has a pending submission"
    record_ = GateDecision.objects.create(
        council=project.council,
        project=project,
        submission=submission,
        gate=gate,
        decision=decision.value,
        reasons=reasons.strip(),
        meeting=meeting,
        decided_by=user_or_none(actor),
    )
    Condition.objects.bulk_create(
        Condition(
            council=project.council,
            project=project,
            decision=record_,
            text=c.text.strip()[:500],
            owner=c.owner.strip()[:150],
            due_date=c.due_date,
        )
        for c in wanted
    )
    if decision is not Decision.DEFER:
        submission.status = GateSubmission.Status.DECIDED
        submission.save(update_fields=["status"])
    _save_state(project, state)
    after = {
        **state_dict(project),
        "gate": gate,
        "decision": decision.value,
        "reasons": record_.reasons,
        "conditions": [c.text.strip() for c in wanted],
    }
    record(
        council=project.council, actor=actor, action="gate.decide", obj=project, before=before, after=after
    )
    return record_


@transaction.atomic
def condition_close(*, condition: Condition, note: str, actor: Actor, waive: bool = False) -> Condition:
    """Mark a condition met (with the evidence) or waived by the board (with the reason)."""
    condition = Condition.objects.select_for_update().select_related("council").get(pk=condition.pk)
    if condition.status != Condition.Status.OPEN:
        raise PortfolioDomainError(f"This condition is already {condition.get_status_display().lower()}.")
    if not note.strip():
        raise PortfolioDomainError(
            "Say why the board waives the condition." if waive else "Say how the condition has been met."
        )
    before = {"status": condition.status}
    condition.status = Condition.Status.WAIVED if waive else Condition.Status.MET
    condition.closure_note = note.strip()
    condition.closed_by = user_or_none(actor)
    condition.closed_at = timezone.now()
    condition.save(update_fields=["status", "closure_note", "closed_by", "closed_at"])
    after = {"status": condition.status, "note": condition.closure_note}
    record(
        council=condition.council,
        actor=actor,
        action="condition.close",
        obj=condition,
        before=before,
        after=after,
    )
    return condition


@transaction.atomic
def assessment_record(
    *, project: Project, ratings: Mapping[int, tuple[str, str]], notes: str, actor: Actor
) -> DesignPrinciplesAssessment:
    """Record a design-principles assessment: for each principle id, (supports|neutral|conflicts, reason)."""
    project = _locked(project)
    if not project.is_open:
        raise PortfolioDomainError("The project is no longer open, so it cannot be assessed.")
    principles = {p.pk: p for p in DesignPrinciple.objects.filter(council=project.council)}
    if not principles:
        raise PortfolioDomainError(
            "The council has no design principles yet: add them to the operating model."
        )
    problems = []
    for pk, p in principles.items():
        rating, reason = ratings.get(pk, ("", ""))
        if rating not in Rating.values:
            problems.append(f"{p.title}: choose supports, neutral or conflicts")
        elif not reason.strip():
            problems.append(f"{p.title}: give the reason")
    if any(pk not in principles for pk in ratings):
        problems.append("A rating names a principle the council does not have")
    if problems:
        raise PortfolioDomainError("; ".join(problems) + ".")
    assessment = DesignPrinciplesAssessment.objects.create(
        council=project.council, project=project, notes=notes.strip(), assessed_by=user_or_none(actor)
    )
    PrincipleRating.objects.bulk_create(
        PrincipleRating(
            assessment=assessment, principle_id=pk, rating=ratings[pk][0], reason=ratings[pk][1].strip()
        )
        for pk in principles
    )
    after = {principles[pk].title: f"{ratings[pk][0]}: {ratings[pk][1].strip()}" for pk in principles}
    record(council=project.council, actor=actor, action="assessment.record", obj=project, after=after)
    return assessment


def _simple_move(project: Project, action: Action, reason: str, actor: Actor, name: str) -> Project:
    project = _locked(project)
    before = state_dict(project)
    state = _move(project, action, Facts(reasons=reason))
    if action in {Action.PAUSE, Action.STOP}:
        project.submissions.filter(status=GateSubmission.Status.PENDING).update(
            status=GateSubmission.Status.WITHDRAWN
        )
    _save_state(project, state)
    record(
        council=project.council,
        actor=actor,
        action=name,
        obj=project,
        before=before,
        after={**state_dict(project), "reason": reason.strip()},
    )
    return project


@transaction.atomic
def project_pause(*, project: Project, reason: str, actor: Actor) -> Project:
    return _simple_move(project, Action.PAUSE, reason, actor, "project.pause")


@transaction.atomic
def project_resume(*, project: Project, actor: Actor, reason: str = "") -> Project:
    return _simple_move(project, Action.RESUME, reason, actor, "project.resume")


@transaction.atomic
def project_stop(*, project: Project, reason: str, actor: Actor) -> Project:
    return _simple_move(project, Action.STOP, reason, actor, "project.stop")


@transaction.atomic
def meeting_create(*, council: Any, kind: str, held_on: Any, title: str, actor: Actor) -> BoardMeeting:
    if kind not in BoardMeeting.Kind.values:
        raise PortfolioDomainError("Choose the kind of meeting.")
    if not title.strip():
        raise PortfolioDomainError("Enter the meeting's title.")
    meeting = BoardMeeting.objects.create(
        council=council, kind=kind, held_on=held_on, title=title.strip()[:200]
    )
    record(
        council=council,
        actor=actor,
        action="meeting.create",
        obj=meeting,
        after={"kind": kind, "held_on": held_on, "title": meeting.title},
    )
    return meeting
