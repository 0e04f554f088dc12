"""Default operating-model content a council starts from and may change: layer templates, levers, principles.

Written for this product from the facts in the councils' published operating-model papers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayerDefault:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class LeverDefault:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class PrincipleDefault:
    code: str
    title: str
    summary: str
    we_will: tuple[str, ...]
    we_wont: tuple[str, ...]


SEVEN_LAYER: tuple[LayerDefault, ...] = (
    LayerDefault(
        "pre-front-door",
        "Pre-front door",
        "Help people before they need to contact us: information, communities, partners and self-help.",
    ),
    LayerDefault(
        "customer-management",
        "Customer management",
        "Every first contact, on any channel, handled in one place and resolved there where possible.",
    ),
    LayerDefault(
        "customer-assessment",
        "Customer assessment",
        "Working out what a person needs and is eligible for: triage, needs and financial assessment.",
    ),
    LayerDefault(
        "provision-cycle",
        "Provision cycle",
        "Arranging and delivering the service: planning, commissioning, case management and delivery.",
    ),
    LayerDefault(
        "enabling-support",
        "Enabling and support services",
        "The shared services every part of the council relies on: HR, finance, ICT, legal, property.",
    ),
    LayerDefault(
        "strategic-capability",
        "Strategic capability",
        "Setting direction: strategy, policy, commissioning intentions, programme and change leadership.",
    ),
    LayerDefault(
        "business-intelligence",
        "Business intelligence",
        "Data, insight and performance information that informs every other layer.",
    ),
)

SIX_FUNCTION: tuple[LayerDefault, ...] = (
    LayerDefault(
        "pre-front-door",
        "Pre-front door",
        "Information, advice and community support that prevents the need to contact the council.",
    ),
    LayerDefault(
        "front-door",
        "Front door",
        "One way in for residents and businesses, resolving most requests at the first contact.",
    ),
    LayerDefault(
        "commissioning-procurement",
        "Commissioning and procurement",
        "Deciding what is needed and how it is best provided, then buying and managing it.",
    ),
    LayerDefault(
        "service-delivery",
        "Service delivery",
        "Delivering services directly, or through partners and providers, to the people who need them.",
    ),
    LayerDefault(
        "enabling-services",
        "Enabling services",
        "Common support functions run once for the whole council: people, money, technology, assets.",
    ),
    LayerDefault(
        "strategic-core",
        "Strategic core",
        "A small centre that sets direction, holds the organisation to account and leads change.",
    ),
)

LAYER_TEMPLATES: dict[str, tuple[LayerDefault, ...]] = {
    "seven_layer": SEVEN_LAYER,
    "six_function": SIX_FUNCTION,
}

LEVERS: tuple[LeverDefault, ...] = (
    LeverDefault(
        "automation-technology",
        "Automation and technology enablement",
        "Let systems do repeatable work and let people serve themselves online.",
    ),
    LeverDefault(
        "consolidation-standardisation",
        "Consolidation and standardisation",
        "Do the same process once, one way, instead of in many teams many ways.",
    ),
    LeverDefault(
        "spend-income",
        "Spend reduction and income generation",
        "Buy better, buy less, and charge or trade where it is right to.",
    ),
    LeverDefault(
        "demand-management",
        "Demand management",
        "Reduce avoidable demand and meet need earlier, at lower cost.",
    ),
    LeverDefault(
        "ways-of-working",
        "Ways of working",
        "Flatter structures, wider spans of control, flexible roles and better use of space.",
    ),
)

PRINCIPLES: tuple[PrincipleDefault, ...] = (
    PrincipleDefault(
        "resident-first",
        "Designed around residents",
        "Services are shaped by what residents need, not by how the council happens to be organised.",
        ("Design each journey from the resident's side and test it with residents",),
        ("Make a resident work out which department they need",),
    ),
    PrincipleDefault(
        "digital-default",
        "Digital by default, never digital only",
        "Online is the easiest route for those who can use it; help stays open for those who cannot.",
        (
            "Make every common transaction available online, end to end",
            "Keep an assisted route for anyone who needs one",
        ),
        ("Introduce a paper or phone-only step where an online one would do",),
    ),
    PrincipleDefault(
        "first-contact",
        "Resolved at first contact",
        "The front door has the information and authority to settle most requests in one go.",
        ("Give first-contact staff the tools and permissions to finish the request",),
        ("Pass a request between teams without the resident knowing who has it",),
    ),
    PrincipleDefault(
        "early-help",
        "Help early, manage demand",
        "Use data to see need coming and support people to stay independent.",
        ("Invest in prevention where the evidence shows it avoids later cost",),
        ("Wait for a need to become a crisis before we respond",),
    ),
    PrincipleDefault(
        "do-it-once",
        "Standardise, simplify and share",
        "Common processes are run once, one way, for the whole council and its partners.",
        ("Use the council's shared process and platform for payments, bookings, assessments and cases",),
        ("Build a second version of a process the council already runs elsewhere",),
    ),
    PrincipleDefault(
        "evidence-led",
        "Decisions led by evidence",
        "Designs and decisions rest on data we can show, and their benefits are measured.",
        ("State the baseline and how the benefit will be measured before we start",),
        ("Approve a change whose benefit nobody can measure",),
    ),
    PrincipleDefault(
        "commission-outcomes",
        "Commission for outcomes",
        "Whether we deliver, commission or partner is decided case by case on the outcomes for residents.",
        ("Compare in-house, commissioned and shared options in each business case",),
        ("Keep or outsource a service out of habit",),
    ),
    PrincipleDefault(
        "partnership",
        "Work in partnership",
        "Share leadership, teams and services with other public bodies where that serves residents better.",
        ("Look for a partner who already does this well before building it ourselves",),
        ("Duplicate a service a partner already provides for the same residents",),
    ),
    PrincipleDefault(
        "agile-workforce",
        "An empowered, flexible workforce",
        "Fewer management tiers, wider spans of control, and skills that move to where demand is.",
        ("Keep management layers to the minimum the work needs",),
        ("Create a structure that stops staff moving to where they are needed",),
    ),
)
