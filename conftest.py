"""Fixtures shared by every test: councils, users in each role, and signed-in clients."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from wholecouncil.accounts.roles import Role
from wholecouncil.council import services
from wholecouncil.council.models import Council, Membership

TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


@pytest.fixture
def shared_data_dir() -> Path:
    """../shared/data beside the checkout. A test that needs it fails loudly if it is missing."""
    path = Path(settings.WHOLECOUNCIL_SHARED_DIR) / "data"
    assert path.is_dir(), f"The shared data folder is missing: {path}"
    return path


@pytest.fixture
def make_council(db: None) -> Callable[..., Council]:
    counter = iter(range(1, 10_000))

    def make(slug: str | None = None, name: str | None = None, **kwargs: object) -> Council:
        n = next(counter)
        return services.council_create(
            slug=slug or f"council-{n}", name=name or f"Test Council {n}", **kwargs
        )

    return make


@pytest.fixture
def council(make_council: Callable[..., Council]) -> Council:
    return make_council(slug="testshire", name="Testshire Council")


@pytest.fixture
def make_member(db: None) -> Callable[..., Membership]:
    def make(council: Council, role: str = Role.ADMIN, username: str | None = None) -> Membership:
        return services.membership_set(
            council=council, username=username or f"{role}-{council.slug}", role=role, password=TEST_PASSWORD
        )

    return make


@pytest.fixture
def client_for(make_member: Callable[..., Membership]) -> Callable[..., Client]:
    """A test client signed in as a new user holding `role` in `council`."""

    def make(council: Council, role: str = Role.ADMIN) -> Client:
        membership = make_member(council, role)
        c = Client()
        c.force_login(membership.user)
        return c

    return make


@pytest.fixture
def admin_client_(council: Council, client_for: Callable[..., Client]) -> Client:
    return client_for(council, Role.ADMIN)


@pytest.fixture
def councillor_client(council: Council, client_for: Callable[..., Client]) -> Client:
    return client_for(council, Role.COUNCILLOR)
