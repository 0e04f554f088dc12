from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.accounts.roles import Perm
from wholecouncil.council import selectors, services
from wholecouncil.council.models import OrgUnit, Partnership
from wholecouncil.council.permissions import can, council_view, current_council


@council_view(Perm.VIEW)
def index(request: HttpRequest) -> HttpResponse:
    partnerships = selectors.partnerships_for(current_council(request))
    return render(request, "council/partnerships.html", {"partnerships": partnerships})


@council_view(Perm.VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    try:
        partnership = selectors.partnership_get(council, pk)
    except Partnership.DoesNotExist as exc:
        raise Http404 from exc
    councils = list(partnership.councils.all())
    errors: list[str] = []
    if request.method == "POST":
        if not can(request, Perm.MANAGE_PARTNERSHIPS):
            return HttpResponse("Your role cannot change partnerships.", status=403)
        errors = _share_unit(request, partnership, councils)
        if not errors:
            messages.success(request, "Shares saved.")
            return redirect("council:partnership_detail", council.slug, partnership.pk)
    own_units = OrgUnit.objects.filter(council=council).select_related("parent").order_by("kind", "name")
    return render(
        request,
        "council/partnership_detail.html",
        {
            "partnership": partnership,
            "councils": councils,
            "units": selectors.shared_units(partnership),
            "own_units": own_units,
            "can_manage": can(request, Perm.MANAGE_PARTNERSHIPS),
            "errors": errors,
            "posted": request.POST,
        },
    )


def _share_unit(request: HttpRequest, partnership: Partnership, councils: list) -> list[str]:
    council = current_council(request)
    unit = OrgUnit.objects.filter(council=council, pk=request.POST.get("unit") or 0).first()
    if unit is None:
        return ["Choose one of your council's units to share"]
    shares = {}
    for c in councils:
        raw = (request.POST.get(f"share-{c.pk}") or "").strip().rstrip("%")
        if not raw:
            continue
        try:
            shares[c] = Decimal(raw)
        except InvalidOperation:
            return [f"The share for {c.name} must be a number, like 40 or 33.33"]
    try:
        services.org_unit_share(unit=unit, partnership=partnership, shares=shares, actor=request.user)
    except services.DomainError as exc:
        return [str(exc)]
    return []
