"""Monthly highlight reports: draft, submit (then locked) and approve."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.engine.status import RAG_TAGS, Rag
from wholecouncil.portfolio.forms import NewReportForm, ReportForm
from wholecouncil.portfolio.models import HighlightReport, Programme
from wholecouncil.portfolio.views.common import can_edit, editable_project, own, today
from wholecouncil.portfolio.views.dashboard import rag_context


def _may_edit(request: HttpRequest, report: HighlightReport) -> bool:
    if report.council_id != current_council(request).pk:
        return False
    if report.project is not None:
        return can_edit(request, report.project)
    return can(request, Perm.MANAGE_PORTFOLIO)


def _report(request: HttpRequest, pk: int) -> HighlightReport:
    """The council's own report, or a report of a partner's project that serves it (to read only)."""
    found = selectors.readable_reports(current_council(request)).filter(pk=pk).first()
    if found is None:
        raise Http404("No such report")
    return found


@council_view(Perm.VIEW)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    editable = _may_edit(request, report)
    refusal = services.approval_refusal(getattr(request, "membership", None), report)
    context = {
        "report": report,
        "hosted_here": report.council_id == current_council(request).pk,
        "rag_tag": RAG_TAGS[Rag(report.rag)],
        "can_edit": editable and not report.is_locked,
        "can_submit": editable and report.status == HighlightReport.Status.DRAFT,
        "can_approve": refusal is None and report.status == HighlightReport.Status.SUBMITTED,
        "approval_note": refusal
        if report.status == HighlightReport.Status.SUBMITTED and can(request, Perm.APPROVE_REPORTS)
        else "",
        **rag_context(),
    }
    return render(request, "portfolio/report.html", context)


def _new_report(request: HttpRequest, project_pk: int | None, programme_pk: int | None) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, project_pk) if project_pk is not None else None
    programme = own(request, Programme, programme_pk) if programme_pk is not None else None
    initial = {"month": today().replace(day=1)}
    form = NewReportForm(request.POST or None, council=council, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        month = data.pop("month")
        try:
            report = services.report_save(
                council=council,
                month=month,
                project=project,
                programme=programme,
                data=data,
                actor=request.user,
            )
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Draft report saved. Submit it to the board when it is ready.")
            return redirect("portfolio:report", council.slug, report.pk)
    subject = project or programme
    return render(
        request,
        "portfolio/report_form.html",
        {"form": form, "title": "Write a highlight report", "subject": subject, **rag_context()},
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _new_report(request, pk, None)


@council_view(Perm.MANAGE_PORTFOLIO)
def programme_report_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _new_report(request, None, pk)


@council_view(Perm.EDIT_OWN_PROJECTS)
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    report = _report(request, pk)
    if not _may_edit(request, report):
        raise PermissionDenied("You can change only the reports of projects you manage.")
    form = ReportForm(request.POST or None, instance=report, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_save(council=council, report=report, data=form.cleaned_data, actor=request.user)
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Report saved.")
            return redirect("portfolio:report", council.slug, report.pk)
    return render(
        request,
        "portfolio/report_form.html",
        {
            "form": form,
            "title": "Change the highlight report",
            "subject": report.project or report.programme,
            "report": report,
            **rag_context(),
        },
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if not _may_edit(request, report):
        raise PermissionDenied("You can submit only the reports of projects you manage.")
    try:
        services.report_submit(report=report, actor=request.user)
    except services.PortfolioDomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Report submitted to the board. It is now locked.")
    return redirect("portfolio:report", current_council(request).slug, report.pk)


@council_view(Perm.APPROVE_REPORTS)
@require_POST
def report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    if problem := services.approval_refusal(getattr(request, "membership", None), report):
        raise PermissionDenied(problem)
    try:
        services.report_approve(report=report, actor=request.user)
    except services.PortfolioDomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Report approved.")
    return redirect("portfolio:report", current_council(request).slug, report.pk)
