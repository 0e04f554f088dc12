"""The council's stages and their gates: rename, add, remove and reorder stages, choose the gate that needs
the design-principles assessment, and keep each gate's criteria."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.forms import CriterionForm, DesignGateForm, NewStageForm, StageForm
from wholecouncil.portfolio.models import GateCriterion, Stage
from wholecouncil.portfolio.views.common import own


def _to_stages(request: HttpRequest) -> HttpResponse:
    return redirect("portfolio:stages", current_council(request).slug)


@council_view(Perm.VIEW)
def stages(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    stage_list = selectors.stages(council, with_criteria=True)
    context = {
        "stages": stage_list,
        "design_gate": selectors.design_gate_of(stage_list),
        "can_manage": can(request, Perm.MANAGE_PORTFOLIO),
        "configured": bool(stage_list and stage_list[0].pk),
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
    stage = _stage(request, number)
    form = StageForm(request.POST or None, initial={"name": stage.name, "purpose": stage.purpose})
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_rename(stage=stage, actor=request.user, **form.cleaned_data)
        except services.PortfolioDomainError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Stage {stage.number} saved.")
            return _to_stages(request)
    return render(request, "portfolio/stage_form.html", {"form": form, "stage": stage})


@council_view(Perm.MANAGE_PORTFOLIO)
def stage_add(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    stage_list = selectors.stages(council)
    form = NewStageForm(request.POST or None, stages=stage_list)
    if request.method == "POST" and form.is_valid():
        try:
            stage = services.stage_add(council=council, actor=request.user, **form.cleaned_data)
        except services.PortfolioDomainError as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, f"Stage {stage.number} {stage.name} added.")
            return _to_stages(request)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "Add a stage",
            "intro": "A new stage has its own gate, with no criteria until you add them.",
            "back_url": "portfolio:stages",
            "back_text": "Stages and gates",
            "submit_label": "Add the stage",
        },
    )


@council_view(Perm.MANAGE_PORTFOLIO)
@require_POST
def stage_move(request: HttpRequest, number: int) -> HttpResponse:
    stage = _stage(request, number)
    try:
        moved = services.stage_move(stage=stage, up=request.POST.get("direction") == "up", actor=request.user)
    except services.PortfolioDomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{moved.name} is now stage {moved.number}; its projects moved with it.")
    return _to_stages(request)


@council_view(Perm.MANAGE_PORTFOLIO)
@require_POST
def stage_remove(request: HttpRequest, number: int) -> HttpResponse:
    stage = _stage(request, number)
    try:
        services.stage_remove(stage=stage, actor=request.user)
    except services.PortfolioDomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Stage {stage.name} removed.")
    return _to_stages(request)


@council_view(Perm.MANAGE_PORTFOLIO)
def design_gate(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    stage_list = selectors.stages(council)
    form = DesignGateForm(
        request.POST or None, stages=stage_list, initial={"gate": selectors.design_gate_of(stage_list)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            chosen = services.design_gate_set(
                council=council, number=form.cleaned_data["gate"], actor=request.user
            )
        except services.PortfolioDomainError as exc:
            form.add_error("gate", str(exc))
        else:
            messages.success(request, f"Gate {chosen.number} now needs the design-principles assessment.")
            return _to_stages(request)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": "The design-principles gate",
            "back_url": "portfolio:stages",
            "back_text": "Stages and gates",
        },
    )


@council_view(Perm.MANAGE_PORTFOLIO)
def criterion_add(request: HttpRequest, number: int) -> HttpResponse:
    stage = _stage(request, number)
    form = CriterionForm(request.POST or None, prefix="criterion")
    if request.method == "POST" and form.is_valid():
        services.criterion_add(stage=stage, actor=request.user, **form.cleaned_data)
        messages.success(request, "Criterion added.")
        return _to_stages(request)
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
    return _to_stages(request)
