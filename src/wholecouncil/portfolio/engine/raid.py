"""Risk scoring for the RAID log: likelihood times impact (each 1 to 5), current and residual; proximity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from wholecouncil.portfolio.engine.errors import PortfolioError

SCALE = range(1, 6)

LIKELIHOOD_LABELS = {1: "Rare", 2: "Unlikely", 3: "Possible", 4: "Likely", 5: "Almost certain"}
IMPACT_LABELS = {1: "Negligible", 2: "Minor", 3: "Moderate", 4: "Major", 5: "Severe"}


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    VERY_HIGH = "very_high"


BAND_LABELS = {Band.LOW: "Low", Band.MEDIUM: "Medium", Band.HIGH: "High", Band.VERY_HIGH: "Very high"}
# Score ranges of each band, inclusive: what the risk page's key shows.
BAND_RANGES = {Band.LOW: (1, 4), Band.MEDIUM: (5, 10), Band.HIGH: (12, 16), Band.VERY_HIGH: (20, 25)}


def _check(name: str, value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value not in SCALE:
        raise PortfolioError(f"The {name} must be a whole number from 1 to 5; got {value!r}.")
    return value


def risk_score(likelihood: int, impact: int) -> int:
    """Likelihood times impact, each 1 to 5: a score from 1 to 25."""
    return _check("likelihood", likelihood) * _check("impact", impact)


def band(score: int) -> Band:
    if not 1 <= score <= 25:
        raise PortfolioError(f"A risk score is from 1 to 25; got {score}.")
    if score <= 4:
        return Band.LOW
    if score <= 10:
        return Band.MEDIUM
    if score <= 16:
        return Band.HIGH
    return Band.VERY_HIGH


@dataclass(frozen=True)
class RiskScores:
    current: int
    residual: int

    @property
    def reduction(self) -> int:
        return self.current - self.residual


def score_risk(likelihood: int, impact: int, residual_likelihood: int, residual_impact: int) -> RiskScores:
    """Current and residual scores. The residual (after the mitigations work) cannot be above the current."""
    current = risk_score(likelihood, impact)
    residual = risk_score(residual_likelihood, residual_impact)
    if residual > current:
        raise PortfolioError(
            f"The residual score ({residual}) cannot be higher than the current score ({current}): "
            "the residual is what is left once the mitigations work."
        )
    return RiskScores(current, residual)


class Proximity(StrEnum):
    PASSED = "passed"
    IMMINENT = "imminent"
    NEAR = "near"
    MEDIUM = "medium"
    DISTANT = "distant"
    UNKNOWN = "unknown"


PROXIMITY_LABELS = {
    Proximity.PASSED: "Date passed",
    Proximity.IMMINENT: "Within a month",
    Proximity.NEAR: "1 to 3 months",
    Proximity.MEDIUM: "3 to 6 months",
    Proximity.DISTANT: "More than 6 months",
    Proximity.UNKNOWN: "No date",
}


def proximity(today: dt.date, expected: dt.date | None) -> Proximity:
    """How soon the risk could happen, from the date it is expected to bite."""
    if expected is None:
        return Proximity.UNKNOWN
    days = (expected - today).days
    if days < 0:
        return Proximity.PASSED
    if days <= 31:
        return Proximity.IMMINENT
    if days <= 92:
        return Proximity.NEAR
    if days <= 183:
        return Proximity.MEDIUM
    return Proximity.DISTANT
