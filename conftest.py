"""Fixtures shared by every test: councils, users in each role, and signed-in clients."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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


# --- browser tests ---------------------------------------------------------------------------------------

# Playwright's sync API runs an event loop in the test thread; the test's own ORM calls are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Accounts are made in almost every test here; hashing with the production work factor is slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is not installed; `make browser` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A new browser tab with its own cookies, pointed at the live test server."""
    context = chromium.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
