"""Tenancy and permission checks for every council page.

Every view under /c/<council_slug>/ is wrapped in `council_view(perm)`: it loads the council, refuses users
who are not members (404, so another council's existence is not revealed) and members whose role lacks
`perm` (403). Views mark themselves so a meta-test can prove that no URL is left unguarded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from wholecouncil.accounts.roles import Perm, role_has
from wholecouncil.council.models import Council, Membership
from wholecouncil.council.navigation import council_nav

View = Callable[..., HttpResponse]


class CouncilRequest(HttpRequest):
    council: Council
    membership: Membership


def membership_for(user: Any, council_slug: str) -> Membership:
    if not user.is_authenticated:
        raise Http404
    membership = (
        Membership.objects.select_related("council").filter(user=user, council__slug=council_slug).first()
    )
    if membership is None:
        raise Http404("No such council")
    return membership


def council_view(perm: Perm) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, council_slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = membership_for(request.user, council_slug)
            if not role_has(membership.role, perm):
                raise PermissionDenied(f"Your role ({membership.get_role_display()}) cannot do this.")
            request.council = membership.council  # type: ignore[attr-defined]
            request.membership = membership  # type: ignore[attr-defined]
            request.nav_builder = council_nav  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.wc_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorate


def current_council(request: HttpRequest) -> Council:
    """The council a `council_view` page is about, as loaded by the decorator."""
    council: Council = request.council  # type: ignore[attr-defined]
    return council


def can(request: HttpRequest, perm: Perm) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and role_has(membership.role, perm)
