from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.council.selectors import memberships_for_user
from wholecouncil.web.public import signed_in_only


@signed_in_only
def home(request: HttpRequest) -> HttpResponse:
    """The councils this user works for. With exactly one, go straight to it."""
    memberships = list(memberships_for_user(request.user))
    if len(memberships) == 1 and not request.GET.get("all"):
        return redirect("council:overview", memberships[0].council.slug)
    return render(request, "council/home.html", {"memberships": memberships})
