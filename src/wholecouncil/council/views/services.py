from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wholecouncil.accounts.roles import Perm
from wholecouncil.council import selectors
from wholecouncil.council.permissions import council_view, current_council


@council_view(Perm.VIEW)
def catalogue(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = selectors.services_search(current_council(request), query)
    page = Paginator(results, 50).get_page(request.GET.get("page"))
    return render(request, "council/services.html", {"query": query, "page": page})
