"""The contracts register: import, spend against contracts, off-contract spend, expiring contracts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine.contracts import CONTRACT_FIELDS
from wholecouncil.spend.forms import ColumnsForm, ContractsUploadForm
from wholecouncil.spend.models import ContractsUpload
from wholecouncil.tabular import RowError


def today() -> dt.date:
    return timezone.localdate()


@council_view(Perm.VIEW)
def contracts(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    now = today()
    lines = selectors.contracts(council)
    off_count, off_pennies, off_rows = selectors.off_contract(council)
    context = {
        "lines": lines,
        "over": [line for line in lines if line.over > 0],
        "open_ended": sum(1 for line in lines if line.contract.end is None),
        "no_value": sum(1 for line in lines if line.contract.value is None),
        "expiring_6": selectors.contracts_expiring(council, now, 6),
        "expiring_12": selectors.contracts_expiring(council, now, 12),
        "off_count": off_count,
        "off_pennies": off_pennies,
        "off_rows": off_rows[:20],
        "today": now,
        "can_import": can(request, Perm.IMPORT_SPEND),
    }
    return render(request, "spend/contracts.html", context)


@council_view(Perm.IMPORT_SPEND)
def contracts_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload the register."""
    council = current_council(request)
    form = ContractsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            kept = services.contracts_upload(
                council=council, name=upload.name, content=upload.read(), actor=request.user
            )
        except services.ContractError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("spend:contracts_map", council.slug, kept.pk)
    return render(request, "spend/contracts_import.html", {"form": form})


@council_view(Perm.IMPORT_SPEND)
def contracts_map(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: match the columns and import (the register is replaced whole, or nothing changes)."""
    council = current_council(request)
    try:
        upload = selectors.contracts_upload_get(council, pk)
    except ContractsUpload.DoesNotExist as exc:
        raise Http404("No such upload") from exc
    if upload.imported:
        return redirect("spend:contracts", council.slug)
    form = ColumnsForm(
        request.POST or None, headers=upload.headers, fields=CONTRACT_FIELDS, initial=upload.mapping
    )
    problems: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        count, problems = services.contracts_import(upload=upload, mapping=form.mapping(), actor=request.user)
        if not problems:
            messages.success(request, f"Imported {count} contracts; the register was replaced.")
            return redirect("spend:contracts", council.slug)
    context = {"upload": upload, "form": form, "problems": problems[:500], "problem_count": len(problems)}
    return render(request, "spend/contracts_map.html", context)
