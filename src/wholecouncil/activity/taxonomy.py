"""The default process taxonomy: the standard council processes staff split their week across.

Pure Python, no Django. Each process has a short code (the survey column), a name, a one-line description,
the layer of the seven-layer operating model it sits in (codes from `wholecouncil.council.defaults`), and a
*home function*: the kind of unit where the work properly belongs. Effort on a process done in a unit of a
different function counts towards the process's share outside its home function.

A unit's function is given in the establishment or recognised from its name (`function_of_unit`); a unit that
matches no function is a front-line service (`service-delivery`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A home function meaning "belongs in every team": managing your own team, your own learning.
ANYWHERE = "anywhere"
SERVICE_DELIVERY = "service-delivery"

LAYER_CODES = (
    "pre-front-door",
    "customer-management",
    "customer-assessment",
    "provision-cycle",
    "enabling-support",
    "strategic-capability",
    "business-intelligence",
)


@dataclass(frozen=True)
class Function:
    """A kind of unit, and the words that identify it in a unit's name."""

    code: str
    name: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Process:
    code: str
    name: str
    description: str
    layer: str
    home_function: str


# Checked in this order against a unit's name: the first function with a keyword in the name wins.
FUNCTIONS: tuple[Function, ...] = (
    Function(
        "customer-services",
        "Customer services and contact",
        (
            "customer services",
            "customer service",
            "customer contact",
            "contact centre",
            "contact center",
            "call centre",
            "one stop shop",
            "customer experience",
            "front door",
        ),
    ),
    Function(
        "democratic",
        "Democratic and governance services",
        ("democratic", "elections", "electoral", "member services", "committee", "governance"),
    ),
    Function("legal", "Legal services", ("legal", "law", "solicitor", "solicitors")),
    Function("procurement", "Procurement", ("procurement", "purchasing", "commercial")),
    Function("commissioning", "Commissioning", ("commissioning",)),
    Function(
        "hr",
        "HR and organisational development",
        (
            "hr",
            "human resources",
            "people services",
            "organisational development",
            "payroll",
            "learning and development",
            "health and safety",
        ),
    ),
    Function(
        "finance",
        "Finance",
        ("finance", "financial", "accountancy", "exchequer", "treasury", "audit"),
    ),
    Function("ict", "ICT and digital", ("ict", "it", "digital", "technology", "systems")),
    Function(
        "property",
        "Property and facilities",
        ("property", "estates", "facilities", "asset management", "corporate landlord", "buildings"),
    ),
    Function(
        "communications",
        "Communications and marketing",
        ("communications", "comms", "marketing", "press", "media", "engagement"),
    ),
    Function(
        "insight",
        "Performance, data and insight",
        ("performance", "insight", "intelligence", "analytics", "data", "research"),
    ),
    Function(
        "strategy",
        "Strategy, policy and change",
        ("strategy", "policy", "transformation", "programme", "pmo", "partnerships"),
    ),
    Function("business-support", "Business support", ("business support", "administration", "admin")),
    Function(SERVICE_DELIVERY, "Front-line services"),
)
FUNCTIONS_BY_CODE = {f.code: f for f in FUNCTIONS}

_P = Process
DEFAULT_PROCESSES: tuple[Process, ...] = (
    # Pre-front door: help before anyone needs to ask.
    _P(
        "info-advice",
        "Information and advice",
        "Publishing and giving general information, advice and signposting that answer questions early.",
        "pre-front-door",
        "customer-services",
    ),
    _P(
        "self-service",
        "Online self-service",
        "Building and keeping up the online forms, accounts and web content people use without help.",
        "pre-front-door",
        "ict",
    ),
    _P(
        "prevention",
        "Prevention and early help",
        "Work with people and communities that stops needs growing: early help, outreach, wellbeing.",
        "pre-front-door",
        SERVICE_DELIVERY,
    ),
    _P(
        "community-engagement",
        "Community engagement and consultation",
        "Working with residents, community groups and the voluntary sector; running consultations.",
        "pre-front-door",
        "communications",
    ),
    # Customer management: every first contact.
    _P(
        "enquiries",
        "Handling enquiries",
        "Answering first contact from residents and businesses by phone, email, web chat or in person.",
        "customer-management",
        "customer-services",
    ),
    _P(
        "bookings",
        "Bookings and appointments",
        "Taking and changing bookings for rooms, services, collections, visits and appointments.",
        "customer-management",
        "customer-services",
    ),
    _P(
        "payments",
        "Taking payments",
        "Taking money from customers for services, fees, fines and charges, and issuing receipts.",
        "customer-management",
        "customer-services",
    ),
    _P(
        "applications",
        "Receiving applications and requests",
        "Receiving, checking and logging applications, requests for service and permits before assessment.",
        "customer-management",
        "customer-services",
    ),
    _P(
        "fault-reporting",
        "Reports of problems",
        "Logging and passing on reports such as missed bins, potholes, fly-tipping and broken street lights.",
        "customer-management",
        "customer-services",
    ),
    _P(
        "complaints",
        "Complaints and feedback",
        "Handling complaints, compliments, councillor enquiries and ombudsman cases.",
        "customer-management",
        "customer-services",
    ),
    _P(
        "information-requests",
        "Information requests",
        "Answering freedom of information, environmental information and subject access requests.",
        "customer-management",
        "legal",
    ),
    # Customer assessment: what a person needs and is eligible for.
    _P(
        "triage",
        "Triage and screening",
        "Deciding how urgent a request is, whether it is for the council and which service should take it.",
        "customer-assessment",
        SERVICE_DELIVERY,
    ),
    _P(
        "assessment",
        "Eligibility and needs assessment",
        "Assessing a person's or household's eligibility and needs, and recording the decision.",
        "customer-assessment",
        SERVICE_DELIVERY,
    ),
    _P(
        "financial-assessment",
        "Financial assessment",
        "Working out what a person can pay or is entitled to: means tests, charging, benefit calculations.",
        "customer-assessment",
        "finance",
    ),
    _P(
        "reviews",
        "Reviews and reassessment",
        "Planned and unplanned reviews of a person's needs, plan or entitlement.",
        "customer-assessment",
        SERVICE_DELIVERY,
    ),
    # Provision cycle: arranging and delivering the service.
    _P(
        "case-management",
        "Case management",
        "Keeping a case moving: planning, coordinating, recording and closing work with a person or family.",
        "provision-cycle",
        SERVICE_DELIVERY,
    ),
    _P(
        "support-planning",
        "Support planning and brokerage",
        "Agreeing a plan with a person and arranging the providers, packages or placements that meet it.",
        "provision-cycle",
        SERVICE_DELIVERY,
    ),
    _P(
        "direct-delivery",
        "Direct service delivery",
        "Doing the service itself: caring, teaching, cleaning, collecting, repairing, maintaining, visiting.",
        "provision-cycle",
        SERVICE_DELIVERY,
    ),
    _P(
        "inspection-enforcement",
        "Inspection, regulation and enforcement",
        "Inspecting, licensing, investigating and taking enforcement action.",
        "provision-cycle",
        SERVICE_DELIVERY,
    ),
    _P(
        "quality-assurance",
        "Quality assurance and audit of practice",
        "Checking the quality and safety of the service: case audits, practice reviews, provider monitoring.",
        "provision-cycle",
        SERVICE_DELIVERY,
    ),
    _P(
        "commissioning",
        "Needs analysis and commissioning",
        "Understanding need and the market, designing services and deciding how they will be provided.",
        "provision-cycle",
        "commissioning",
    ),
    _P(
        "contract-management",
        "Contract and supplier management",
        "Managing contracts and suppliers once let: performance, payments, variations and relationships.",
        "provision-cycle",
        "procurement",
    ),
    # Enabling and support services.
    _P(
        "procurement",
        "Procurement",
        "Buying goods, works and services: specifications, tenders, quotations and awards.",
        "enabling-support",
        "procurement",
    ),
    _P(
        "hr",
        "HR and recruitment",
        "Recruitment, contracts, pay, absence, employee relations and other people processes.",
        "enabling-support",
        "hr",
    ),
    _P(
        "finance",
        "Finance and budget management",
        "Budget setting and monitoring, accounting, paying invoices, financial returns and forecasts.",
        "enabling-support",
        "finance",
    ),
    _P(
        "income-debt",
        "Billing, income and debt recovery",
        "Raising invoices and bills, chasing and recovering what is owed.",
        "enabling-support",
        "finance",
    ),
    _P(
        "ict",
        "ICT support and systems",
        "Supporting devices, networks and business systems; system administration and configuration.",
        "enabling-support",
        "ict",
    ),
    _P(
        "legal",
        "Legal advice and casework",
        "Giving legal advice, drafting agreements and running legal cases.",
        "enabling-support",
        "legal",
    ),
    _P(
        "property",
        "Property and facilities",
        "Managing buildings and land: maintenance, security, cleaning, moves and the use of space.",
        "enabling-support",
        "property",
    ),
    _P(
        "business-admin",
        "Business administration",
        "Diaries, minutes, post, filing, data entry, ordering and other general administration.",
        "enabling-support",
        "business-support",
    ),
    _P(
        "communications",
        "Communications and marketing",
        "Press and media, campaigns, internal communications, design and social media.",
        "enabling-support",
        "communications",
    ),
    _P(
        "health-safety",
        "Health, safety and resilience",
        "Health and safety, risk assessment, emergency planning and business continuity.",
        "enabling-support",
        "hr",
    ),
    _P(
        "management",
        "Managing people and teams",
        "Line management: supervision, one-to-ones, appraisals and team meetings.",
        "enabling-support",
        ANYWHERE,
    ),
    _P(
        "learning",
        "Own learning and development",
        "Training, induction and professional development for yourself.",
        "enabling-support",
        ANYWHERE,
    ),
    # Strategic capability: setting direction.
    _P(
        "strategy-policy",
        "Strategy and policy",
        "Developing strategies, plans and policies, and responding to national policy.",
        "strategic-capability",
        "strategy",
    ),
    _P(
        "programme-change",
        "Programme, project and change management",
        "Running programmes and projects, business change and service redesign.",
        "strategic-capability",
        "strategy",
    ),
    _P(
        "partnerships",
        "Partnership working",
        "Working with the NHS, police, other councils and partners on shared plans and boards.",
        "strategic-capability",
        "strategy",
    ),
    _P(
        "democratic-services",
        "Democratic services",
        "Supporting councillors, committees, decision-making, elections and the constitution.",
        "strategic-capability",
        "democratic",
    ),
    # Business intelligence.
    _P(
        "performance",
        "Performance management and reporting",
        "Collecting, checking and reporting performance measures, statutory returns and dashboards.",
        "business-intelligence",
        "insight",
    ),
    _P(
        "data-analysis",
        "Data, analysis and insight",
        "Analysing data, forecasting demand, research and turning information into insight.",
        "business-intelligence",
        "insight",
    ),
)
PROCESSES_BY_CODE = {p.code: p for p in DEFAULT_PROCESSES}

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _words(text: str) -> str:
    return f" {_NOT_ALNUM.sub(' ', text.casefold().replace('&', ' and ')).strip()} "


def function_of_unit(names: Iterable[str], functions: Sequence[Function] = FUNCTIONS) -> str:
    """The function code for a unit, from its name (and its parents' names, most specific first).

    The first name that contains a function's keyword (as whole words) decides; a unit matching nothing
    is a front-line service.
    """
    for name in names:
        words = _words(name)
        for function in functions:
            if any(f" {keyword} " in words for keyword in function.keywords):
                return function.code
    return SERVICE_DELIVERY


def find_function(text: str, functions: Sequence[Function] = FUNCTIONS) -> str | None:
    """The function code written as its code or its name (ignoring case and punctuation); None if neither."""
    wanted = _words(text)
    for function in functions:
        if wanted in (_words(function.code), _words(function.name)):
            return function.code
    return None


def check_taxonomy(processes: Sequence[Process], functions: Sequence[Function] = FUNCTIONS) -> list[str]:
    """Problems with a (possibly edited) taxonomy: duplicate or blank codes, unknown layers or functions."""
    problems: list[str] = []
    seen: set[str] = set()
    known = {f.code for f in functions} | {ANYWHERE}
    for process in processes:
        if not process.code.strip():
            problems.append(f"the process '{process.name}' has no code")
        elif process.code in seen:
            problems.append(f"the process code '{process.code}' is used twice")
        seen.add(process.code)
        if not process.layer.strip():
            problems.append(f"the process '{process.code}' has no layer")
        if process.home_function not in known:
            problems.append(
                f"the process '{process.code}' has an unknown home function '{process.home_function}'"
            )
    return problems
