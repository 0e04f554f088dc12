"""Roles, tenancy and CSRF: what each role may change, what another council may see, and forged POSTs.

Changing URLs come from the live resolver, so a page that later modules add is checked with every role
that lacks its permission. "Nothing changed" is checked against every row of every project table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.urlwalk import Route, all_routes, route_named
from wholecouncil.accounts.roles import Perm, Role, role_has
from wholecouncil.council import services
from wholecouncil.council.models import (
    Council,
    DesignPrinciple,
    Layer,
    Lever,
    Membership,
    OrgUnit,
    Partnership,
)

READ_PERMS = {Perm.VIEW, Perm.VIEW_AUDIT}
CHANGING_ROUTES = [r for r in all_routes() if r.permission is not None and r.permission not in READ_PERMS]
NON_ADMIN_ROLES = [Role.FINANCE, Role.PROGRAMME_LEAD, Role.PROJECT_MANAGER, Role.COUNCILLOR]

# (route, role) for every changing route and every role that lacks its permission.
FORBIDDEN = [
    pytest.param(route, role, id=f"{route}-{role}")
    for route in CHANGING_ROUTES
    for role in NON_ADMIN_ROLES
    if not role_has(role, route.permission)  # type: ignore[arg-type]
]


def fingerprint() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every project table, and the user accounts."""
    models = [m for m in apps.get_models() if m.__module__.startswith("wholecouncil.")]
    models.append(get_user_model())
    snapshot = {}
    for model in models:
        rows = model._default_manager.order_by("pk").values_list()
        snapshot[model._meta.label] = [
            tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows
        ]
    return snapshot


@dataclass
class World:
    council: Council
    neighbour: Council
    partnership: Partnership
    unit: OrgUnit
    colleague: Membership

    def sample_kwargs(self, route: Route) -> dict[str, object]:
        """Real objects for the council's own pages, so a missing check would change real rows."""
        layers = list(Layer.objects.filter(council=self.council))
        by_name: dict[str, dict[str, object]] = {
            "council:layer_edit": {"pk": layers[0].pk},
            "council:layer_delete": {"pk": layers[0].pk},
            "council:lever_edit": {"pk": Lever.objects.filter(council=self.council).first().pk},
            "council:lever_delete": {"pk": Lever.objects.filter(council=self.council).first().pk},
            "council:principle_edit": {"pk": DesignPrinciple.objects.filter(council=self.council)[0].pk},
            "council:principle_delete": {"pk": DesignPrinciple.objects.filter(council=self.council)[0].pk},
            "council:operating_model_move": {"kind": "layer", "pk": layers[1].pk},
            "council:member_role": {"pk": self.colleague.pk},
            "council:partnership_detail": {"pk": self.partnership.pk},
        }
        return by_name.get(route.name, {})

    def path(self, route: Route) -> str:
        return route.path(self.council.slug, **self.sample_kwargs(route))

    def post_data(self, route: Route) -> dict[str, str]:
        """A valid submission: what an admin would send to make the change."""
        item = {"name": "Intruder", "code": "intruder", "description": "Added without permission"}
        principle = {"title": "Intruder", "code": "intruder", "summary": "x", "we_will": "a", "we_wont": "b"}
        by_name = {
            "council:operating_model_template": {"template": "six_function"},
            "council:layer_add": item,
            "council:layer_edit": item,
            "council:lever_add": item,
            "council:lever_edit": item,
            "council:principle_add": principle,
            "council:principle_edit": principle,
            "council:operating_model_move": {"direction": "down"},
            "council:member_add": {
                "username": "intruder",
                "role": Role.ADMIN,
                "password": "a-long-unguessable-passphrase-81",
            },
            "council:member_role": {"role": Role.ADMIN},
            "council:partnership_detail": {
                "unit": str(self.unit.pk),
                f"share-{self.council.pk}": "60",
                f"share-{self.neighbour.pk}": "40",
            },
        }
        return by_name.get(route.name, {})


@pytest.fixture
def world(
    council: Council, make_council: Callable[..., Council], make_member: Callable[..., Membership]
) -> World:
    neighbour = make_council(slug="neighbourton", name="Neighbourton District Council")
    partnership = services.partnership_create(
        name="Testshire and Neighbourton", councils=[council, neighbour], actor=None
    )
    unit = services.org_unit_create(
        council=council, name="Shared legal", kind=OrgUnit.Kind.SERVICE, actor=None
    )
    colleague = make_member(council, Role.PROJECT_MANAGER, username="colleague")
    return World(council, neighbour, partnership, unit, colleague)


def test_changing_pages_are_found() -> None:
    names = {r.name for r in CHANGING_ROUTES}
    assert {"council:layer_add", "council:operating_model_template", "council:member_add"} <= names
    assert len(FORBIDDEN) >= 4 * 12


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "role"), FORBIDDEN)
def test_roles_without_the_permission_are_refused_and_nothing_changes(
    world: World, client_for: Callable[..., Client], route: Route, role: str
) -> None:
    client = client_for(world.council, role)
    path = world.path(route)
    before = fingerprint()
    assert client.get(path).status_code == 403, f"GET {path} as {role}"
    assert client.post(path, world.post_data(route)).status_code == 403, f"POST {path} as {role}"
    assert fingerprint() == before


READ_ROUTES = [r for r in all_routes() if r.permission in READ_PERMS]


@pytest.mark.django_db
@pytest.mark.parametrize("route", READ_ROUTES, ids=[str(r) for r in READ_ROUTES])
def test_a_councillor_posting_to_a_read_page_changes_nothing(
    world: World, client_for: Callable[..., Client], route: Route
) -> None:
    client = client_for(world.council, Role.COUNCILLOR)
    before = fingerprint()
    response = client.post(world.path(route), world.post_data(route))
    assert response.status_code in {200, 302, 403, 404, 405}
    assert fingerprint() == before


KNOWN_CHANGES = [
    "council:operating_model_template",
    "council:layer_add",
    "council:layer_edit",
    "council:layer_delete",
    "council:lever_add",
    "council:lever_edit",
    "council:lever_delete",
    "council:principle_add",
    "council:principle_edit",
    "council:principle_delete",
    "council:operating_model_move",
    "council:member_add",
    "council:member_role",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", KNOWN_CHANGES)
def test_the_same_submission_by_an_admin_does_change_things(
    world: World, client_for: Callable[..., Client], name: str
) -> None:
    route = route_named(name)
    client = client_for(world.council, Role.ADMIN)
    before = fingerprint()
    response = client.post(world.path(route), world.post_data(route))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert fingerprint() != before


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_sharing_a_unit_needs_manage_partnerships(
    world: World, client_for: Callable[..., Client], role: str
) -> None:
    assert not role_has(role, Perm.MANAGE_PARTNERSHIPS)
    client = client_for(world.council, role)
    route = route_named("council:partnership_detail")
    page = client.get(world.path(route))
    assert page.status_code == 200
    assert b"Save shares" not in page.content
    before = fingerprint()
    assert client.post(world.path(route), world.post_data(route)).status_code == 403
    assert fingerprint() == before


@pytest.mark.django_db
def test_an_admin_can_share_the_unit(world: World, client_for: Callable[..., Client]) -> None:
    route = route_named("council:partnership_detail")
    response = client_for(world.council, Role.ADMIN).post(world.path(route), world.post_data(route))
    assert response.status_code == 302
    assert {s.council.slug: s.percent for s in world.unit.shares.all()} == {
        "testshire": Decimal("60.00"),
        "neighbourton": Decimal("40.00"),
    }


# --- another council's data ---------------------------------------------------------------------------


@pytest.fixture
def rival(make_council: Callable[..., Council]) -> Council:
    rival = make_council(slug="rivalford", name="Rivalford Metropolitan Borough")
    services.services_import(council=rival, entries=[(1, "Rivalford bin collection", "")], actor=None)
    return rival


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["council:overview", "council:operating_model", "council:services", "council:audit"]
)
@pytest.mark.parametrize("role", [Role.ADMIN, Role.COUNCILLOR])
def test_another_councils_pages_are_not_found_and_never_named(
    council: Council, rival: Council, client_for: Callable[..., Client], name: str, role: str
) -> None:
    client = client_for(council, role)
    response = client.get(reverse(name, args=[rival.slug]))
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Rivalford" not in response.content
    own = client.get(reverse(name, args=[council.slug]))
    assert own.status_code == 200
    assert b"Rivalford" not in own.content


@pytest.mark.django_db
def test_another_partnership_is_not_found_through_your_own_council(
    council: Council, rival: Council, make_council: Callable[..., Council], client_for: Callable[..., Client]
) -> None:
    third = make_council(slug="thirdshire", name="Thirdshire County Council")
    theirs = services.partnership_create(name="Rivalford and Thirdshire", councils=[rival, third], actor=None)
    client = client_for(council, Role.ADMIN)
    response = client.get(reverse("council:partnership_detail", args=[council.slug, theirs.pk]))
    assert response.status_code == 404
    assert b"Rivalford" not in response.content


ITEM_PAGES = [
    ("council:layer_edit", Layer),
    ("council:layer_delete", Layer),
    ("council:lever_edit", Lever),
    ("council:lever_delete", Lever),
    ("council:principle_edit", DesignPrinciple),
    ("council:principle_delete", DesignPrinciple),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "model"), ITEM_PAGES)
def test_an_admin_cannot_reach_another_councils_items_through_their_own_council(
    council: Council, rival: Council, client_for: Callable[..., Client], name: str, model: type
) -> None:
    target = model.objects.filter(council=rival).first()
    client = client_for(council, Role.ADMIN)
    path = reverse(name, args=[council.slug, target.pk])
    before = fingerprint()
    assert client.get(path).status_code == 404
    data = {"name": "Hijacked", "title": "Hijacked", "code": "hijacked", "summary": "x", "description": ""}
    assert client.post(path, data).status_code == 404
    move = reverse(
        "council:operating_model_move", args=[council.slug, name.split(":")[1].split("_")[0], target.pk]
    )
    assert client.post(move, {"direction": "down"}).status_code == 404
    assert fingerprint() == before


@pytest.mark.django_db
def test_an_admin_cannot_change_the_role_of_another_councils_member(
    council: Council,
    rival: Council,
    client_for: Callable[..., Client],
    make_member: Callable[..., Membership],
) -> None:
    theirs = make_member(rival, Role.COUNCILLOR, username="rival-councillor")
    client = client_for(council, Role.ADMIN)
    path = reverse("council:member_role", args=[council.slug, theirs.pk])
    assert client.post(path, {"role": Role.ADMIN}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.role == Role.COUNCILLOR


# --- CSRF ---------------------------------------------------------------------------------------------


@pytest.fixture
def strict_admin(world: World, make_member: Callable[..., Membership]) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member(world.council, Role.ADMIN, username="strict-admin").user)
    return client


CSRF_ROUTES = [pytest.param(r, id=str(r)) for r in CHANGING_ROUTES] + [
    pytest.param(route_named("council:partnership_detail"), id="council:partnership_detail")
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", CSRF_ROUTES)
def test_posts_without_a_csrf_token_are_refused(world: World, strict_admin: Client, route: Route) -> None:
    before = fingerprint()
    response = strict_admin.post(world.path(route), world.post_data(route))
    assert response.status_code == 403
    assert b"CSRF" in response.content
    assert fingerprint() == before


@pytest.mark.django_db
def test_posts_with_the_csrf_token_are_accepted(world: World, strict_admin: Client) -> None:
    path = reverse("council:layer_add", args=[world.council.slug])
    form = strict_admin.get(path)
    assert form.status_code == 200
    token = form.context["csrf_token"]
    assert f'name="csrfmiddlewaretoken" value="{token}"'.encode() in form.content
    data = {"name": "Front door", "code": "front-door-2", "description": "", "csrfmiddlewaretoken": token}
    assert strict_admin.post(path, data).status_code == 302
    assert Layer.objects.filter(council=world.council, code="front-door-2").exists()


@pytest.mark.django_db
def test_sign_in_and_sign_out_need_the_csrf_token(world: World, strict_admin: Client) -> None:
    assert strict_admin.post(reverse("logout")).status_code == 403
    assert strict_admin.get(reverse("council:overview", args=[world.council.slug])).status_code == 200
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(reverse("login"), {"username": "admin-testshire", "password": "x"})
    assert response.status_code == 403


# --- sign-in -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_does_not_redirect_to_another_site(world: World) -> None:
    from conftest import TEST_PASSWORD

    client = Client()
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "colleague", "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.django_db
def test_pages_forbid_framing_and_sniffing(admin_client_: Client, council: Council) -> None:
    response = admin_client_.get(reverse("council:overview", args=[council.slug]))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
