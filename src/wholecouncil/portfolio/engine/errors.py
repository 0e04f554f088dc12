"""Errors the portfolio engine raises, each with a message fit to show the user."""

from __future__ import annotations


class PortfolioError(ValueError):
    """Input the portfolio rules refuse."""


class Refused(PortfolioError):
    """A lifecycle transition that is not allowed, with the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class CycleError(PortfolioError):
    """A dependency that would make a loop, with the loop it would make."""

    def __init__(self, cycle: list[str]) -> None:
        self.cycle = cycle
        super().__init__("This dependency would make a loop: " + " → ".join(cycle) + ".")
