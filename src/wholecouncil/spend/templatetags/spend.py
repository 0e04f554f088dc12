"""Spend charts (bars in pounds, drawn as SVG by the shared chart template) and money formatting."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

ROW_HEIGHT = 28
LABEL_WIDTH = 300
BAR_WIDTH = 360
WIDTH = 800


@register.filter
def compact_pounds(value: Decimal | int | float | None) -> str:
    """£1.2m, £35k, £950, minus £4k: for chart labels; tables show the exact figures."""
    if value is None:
        return "—"
    amount = float(value)
    sign = "\N{MINUS SIGN}" if amount < 0 else ""
    amount = abs(amount)
    if amount >= 1_000_000:
        return f"{sign}£{amount / 1_000_000:,.1f}m"
    if amount >= 10_000:
        return f"{sign}£{amount / 1000:,.0f}k"
    return f"{sign}£{amount:,.0f}"


@register.filter
def percent(value: float | None, places: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{places}f}%"


@register.inclusion_tag("web/charts/bars.html")
def pounds_chart(
    rows: Iterable[Any], *, title: str, description: str, chart_id: str, limit: int = 15
) -> dict[str, Any]:
    """A horizontal bar per row (each with .label and .amount in pounds); negative amounts draw no bar."""
    items = [(str(r.label), float(r.amount)) for r in list(rows)[:limit]]
    peak = max((v for _, v in items), default=0.0) or 1.0
    bars = []
    for i, (text, value) in enumerate(items):
        length = max(value, 0.0) / peak * BAR_WIDTH
        bars.append(
            {
                "label": text if len(text) <= 42 else text[:40] + "…",
                "y": i * ROW_HEIGHT,
                "text_y": i * ROW_HEIGHT + ROW_HEIGHT / 2 + 5,
                "length": round(length, 1),
                "value_x": round(LABEL_WIDTH + length + 6, 1),
                "printed": compact_pounds(value),
            }
        )
    return {
        "bars": bars,
        "height": max(len(bars), 1) * ROW_HEIGHT + 4,
        "width": WIDTH,
        "label_width": LABEL_WIDTH,
        "bar_height": ROW_HEIGHT - 8,
        "title": title,
        "description": description,
        "chart_id": chart_id,
    }


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key], or "" when it is missing: for dictionaries keyed by id in tables."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


@register.filter
def pence_to_pounds(pennies: int | None) -> Decimal | None:
    if pennies is None or pennies == "":
        return Decimal(0)
    return (Decimal(int(pennies)) / 100).quantize(Decimal("0.01"))
