"""What the case page and the document show about releases, the cost of a post and illustrative figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from wholecouncil.cases import engine as E
from wholecouncil.cases.models import BusinessCase, Release
from wholecouncil.cases.risk_figures import RiskRanges, risk_ranges

ILLUSTRATIVE_LABELS = {
    "turnover_capture_pct": "Share of leavers whose posts can be deleted",
    "redeployment_pct": "Share of the remaining affected staff redeployed",
}


@dataclass
class ReleaseRow:
    release: Release
    full_year: Decimal
    lines: tuple[str, ...]


def release_rows(releases: list[Release], result: E.CaseResult | None) -> list[ReleaseRow]:
    """Each release with the full-year recurring saving it delivers in the shown option."""
    lines = result.lines if result is not None else ()
    found = E.release_benefits(
        [E.Release(r.code, r.name, r.go_live) for r in releases],
        ((ln.opportunity.code, ln.value, ln.release_shares) for ln in lines),
    )
    return [ReleaseRow(r, b.full_year, b.lines) for r, b in zip(releases, found, strict=True)]


@dataclass
class PostCost:
    code: str
    layer: str
    cost_per_fte: Decimal
    own_layer: bool


def post_costs(result: E.CaseResult, average: Decimal | None, layer_names: dict[str, str]) -> list[PostCost]:
    """The cost of a post each chosen staff-cost line's posts are counted at: its layer's own, from the
    activity baseline, or the average."""
    out = []
    for ln in result.lines:
        if not ln.opportunity.staff_pct:
            continue
        cost = ln.cost_per_fte or average
        if cost is None:
            continue
        layer = layer_names.get(ln.opportunity.layer, ln.opportunity.layer)
        out.append(PostCost(ln.opportunity.code, layer, cost, ln.cost_per_fte is not None))
    return out


def illustrative_assumptions(case: BusinessCase) -> list[str]:
    return [ILLUSTRATIVE_LABELS[f] for f in case.illustrative_defaults or [] if f in ILLUSTRATIVE_LABELS]


def ranges_of(case: BusinessCase) -> RiskRanges:
    return risk_ranges(case)
