"""Errors the benefits engine raises, each with a message fit to show the user."""

from __future__ import annotations


class BenefitsError(ValueError):
    """Input the benefits rules refuse."""


class Refused(BenefitsError):
    """A lifecycle move that is not allowed, with the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
