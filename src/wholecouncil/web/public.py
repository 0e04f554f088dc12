"""Marking views that deliberately need no council permission, for the URL meta-test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def public(view: F) -> F:
    """Anyone may open this view, signed in or not (sign-in page, health check, survey links)."""
    view.wc_public = True  # type: ignore[attr-defined]
    return view


def signed_in_only(view: F) -> F:
    """Any signed-in user may open this view; it shows only that user's own data."""
    view.wc_signed_in_only = True  # type: ignore[attr-defined]
    return view
