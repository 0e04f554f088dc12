"""A project's RAID log, and the portfolio's register of open risks with its heat map."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import council_view, current_council
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.engine.raid import (
    BAND_LABELS,
    BAND_RANGES,
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    PROXIMITY_LABELS,
)
from wholecouncil.portfolio.engine.raid import proximity as risk_proximity
from wholecouncil.portfolio.forms import RAID_FORMS
from wholecouncil.portfolio.views.common import (
    can_edit,
    editable_project,
    hosted_here,
    readable_project,
    today,
)

KIND_LABELS = {"risk": "risk", "assumption": "assumption", "issue": "issue", "decision": "decision"}
RISKS_PER_PAGE = 50


def band_key() -> list[tuple[str, str]]:
    return [(BAND_LABELS[b], f"{lo} to {hi}") for b, (lo, hi) in BAND_RANGES.items()]


@council_view(Perm.VIEW)
def raid_log(request: HttpRequest, pk: int) -> HttpResponse:
    project = readable_project(request, pk)
    day = today()
    risks = list(project.risks.all())
    context = {
        "project": project,
        "risks": [(r, PROXIMITY_LABELS[risk_proximity(day, r.proximity_date)]) for r in risks],
        "assumptions": list(project.assumptions.all()),
        "issues": list(project.issues.all()),
        "decisions": list(project.logged_decisions.all()),
        "can_edit": hosted_here(request, project) and can_edit(request, project),
        "band_key": band_key(),
    }
    return render(request, "portfolio/raid.html", context)


def _raid_entry(request: HttpRequest, pk: int, kind: str, entry_pk: int | None) -> HttpResponse:
    if kind not in services.RAID_MODELS:
        raise Http404("No such log")
    council = current_council(request)
    project = editable_project(request, pk)
    model, _ = services.RAID_MODELS[kind]
    entry = None
    if entry_pk is not None:
        entry = model._default_manager.filter(council=council, project=project, pk=entry_pk).first()
        if entry is None:
            raise Http404("No such entry")
    initial = {"raised_on": today()} if entry is None else {}
    form = RAID_FORMS[kind](request.POST or None, instance=entry, council=council, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.raid_save(
                kind=kind, project=project, data=form.cleaned_data, entry=entry, actor=request.user
            )
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The {KIND_LABELS[kind]} is saved.")
            return redirect("portfolio:raid", council.slug, project.pk)
    title = (
        f"Change the {KIND_LABELS[kind]}"
        if entry
        else f"Add {'an' if kind[0] in 'aei' else 'a'} {KIND_LABELS[kind]}"
    )
    return render(
        request,
        "portfolio/form.html",
        {"form": form, "title": title, "caption": str(project), "back_href": project, "back_raid": True},
    )


@council_view(Perm.EDIT_OWN_PROJECTS)
def raid_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    return _raid_entry(request, pk, kind, None)


@council_view(Perm.EDIT_OWN_PROJECTS)
def raid_edit(request: HttpRequest, pk: int, kind: str, entry_pk: int) -> HttpResponse:
    return _raid_entry(request, pk, kind, entry_pk)


@council_view(Perm.VIEW)
def risks(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    page = Paginator(selectors.open_risks(council), RISKS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "grid": selectors.heat_map(council),
        "residual_grid": selectors.heat_map(council, residual=True),
        "impacts": [(i, IMPACT_LABELS[i]) for i in range(5, 0, -1)],
        "likelihoods": [(i, LIKELIHOOD_LABELS[i]) for i in range(1, 6)],
        "band_key": band_key(),
    }
    return render(request, "portfolio/risks.html", context)
