"""Server-drawn SVG charts: geometry worked out here, drawn by templates, always beside a data table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from wholecouncil.portfolio.engine.status import RAG_LABELS, Rag

# Colours that pass contrast against white and differ in lightness as well as hue.
RAG_FILL = {Rag.GREEN: "#00703c", Rag.AMBER: "#f47738", Rag.RED: "#d4351c"}
BAR_FILL = "#1d70b8"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str
    fill: str = BAR_FILL


def bars(items: Sequence[tuple[str, float]], width: int = 640, height: int = 220) -> dict[str, Any]:
    """A vertical bar per item, labels underneath and values on top."""
    top = max((v for _, v in items), default=0) or 1
    plot_h = height - 50
    slot = width / max(len(items), 1)
    out = []
    for i, (label, value) in enumerate(items):
        h = plot_h * value / top
        out.append(Bar(i * slot + slot * 0.15, 20 + plot_h - h, slot * 0.7, h, label, f"{value:g}"))
    return {"width": width, "height": height, "bars": out, "baseline": 20 + plot_h}


def stacked_rag(rows: Sequence[dict[str, Any]], width: int = 640, height: int = 240) -> dict[str, Any]:
    """One stacked column per month: green at the bottom, then amber, then red."""
    top = max((r["total"] for r in rows), default=0) or 1
    plot_h = height - 50
    slot = width / max(len(rows), 1)
    columns = []
    for i, row in enumerate(rows):
        y = 20 + plot_h
        parts = []
        for rag in (Rag.GREEN, Rag.AMBER, Rag.RED):
            n = row["counts"][rag]
            h = plot_h * n / top
            y -= h
            if n:
                parts.append(
                    Bar(i * slot + slot * 0.15, y, slot * 0.7, h, RAG_LABELS[rag], str(n), RAG_FILL[rag])
                )
        columns.append({"x": i * slot + slot / 2, "label": f"{row['month']:%b %y}", "parts": parts})
    return {"width": width, "height": height, "columns": columns, "baseline": 20 + plot_h}


def timeline(
    items: Sequence[Any], start: dt.date, end: dt.date, width: int = 900, row_h: int = 22
) -> dict[str, Any]:
    """Milestones as rows: a hollow mark at the baseline date and a filled one at the forecast (or actual)."""
    left = 260
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        clamped = min(max(day, start), end)
        return left + (width - left - 20) * (clamped - start).days / span

    rows = []
    for i, item in enumerate(items):
        m = item.milestone
        y = 40 + i * row_h
        rows.append(
            {
                "y": y,
                "label": f"{m.project.code}: {m.name}"[:40],
                "baseline": x(m.baseline_date),
                "forecast": x(m.actual_date or m.forecast_date),
                "colour": {"green": "#00703c", "yellow": "#f47738", "red": "#d4351c"}.get(
                    item.view.colour, "#505a5f"
                ),
            }
        )
    ticks = []
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        if month >= start:
            ticks.append({"x": x(month), "label": f"{month:%b %y}"})
        month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return {"width": width, "height": 50 + len(items) * row_h, "rows": rows, "ticks": ticks, "left": left}
