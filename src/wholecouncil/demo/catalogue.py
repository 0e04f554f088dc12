"""Pick each demo council's service catalogue from the LGSL and give services a plausible team.

Pure: no Django. A rule is a team name and the words that, starting a word of the service's name, send the
service there (a word ending in "." must match a whole word). The first rule that matches wins; a service
that matches none is left unassigned, as in a real first catalogue.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Rule = tuple[str, tuple[str, ...]]

EXAMPLESHIRE_RULES: tuple[Rule, ...] = (
    ("Home to School Transport", ("school transport", "school bus", "travel to school")),
    ("School Admissions", ("admission", "school places", "school meals", "free school", "nursery school")),
    ("SEND Assessment Team", ("special educational", "special needs", "special school", "statement")),
    ("Educational Psychology", ("psycholog",)),
    (
        "Early Years and Childcare",
        ("childminding", "childcare", "children's centre", "nursery", "early years"),
    ),
    ("Fostering Team", ("foster", "private fostering")),
    ("Adoption Team", ("adopt",)),
    ("Care Leavers Team", ("leaving care", "care leaver")),
    ("Children in Care Team", ("looked after", "children in care", "residential family")),
    ("Child Protection Team", ("child protection", "child abuse", "child employment", "parental custody")),
    ("Youth Justice Service", ("youth offend", "youth justice")),
    ("Family Support Service", ("family", "families", "parent", "youth", "young people", "mentoring")),
    ("Virtual School", ("exclusion", "truan", "attendance")),
    ("School Improvement", ("school", "pupil", "education", "teacher", "governor", "curriculum", "learning")),
    ("Children's Front Door", ("child", "children")),
    ("Safeguarding Adults Team", ("adult protection", "safeguarding", "abuse")),
    ("Occupational Therapy Team", ("equipment", "adaptation", "aids for", "disabled facilities")),
    ("Mental Health Team", ("mental health",)),
    ("Learning Disability Team", ("learning disab",)),
    ("Reablement North", ("home care", "reablement", "meals on wheels", "home help", "terminally ill")),
    ("Residential Care Homes", ("residential care", "care home", "nursing home")),
    ("Day Opportunities", ("day centre", "day care", "luncheon")),
    ("Adults Commissioning", ("supporting people", "care provider", "care standards")),
    (
        "Adult Social Care Front Door",
        ("adult", "older people", "elderly", "carer", "disabled people", "social care", "direct payment"),
    ),
    (
        "Health Improvement",
        ("health", "smoking", "drug", "alcohol", "sexual", "hiv", "obesity", "immunisation", "wellbeing"),
    ),
    ("Blue Badge and Concessionary Travel", ("blue badge", "bus pass", "concessionary")),
    (
        "Passenger Transport",
        ("bus.", "buses", "community transport", "rail.", "railway", "transport", "travel"),
    ),
    ("Street Lighting", ("street light", "lighting", "illuminat")),
    ("Highways Development Control", ("street works", "road works", "dropped kerb", "skip", "scaffold")),
    ("Traffic Management and Road Safety", ("traffic", "parking", "yellow lines", "road safety", "cycl")),
    ("Flood Risk Management", ("flood", "drainage", "watercourse", "reservoir", "coast")),
    (
        "Highways Maintenance North",
        ("road", "highway", "pothole", "gully", "gritting", "snow", "footway", "pavement", "bridge", "verge"),
    ),
    (
        "Countryside and Rights of Way",
        ("rights of way", "footpath", "bridleway", "countryside", "common land"),
    ),
    ("Household Waste Recycling Centres", ("recycling centre", "household waste site", "civic amenity")),
    ("Joint Waste Partnership Team", ("bulky", "clinical waste", "hazardous waste")),
    ("Waste Management", ("waste", "recycling", "landfill", "composting")),
    ("Minerals and Waste Planning", ("mineral", "quarr")),
    ("Planning Policy", ("local plan", "development plan", "neighbourhood plan", "planning policy")),
    ("Historic Environment", ("listed building", "conservation area", "historic", "archaeolog")),
    ("Development Management", ("planning", "development", "building control")),
    (
        "Climate Change and Sustainability",
        ("climate", "carbon", "sustainab", "renewable", "energy efficiency"),
    ),
    ("Economic Development", ("business", "economic", "tourism", "enterprise", "employment", "apprentice")),
    ("Regeneration and Infrastructure", ("regeneration", "town centre", "broadband", "infrastructure")),
    ("Trading Standards", ("trading standards", "consumer", "product safety", "weights", "counterfeit")),
    ("Registration Service", ("birth", "death", "marriage", "civil partnership", "wedding", "ceremon")),
    ("Coroner's Office", ("coroner", "inquest")),
    ("Archives and Heritage", ("archive", "record office", "museum", "heritage", "local history")),
    ("Libraries North", ("library", "libraries", "book")),
    ("Community Safety", ("anti-social", "crime", "community safety", "domestic violence", "emergency")),
    ("Pensions Administration", ("pension",)),
    ("Procurement", ("procurement", "tender", "contract", "supplier", "purchasing")),
    ("Internal Audit", ("audit", "fraud")),
    ("Insurance and Risk", ("insurance", "risk")),
    ("Income and Debt Recovery", ("debt", "income", "charges", "arrears")),
    ("Exchequer Services", ("payment", "invoice", "expenditure")),
    ("Financial Planning and Strategy", ("budget", "finance", "financial", "grant")),
    ("Payroll", ("payroll", "salar", "staff - pay", "expenses")),
    ("Learning and Development", ("staff - training", "staff - appraisal", "staff - development")),
    ("Health and Safety", ("health and safety", "staff - occupational")),
    ("Recruitment", ("recruit", "vacanc", "jobs.")),
    ("HR Advisory", ("staff", "employee", "personnel", "equal opportunities")),
    ("Information Governance", ("freedom of information", "data protection", "records", "information")),
    ("Digital Services", ("online", "website", "digital", "e-")),
    ("ICT Service Desk", ("ict.", "computer", "telephon", "it.")),
    ("Customer Feedback and Complaints", ("complaint", "compliment", "feedback", "ombudsman")),
    ("Customer Contact Centre", ("customer", "enquir", "contact")),
    ("Energy and Carbon", ("energy",)),
    ("Facilities Management", ("facilities", "room booking", "catering", "cleaning", "accommodation")),
    ("Building Maintenance", ("maintenance", "repair", "asbestos")),
    ("Estates and Valuation", ("property", "land", "estate", "asset", "valuation", "farm", "smallholding")),
    ("Legal Services - People", ("care proceedings", "guardianship")),
    ("Legal Services - Place and Corporate", ("legal", "law", "court", "litigation", "solicitor")),
    (
        "Democratic Services",
        (
            "councillor",
            "member",
            "committee",
            "election",
            "elector",
            "mayor",
            "democra",
            "petition",
            "scrutiny",
            "cabinet",
        ),
    ),
    ("Communications and Marketing", ("press", "media", "publicity", "advertis", "marketing", "events")),
    ("Consultation and Engagement", ("consultation", "survey.", "surveys", "engagement", "citizens' panel")),
    (
        "Policy and Partnerships",
        ("partnership", "equalit", "strategy", "voluntary", "volunteer", "twinning", "armed forces"),
    ),
    ("Performance and Intelligence", ("performance", "statistic", "census", "research", "data")),
    ("Business Change", ("business process", "improvement", "project", "corporate")),
)

WESTMERE_RULES: tuple[Rule, ...] = (
    ("Refuse and Recycling Collection", ("refuse", "bin", "recycling", "waste collection", "bulky", "waste")),
    (
        "Street Cleansing",
        ("street clean", "litter", "fly-tipping", "fly tipping", "graffiti", "dog", "grass"),
    ),
    (
        "Environmental Health and Licensing",
        (
            "licen",
            "food",
            "noise",
            "pollution",
            "pest",
            "environmental health",
            "taxi",
            "hackney",
            "nuisance",
        ),
    ),
    ("Housing Benefit", ("housing benefit", "council tax benefit", "benefit", "discretionary housing")),
    ("Council Tax and Business Rates", ("council tax", "business rates", "non-domestic rates", "rates")),
    (
        "Housing Options and Homelessness",
        ("homeless", "housing", "tenan", "landlord", "lettings", "empty", "mobile home", "caravan"),
    ),
    ("Development Management", ("planning", "listed building", "tree", "building control", "conservation")),
    ("Customer Services", ("customer", "complaint", "enquir", "contact")),
    ("Finance and Procurement", ("finance", "payment", "procurement", "contract", "audit", "budget", "debt")),
    (
        "Democratic and Legal Services",
        ("election", "elector", "councillor", "member", "committee", "legal", "democra", "mayor", "polling"),
    ),
)


@dataclass(frozen=True)
class CatalogueEntry:
    lgsl_id: int
    name: str
    description: str
    team: str  # the team the service is assigned to; "" when unassigned


def _word(word: str) -> str:
    if word.endswith("."):
        return rf"\b{re.escape(word[:-1])}\b"
    return rf"\b{re.escape(word)}"


def _compile(rules: Sequence[Rule]) -> list[tuple[str, re.Pattern[str]]]:
    return [(team, re.compile("|".join(_word(w) for w in words))) for team, words in rules]


def assign_team(name: str, rules: Sequence[Rule]) -> str:
    """The team the first matching rule names, or "" when none matches."""
    lowered = name.lower()
    for team, pattern in _compile(rules):
        if pattern.search(lowered):
            return team
    return ""


def pick_catalogue(
    entries: Sequence[tuple[int, str, str]],
    rules: Sequence[Rule],
    rng: random.Random,
    size: int,
    assigned_share: float,
) -> tuple[CatalogueEntry, ...]:
    """`size` services from `entries`, about `assigned_share` of them ones a rule assigns to a team.

    The result does not depend on the order of `entries`: they are sorted by LGSL code first.
    """
    compiled = _compile(rules)

    def team_for(name: str) -> str:
        lowered = name.lower()
        return next((team for team, pattern in compiled if pattern.search(lowered)), "")

    unique: Mapping[int, tuple[int, str, str]] = {e[0]: e for e in entries}
    ordered = [unique[k] for k in sorted(unique)]
    tagged = [(e, team_for(e[1])) for e in ordered]
    matched = [t for t in tagged if t[1]]
    unmatched = [t for t in tagged if not t[1]]
    n_matched = min(len(matched), round(size * assigned_share))
    n_unmatched = min(len(unmatched), size - n_matched)
    n_matched = min(len(matched), size - n_unmatched)
    chosen = rng.sample(matched, n_matched) + rng.sample(unmatched, n_unmatched)
    chosen.sort(key=lambda t: t[0][0])
    return tuple(CatalogueEntry(e[0], e[1], e[2], team) for e, team in chosen)
