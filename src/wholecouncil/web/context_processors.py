from __future__ import annotations

from typing import Any

from django.http import HttpRequest

PRODUCT_NAME = "Whole Council"


def site(request: HttpRequest) -> dict[str, Any]:
    """What every page needs: the product name and, on a council's pages, the council and its navigation."""
    council = getattr(request, "council", None)
    nav_builder = getattr(request, "nav_builder", None)
    return {
        "product_name": PRODUCT_NAME,
        "council": council,
        "nav_items": nav_builder(request) if nav_builder else [],
    }
