from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wholecouncil.accounts.roles import Perm
from wholecouncil.council import selectors
from wholecouncil.council.permissions import council_view, current_council

AREAS = (
    ("", "Everything"),
    ("layer", "Layers"),
    ("lever", "Levers"),
    ("principle", "Design principles"),
    ("operating_model", "Layer templates"),
    ("org_unit", "Organisation and shares"),
    ("establishment", "Establishment"),
    ("membership", "Users and roles"),
)


@council_view(Perm.VIEW_AUDIT)
def log(request: HttpRequest) -> HttpResponse:
    area = request.GET.get("area", "")
    if area not in dict(AREAS):
        area = ""
    events = selectors.audit_events(current_council(request), action_prefix=area)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "council/audit.html", {"page": page, "areas": AREAS, "area": area})
