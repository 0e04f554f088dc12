"""Gate submissions by the project manager, board decisions, conditions, assessments and pausing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.models import DesignPrinciple
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.engine import lifecycle
from wholecouncil.portfolio.forms import ConditionCloseForm, DecideForm, MeetingForm, StateForm
from wholecouncil.portfolio.models import (
    BoardMeeting,
    Condition,
    GateCriterion,
    GateSubmission,
    HighlightReport,
    PrincipleRating,
    SubmissionArtefact,
)
from wholecouncil.portfolio.views.common import editable_project, own, project_or_404
from wholecouncil.web.files import stored_file_response


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    return redirect("portfolio:project", current_council(request).slug, pk)


def _answers(
    request: HttpRequest, criteria: list[GateCriterion]
) -> tuple[list[services.CriterionAnswer], list[str]]:
    """What the form says for each criterion; a document's file is read here, a file too large refused."""
    answers, errors = [], []
    for c in criteria:
        upload = request.FILES.get(f"file-{c.pk}") if c.is_artefact else None
        if upload is not None and upload.size is not None and upload.size > services.MAX_FILE_BYTES:
            errors.append(f"{c.text}: {upload.name} is larger than 10 MB.")
            upload = None
        answers.append(
            services.CriterionAnswer(
                c.pk,
                request.POST.get(f"met-{c.pk}") == "yes",
                request.POST.get(f"evidence-{c.pk}", ""),
                link=request.POST.get(f"link-{c.pk}", "") if c.is_artefact else "",
                file=services.Attachment(upload.name or "", upload.read()) if upload is not None else None,
            )
        )
    return answers, errors


@council_view(Perm.EDIT_OWN_PROJECTS)
def gate_submit(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk)
    criteria = selectors.criteria_for(council, project.stage)
    stage_count, design_gate = services.stage_config(council)
    errors: list[str] = []
    posted: dict[str, Any] = {}
    if request.method == "POST":
        summary = request.POST.get("summary", "")
        answers, errors = _answers(request, criteria)
        posted = {"summary": summary, "answers": {a.criterion_id: a for a in answers}}
        if not errors:
            try:
                services.gate_submit(project=project, summary=summary, answers=answers, actor=request.user)
            except services.PortfolioDomainError as exc:
                errors.append(str(exc))
            else:
                messages.success(
                    request, f"Submitted for gate {project.stage}. The board will record its decision."
                )
                return _back(request, project.pk)
    problem = lifecycle.refusal(
        project.state,
        lifecycle.Action.SUBMIT,
        lifecycle.Facts(assessment=services.assessment_summary(project)),
        stage_count=stage_count,
        design_gate=design_gate,
    )
    context = {
        "project": project,
        "criteria": criteria,
        "errors": errors,
        "posted": posted,
        "stage_name": selectors.stage_names(council).get(project.stage, ""),
        "problem": problem if not errors else None,
        "needs_assessment": project.stage == design_gate,
        "documents_retyped": bool(errors) and any(c.is_artefact for c in criteria),
    }
    return render(request, "portfolio/gate_submit.html", context)


@council_view(Perm.VIEW)
def artefact(request: HttpRequest, pk: int) -> HttpResponse:
    """A document given with a gate submission, downloaded through the council's own pages only."""
    found = own(request, SubmissionArtefact, pk)
    if not found.file_name or found.file is None:
        raise Http404("No file")
    return stored_file_response(found.file, found.file_name, found.file_type)


@council_view(Perm.EDIT_OWN_PROJECTS)
@require_POST
def gate_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    project = editable_project(request, pk)
    try:
        services.gate_withdraw(project=project, actor=request.user)
    except services.PortfolioDomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Submission withdrawn.")
    return _back(request, project.pk)


def _conditions(request: HttpRequest) -> tuple[list[services.NewCondition], list[str]]:
    out, errors = [], []
    for i in range(1, DecideForm.CONDITION_ROWS + 1):
        text = request.POST.get(f"condition-{i}", "").strip()
        owner = request.POST.get(f"condition-{i}-owner", "").strip()
        due_raw = request.POST.get(f"condition-{i}-due", "").strip()
        due = None
        if due_raw:
            try:
                due = dt.date.fromisoformat(due_raw)
            except ValueError:
                errors.append(f"Condition {i}: enter a real due date, for example 2026-03-31")
        if text:
            out.append(services.NewCondition(text, owner, due))
        elif owner or due_raw:
            errors.append(f"Condition {i}: enter the condition, or clear its owner and date")
    return out, errors


@council_view(Perm.DECIDE_GATES)
def gate_decide(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    project = project_or_404(request, pk)
    submission = selectors.pending_submission(project)
    form = DecideForm(request.POST or None, council=council)
    condition_errors: list[str] = []
    if request.method == "POST":
        conditions, condition_errors = _conditions(request)
        if form.is_valid() and not condition_errors:
            try:
                services.gate_decide(
                    project=project,
                    decision=form.cleaned_data["decision"],
                    reasons=form.cleaned_data["reasons"],
                    conditions=conditions,
                    meeting=form.cleaned_data["meeting"],
                    actor=request.user,
                )
            except services.PortfolioDomainError as exc:
                form.add_error(None, str(exc))
            else:
                label = lifecycle.DECISION_LABELS[lifecycle.Decision(form.cleaned_data["decision"])]
                messages.success(request, f"Decision recorded: {label.lower()}.")
                return _back(request, project.pk)
    assessment = project.assessments.prefetch_related("ratings__principle").first()
    context = {
        "project": project,
        "hosted_here": True,
        "submission": submission,
        "documents": {a.criterion_id: a for a in submission.artefacts.all()} if submission else {},
        "form": form,
        "condition_errors": condition_errors,
        "condition_rows": [
            {
                "i": i,
                "text": request.POST.get(f"condition-{i}", ""),
                "owner": request.POST.get(f"condition-{i}-owner", ""),
                "due": request.POST.get(f"condition-{i}-due", ""),
            }
            for i in range(1, DecideForm.CONDITION_ROWS + 1)
        ],
        "posted": request.POST,
        "assessment": assessment,
        "stage_name": selectors.stage_names(council).get(project.stage, ""),
    }
    return render(request, "portfolio/gate_decide.html", context)


@council_view(Perm.DECIDE_GATES)
def condition_close(request: HttpRequest, pk: int) -> HttpResponse:
    condition = own(request, Condition, pk)
    form = ConditionCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.condition_close(
                condition=condition,
                note=form.cleaned_data["note"],
                waive=form.cleaned_data["outcome"] == "waived",
                actor=request.user,
            )
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Condition closed.")
            return _back(request, condition.project_id)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "Close a condition",
            "caption": str(condition.project),
            "intro": condition.text,
            "back_href": condition.project,
            "submit_label": "Close the condition",
        },
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk)
    principles = list(DesignPrinciple.objects.filter(council=council))
    latest = project.assessments.prefetch_related("ratings").first()
    values: dict[int, tuple[str, str]] = {}
    if latest is not None:
        values = {r.principle_id: (r.rating, r.reason) for r in latest.ratings.all()}
    notes = latest.notes if latest else ""
    field_errors: dict[int, str] = {}
    errors: list[str] = []
    if request.method == "POST":
        values = {
            p.pk: (request.POST.get(f"rating-{p.pk}", ""), request.POST.get(f"reason-{p.pk}", ""))
            for p in principles
        }
        notes = request.POST.get("notes", "")
        for p in principles:
            rating, reason = values[p.pk]
            if rating not in PrincipleRating.Rating.values:
                field_errors[p.pk] = (
                    f"Choose whether the project supports, is neutral to or conflicts with {p.title}"
                )
            elif not reason.strip():
                field_errors[p.pk] = f"Give the reason for the rating of {p.title}"
        if not field_errors:
            try:
                services.assessment_record(project=project, ratings=values, notes=notes, actor=request.user)
            except services.PortfolioDomainError as exc:
                errors.append(str(exc))
            else:
                messages.success(request, "Design-principles assessment recorded.")
                return _back(request, project.pk)
    rows = [
        {
            "principle": p,
            "rating": values.get(p.pk, ("", ""))[0],
            "reason": values.get(p.pk, ("", ""))[1],
            "error": field_errors.get(p.pk, ""),
        }
        for p in principles
    ]
    context = {
        "project": project,
        "rows": rows,
        "notes": notes,
        "errors": errors,
        "field_errors": field_errors,
        "ratings": PrincipleRating.Rating.choices,
    }
    return render(request, "portfolio/assessment.html", context)


@council_view(Perm.MANAGE_PORTFOLIO)
def project_state(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_or_404(request, pk)
    form = StateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        try:
            if action == "pause":
                services.project_pause(project=project, reason=reason, actor=request.user)
            elif action == "resume":
                services.project_resume(project=project, reason=reason, actor=request.user)
            else:
                services.project_stop(project=project, reason=reason, actor=request.user)
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{project.code} {'resumed' if action == 'resume' else action + 'ped'}."
            )
            return _back(request, project.pk)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "Pause, resume or stop the project",
            "caption": str(project),
            "back_href": project,
            "submit_label": "Save",
        },
    )


@council_view(Perm.DECIDE_GATES)
def meeting_add(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.meeting_create(council=council, actor=request.user, **form.cleaned_data)
        messages.success(request, "Meeting added.")
        return redirect("portfolio:board", council.slug)
    return render(
        request,
        "portfolio/form.html",
        {"form": form, "title": "Add a board meeting", "back_url": "portfolio:board", "back_text": "Board"},
    )


@council_view(Perm.VIEW)
def board(request: HttpRequest) -> HttpResponse:
    """What is waiting for the board: gate submissions, open conditions, reports to approve, meetings.

    Each item says whether the person looking may act on it; when they may not (they submitted it, or
    manage the project), the page says so instead of offering a link the service would refuse."""
    council = current_council(request)
    user_id = request.user.pk
    can_decide = can(request, Perm.DECIDE_GATES)
    pending = [
        (submission, user_id in (submission.submitted_by_id, submission.project.manager_id))
        for submission in GateSubmission.objects.filter(council=council, status=GateSubmission.Status.PENDING)
        .select_related("project", "submitted_by")
        .order_by("submitted_at")
    ]
    submitted = (
        HighlightReport.objects.filter(council=council, status=HighlightReport.Status.SUBMITTED)
        .select_related("project__programme", "project__workstream", "programme")
        .order_by("month", "id")[:100]
    )
    membership = getattr(request, "membership", None)
    reports = [(report, services.approval_refusal(membership, report)) for report in submitted]
    context = {
        "pending": pending,
        "conditions": list(
            Condition.objects.filter(council=council, status=Condition.Status.OPEN)
            .select_related("project", "decision")
            .order_by("due_date", "id")[:100]
        ),
        "reports": reports,
        "meetings": list(BoardMeeting.objects.filter(council=council)[:24]),
        "can_decide": can_decide,
        "can_approve": can(request, Perm.APPROVE_REPORTS),
    }
    return render(request, "portfolio/board.html", context)
