"""Domain errors raised by the business-case engine."""

from __future__ import annotations


class CaseError(ValueError):
    """A case or an opportunity that cannot be computed as given."""


class OverlapError(CaseError):
    """Opportunities that together claim more than the whole of one baseline pot."""

    def __init__(self, message: str, pot: str, codes: tuple[str, ...]) -> None:
        super().__init__(message)
        self.pot = pot
        self.codes = codes
