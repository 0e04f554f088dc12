"""Viewing and editing the operating model: layers (template or custom), levers and design principles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council import selectors, services
from wholecouncil.council.forms import LayerForm, LeverForm, PrincipleForm, TemplateForm
from wholecouncil.council.models import DesignPrinciple, Layer, Lever
from wholecouncil.council.permissions import can, council_view, current_council

EDIT = Perm.EDIT_OPERATING_MODEL


def _back(request: HttpRequest, anchor: str = "") -> HttpResponseRedirect:
    response = redirect("council:operating_model", current_council(request).slug)
    response["Location"] += f"#{anchor}" if anchor else ""
    return response


@council_view(Perm.VIEW)
def show(request: HttpRequest) -> HttpResponse:
    model, layers, levers, principles = selectors.operating_model(current_council(request))
    return render(
        request,
        "council/operating_model.html",
        {
            "model": model,
            "layers": layers,
            "levers": levers,
            "principles": principles,
            "can_edit": can(request, EDIT),
        },
    )


@council_view(EDIT)
def choose_template(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    model, layers, _, _ = selectors.operating_model(council)
    form = TemplateForm(request.POST or None, initial={"template": model.template})
    if request.method == "POST" and form.is_valid():
        try:
            services.operating_model_apply_template(
                council=council, template=form.cleaned_data["template"], actor=request.user
            )
        except services.DomainError as exc:
            form.add_error("template", str(exc))
        else:
            messages.success(request, "Layers replaced with the template.")
            return _back(request, "layers")
    return render(request, "council/template_form.html", {"form": form, "layers": layers})


_KINDS: dict[str, dict[str, Any]] = {
    "layer": {
        "model": Layer,
        "form": LayerForm,
        "label": "layer",
        "anchor": "layers",
        "create": services.layer_create,
        "update": services.layer_update,
        "delete": services.layer_delete,
    },
    "lever": {
        "model": Lever,
        "form": LeverForm,
        "label": "lever",
        "anchor": "levers",
        "create": services.lever_create,
        "update": services.lever_update,
        "delete": services.lever_delete,
    },
    "principle": {
        "model": DesignPrinciple,
        "form": PrincipleForm,
        "label": "design principle",
        "anchor": "principles",
        "create": services.principle_create,
        "update": services.principle_update,
        "delete": services.principle_delete,
    },
}


def _get(request: HttpRequest, kind: str, pk: int) -> models.Model:
    model = _KINDS[kind]["model"]
    return get_object_or_404(model, pk=pk, council=current_council(request))


def _edit(request: HttpRequest, kind: str, pk: int | None) -> HttpResponse:
    spec = _KINDS[kind]
    council = current_council(request)
    obj = _get(request, kind, pk) if pk is not None else None
    form: forms.ModelForm = spec["form"](request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}  # type: ignore[attr-defined]
        try:
            if obj is None:
                spec["create"](council=council, actor=request.user, **data)
            else:
                spec["update"](**{kind: obj}, actor=request.user, **data)
        except services.DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{spec['label'].capitalize()} saved.")
            return _back(request, spec["anchor"])
    return render(
        request, "council/item_form.html", {"form": form, "kind": kind, "label": spec["label"], "obj": obj}
    )


def _delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = _KINDS[kind]
    obj = _get(request, kind, pk)
    error = ""
    if request.method == "POST":
        try:
            spec["delete"](**{kind: obj}, actor=request.user)
        except services.DomainError as exc:
            error = str(exc)
        else:
            messages.success(request, f"{spec['label'].capitalize()} “{obj}” removed.")
            return _back(request, spec["anchor"])
    context = {
        "obj": obj,
        "label": spec["label"],
        "error": error,
        "cancel": reverse("council:operating_model", args=[current_council(request).slug]),
        "back": "Back to the operating model",
    }
    return render(request, "web/confirm_remove.html", context)


@council_view(EDIT)
def layer_add(request: HttpRequest) -> HttpResponse:
    return _edit(request, "layer", None)


@council_view(EDIT)
def layer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, "layer", pk)


@council_view(EDIT)
def layer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, "layer", pk)


@council_view(EDIT)
def lever_add(request: HttpRequest) -> HttpResponse:
    return _edit(request, "lever", None)


@council_view(EDIT)
def lever_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, "lever", pk)


@council_view(EDIT)
def lever_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, "lever", pk)


@council_view(EDIT)
def principle_add(request: HttpRequest) -> HttpResponse:
    return _edit(request, "principle", None)


@council_view(EDIT)
def principle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, "principle", pk)


@council_view(EDIT)
def principle_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _delete(request, "principle", pk)


@council_view(EDIT)
@require_POST
def move(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in _KINDS:
        return HttpResponse(status=404)
    obj = _get(request, kind, pk)
    direction = -1 if request.POST.get("direction") == "up" else 1
    services.item_move(item=obj, direction=direction, actor=request.user)  # type: ignore[arg-type]
    return _back(request, _KINDS[kind]["anchor"])
