"""A project's page, creating and changing projects, and its dependencies."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.cases.models import Opportunity
from wholecouncil.council.models import Council
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.engine import lifecycle
from wholecouncil.portfolio.engine.status import RAG_TAGS, Rag
from wholecouncil.portfolio.forms import DependencyForm, ProjectForm
from wholecouncil.portfolio.models import Dependency, Project
from wholecouncil.portfolio.views.common import can_edit, editable_project, hosted_here, own, today


def _partner_councils(council: Council) -> list[Council]:
    found = {council.pk: council}
    for partnership in council.partnerships.prefetch_related("councils"):
        for c in partnership.councils.all():
            found.setdefault(c.pk, c)
    return sorted(found.values(), key=lambda c: c.name)


def _opportunities(council: Council) -> list[Opportunity]:
    return list(Opportunity.objects.filter(council=council).order_by("code"))


@council_view(Perm.VIEW)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    try:
        page = selectors.project_page(council, pk)
    except Project.DoesNotExist as exc:
        raise Http404("No such project") from exc
    project = page.project
    allowed = set(lifecycle.allowed_actions(project.state))
    here = hosted_here(request, project)
    editable = here and can_edit(request, project)
    context = {
        "page": page,
        "project": project,
        "hosted_here": here,
        "milestones": selectors.milestone_rows(page.milestones[:8], today()),
        "can_edit": editable,
        "can_submit": editable and lifecycle.Action.SUBMIT in allowed,
        "can_withdraw": editable and lifecycle.Action.WITHDRAW in allowed,
        "can_decide": here and can(request, Perm.DECIDE_GATES) and lifecycle.Action.APPROVE in allowed,
        "can_close_conditions": here and can(request, Perm.DECIDE_GATES),
        "can_manage": here and can(request, Perm.MANAGE_PORTFOLIO),
        "rag_tags": {r.value: RAG_TAGS[r] for r in Rag},
        "status_label": lifecycle.STATUS_LABELS[lifecycle.Status(project.status)],
    }
    return render(request, "portfolio/project.html", context)


def _project_form(request: HttpRequest, pk: int | None) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk) if pk is not None else None
    form = ProjectForm(request.POST or None, instance=project, council=council)
    partners = _partner_councils(council)
    opportunities = _opportunities(council)
    if request.method == "POST":
        served_ids = set(request.POST.getlist("councils"))
        opp_ids = set(request.POST.getlist("opportunities"))
    elif project is not None:
        served_ids = {str(c.pk) for c in project.councils.all()}
        opp_ids = {str(o.pk) for o in project.opportunities.all()}
    else:
        served_ids, opp_ids = {str(council.pk)}, set()
    if request.method == "POST" and form.is_valid():
        served = [c for c in partners if str(c.pk) in served_ids]
        opps = [o for o in opportunities if str(o.pk) in opp_ids]
        data = {k: v for k, v in form.cleaned_data.items()}
        if data.get("budget") is None:
            data["budget"] = 0
        try:
            if project is None:
                saved = services.project_create(
                    council=council, data=data, councils=served, opportunities=opps, actor=request.user
                )
            else:
                saved = services.project_update(
                    project=project, data=data, councils=served, opportunities=opps, actor=request.user
                )
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{saved.code} {saved.name} saved.")
            return redirect("portfolio:project", council.slug, saved.pk)
    context = {
        "form": form,
        "project": project,
        "partners": partners if len(partners) > 1 else [],
        "served_ids": served_ids,
        "opportunities": opportunities,
        "opp_ids": opp_ids,
    }
    return render(request, "portfolio/project_form.html", context)


@council_view(Perm.MANAGE_PORTFOLIO)
def project_add(request: HttpRequest) -> HttpResponse:
    return _project_form(request, None)


@council_view(Perm.EDIT_OWN_PROJECTS)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_form(request, pk)


@council_view(Perm.EDIT_OWN_PROJECTS)
def dependency_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    project = editable_project(request, pk)
    form = DependencyForm(request.POST or None, council=council, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.dependency_add(
                project=project,
                depends_on=form.cleaned_data["depends_on"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except services.PortfolioDomainError as exc:
            form.add_error("depends_on", str(exc))
        else:
            messages.success(request, f"Dependency on {form.cleaned_data['depends_on'].code} recorded.")
            return redirect("portfolio:project", council.slug, project.pk)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "Add a dependency",
            "caption": str(project),
            "back_href": project,
            "submit_label": "Add the dependency",
        },
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
@require_POST
def dependency_remove(request: HttpRequest, pk: int) -> HttpResponse:
    dependency = own(request, Dependency, pk)
    project = editable_project(request, dependency.project_id)
    services.dependency_remove(dependency=dependency, actor=request.user)
    messages.success(request, "Dependency removed.")
    return redirect("portfolio:project", current_council(request).slug, project.pk)
