"""The portfolio's risk register with its heat maps, and reprioritisation reviews."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from wholecouncil.council.models import Council
from wholecouncil.portfolio.models import ReprioritisationReview, Risk


def open_risks(council: Council) -> QuerySet[Risk]:
    return (
        Risk.objects.filter(council=council, status=Risk.Status.OPEN)
        .select_related("project")
        .order_by("-score", "-residual_score", "id")
    )


def heat_map(council: Council, residual: bool = False) -> list[list[int]]:
    """Open risks by impact (rows, 5 at the top) and likelihood (columns 1..5)."""
    grid = [[0] * 5 for _ in range(5)]
    lk, im = ("residual_likelihood", "residual_impact") if residual else ("likelihood", "impact")
    counts = (
        Risk.objects.filter(council=council, status=Risk.Status.OPEN)
        .values_list(lk, im)
        .annotate(n=Count("id"))
        .order_by()
    )
    for likelihood, impact, n in counts:
        grid[5 - impact][likelihood - 1] += n
    return grid


def reviews(council: Council) -> QuerySet[ReprioritisationReview]:
    return ReprioritisationReview.objects.filter(council=council).annotate(n=Count("items"))
