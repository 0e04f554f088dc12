"""Server-drawn SVG charts of the MTFP position and the realisation curve: geometry here, drawing in
templates, always beside a table with the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from wholecouncil.benefits.engine.curve import CurvePoint
from wholecouncil.benefits.engine.mtfp import YearPosition

BANKED = "#00703c"
PIPELINE = "#1d70b8"
AT_RISK = "#f47738"
REQUIRED = "#0b0c0c"
ACTUAL = "#00703c"
PLANNED = "#1d70b8"


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)


def _money_label(value: float) -> str:
    if value >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    if value >= 1_000:
        return f"£{value / 1_000:,.0f}k"
    return f"£{value:,.0f}"


def _axis(top: float, y_of: Any, left: int, width: int) -> list[dict[str, Any]]:
    return [
        {"y": round(y_of(top * i / 4), 1), "label": _money_label(top * i / 4), "x1": left, "x2": width - 10}
        for i in range(5)
    ]


def position_chart(years: Sequence[YearPosition], width: int = 760, height: int = 300) -> dict[str, Any]:
    """A column per year: banked, then pipeline, then at risk stacked; a black bar marks savings required."""
    left, top_pad, bottom = 70, 20, 40
    plot_h = height - top_pad - bottom
    peak = max((float(max(y.banked + y.pipeline + y.at_risk, y.required or 0)) for y in years), default=0)
    top = _nice_top(peak)

    def y_of(value: float) -> float:
        return top_pad + plot_h - plot_h * value / top

    slot = (width - left - 10) / max(len(years), 1)
    columns = []
    for i, year in enumerate(years):
        x = left + i * slot + slot * 0.2
        w = slot * 0.6
        base = 0.0
        parts = []
        for label, value, fill in (
            ("Banked", year.banked, BANKED),
            ("Pipeline", year.pipeline, PIPELINE),
            ("At risk", year.at_risk, AT_RISK),
        ):
            v = float(value)
            if v > 0:
                parts.append(
                    {
                        "x": round(x, 1),
                        "y": round(y_of(base + v), 1),
                        "w": round(w, 1),
                        "h": round(plot_h * v / top, 1),
                        "fill": fill,
                        "label": label,
                    }
                )
            base += v
        required = None
        if year.required is not None:
            required = {
                "x1": round(x - 6, 1),
                "x2": round(x + w + 6, 1),
                "y": round(y_of(float(year.required)), 1),
            }
        columns.append(
            {"label": str(year.year), "label_x": round(x + w / 2, 1), "parts": parts, "required": required}
        )
    return {
        "width": width,
        "height": height,
        "baseline": top_pad + plot_h,
        "left": left,
        "axis": _axis(top, y_of, left, width),
        "columns": columns,
        "colours": {"banked": BANKED, "pipeline": PIPELINE, "at_risk": AT_RISK, "required": REQUIRED},
    }


def curve_chart(points: Sequence[CurvePoint], width: int = 760, height: int = 300) -> dict[str, Any]:
    """Two lines over the months: cumulative planned, and cumulative actual up to the last month reported."""
    left, top_pad, bottom = 70, 20, 40
    plot_h = height - top_pad - bottom
    plot_w = width - left - 10
    peak = max(
        (float(max(p.planned_cumulative, p.actual_cumulative or Decimal(0))) for p in points), default=0
    )
    top = _nice_top(peak)

    def y_of(value: float) -> float:
        return top_pad + plot_h - plot_h * value / top

    step = plot_w / max(len(points) - 1, 1)
    planned = " ".join(
        f"{left + i * step:.1f},{y_of(float(p.planned_cumulative)):.1f}" for i, p in enumerate(points)
    )
    actual = " ".join(
        f"{left + i * step:.1f},{y_of(float(p.actual_cumulative)):.1f}"
        for i, p in enumerate(points)
        if p.actual_cumulative is not None
    )
    ticks = [
        {"x": round(left + i * step, 1), "label": f"{p.month:%b %Y}"}
        for i, p in enumerate(points)
        if p.month.month == 4
    ]
    return {
        "width": width,
        "height": height,
        "baseline": top_pad + plot_h,
        "left": left,
        "axis": _axis(top, y_of, left, width),
        "planned": planned,
        "actual": actual,
        "ticks": ticks,
        "colours": {"planned": PLANNED, "actual": ACTUAL},
    }
