"""The service navigation shown on every page of a council."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

# (url name, label, url-name prefixes that make the item current)
NAV = (
    ("council:overview", "Overview", ("council:overview",)),
    ("workforce:organisation", "Organisation", ("workforce:",)),
    (
        "council:operating_model",
        "Operating model",
        ("council:operating_model", "council:layer", "council:lever", "council:principle"),
    ),
    ("activity:overview", "Activity", ("activity:",)),
    ("spend:overview", "Spend", ("spend:",)),
    ("cases:overview", "Business case", ("cases:",)),
    ("portfolio:overview", "Portfolio", ("portfolio:",)),
    ("benefits:overview", "Benefits", ("benefits:",)),
    ("reports:index", "Reports", ("reports:",)),
    (
        "council:setup",
        "Council",
        ("council:setup", "council:services", "council:partnership", "council:member", "council:audit"),
    ),
)


def council_nav(request: HttpRequest) -> list[dict[str, Any]]:
    council = request.council  # type: ignore[attr-defined]
    match = request.resolver_match
    current = f"{match.namespace}:{match.url_name}" if match else ""
    return [
        {"href": reverse(name, args=[council.slug]), "text": label, "active": current.startswith(prefixes)}
        for name, label, prefixes in NAV
    ]
