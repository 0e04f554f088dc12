"""Every URL requires sign-in and a council permission unless it is listed here as public or signed-in-only.

The routes come from the live resolver, so URLs added by any module are checked as soon as they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.urlwalk import Route, all_routes
from wholecouncil.accounts.roles import Perm, Role
from wholecouncil.council.models import Council
from wholecouncil.council.navigation import NAV

# Anyone may open these, signed in or not.
PUBLIC_URLS = {"login", "healthz", "respond:answer", "respond:sent"}
# Any signed-in user may open these; they show only that user's own data.
SIGNED_IN_ONLY_URLS = {"home", "logout", "password_change", "password_change_done"}

ROUTES = all_routes()
COUNCIL_ROUTES = [r for r in ROUTES if r.is_council_scoped]
GUARDED_ROUTES = [r for r in ROUTES if not r.is_public]


def _ids(routes: list[Route]) -> list[str]:
    return [str(r) for r in routes]


def test_the_walk_finds_the_council_pages() -> None:
    names = {r.name for r in ROUTES}
    assert {"council:overview", "council:operating_model", "council:audit", "login", "healthz"} <= names
    assert len(COUNCIL_ROUTES) >= 15


@pytest.mark.parametrize("route", ROUTES, ids=_ids(ROUTES))
def test_every_view_declares_how_it_is_guarded(route: Route) -> None:
    declared = [m for m in ("wc_permission", "wc_public", "wc_signed_in_only") if route.marker(m)]
    assert len(declared) == 1, (
        f"{route.route} ({route.name or 'unnamed'}) must be wrapped in exactly one of council_view(perm), "
        f"public or signed_in_only; found {declared or 'none'}"
    )
    if route.permission is not None:
        assert route.permission in set(Perm), f"{route}: {route.permission!r} is not a Perm"


def test_the_public_urls_are_exactly_the_listed_ones() -> None:
    assert {r.name for r in ROUTES if r.is_public} == PUBLIC_URLS
    assert {r.name for r in ROUTES if r.is_signed_in_only} == SIGNED_IN_ONLY_URLS


@pytest.mark.parametrize("route", COUNCIL_ROUTES, ids=_ids(COUNCIL_ROUTES))
def test_council_pages_check_a_council_permission(route: Route) -> None:
    assert route.permission is not None, f"{route} is under /c/<council_slug>/ but is not a council_view"


@pytest.mark.django_db
def test_public_urls_open_without_signing_in(client: Client) -> None:
    assert client.get(reverse("login")).status_code == 200
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def _assert_sends_to_sign_in(response: object, path: str) -> None:
    assert response.status_code == 302, f"{path}: expected a redirect to sign in, got {response.status_code}"
    location = urlsplit(response["Location"])
    assert location.path == reverse(settings.LOGIN_URL), f"{path} redirected to {response['Location']}"
    assert path.split("?")[0] in response["Location"].replace("%2F", "/")


@pytest.mark.django_db
@pytest.mark.parametrize("route", GUARDED_ROUTES, ids=_ids(GUARDED_ROUTES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_users_are_sent_to_sign_in(
    client: Client, council: Council, route: Route, method: str
) -> None:
    path = route.path(council.slug)
    _assert_sends_to_sign_in(getattr(client, method)(path), path)


@pytest.fixture
def outsider(make_council: Callable[..., Council], client_for: Callable[..., Client]) -> Client:
    """An admin of another council: the most powerful role, in the wrong council."""
    return client_for(make_council(slug="otherton", name="Otherton Borough Council"), Role.ADMIN)


@pytest.mark.django_db
@pytest.mark.parametrize("route", COUNCIL_ROUTES, ids=_ids(COUNCIL_ROUTES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_members_of_another_council_get_not_found(
    outsider: Client, council: Council, route: Route, method: str
) -> None:
    path = route.path(council.slug)
    response = getattr(outsider, method)(path)
    assert response.status_code == 404, f"{method.upper()} {path} gave {response.status_code}"
    assert council.name.encode() not in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("route", COUNCIL_ROUTES[:3], ids=_ids(COUNCIL_ROUTES[:3]))
def test_an_unknown_council_is_not_found_too(outsider: Client, route: Route) -> None:
    assert outsider.get(route.path("no-such-council")).status_code == 404


def test_every_navigation_item_points_at_a_url_that_exists() -> None:
    names = {r.name for r in ROUTES}
    missing = [name for name, _label, _prefixes in NAV if name not in names]
    assert not missing, f"The council navigation links to URL names that do not exist: {missing}"
