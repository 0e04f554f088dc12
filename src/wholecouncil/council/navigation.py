"""The service navigation shown on every page of a council."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

# (url name, label, url-name prefixes that make the item current)
NAV = (
    ("council:overview", "Overview", ("council:overview",)),
    ("workforce:organisation", "Organisation", ("workforce:organisation", "workforce:unit")),
    ("council:services", "Services", ("council:services",)),
    (
        "council:operating_model",
        "Operating model",
        ("council:operating_model", "council:layer", "council:lever", "council:principle"),
    ),
    ("workforce:establishment", "Establishment", ("workforce:establishment", "workforce:import")),
    ("council:partnerships", "Partnerships", ("council:partnership",)),
    ("council:members", "People", ("council:member",)),
    ("council:audit", "Audit log", ("council:audit",)),
)


def council_nav(request: HttpRequest) -> list[dict[str, Any]]:
    council = request.council  # type: ignore[attr-defined]
    match = request.resolver_match
    current = f"{match.namespace}:{match.url_name}" if match else ""
    return [
        {"href": reverse(name, args=[council.slug]), "text": label, "active": current.startswith(prefixes)}
        for name, label, prefixes in NAV
    ]
