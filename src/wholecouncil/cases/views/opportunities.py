"""The business-case overview, the opportunities table and their assumptions, and entered baselines."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from wholecouncil.accounts.roles import Perm
from wholecouncil.cases import defaults, selectors, services
from wholecouncil.cases.baselines import council_baselines
from wholecouncil.cases.forms import BaselinesForm, OpportunityForm
from wholecouncil.cases.models import BaselineFigure, Opportunity
from wholecouncil.council.models import Layer
from wholecouncil.council.permissions import can, council_view, current_council

EDIT = Perm.EDIT_CASE


@council_view(Perm.VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    baselines = council_baselines(council)
    table = selectors.opportunity_table(council, baselines)
    cases = []
    for case in selectors.cases_for(council):
        figures = selectors.case_figures(case, baselines=baselines, with_risk=False)
        cases.append((case, figures.recommended or figures.shown))
    return render(
        request,
        "cases/overview.html",
        {"table": table, "cases": cases, "can_edit": can(request, EDIT)},
    )


@council_view(Perm.VIEW)
def opportunities(request: HttpRequest) -> HttpResponse:
    table = selectors.opportunity_table(current_council(request))
    return render(request, "cases/opportunities.html", {"table": table, "can_edit": can(request, EDIT)})


FIELDS = OpportunityForm.Meta.fields


def _opportunity_form(request: HttpRequest, opp: Opportunity | None) -> HttpResponse:
    council = current_council(request)
    form = OpportunityForm(request.POST or None, instance=opp, council=council)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in FIELDS}
        try:
            if opp is None:
                saved = services.opportunity_create(council=council, actor=request.user, **data)
            else:
                saved = services.opportunity_update(opportunity=opp, actor=request.user, **data)
        except services.CaseInputError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Opportunity {saved.code} saved.")
            response = redirect("cases:opportunities", council.slug)
            response["Location"] += f"#opp-{saved.pk}"
            return response
    baselines = council_baselines(council)
    return render(
        request,
        "cases/opportunity_form.html",
        {"form": form, "obj": opp, "categories": baselines.spend_categories},
    )


@council_view(EDIT)
def opportunity_add(request: HttpRequest) -> HttpResponse:
    return _opportunity_form(request, None)


@council_view(EDIT)
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _opportunity_form(request, selectors.opportunity_get(current_council(request), pk))


@council_view(EDIT)
def opportunity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    opp = selectors.opportunity_get(council, pk)
    error = ""
    if request.method == "POST":
        try:
            services.opportunity_delete(opportunity=opp, actor=request.user)
        except services.CaseInputError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Opportunity {opp.code} removed.")
            return redirect("cases:opportunities", council.slug)
    return render(
        request,
        "web/confirm_remove.html",
        {
            "obj": opp,
            "label": "opportunity",
            "error": error,
            "cancel": reverse("cases:opportunities", args=[council.slug]),
        },
    )


@council_view(EDIT)
def opportunity_defaults(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    error = ""
    if request.method == "POST":
        try:
            made = defaults.opportunities_add_defaults(council=council, actor=request.user)
        except services.CaseInputError as exc:
            error = str(exc)
        else:
            if made:
                messages.success(request, f"{len(made)} illustrative default opportunities added.")
            else:
                messages.info(request, "Every layer and lever with a default already has an opportunity.")
            return redirect("cases:opportunities", council.slug)
    return render(request, "cases/defaults_confirm.html", {"error": error, "defaults": defaults.DEFAULTS})


@council_view(Perm.VIEW)
def baselines(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    found = council_baselines(council)
    layers = list(Layer.objects.filter(council=council))
    return render(
        request,
        "cases/baselines.html",
        {
            "baselines": found,
            "layer_rows": [(layer, found.staff(layer.code)) for layer in layers],
            "spend_rows": [(c, found.spend(c)) for c in found.spend_categories],
            "can_edit": can(request, EDIT),
        },
    )


@council_view(EDIT)
def baselines_edit(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    layers = list(Layer.objects.filter(council=council))
    entered = {(f.kind, f.key): f for f in BaselineFigure.objects.filter(council=council)}
    categories = sorted({k for kind, k in entered if kind == BaselineFigure.Kind.SPEND})
    form = BaselinesForm(request.POST or None, layers=layers, entered=entered, categories=categories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def entry(kind: str, key: str, amount: Decimal | None, fte: Decimal | None) -> services.BaselineInput:
            old = entered.get((kind, key))
            if old is None or old.amount != amount:
                return services.BaselineInput(kind, key, amount, fte)
            return services.BaselineInput(kind, key, amount, fte, old.source, old.illustrative)

        figures = [
            entry(
                BaselineFigure.Kind.STAFF, layer.code, data[f"staff_{layer.code}"], data[f"fte_{layer.code}"]
            )
            for layer in layers
        ]
        pairs = [(name, data[f"spend_{i}"]) for i, name in enumerate(categories)]
        if data.get("new_category"):
            pairs.append((data["new_category"], data["new_amount"]))
        figures += [entry(BaselineFigure.Kind.SPEND, name, amount, None) for name, amount in pairs]
        try:
            services.baselines_set(council=council, figures=figures, actor=request.user)
        except services.CaseInputError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Baselines saved.")
            return redirect("cases:baselines", council.slug)
    return render(request, "cases/baselines_form.html", {"form": form})
