"""Template filters for the business-case pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def share_pct(fraction: Decimal | float | None) -> str:
    """A fraction as a percentage, without trailing zeros: 0.125 -> '12.5%'."""
    if fraction is None:
        return "—"
    value = (Decimal(str(fraction)) * 100).quantize(Decimal("0.01")).normalize()
    return f"{value:f}%"


@register.filter
def pct(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(str(value)).normalize():f}%"
