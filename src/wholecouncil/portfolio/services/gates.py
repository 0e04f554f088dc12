"""The stage-gate lifecycle in the database: submissions with their documents, board decisions, conditions,
pausing, resuming and stopping.

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
from wholecouncil.portfolio.engine import lifecycle
from wholecouncil.portfolio.engine.errors import Refused
from wholecouncil.portfolio.engine.lifecycle import Action, Assessment, Decision, Facts
from wholecouncil.portfolio.models import (
    BoardMeeting,
    Condition,
    GateCriterion,
    GateDecision,
    GateSubmission,
    Project,
    SubmissionArtefact,
)
from wholecouncil.portfolio.services.assessment import assessment_summary
from wholecouncil.portfolio.services.common import PortfolioDomainError, record, state_dict, user_or_none
from wholecouncil.portfolio.services.evidence import Attachment, clean_link, file_type
from wholecouncil.portfolio.services.stages import stage_config


@dataclass(frozen=True)
class CriterionAnswer:
    """What the submission says about one criterion. A document is met by its file or link, not a tick."""

    criterion_id: int
    met: bool
    evidence: str = ""
    link: str = ""
    file: Attachment | None = None


@dataclass(frozen=True)
class NewCondition:
    text: str
    owner: str = ""
    due_date: Any = None


def _assessment_if_needed(project: Project, gate: int) -> Assessment | None:
    """The assessment only matters at the design-principles gate; elsewhere it is not read."""
    return assessment_summary(project) if project.stage == gate else None


def _open_conditions(project: Project) -> int:
    return Condition.objects.filter(project=project, status=Condition.Status.OPEN).count()


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("council").get(pk=project.pk)


def _move(project: Project, action: Action, facts: Facts, config: tuple[int, int]) -> lifecycle.ProjectState:
    count, gate = config
    try:
        return lifecycle.apply(project.state, action, facts, stage_count=count, design_gate=gate)
    except Refused as exc:
        raise PortfolioDomainError(exc.reason) from exc


def _save_state(project: Project, state: lifecycle.ProjectState) -> None:
    project.stage, project.status = state.stage, state.status.value
    project.save(update_fields=["stage", "status", "updated_at"])


def _pending(project: Project) -> GateSubmission | None:
    return project.submissions.filter(status=GateSubmission.Status.PENDING).order_by("-submitted_at").first()


def unmet_required(criteria: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Required criteria not met, documents aside (see missing_documents)."""
    return tuple(
        c["text"] for c in criteria if c.get("required") and not c.get("met") and not c.get("artefact")
    )


def missing_documents(criteria: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Required documents with neither a file nor a link."""
    return tuple(c["text"] for c in criteria if c.get("required") and not c.get("met") and c.get("artefact"))


@dataclass(frozen=True)
class _Evidence:
    criterion: GateCriterion
    link: str
    file: Attachment | None
    file_type: str


def _checklist(
    criteria: Sequence[GateCriterion], answers: Sequence[CriterionAnswer]
) -> tuple[list[dict[str, Any]], list[_Evidence]]:
    """The criteria as they stand, with what the submission gives for each, and the documents to keep."""
    given = {a.criterion_id: a for a in answers}
    checklist, documents = [], []
    for c in criteria:
        answer = given.get(c.pk) or CriterionAnswer(c.pk, False)
        link = clean_link(answer.link, c.text) if c.is_artefact else ""
        kind = file_type(answer.file, c.text) if c.is_artefact and answer.file is not None else ""
        if link or kind:
            documents.append(_Evidence(c, link, answer.file if kind else None, kind))
        checklist.append(
            {
                "id": c.pk,
                "text": c.text,
                "required": c.required,
                "artefact": c.is_artefact,
                "met": bool(link or kind) if c.is_artefact else answer.met,
                "evidence": answer.evidence.strip()[:1000],
                "link": link,
                "file": answer.file.file_name if kind and answer.file else "",
            }
        )
    return checklist, documents


@transaction.atomic
def gate_submit(
    *, project: Project, summary: str, answers: Sequence[CriterionAnswer], actor: Actor
) -> GateSubmission:
    """The project manager asks the board to pass the gate that closes the project's current stage.
    Every required document needs an uploaded file or a link."""
    project = _locked(project)
    config = stage_config(project.council)
    criteria = list(GateCriterion.objects.filter(council=project.council, stage__number=project.stage))
    checklist, documents = _checklist(criteria, answers)
    facts = Facts(
        assessment=_assessment_if_needed(project, config[1]),
        open_conditions=_open_conditions(project),
        unmet_criteria=unmet_required(checklist),
        missing_evidence=missing_documents(checklist),
    )
    if not summary.strip():
        raise PortfolioDomainError("Summarise what the project asks the board to agree.")
    before = state_dict(project)
    state = _move(project, Action.SUBMIT, facts, config)
    submission = GateSubmission.objects.create(
        council=project.council,
        project=project,
        gate=project.stage,
        summary=summary.strip(),
        criteria=checklist,
        submitted_by=user_or_none(actor),
    )
    SubmissionArtefact.objects.bulk_create(
        SubmissionArtefact(
            council=project.council,
            submission=submission,
            criterion_id=d.criterion.pk,
            title=d.criterion.text,
            link=d.link,
            file=d.file.content if d.file else None,
            file_name=d.file.file_name if d.file else "",
            file_type=d.file_type,
            file_size=len(d.file.content) if d.file else 0,
        )
        for d in documents
    )
    _save_state(project, state)
    after = {
        **state_dict(project),
        "gate": submission.gate,
        "summary": submission.summary,
        "documents": {d.criterion.text: d.file.file_name if d.file else d.link for d in documents},
    }
    record(
        council=project.council, actor=actor, action="gate.submit", obj=project, before=before, after=after
    )
    return submission


@transaction.atomic
def gate_withdraw(*, project: Project, actor: Actor) -> None:
    project = _locked(project)
    before = state_dict(project)
    state = _move(project, Action.WITHDRAW, Facts(), stage_config(project.council))
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
    config = stage_config(project.council)
    actor_pk = getattr(actor, "pk", None)
    facts = Facts(
        assessment=_assessment_if_needed(project, config[1]),
        open_conditions=_open_conditions(project),
        unmet_criteria=unmet_required(submission.criteria) if submission else (),
        missing_evidence=missing_documents(submission.criteria) if submission else (),
        reasons=reasons,
        new_conditions=len(wanted),
        actor_is_manager=actor_pk is not None and actor_pk == project.manager_id,
        actor_submitted=actor_pk is not None
        and submission is not None
        and actor_pk == submission.submitted_by_id,
    )
    before = state_dict(project)
    gate = project.stage
    state = _move(project, lifecycle.DECISION_ACTIONS[decision], facts, config)
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
    condition = (
        Condition.objects.select_for_update(of=("self",))
        .select_related("council", "project")
        .get(pk=condition.pk)
    )
    if actor is not None and getattr(actor, "pk", None) == condition.project.manager_id:
        raise PortfolioDomainError(
            "The project's manager cannot close its own conditions: the board decides when they are met."
        )
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


def _simple_move(project: Project, action: Action, reason: str, actor: Actor, name: str) -> Project:
    project = _locked(project)
    before = state_dict(project)
    state = _move(project, action, Facts(reasons=reason), stage_config(project.council))
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
