"""Phasing by release: a case's named releases, each going live in one financial year.

A chosen opportunity phased by release says what share (percent) of its full-year recurring saving each
release delivers; the shares total 100%. The in-year increment of a year is then the sum of the shares of
the releases going live that year, which is the same as phasing by year with those fractions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from wholecouncil.cases.engine.errors import CaseError
from wholecouncil.cases.engine.money import HUNDRED, ZERO, fmt_pct, total
from wholecouncil.council.engine import FinancialYear

Shares = tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Release:
    """A release of the change programme, such as "Release 1: digital front door", and its go-live year."""

    code: str
    name: str
    go_live: FinancialYear


def validate_releases(releases: Sequence[Release], first_year: FinancialYear, years: int) -> None:
    seen: set[str] = set()
    last = first_year + (years - 1)
    for r in releases:
        if r.code in seen:
            raise CaseError(f"Two releases have the code {r.code}.")
        seen.add(r.code)
        if not first_year.start_year <= r.go_live.start_year <= last.start_year:
            raise CaseError(
                f"Release {r.code} ({r.name}) goes live in {r.go_live}, outside the case's years "
                f"{first_year} to {last}."
            )


def validate_shares(line: str, shares: Shares, releases: Iterable[Release]) -> None:
    """A line's release shares: known releases, each once, each 0-100%, totalling exactly 100%."""
    known = {r.code for r in releases}
    seen: set[str] = set()
    for code, share in shares:
        if code not in known:
            raise CaseError(f"Opportunity {line}: there is no release '{code}'.")
        if code in seen:
            raise CaseError(f"Opportunity {line}: release {code} is given twice.")
        seen.add(code)
        if not ZERO <= share <= HUNDRED:
            raise CaseError(f"Opportunity {line}: the share of release {code} must be between 0% and 100%.")
    summed = total(s for _, s in shares)
    if summed != HUNDRED:
        raise CaseError(
            f"Opportunity {line}: its release shares add up to {fmt_pct(summed)}; they must total 100%."
        )


def release_phasing(
    shares: Shares, releases: Iterable[Release], first_year: FinancialYear, years: int
) -> tuple[Decimal, ...]:
    """The equivalent phasing by year: for each year, the shares (as fractions) of releases going live."""
    year_of = {r.code: r.go_live.start_year - first_year.start_year for r in releases}
    out = [ZERO] * years
    for code, share in shares:
        out[year_of[code]] += share / HUNDRED
    return tuple(out)


@dataclass(frozen=True)
class ReleaseBenefit:
    """The full-year recurring saving a release delivers across the chosen opportunities."""

    release: Release
    full_year: Decimal
    lines: tuple[str, ...]


def release_benefits(
    releases: Iterable[Release], lines: Iterable[tuple[str, Decimal, Shares]]
) -> tuple[ReleaseBenefit, ...]:
    """`lines` are (code, full-year value, shares) of the chosen opportunities phased by release."""
    rows = list(lines)
    out = []
    for r in releases:
        parts = [(code, value, dict(shares).get(r.code, ZERO)) for code, value, shares in rows]
        used = tuple(code for code, _, share in parts if share > 0)
        out.append(ReleaseBenefit(r, total(v * s / HUNDRED for _, v, s in parts), used))
    return tuple(out)
