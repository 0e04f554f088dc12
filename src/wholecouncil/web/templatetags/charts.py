"""Server-drawn SVG charts. Each chart is a picture of a table the page also shows, so it adds no data of
its own: it has a title and a one-line description for screen readers; the table beside it has the figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import template

register = template.Library()

ROW_HEIGHT = 28
LABEL_WIDTH = 300
BAR_WIDTH = 380
WIDTH = 800


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    return float(value)


def _printed(value: Any, shown: str) -> str:
    """The figure at the end of a bar: `shown` is "percent" (a Decimal share), "count", "pounds" or ""."""
    if value is None:
        return "hidden"
    number = _number(value)
    if shown == "percent" and isinstance(value, Decimal):
        return f"{value * 100:.1f}%"
    if shown == "count":
        return f"{number:,.0f}"
    if shown == "pounds":
        return f"-£{-number:,.0f}" if number < 0 else f"£{number:,.0f}"
    return f"{number:,.1f}"


@register.inclusion_tag("web/charts/bars.html")
def bar_chart(
    rows: Iterable[Mapping[str, Any]],
    *,
    label: str = "name",
    value: str = "fte",
    title: str,
    description: str,
    shown: str = "",
    chart_id: str = "chart",
) -> dict[str, Any]:
    """A horizontal bar per row; `shown` is a format for the value printed at the end of the bar.

    Colours are presentation attributes as well as classes, so PDF renderers that ignore the page's
    stylesheet for SVG draw the same chart."""
    items = [(str(r[label]), r[value]) for r in rows]
    peak = max((_number(v) for _, v in items), default=0.0) or 1.0
    bars = []
    for i, (text, v) in enumerate(items):
        length = _number(v) / peak * BAR_WIDTH
        printed = _printed(v, shown)
        bars.append(
            {
                "label": text if len(text) <= 42 else text[:40] + "…",
                "y": i * ROW_HEIGHT,
                "text_y": i * ROW_HEIGHT + ROW_HEIGHT / 2 + 5,
                "length": round(length, 1),
                "value_x": round(LABEL_WIDTH + length + 6, 1),
                "printed": printed,
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
