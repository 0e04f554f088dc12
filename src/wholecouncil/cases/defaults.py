"""An illustrative default set of opportunities a transformation office can start from.

Each is a layer x lever range as a percentage of the staff cost of the processes mapped to the layer. They
are typical shapes, not evidence about any council: every one is marked illustrative, and its rationale and
source say it should be replaced with the council's own evidence. Adding them goes through
`opportunity_create`, so each is overlap-checked and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from wholecouncil.cases.models import Opportunity
from wholecouncil.cases.services import opportunity_create
from wholecouncil.council.audit import Actor
from wholecouncil.council.models import Council, Layer, Lever

SOURCE = (
    "Illustrative default, not evidence about this council: replace it with the council's own evidence "
    "(activity analysis, process walkthroughs or comparators)."
)


@dataclass(frozen=True)
class DefaultRange:
    layer: str
    lever: str
    low: str
    high: str
    why: str


DEFAULTS: tuple[DefaultRange, ...] = (
    DefaultRange(
        "pre-front-door", "demand-management", "5", "12", "information and advice that prevent contact"
    ),
    DefaultRange("pre-front-door", "ways-of-working", "2", "5", "communities and partners helping earlier"),
    DefaultRange(
        "customer-management", "automation-technology", "10", "20", "online self-service and fewer hand-offs"
    ),
    DefaultRange(
        "customer-management",
        "consolidation-standardisation",
        "5",
        "12",
        "one contact centre and one way of triage",
    ),
    DefaultRange("customer-management", "ways-of-working", "2", "5", "resolving more at first contact"),
    DefaultRange(
        "front-door", "automation-technology", "10", "20", "online self-service and fewer hand-offs"
    ),
    DefaultRange(
        "front-door", "consolidation-standardisation", "5", "12", "one front door for every service"
    ),
    DefaultRange(
        "customer-assessment",
        "automation-technology",
        "5",
        "12",
        "digital forms and automated eligibility checks",
    ),
    DefaultRange(
        "customer-assessment", "consolidation-standardisation", "3", "8", "one assessment, done once"
    ),
    DefaultRange("customer-assessment", "ways-of-working", "2", "6", "strengths-based conversations"),
    DefaultRange(
        "commissioning-procurement", "automation-technology", "5", "12", "digital forms and automated checks"
    ),
    DefaultRange(
        "commissioning-procurement", "consolidation-standardisation", "3", "8", "one commissioning approach"
    ),
    DefaultRange(
        "provision-cycle", "consolidation-standardisation", "3", "8", "one case-management approach"
    ),
    DefaultRange("provision-cycle", "automation-technology", "2", "6", "less case administration"),
    DefaultRange("provision-cycle", "ways-of-working", "2", "5", "less duplicated effort between teams"),
    DefaultRange(
        "service-delivery", "consolidation-standardisation", "3", "8", "one way of delivering each service"
    ),
    DefaultRange(
        "service-delivery", "automation-technology", "2", "6", "less manual scheduling and recording"
    ),
    DefaultRange(
        "enabling-support", "consolidation-standardisation", "8", "15", "enabling work brought together"
    ),
    DefaultRange("enabling-support", "automation-technology", "5", "10", "automated transactional processes"),
    DefaultRange(
        "enabling-services", "consolidation-standardisation", "8", "15", "enabling work brought together"
    ),
    DefaultRange(
        "enabling-services", "automation-technology", "5", "10", "automated transactional processes"
    ),
    DefaultRange("strategic-capability", "ways-of-working", "5", "12", "a smaller strategic core"),
    DefaultRange(
        "strategic-capability", "consolidation-standardisation", "5", "10", "one policy and planning team"
    ),
    DefaultRange("strategic-core", "ways-of-working", "5", "12", "a smaller strategic core"),
    DefaultRange(
        "business-intelligence", "consolidation-standardisation", "10", "20", "one intelligence team"
    ),
    DefaultRange("business-intelligence", "automation-technology", "5", "10", "automated reporting"),
)


def _initials(code: str) -> str:
    return "".join(part[0] for part in code.split("-") if part).upper()


def default_code(layer: str, lever: str) -> str:
    return f"D-{_initials(layer)}-{_initials(lever)}"


@transaction.atomic
def opportunities_add_defaults(*, council: Council, actor: Actor) -> list[Opportunity]:
    """Add the illustrative default ranges for the council's layers and levers that have no opportunity
    yet. All are added or none (an overlap with the council's own opportunities refuses the lot)."""
    layers = {x.code: x for x in Layer.objects.filter(council=council)}
    levers = {x.code: x for x in Lever.objects.filter(council=council)}
    taken = set(Opportunity.objects.filter(council=council).values_list("layer__code", "lever__code"))
    codes = set(Opportunity.objects.filter(council=council).values_list("code", flat=True))
    made = []
    for d in DEFAULTS:
        code = default_code(d.layer, d.lever)
        if d.layer not in layers or d.lever not in levers or (d.layer, d.lever) in taken or code in codes:
            continue
        layer, lever = layers[d.layer], levers[d.lever]
        made.append(
            opportunity_create(
                council=council,
                actor=actor,
                code=code,
                name=f"{lever.name} in {layer.name} (illustrative default)",
                layer=layer,
                lever=lever,
                basis=Opportunity.Basis.ACTIVITY,
                saving=Opportunity.Saving.PERCENT,
                low_pct=Decimal(d.low),
                high_pct=Decimal(d.high),
                rationale=(
                    f"Illustrative default: a typical range for {d.why}. It is not evidence about this "
                    "council; replace it with the council's own."
                ),
                source=SOURCE,
                illustrative=True,
            )
        )
    return made
