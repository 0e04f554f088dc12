"""Charts drawn on the server as SVG, the same on the page and in the PDF.

Every chart is an image with a title and a description (role="img", <title>, <desc>); the page shows the
figures it draws in a table beside it. Colours are from the GOV.UK palette.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE = "#1d70b8"
RED = "#d4351c"
GREEN = "#00703c"
GREY = "#505a5f"
LIGHT = "#b1b4b6"
BLACK = "#0b0c0c"
FONT = 'font-family="Arial, sans-serif" font-size="13"'

_ids = count(1)

Number = Decimal | float | int


def money_label(value: float) -> str:
    """£12.3m, £450k or £900, with a true minus sign."""
    sign = "\N{MINUS SIGN}" if value < 0 else ""
    v = abs(value)
    if v >= 1_000_000:
        text = f"£{v / 1_000_000:,.1f}m"
    elif v >= 1_000:
        text = f"£{v / 1_000:,.0f}k"
    else:
        text = f"£{v:,.0f}"
    return sign + text


def nice_ticks(low: float, high: float, wanted: int = 5, include_zero: bool = True) -> list[float]:
    """Round tick values spanning low..high (including 0 unless told not to)."""
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1.0
    raw = (high - low) / wanted
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    v = start
    while v < high + step * 0.999:
        ticks.append(round(v, 6))
        v += step
    return ticks


def short(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Svg:
    width: int
    height: int
    title: str
    desc: str

    def wrap(self, body: str) -> SafeString:
        n = next(_ids)
        return mark_safe(  # noqa: S308 - every text below is escaped
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
            f'width="100%" style="max-width:{self.width}px" role="img" '
            f'aria-labelledby="chart-{n}-title chart-{n}-desc" class="wc-chart">'
            f'<title id="chart-{n}-title">{escape(self.title)}</title>'
            f'<desc id="chart-{n}-desc">{escape(self.desc)}</desc>{body}</svg>'
        )


def _text(x: float, y: float, text: str, anchor: str = "middle", fill: str = BLACK, extra: str = "") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" {FONT}{extra}>'
        f"{escape(text)}</text>"
    )


def profile_chart(
    title: str,
    desc: str,
    labels: Sequence[str],
    benefit: Sequence[Number],
    costs: Sequence[Number],
    cumulative_net: Sequence[Number],
) -> SafeString:
    """By year: benefit in force as bars above the axis, costs as bars below, cumulative net as a line."""
    width, height = 640, 320
    left, right, top, bottom = 70, 20, 30, 50
    ben = [float(v) for v in benefit]
    cost = [-float(v) for v in costs]
    net = [float(v) for v in cumulative_net]
    ticks = nice_ticks(min([*cost, *net, 0.0]), max([*ben, *net, 0.0]))
    lo, hi = ticks[0], ticks[-1]
    plot_h = height - top - bottom

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * plot_h

    n = max(len(labels), 1)
    band = (width - left - right) / n
    bar = band * 0.35
    parts = []
    for t in ticks:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            f'stroke="{LIGHT if t else BLACK}" stroke-width="1"/>'
        )
        parts.append(_text(left - 6, y(t) + 4, money_label(t), "end"))
    points = []
    for i, label in enumerate(labels):
        cx = left + band * (i + 0.5)
        parts.append(
            f'<rect x="{cx - bar:.1f}" y="{y(ben[i]):.1f}" width="{bar:.1f}" '
            f'height="{max(y(0) - y(ben[i]), 0):.1f}" fill="{BLUE}"/>'
        )
        parts.append(
            f'<rect x="{cx:.1f}" y="{y(0):.1f}" width="{bar:.1f}" '
            f'height="{max(y(cost[i]) - y(0), 0):.1f}" fill="{RED}"/>'
        )
        parts.append(_text(cx, height - bottom + 18, label))
        points.append(f"{cx:.1f},{y(net[i]):.1f}")
    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{BLACK}" stroke-width="3"/>')
    for p in points:
        px, py = p.split(",")
        parts.append(f'<circle cx="{px}" cy="{py}" r="4" fill="{BLACK}"/>')
    legend_y = height - 10
    parts.append(f'<rect x="{left}" y="{legend_y - 10}" width="12" height="12" fill="{BLUE}"/>')
    parts.append(_text(left + 18, legend_y, "Recurring benefit in force", "start"))
    parts.append(f'<rect x="{left + 210}" y="{legend_y - 10}" width="12" height="12" fill="{RED}"/>')
    parts.append(_text(left + 228, legend_y, "Costs", "start"))
    parts.append(
        f'<line x1="{left + 290}" x2="{left + 310}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
        f'stroke="{BLACK}" stroke-width="3"/>'
    )
    parts.append(_text(left + 316, legend_y, "Cumulative net position", "start"))
    return Svg(width, height, title, desc).wrap("".join(parts))


@dataclass(frozen=True)
class RangeRow:
    label: str
    low: float
    high: float
    mid: float | None = None


def range_chart(title: str, desc: str, rows: Sequence[RangeRow], centre: float | None = None) -> SafeString:
    """Horizontal bars from each row's low to its high, with its mid marked; a line at `centre`.

    Used for the tornado (NPV with one assumption at each end) and for the risk range (P10 to P90).
    """
    width = 720
    label_w, right, top, row_h = 270, 30, 20, 30
    height = top + row_h * max(len(rows), 1) + 40
    values = [v for r in rows for v in (r.low, r.high)] + ([centre] if centre is not None else [])
    ticks = nice_ticks(min(values or [0.0]), max(values or [1.0]), include_zero=False)
    lo, hi = ticks[0], ticks[-1]
    plot_w = width - label_w - right

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    parts = []
    base_y = top + row_h * len(rows)
    for t in ticks:
        parts.append(
            f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{base_y}" '
            f'stroke="{BLACK if t == 0 else LIGHT}" stroke-width="1"/>'
        )
        parts.append(_text(x(t), base_y + 16, money_label(t)))
    for i, r in enumerate(rows):
        ry = top + row_h * i
        a, b = sorted((r.low, r.high))
        parts.append(_text(label_w - 8, ry + row_h / 2 + 4, short(r.label), "end"))
        parts.append(
            f'<rect x="{x(a):.1f}" y="{ry + 6}" width="{max(x(b) - x(a), 1):.1f}" '
            f'height="{row_h - 12}" fill="{BLUE}"/>'
        )
        if r.mid is not None:
            parts.append(
                f'<line x1="{x(r.mid):.1f}" x2="{x(r.mid):.1f}" y1="{ry + 3}" y2="{ry + row_h - 3}" '
                f'stroke="{BLACK}" stroke-width="3"/>'
            )
    if centre is not None:
        parts.append(
            f'<line x1="{x(centre):.1f}" x2="{x(centre):.1f}" y1="{top - 6}" y2="{base_y}" '
            f'stroke="{BLACK}" stroke-width="2" stroke-dasharray="4 3"/>'
        )
    return Svg(width, height, title, desc).wrap("".join(parts))


def bar_chart(title: str, desc: str, rows: Sequence[tuple[str, float]]) -> SafeString:
    """Horizontal bars from zero, one per row (e.g. NPV per option)."""
    width = 720
    label_w, right, top, row_h = 270, 30, 20, 34
    height = top + row_h * max(len(rows), 1) + 40
    ticks = nice_ticks(min([v for _, v in rows] or [0.0]), max([v for _, v in rows] or [1.0]))
    lo, hi = ticks[0], ticks[-1]
    plot_w = width - label_w - right

    def x(v: float) -> float:
        return label_w + (v - lo) / (hi - lo) * plot_w

    parts = []
    base_y = top + row_h * len(rows)
    for t in ticks:
        colour = BLACK if t == 0 else LIGHT
        parts.append(
            f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{base_y}" '
            f'stroke="{colour}" stroke-width="1"/>'
        )
        parts.append(_text(x(t), base_y + 16, money_label(t)))
    for i, (label, value) in enumerate(rows):
        ry = top + row_h * i
        a, b = sorted((0.0, value))
        parts.append(_text(label_w - 8, ry + row_h / 2 + 4, short(label), "end"))
        parts.append(
            f'<rect x="{x(a):.1f}" y="{ry + 6}" width="{max(x(b) - x(a), 1):.1f}" height="{row_h - 12}" '
            f'fill="{BLUE if value >= 0 else RED}"/>'
        )
    return Svg(width, height, title, desc).wrap("".join(parts))
