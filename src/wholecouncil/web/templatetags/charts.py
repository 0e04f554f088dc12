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
    """A horizontal bar per row; `shown` is a format for the value printed at the end of the bar."""
    items = [(str(r[label]), r[value]) for r in rows]
    peak = max((_number(v) for _, v in items), default=0.0) or 1.0
    bars = []
    for i, (text, v) in enumerate(items):
        length = _number(v) / peak * BAR_WIDTH
        if isinstance(v, Decimal) and shown == "percent":
            printed = f"{v * 100:.1f}%"
        elif v is None:
            printed = "hidden"
        else:
            printed = f"{_number(v):,.1f}"
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
