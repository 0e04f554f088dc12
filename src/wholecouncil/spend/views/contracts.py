"""The contracts register: import, spend against contracts, off-contract spend, expiring contracts."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine import SpendSource, open_table
from wholecouncil.spend.engine.contracts import read_contracts, suggest_contract_mapping
from wholecouncil.spend.forms import ContractsUploadForm
from wholecouncil.tabular import RowError, TableError


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
    council = current_council(request)
    form = ContractsUploadForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = open_table(SpendSource.from_bytes(upload.name, upload.read()))
        except TableError as exc:
            form.add_error("file", str(exc))
        else:
            mapping = suggest_contract_mapping(table.headers)
            result = read_contracts(table.name, table.headers, table.rows, mapping)
            errors = result.errors
            if not errors:
                count = services.contracts_replace(
                    council=council, rows=result.contracts, actor=request.user, source=table.name
                )
                messages.success(request, f"Imported {count} contracts; the register was replaced.")
                return redirect("spend:contracts", council.slug)
    return render(request, "spend/contracts_import.html", {"form": form, "errors": errors[:500]})
