"""Spend analyses: the overview, suppliers, categories and the XLSX export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.spend import selectors
from wholecouncil.spend.export import spend_workbook
from wholecouncil.spend.forms import RuleForm
from wholecouncil.spend.models import CategoryRule

TOP = 20


@council_view(Perm.VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    totals = selectors.spend_totals(council)
    context: dict[str, object] = {
        "totals": totals,
        "can_import": can(request, Perm.IMPORT_SPEND),
    }
    if totals.transactions:
        categories = selectors.by_category(council)
        context.update(
            {
                "months": selectors.month_rows(council),
                "categories": categories[:TOP],
                "categories_more": max(0, len(categories) - TOP),
                "suppliers": selectors.by_supplier(council)[:TOP],
                "org_units": selectors.by_org_unit(council)[:TOP],
                "concentration": selectors.supplier_concentration(council),
                "uncategorised": selectors.uncategorised_share(council),
                "counts": selectors.duplicate_counts(council),
                "proposals": selectors.merge_proposals(council).count(),
            }
        )
    return render(request, "spend/overview.html", context)


@council_view(Perm.VIEW)
def suppliers(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    rows = selectors.by_supplier(council)
    names = selectors.names_of(council, [r.key for r in rows[:100]])
    context = {
        "rows": rows[:100],
        "names": names,
        "count": len(rows),
        "concentration": selectors.supplier_concentration(council),
        "proposals": selectors.merge_proposals(council).count(),
    }
    return render(request, "spend/suppliers.html", context)


@council_view(Perm.VIEW)
def categories(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    context = {
        "rows": selectors.by_category(council),
        "uncategorised": selectors.uncategorised_share(council),
        "sources": selectors.category_sources(council),
        "rules": CategoryRule.objects.filter(council=council).select_related("category"),
        "form": RuleForm(),
        "can_review": can(request, Perm.REVIEW_SPEND),
    }
    return render(request, "spend/categories.html", context)


@council_view(Perm.VIEW)
def export(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    response = HttpResponse(
        spend_workbook(council),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{council.slug}-spend.xlsx"'
    return response
