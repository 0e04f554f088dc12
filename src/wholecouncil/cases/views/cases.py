"""A business case: its page with every option, its assumptions, options, costs and recommendation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse

from wholecouncil.accounts.roles import Perm
from wholecouncil.cases import presentation, selectors, services
from wholecouncil.cases.case_forms import (
    CaseCreateForm,
    CaseForm,
    CostForm,
    LinesForm,
    OptionForm,
    RecommendForm,
)
from wholecouncil.cases.models import BusinessCase, CaseOption
from wholecouncil.cases.risk_figures import risk_ranges
from wholecouncil.council.permissions import can, council_view, current_council

EDIT = Perm.EDIT_CASE


def _case(request: HttpRequest, pk: int) -> BusinessCase:
    return selectors.case_get(current_council(request), pk)


def _to_case(case: BusinessCase, option: CaseOption | None = None, anchor: str = "") -> HttpResponseRedirect:
    url = reverse("cases:case", args=[case.council.slug, case.pk])
    if option is not None:
        url += f"?option={option.pk}"
    return HttpResponseRedirect(url + (f"#{anchor}" if anchor else ""))


def _field_error(form: Any, exc: services.CaseInputError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@council_view(EDIT)
def case_add(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = CaseCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(council=council, actor=request.user, **form.cleaned_data)
            option = services.option_create(case=case, name="Preferred option", actor=request.user)
        except services.CaseInputError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, "Business case created. Choose its opportunities and phasing.")
            return redirect("cases:option_edit", council.slug, case.pk, option.pk)
    return render(request, "cases/case_add.html", {"form": form})


@council_view(Perm.VIEW)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    wanted = request.GET.get("option", "")
    option_pk = selectors.option_get(case, int(wanted)).pk if wanted.isdigit() else None
    figures = selectors.case_figures(case, option_pk)
    context = presentation.case_context(figures)
    context["can_edit"] = can(request, EDIT)
    return render(request, "cases/case.html", context)


@council_view(EDIT)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    initial = {name: getattr(case, name) for name in CaseForm.base_fields if hasattr(case, name)}
    form = CaseForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                case=case,
                actor=request.user,
                confirm_defaults=form.cleaned_data["confirm_defaults"],
                **form.values(),
            )
        except services.CaseInputError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, "Assumptions saved.")
            return _to_case(case)
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "case": case,
            "gap_fields": [form[n] for n in form.fields if n.startswith("gap_")],
            "turnover_fields": [form[n] for n in form.fields if n.startswith("turnover_")],
            "years": case.year_labels,
            "ranges": risk_ranges(case),
        },
    )


@council_view(EDIT)
def case_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    initial = {"option": case.recommended_option_id, "reasons": case.recommendation_reasons}
    form = RecommendForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_recommend(
                case=case,
                option=form.cleaned_data["option"],
                reasons=form.cleaned_data["reasons"],
                actor=request.user,
            )
        except services.CaseInputError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, "Recommendation saved.")
            return _to_case(case, anchor="options")
    return render(request, "cases/recommend_form.html", {"form": form, "case": case})


def _option_page(request: HttpRequest, case: BusinessCase, option: CaseOption | None) -> HttpResponse:
    council = current_council(request)
    form = OptionForm(request.POST or None, instance=option, prefix="option")
    opportunities = list(selectors.opportunities_for(council))
    releases = list(case.releases.all())
    lines = (
        LinesForm(
            request.POST or None, case=case, option=option, opportunities=opportunities, releases=releases
        )
        if option is not None
        else None
    )
    if request.method == "POST" and form.is_valid() and (lines is None or lines.is_valid()):
        data = {k: form.cleaned_data[k] for k in ("name", "description", "point")}
        try:
            if option is None:
                option = services.option_create(case=case, actor=request.user, **data)
                messages.success(request, "Option added. Choose its opportunities and phasing.")
                return redirect("cases:option_edit", council.slug, case.pk, option.pk)
            assert lines is not None
            chosen = [services.LineInput(o, p, pt, c, r) for o, p, pt, c, r in lines.chosen()]
            services.option_save(option=option, lines=chosen, actor=request.user, **data)
        except services.CaseInputError as exc:
            (lines or form).add_error(None, str(exc))
        else:
            messages.success(request, f"Option “{data['name']}” saved.")
            return _to_case(case, option)
    return render(
        request,
        "cases/option_form.html",
        {
            "form": form,
            "lines": lines,
            "case": case,
            "option": option,
            "years": case.year_labels,
            "releases": releases,
        },
    )


@council_view(EDIT)
def option_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _option_page(request, _case(request, pk), None)


@council_view(EDIT)
def option_edit(request: HttpRequest, pk: int, option_pk: int) -> HttpResponse:
    case = _case(request, pk)
    return _option_page(request, case, selectors.option_get(case, option_pk))


@council_view(EDIT)
def option_delete(request: HttpRequest, pk: int, option_pk: int) -> HttpResponse:
    case = _case(request, pk)
    option = selectors.option_get(case, option_pk)
    error = ""
    if request.method == "POST":
        if case.options.count() <= 1:
            error = "A case needs at least one option."
        else:
            services.option_delete(option=option, actor=request.user)
            messages.success(request, f"Option “{option.name}” removed.")
            return _to_case(case)
    return render(
        request,
        "web/confirm_remove.html",
        {
            "obj": option,
            "label": "option",
            "error": error,
            "cancel": reverse("cases:case", args=[case.council.slug, case.pk]),
        },
    )


def _cost_page(request: HttpRequest, pk: int, option_pk: int, cost_pk: int | None) -> HttpResponse:
    case = _case(request, pk)
    option = selectors.option_get(case, option_pk)
    cost = selectors.cost_get(option, cost_pk) if cost_pk is not None else None
    form = CostForm(request.POST or None, case=case, cost=cost)
    if request.method == "POST" and form.is_valid():
        try:
            if cost is None:
                services.cost_create(option=option, actor=request.user, **form.values())
            else:
                services.cost_update(cost=cost, actor=request.user, **form.values())
        except services.CaseInputError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, "Cost saved.")
            return _to_case(case, option, "costs")
    return render(
        request,
        "cases/cost_form.html",
        {
            "form": form,
            "case": case,
            "option": option,
            "cost": cost,
            "amount_fields": [form[n] for n in form.fields if n.startswith("amount_")],
        },
    )


@council_view(EDIT)
def cost_add(request: HttpRequest, pk: int, option_pk: int) -> HttpResponse:
    return _cost_page(request, pk, option_pk, None)


@council_view(EDIT)
def cost_edit(request: HttpRequest, pk: int, option_pk: int, cost_pk: int) -> HttpResponse:
    return _cost_page(request, pk, option_pk, cost_pk)


@council_view(EDIT)
def cost_delete(request: HttpRequest, pk: int, option_pk: int, cost_pk: int) -> HttpResponse:
    case = _case(request, pk)
    option = selectors.option_get(case, option_pk)
    cost = selectors.cost_get(option, cost_pk)
    if request.method == "POST":
        services.cost_delete(cost=cost, actor=request.user)
        messages.success(request, f"Cost “{cost.name}” removed.")
        return _to_case(case, option, "costs")
    return render(
        request,
        "web/confirm_remove.html",
        {
            "obj": cost,
            "label": "cost",
            "error": "",
            "cancel": reverse("cases:case", args=[case.council.slug, case.pk]),
        },
    )
