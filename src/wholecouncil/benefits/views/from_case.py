"""Creating benefits from a business case's chosen opportunities."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.accounts.roles import Perm
from wholecouncil.benefits import services
from wholecouncil.cases.models import BusinessCase, CaseOption
from wholecouncil.council.permissions import council_view, current_council


@council_view(Perm.EDIT_BENEFITS)
def from_case(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    cases = list(BusinessCase.objects.filter(council=council).prefetch_related("options"))
    chosen = request.GET.get("case") or request.POST.get("case") or ""
    case = next((c for c in cases if str(c.pk) == chosen), None)
    if chosen and case is None:
        raise Http404("No such case")
    option = None
    option_id = request.GET.get("option") or request.POST.get("option") or ""
    if case is not None and option_id:
        option = CaseOption.objects.filter(case=case, pk=option_id if option_id.isdigit() else 0).first()
        if option is None:
            raise Http404("No such option")
    plan = services.proposed_benefits(case, option) if case is not None else None
    error = ""
    if request.method == "POST" and case is not None:
        try:
            made = services.benefits_from_case(case=case, option=option, actor=request.user)
        except services.BenefitError as exc:
            error = str(exc)
        else:
            messages.success(
                request, f"{len(made)} benefit{'s' if len(made) != 1 else ''} added to the register."
            )
            return redirect("benefits:overview", council.slug)
    return render(
        request, "benefits/from_case.html", {"cases": cases, "case": case, "plan": plan, "error": error}
    )
