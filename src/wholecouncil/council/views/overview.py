from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wholecouncil.accounts.roles import Perm
from wholecouncil.council import selectors
from wholecouncil.council.permissions import council_view, current_council


@council_view(Perm.VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    model, layers, levers, principles = selectors.operating_model(council)
    return render(
        request,
        "council/overview.html",
        {
            "model": model,
            "layers": layers,
            "lever_count": len(levers),
            "principle_count": len(principles),
            "service_count": selectors.services_search(council).count(),
            "partnerships": list(selectors.partnerships_for(council)),
            "recent_events": list(selectors.audit_events(council)[:5]),
        },
    )


@council_view(Perm.VIEW)
def setup(request: HttpRequest) -> HttpResponse:
    """The council's own set-up: its catalogue, establishment, partnerships, people and audit log."""
    council = current_council(request)
    return render(
        request,
        "council/setup.html",
        {
            "service_count": selectors.services_search(council).count(),
            "partnerships": list(selectors.partnerships_for(council)),
        },
    )
