"""A project's plan (milestones with slippage, the milestones they must follow, re-baselining, resources) and
the portfolio timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.portfolio import charts, selectors, services
from wholecouncil.portfolio.engine.schedule import MAJOR_SLIPPAGE_DAYS
from wholecouncil.portfolio.forms import (
    AllocationForm,
    MilestoneChangeForm,
    MilestoneDependencyForm,
    MilestoneForm,
    RebaselineForm,
)
from wholecouncil.portfolio.models import (
    Milestone,
    MilestoneDependency,
    Programme,
    Project,
    ResourceAllocation,
)
from wholecouncil.portfolio.views.common import (
    can_edit,
    editable_project,
    hosted_here,
    own,
    project_or_404,
    readable_project,
    today,
)


def _window(project_milestones: list[Milestone]) -> tuple[dt.date, dt.date]:
    days = [d for m in project_milestones for d in (m.baseline_date, m.actual_date or m.forecast_date)]
    start, end = min(days), max(days)
    return dt.date(start.year, start.month, 1), end + dt.timedelta(days=15)


@council_view(Perm.VIEW)
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    project = readable_project(request, pk)
    here = hosted_here(request, project)
    milestones = list(project.milestones.select_related("project"))
    links = selectors.project_links(project)
    rows = selectors.milestone_rows(milestones, today(), links)
    allocations = list(project.allocations.select_related("org_unit"))
    context = {
        "project": project,
        "hosted_here": here,
        "rows": rows,
        "links": links,
        "conflicts": sum(1 for link in links if link.conflict),
        "rebaselines": selectors.rebaselines(project),
        "chart": charts.timeline(rows, *_window(milestones)) if milestones else None,
        "allocations": allocations,
        "fte": sum((a.fte for a in allocations), start=Decimal(0)),
        "can_edit": here and can_edit(request, project),
        "can_rebaseline": here and can(request, Perm.DECIDE_GATES),
        "major_days": MAJOR_SLIPPAGE_DAYS,
    }
    return render(request, "portfolio/plan.html", context)


def _milestone_form(request: HttpRequest, pk: int, milestone_pk: int | None) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk)
    milestone = _milestone(request, project, milestone_pk) if milestone_pk is not None else None
    form_class = MilestoneChangeForm if milestone is not None else MilestoneForm
    form = form_class(request.POST or None, instance=milestone, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_save(
                project=project, data=form.cleaned_data, milestone=milestone, actor=request.user
            )
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Milestone saved.")
            return redirect("portfolio:plan", council.slug, project.pk)
    title = "Change the milestone" if milestone else "Add a milestone"
    intro = (
        f"Baseline {milestone.baseline_date:%-d %B %Y}. The baseline changes only when the board "
        "re-baselines the milestone, giving the reason."
        if milestone
        else ""
    )
    return render(
        request,
        "portfolio/form.html",
        {"form": form, "title": title, "caption": str(project), "intro": intro, "back_href": project},
    )


def _milestone(request: HttpRequest, project: Project, milestone_pk: int) -> Milestone:
    found = Milestone.objects.filter(
        council=current_council(request), project=project, pk=milestone_pk
    ).first()
    if found is None:
        raise Http404("No such milestone")
    return found


@council_view(Perm.EDIT_OWN_PROJECTS)
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _milestone_form(request, pk, None)


@council_view(Perm.EDIT_OWN_PROJECTS)
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    return _milestone_form(request, pk, milestone_pk)


@council_view(Perm.DECIDE_GATES)
def milestone_rebaseline(request: HttpRequest, pk: int, milestone_pk: int) -> HttpResponse:
    """The board agrees a new baseline for a milestone; the old one and the reason stay on the plan."""
    council = current_council(request)
    project = project_or_404(request, pk)
    milestone = _milestone(request, project, milestone_pk)
    form = RebaselineForm(request.POST or None, initial={"baseline_date": milestone.forecast_date})
    if request.method == "POST" and form.is_valid():
        try:
            services.milestone_rebaseline(milestone=milestone, actor=request.user, **form.cleaned_data)
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{milestone.name} re-baselined.")
            return redirect("portfolio:plan", council.slug, project.pk)
    intro = (
        f"{milestone.name}: baseline {milestone.baseline_date:%-d %B %Y}, forecast "
        f"{milestone.forecast_date:%-d %B %Y}. Slippage is measured against the baseline, so the old date "
        "and your reason are kept on the plan."
    )
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "Re-baseline the milestone",
            "caption": str(project),
            "intro": intro,
            "back_href": project,
            "submit_label": "Re-baseline",
        },
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
def milestone_dependency_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk)
    form = MilestoneDependencyForm(
        request.POST or None,
        milestones=list(project.milestones.all()),
        choices=selectors.milestone_choices(council),
    )
    if request.method == "POST" and form.is_valid():
        mine = own(request, Milestone, form.cleaned_data["milestone"], project=project)
        other = own(request, Milestone, form.cleaned_data["depends_on"])
        try:
            services.milestone_dependency_add(milestone=mine, depends_on=other, actor=request.user)
        except services.PortfolioDomainError as exc:
            form.add_error("depends_on", str(exc))
        else:
            messages.success(request, f"{mine.name} now follows {other.name}.")
            return redirect("portfolio:plan", council.slug, project.pk)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "Add a dependency between milestones",
            "caption": str(project),
            "intro": "A milestone that depends on another cannot happen before it. A dependency that would "
            "make a loop is refused.",
            "back_href": project,
            "submit_label": "Add the dependency",
        },
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
@require_POST
def milestone_dependency_remove(request: HttpRequest, pk: int) -> HttpResponse:
    dependency = own(request, MilestoneDependency, pk)
    milestone = Milestone.objects.select_related("project").get(pk=dependency.milestone_id)
    project = editable_project(request, milestone.project_id)
    services.milestone_dependency_remove(dependency=dependency, actor=request.user)
    messages.success(request, "Dependency removed.")
    return redirect("portfolio:plan", current_council(request).slug, project.pk)


@council_view(Perm.EDIT_OWN_PROJECTS)
def allocation_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk)
    form = AllocationForm(request.POST or None, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_save(project=project, data=form.cleaned_data, actor=request.user)
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Resource added.")
            return redirect("portfolio:plan", council.slug, project.pk)
    return render(
        request,
        "portfolio/form.html",
        {"form": form, "title": "Add a resource", "caption": str(project), "back_href": project},
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
@require_POST
def allocation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    allocation = own(request, ResourceAllocation, pk)
    project = editable_project(request, allocation.project_id)
    services.allocation_remove(allocation=allocation, actor=request.user)
    messages.success(request, "Resource removed.")
    return redirect("portfolio:plan", current_council(request).slug, project.pk)


@council_view(Perm.VIEW)
def timeline(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    day = today()
    start = dt.date(day.year, day.month, 1)
    end = dt.date(start.year + 1, start.month, 1) - dt.timedelta(days=1)
    programme_id = request.GET.get("programme", "")
    pid = int(programme_id) if programme_id.isdigit() else None
    rows = selectors.rows_with_links(selectors.timeline(council, start, end, pid), day)
    context = {
        "rows": rows,
        "chart": charts.timeline(rows, start, end) if rows else None,
        "start": start,
        "end": end,
        "programmes": Programme.objects.filter(council=council),
        "programme_id": programme_id,
        "major_days": MAJOR_SLIPPAGE_DAYS,
        "conflicts": sum(1 for r in rows if r.conflict),
    }
    return render(request, "portfolio/timeline.html", context)
