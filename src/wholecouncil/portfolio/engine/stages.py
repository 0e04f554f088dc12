"""Stages and their gates: the default five and the checks a council's own configuration must pass.

A project works through stage 1, 2, ... N in order. The gate numbered k closes stage k: passing it moves the
project into stage k + 1, and passing the last gate closes the project because its benefit is realised.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wholecouncil.portfolio.engine.errors import PortfolioError

MIN_STAGES = 2
MAX_STAGES = 10
MAX_NAME = 60


@dataclass(frozen=True)
class StageDef:
    number: int
    name: str
    purpose: str
    criteria: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.number} {self.name}"


DEFAULT_STAGES: tuple[StageDef, ...] = (
    StageDef(
        1,
        "Inspiration",
        "Early proposal",
        (
            "The problem, the idea and the people it affects are described",
            "Every design principle is assessed: supports, neutral or conflicts, with a reason",
            "A sponsor and a project manager are named",
            "An indicative saving range and cost are given",
        ),
    ),
    StageDef(
        2,
        "Understand",
        "Outline business case",
        (
            "Outline business case (artefact)",
            "Options considered, including doing nothing",
            "Baseline of cost and activity agreed with finance",
            "Key risks and dependencies are in the RAID log",
        ),
    ),
    StageDef(
        3,
        "Innovate",
        "Full business case",
        (
            "Full business case (artefact)",
            "Benefits profile by financial year, signed off by finance",
            "Delivery plan with baselined milestones",
            "Resources allocated and agreed with their managers",
            "Workforce impact assessed with HR and trade unions engaged",
        ),
    ),
    StageDef(
        4,
        "Change",
        "Deliver the change",
        (
            "Milestones delivered or re-baselined with the board's agreement",
            "Change adopted by the service: training and guidance in place",
            "Handover to business as usual agreed (artefact)",
        ),
    ),
    StageDef(
        5,
        "Embed",
        "Realise the benefit",
        (
            "Benefits realised and evidenced against the profile",
            "Lessons learned recorded (artefact)",
            "Closure report (artefact)",
        ),
    ),
)

# The gate at which the design authority checks the proposal against the design principles.
DESIGN_PRINCIPLES_GATE = 1


def check_stages(stages: Sequence[StageDef]) -> None:
    """Refuse a stage configuration that could not run a project: numbers 1..N, names present and unique."""
    if not MIN_STAGES <= len(stages) <= MAX_STAGES:
        raise PortfolioError(
            f"A council needs between {MIN_STAGES} and {MAX_STAGES} stages; got {len(stages)}."
        )
    numbers = [s.number for s in stages]
    if numbers != list(range(1, len(stages) + 1)):
        raise PortfolioError(f"Stages must be numbered 1 to {len(stages)} in order; got {numbers}.")
    seen: set[str] = set()
    for stage in stages:
        name = stage.name.strip()
        if not name or len(name) > MAX_NAME:
            raise PortfolioError(f"Stage {stage.number}: a name needs 1 to {MAX_NAME} characters.")
        if name.casefold() in seen:
            raise PortfolioError(f"Stage {stage.number}: the name {name!r} is used by another stage.")
        seen.add(name.casefold())
