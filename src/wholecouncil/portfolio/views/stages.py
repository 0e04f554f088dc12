"""The council's stages and their gate criteria."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.engine.stages import DESIGN_PRINCIPLES_GATE
from wholecouncil.portfolio.forms import CriterionForm, StageForm
from wholecouncil.portfolio.models import GateCriterion, Stage
from wholecouncil.portfolio.views.common import own


@council_view(Perm.VIEW)
def stages(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    context = {
        "stages": selectors.stages(council, with_criteria=True),
        "design_gate": DESIGN_PRINCIPLES_GATE,
        "can_manage": can(request, Perm.MANAGE_PORTFOLIO),
        "configured": Stage.objects.filter(council=council).exists(),
    }
    return render(request, "portfolio/stages.html", context)


def _stage(request: HttpRequest, number: int) -> Stage:
    """The stage numbered `number`; saving anything first turns the default stages into the council's own."""
    council = current_council(request)
    if request.method == "POST":
        services.stages_ensure(council=council)
    for stage in selectors.stages(council):
        if stage.number == number:
            return stage
    raise Http404("No such stage")


@council_view(Perm.MANAGE_PORTFOLIO)
def stage_edit(request: HttpRequest, number: int) -> HttpResponse:
    council = current_council(request)
    stage = _stage(request, number)
    form = StageForm(request.POST or None, initial={"name": stage.name, "purpose": stage.purpose})
    criterion_form = CriterionForm(prefix="criterion")
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_rename(stage=stage, actor=request.user, **form.cleaned_data)
        except services.PortfolioDomainError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Stage {stage.number} saved.")
            return redirect("portfolio:stages", council.slug)
    context = {"form": form, "stage": stage, "criterion_form": criterion_form}
    return render(request, "portfolio/stage_form.html", context)


@council_view(Perm.MANAGE_PORTFOLIO)
def criterion_add(request: HttpRequest, number: int) -> HttpResponse:
    council = current_council(request)
    stage = _stage(request, number)
    form = CriterionForm(request.POST or None, prefix="criterion")
    if request.method == "POST" and form.is_valid():
        services.criterion_add(stage=stage, actor=request.user, **form.cleaned_data)
        messages.success(request, "Criterion added.")
        return redirect("portfolio:stages", council.slug)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": f"Add a criterion to gate {stage.number}",
            "back_url": "portfolio:stages",
            "back_text": "Stages and gates",
        },
    )


@council_view(Perm.MANAGE_PORTFOLIO)
@require_POST
def criterion_remove(request: HttpRequest, pk: int) -> HttpResponse:
    criterion = own(request, GateCriterion, pk)
    services.criterion_remove(criterion=criterion, actor=request.user)
    messages.success(request, "Criterion removed.")
    return redirect("portfolio:stages", current_council(request).slug)
