"""Capacity: people, FTE and budget allocated, released by a reprioritisation review, and against capacity."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal("0")


class Outcome(StrEnum):
    CONTINUE = "continue"
    ALIGN = "align"
    PAUSE = "pause"
    STOP = "stop"


OUTCOME_LABELS = {
    Outcome.CONTINUE: "Continue",
    Outcome.ALIGN: "Align into a programme",
    Outcome.PAUSE: "Pause",
    Outcome.STOP: "Stop",
}
OUTCOME_HINTS = {
    Outcome.CONTINUE: "Carries on as it is.",
    Outcome.ALIGN: "Carries on as part of the programme or workstream chosen.",
    Outcome.PAUSE: "Stops work for now and releases its people and remaining budget; it can resume later.",
    Outcome.STOP: "Stops for good and releases its people and remaining budget.",
}
RELEASING = frozenset({Outcome.PAUSE, Outcome.STOP})


@dataclass(frozen=True)
class Capacity:
    people: int = 0
    fte: Decimal = ZERO
    budget: Decimal = ZERO

    def __add__(self, other: Capacity) -> Capacity:
        return Capacity(self.people + other.people, self.fte + other.fte, self.budget + other.budget)


def released(items: Iterable[tuple[Outcome | str, Capacity]]) -> Capacity:
    """What a review frees: the capacity of every project it pauses or stops."""
    total = Capacity()
    for outcome, capacity in items:
        if Outcome(outcome) in RELEASING:
            total = total + capacity
    return total


def utilisation(allocated: Decimal, capacity: Decimal | None) -> Decimal | None:
    """Allocated FTE as a percentage of capacity, to one decimal place; None when no capacity is set."""
    if not capacity:
        return None
    return (allocated * 100 / capacity).quantize(Decimal("0.1"))
