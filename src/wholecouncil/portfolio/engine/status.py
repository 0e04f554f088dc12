"""Delivery confidence: the Red / Amber / Green definitions and how a group's reports roll up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


RAG_LABELS = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
RAG_DEFINITIONS = {
    Rag.GREEN: (
        "Delivery on time, within budget and with the planned benefits looks highly likely. No major issue "
        "threatens it, and the risks are being managed within the project."
    ),
    Rag.AMBER: (
        "Delivery looks feasible, but significant issues or risks need attention. They appear resolvable "
        "within the project's tolerances if acted on promptly; the board should watch them."
    ),
    Rag.RED: (
        "Delivery on time, within budget or with the planned benefits is in doubt. Major issues need "
        "decisions beyond the project's tolerances: re-planning, more resource or a change of scope."
    ),
}
RAG_ORDER = {Rag.GREEN: 0, Rag.AMBER: 1, Rag.RED: 2}
# GOV.UK tag colour for each rating.
RAG_TAGS = {Rag.GREEN: "green", Rag.AMBER: "yellow", Rag.RED: "red"}

# A programme or portfolio rating from its projects' ratings (see roll_up).
ROLL_UP_SHARE = 0.25
ROLL_UP_RULE = (
    "Red when a quarter or more of the reports are Red; Amber when any report is Red or a quarter or more "
    "are Amber; otherwise Green."
)


class BenefitStatus(StrEnum):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    REALISED = "realised"


BENEFIT_LABELS = {
    BenefitStatus.NOT_STARTED: "Not yet due",
    BenefitStatus.ON_TRACK: "On track",
    BenefitStatus.AT_RISK: "At risk",
    BenefitStatus.OFF_TRACK: "Off track",
    BenefitStatus.REALISED: "Realised",
}


def counts(ratings: Iterable[Rag | str]) -> dict[Rag, int]:
    result = dict.fromkeys(Rag, 0)
    for rating in ratings:
        result[Rag(rating)] += 1
    return result


def roll_up(ratings: Sequence[Rag | str] | dict[Rag, int]) -> Rag | None:
    """One rating for a group of reports (None when there are none); the rule is ROLL_UP_RULE."""
    tally = ratings if isinstance(ratings, dict) else counts(ratings)
    total = sum(tally.values())
    if total == 0:
        return None
    red, amber = tally.get(Rag.RED, 0), tally.get(Rag.AMBER, 0)
    if red >= ROLL_UP_SHARE * total:
        return Rag.RED
    if red or amber >= ROLL_UP_SHARE * total:
        return Rag.AMBER
    return Rag.GREEN
