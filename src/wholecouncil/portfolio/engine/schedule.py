"""Milestone slippage (how far the forecast or actual date has moved from the baseline), and milestones
forecast before a milestone they depend on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

# Slippage up to this many days is "slipping" (amber); beyond it, "slipped" (red).
MAJOR_SLIPPAGE_DAYS = 30


class MilestoneState(StrEnum):
    DONE = "done"
    DONE_LATE = "done_late"
    ON_TRACK = "on_track"
    SLIPPING = "slipping"
    SLIPPED = "slipped"
    OVERDUE = "overdue"


STATE_LABELS = {
    MilestoneState.DONE: "Done on time",
    MilestoneState.DONE_LATE: "Done late",
    MilestoneState.ON_TRACK: "On track",
    MilestoneState.SLIPPING: "Slipping",
    MilestoneState.SLIPPED: "Slipped",
    MilestoneState.OVERDUE: "Overdue",
}
STATE_COLOURS = {
    MilestoneState.DONE: "green",
    MilestoneState.DONE_LATE: "grey",
    MilestoneState.ON_TRACK: "green",
    MilestoneState.SLIPPING: "yellow",
    MilestoneState.SLIPPED: "red",
    MilestoneState.OVERDUE: "red",
}


def slippage_days(baseline: dt.date, forecast: dt.date, actual: dt.date | None = None) -> int:
    """Days late against the baseline (negative when early): the actual date once done, else the forecast."""
    return ((actual or forecast) - baseline).days


@dataclass(frozen=True)
class MilestoneView:
    slippage: int
    state: MilestoneState

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def colour(self) -> str:
        return STATE_COLOURS[self.state]


def milestone_state(
    baseline: dt.date,
    forecast: dt.date,
    actual: dt.date | None,
    today: dt.date,
    major_days: int = MAJOR_SLIPPAGE_DAYS,
) -> MilestoneView:
    slip = slippage_days(baseline, forecast, actual)
    if actual is not None:
        return MilestoneView(slip, MilestoneState.DONE if slip <= 0 else MilestoneState.DONE_LATE)
    if forecast < today:
        return MilestoneView(slip, MilestoneState.OVERDUE)
    if slip <= 0:
        return MilestoneView(slip, MilestoneState.ON_TRACK)
    return MilestoneView(slip, MilestoneState.SLIPPING if slip <= major_days else MilestoneState.SLIPPED)


def effective_date(forecast: dt.date, actual: dt.date | None) -> dt.date:
    """When the milestone happens: the actual date once done, else the forecast."""
    return actual or forecast


def out_of_order(dependent: dt.date, prerequisite: dt.date) -> bool:
    """True when a milestone is forecast before a milestone it depends on: the plan cannot hold."""
    return dependent < prerequisite


def conflicts(edges: Iterable[tuple[K, K]], dates: Mapping[K, dt.date]) -> set[tuple[K, K]]:
    """The dependencies (dependent, prerequisite) whose dependent is forecast before its prerequisite."""
    return {(a, b) for a, b in edges if a in dates and b in dates and out_of_order(dates[a], dates[b])}
