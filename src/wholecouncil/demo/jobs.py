"""Grades, pay and job families for the fictional demo councils. Pure data: no Django.

Pay ranges are plausible for an English council in 2025/26; they are invented for the demo, not taken from any
council's pay policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")

# Full-time annual salary range (pounds) for each grade: bottom and top spinal point.
GRADE_PAY: dict[str, tuple[int, int]] = {
    "Grade 3": (23_900, 24_800),
    "Grade 4": (24_800, 26_400),
    "Grade 5": (26_400, 28_600),
    "Grade 6": (28_600, 32_100),
    "Grade 7": (32_100, 36_100),
    "Grade 8": (36_100, 40_500),
    "Grade 9": (40_500, 45_100),
    "Grade 10": (45_100, 50_300),
    "Grade 11": (50_300, 56_000),
    "Grade 12": (56_000, 63_000),
    "Grade 13": (63_000, 72_000),
    "SM1": (76_000, 86_000),
    "SM2": (90_000, 104_000),
    "SM3": (110_000, 128_000),
    "SM4": (150_000, 178_000),
}
POINTS_PER_GRADE = 4

PENSION_RATE = Decimal("0.195")
NI_RATE = Decimal("0.15")
NI_THRESHOLD = Decimal("5000")
COST_BASIS = "Salary x FTE + employer pension 19.5% + employer NI 15% above £5,000"


def salary_point(grade: str, point: int) -> int:
    """Full-time salary at spinal point `point` (0 = bottom) of `grade`."""
    low, high = GRADE_PAY[grade]
    return round(low + (high - low) * point / (POINTS_PER_GRADE - 1))


def annual_cost(salary: int, fte: Decimal) -> Decimal:
    """Cost of a post a year including employer on-costs, to the penny."""
    pay = Decimal(salary) * fte
    ni = max(Decimal(0), pay - NI_THRESHOLD) * NI_RATE
    return (pay + pay * PENSION_RATE + ni).quantize(PENNY, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Job:
    title: str
    grade: str
    weight: int = 1


@dataclass(frozen=True)
class Family:
    """A kind of team: who leads it, who supervises in a large team, and the roles the rest of it holds."""

    lead: Job
    supervisor: Job
    roles: tuple[Job, ...]
    part_time_rate: float = 0.1
    generic_rate: float = 1.0  # how readily the team picks up generic support roles (see GENERIC)


def _f(
    lead: tuple[str, str],
    supervisor: tuple[str, str],
    roles: list[tuple[str, str, int]],
    part_time_rate: float = 0.1,
    generic_rate: float = 1.0,
) -> Family:
    return Family(
        lead=Job(*lead),
        supervisor=Job(*supervisor),
        roles=tuple(Job(*r) for r in roles),
        part_time_rate=part_time_rate,
        generic_rate=generic_rate,
    )


# The same support roles turn up in team after team, across directorates: the fragmentation and duplication a
# whole-council review looks for. (title, grade, chance a team has at least one, extra per 40 posts)
GENERIC: tuple[tuple[str, str, float, float], ...] = (
    ("Business Support Officer", "Grade 4", 0.55, 1.0),
    ("Business Support Assistant", "Grade 3", 0.35, 0.8),
    ("Customer Service Adviser", "Grade 4", 0.2, 0.6),
    ("Finance Officer", "Grade 6", 0.2, 0.3),
    ("Data Analyst", "Grade 8", 0.15, 0.2),
    ("Project Officer", "Grade 7", 0.2, 0.2),
    ("Performance and Information Officer", "Grade 7", 0.15, 0.2),
    ("Systems Support Officer", "Grade 6", 0.1, 0.2),
)

TEAM_MANAGER = ("Team Manager", "Grade 12")
TEAM_LEADER = ("Team Leader", "Grade 10")

FAMILIES: dict[str, Family] = {
    "adult_sw": _f(
        TEAM_MANAGER,
        ("Senior Practitioner", "Grade 10"),
        [
            ("Social Worker", "Grade 9", 5),
            ("Community Care Officer", "Grade 6", 3),
            ("Social Care Assessor", "Grade 6", 2),
            ("Occupational Therapist", "Grade 9", 1),
            ("Approved Mental Health Professional", "Grade 10", 1),
        ],
    ),
    "ot": _f(
        TEAM_MANAGER,
        ("Senior Occupational Therapist", "Grade 10"),
        [("Occupational Therapist", "Grade 9", 4), ("Occupational Therapy Assistant", "Grade 5", 3)],
    ),
    "care": _f(
        ("Registered Manager", "Grade 11"),
        ("Care Coordinator", "Grade 6"),
        [
            ("Reablement Support Worker", "Grade 4", 8),
            ("Senior Reablement Support Worker", "Grade 5", 2),
            ("Day Services Officer", "Grade 4", 2),
            ("Driver Escort", "Grade 3", 1),
        ],
        part_time_rate=0.35,
        generic_rate=0.6,
    ),
    "care_res": _f(
        ("Registered Manager", "Grade 11"),
        ("Deputy Home Manager", "Grade 8"),
        [
            ("Residential Care Worker", "Grade 5", 8),
            ("Senior Residential Care Worker", "Grade 6", 2),
            ("Night Care Worker", "Grade 5", 2),
            ("Cook", "Grade 3", 1),
            ("Domestic Assistant", "Grade 3", 1),
        ],
        part_time_rate=0.35,
        generic_rate=0.5,
    ),
    "brokerage": _f(
        TEAM_LEADER,
        ("Senior Brokerage Officer", "Grade 7"),
        [("Brokerage Officer", "Grade 6", 3), ("Placements Officer", "Grade 6", 1)],
    ),
    "child_sw": _f(
        TEAM_MANAGER,
        ("Advanced Practitioner", "Grade 11"),
        [
            ("Social Worker", "Grade 9", 5),
            ("Senior Social Worker", "Grade 10", 2),
            ("Family Support Worker", "Grade 6", 2),
            ("Personal Adviser", "Grade 6", 1),
            ("Contact Supervisor", "Grade 5", 1),
        ],
    ),
    "family_support": _f(
        TEAM_MANAGER,
        ("Senior Family Support Worker", "Grade 7"),
        [
            ("Family Support Worker", "Grade 6", 5),
            ("Youth Worker", "Grade 6", 2),
            ("Parenting Practitioner", "Grade 7", 1),
        ],
        part_time_rate=0.2,
    ),
    "education_admin": _f(
        TEAM_LEADER,
        ("Senior Admissions Officer", "Grade 7"),
        [("Admissions Officer", "Grade 6", 4), ("Admissions Assistant", "Grade 4", 2)],
    ),
    "send": _f(
        TEAM_MANAGER,
        ("Senior SEND Officer", "Grade 9"),
        [("SEND Caseworker", "Grade 7", 5), ("SEND Officer", "Grade 8", 2), ("SEND Assistant", "Grade 5", 1)],
    ),
    "edpsych": _f(
        ("Principal Educational Psychologist", "Grade 13"),
        ("Senior Educational Psychologist", "Grade 12"),
        [("Educational Psychologist", "Grade 11", 4), ("Assistant Educational Psychologist", "Grade 7", 1)],
        part_time_rate=0.25,
    ),
    "transport_admin": _f(
        TEAM_LEADER,
        ("Senior Transport Officer", "Grade 7"),
        [
            ("Transport Officer", "Grade 6", 4),
            ("Transport Assistant", "Grade 4", 2),
            ("Passenger Assistant", "Grade 3", 2),
        ],
        part_time_rate=0.25,
    ),
    "school_imp": _f(
        ("Head of Learning", "Grade 13"),
        ("Senior School Improvement Adviser", "Grade 12"),
        [("School Improvement Adviser", "Grade 11", 3), ("Education Officer", "Grade 8", 2)],
    ),
    "early_years": _f(
        TEAM_MANAGER,
        ("Senior Early Years Adviser", "Grade 9"),
        [("Early Years Adviser", "Grade 8", 3), ("Childcare Sufficiency Officer", "Grade 7", 1)],
        part_time_rate=0.2,
    ),
    "commissioning": _f(
        ("Commissioning Manager", "Grade 12"),
        ("Senior Commissioning Officer", "Grade 10"),
        [
            ("Commissioning Officer", "Grade 9", 3),
            ("Contract Monitoring Officer", "Grade 7", 2),
            ("Quality Assurance Officer", "Grade 8", 1),
        ],
    ),
    "ph": _f(
        ("Consultant in Public Health", "Grade 13"),
        ("Public Health Specialist", "Grade 12"),
        [
            ("Public Health Practitioner", "Grade 9", 3),
            ("Public Health Analyst", "Grade 9", 1),
            ("Health Improvement Officer", "Grade 7", 2),
        ],
    ),
    "highways_ops": _f(
        ("Area Highways Manager", "Grade 12"),
        ("Highways Supervisor", "Grade 7"),
        [
            ("Highways Operative", "Grade 4", 6),
            ("Highways Inspector", "Grade 7", 2),
            ("HGV Driver", "Grade 4", 2),
            ("Street Lighting Technician", "Grade 6", 1),
        ],
        generic_rate=0.6,
    ),
    "highways_eng": _f(
        ("Principal Engineer", "Grade 12"),
        ("Senior Engineer", "Grade 10"),
        [
            ("Highways Engineer", "Grade 9", 3),
            ("Technician Engineer", "Grade 7", 2),
            ("Graduate Engineer", "Grade 6", 1),
        ],
    ),
    "planning": _f(
        ("Principal Planning Officer", "Grade 12"),
        ("Senior Planning Officer", "Grade 10"),
        [
            ("Planning Officer", "Grade 8", 3),
            ("Planning Technician", "Grade 6", 2),
            ("Historic Environment Officer", "Grade 8", 1),
        ],
    ),
    "econ": _f(
        ("Economic Development Manager", "Grade 12"),
        ("Senior Economic Development Officer", "Grade 9"),
        [
            ("Economic Development Officer", "Grade 8", 3),
            ("Regeneration Officer", "Grade 8", 2),
            ("Funding Officer", "Grade 7", 1),
        ],
    ),
    "waste": _f(
        ("Waste Manager", "Grade 12"),
        ("Senior Waste Officer", "Grade 9"),
        [
            ("Waste Officer", "Grade 7", 3),
            ("Contract Monitoring Officer", "Grade 7", 2),
            ("Waste Education Officer", "Grade 6", 1),
        ],
    ),
    "waste_ops": _f(
        ("Recycling Centres Manager", "Grade 10"),
        ("Site Supervisor", "Grade 5"),
        [("Site Operative", "Grade 3", 6), ("HGV Driver", "Grade 4", 1)],
        part_time_rate=0.25,
        generic_rate=0.4,
    ),
    "countryside": _f(
        ("Countryside Manager", "Grade 11"),
        ("Senior Ranger", "Grade 7"),
        [
            ("Countryside Ranger", "Grade 6", 3),
            ("Rights of Way Officer", "Grade 7", 2),
            ("Estate Worker", "Grade 4", 2),
        ],
    ),
    "policy": _f(
        ("Policy Manager", "Grade 12"),
        ("Senior Policy Officer", "Grade 10"),
        [
            ("Policy Officer", "Grade 8", 3),
            ("Partnerships Officer", "Grade 8", 2),
            ("Sustainability Officer", "Grade 8", 1),
        ],
    ),
    "regulatory": _f(
        ("Trading Standards Manager", "Grade 12"),
        ("Principal Trading Standards Officer", "Grade 10"),
        [
            ("Trading Standards Officer", "Grade 9", 4),
            ("Enforcement Officer", "Grade 7", 2),
            ("Animal Health Officer", "Grade 7", 1),
        ],
    ),
    "library": _f(
        ("Library Services Manager", "Grade 10"),
        ("Library Manager", "Grade 7"),
        [
            ("Library Assistant", "Grade 3", 6),
            ("Senior Library Assistant", "Grade 4", 2),
            ("Community Librarian", "Grade 7", 1),
        ],
        part_time_rate=0.45,
        generic_rate=0.4,
    ),
    "archives": _f(
        ("Archives Manager", "Grade 11"),
        ("Senior Archivist", "Grade 9"),
        [("Archivist", "Grade 8", 2), ("Conservator", "Grade 7", 1), ("Archives Assistant", "Grade 4", 2)],
        part_time_rate=0.3,
    ),
    "registration": _f(
        ("Registration Services Manager", "Grade 10"),
        ("Superintendent Registrar", "Grade 7"),
        [
            ("Registrar", "Grade 5", 5),
            ("Registration Assistant", "Grade 4", 2),
            ("Coroner's Officer", "Grade 7", 1),
        ],
        part_time_rate=0.4,
    ),
    "community": _f(
        ("Community Safety Manager", "Grade 11"),
        ("Senior Community Safety Officer", "Grade 8"),
        [
            ("Community Safety Officer", "Grade 7", 3),
            ("Emergency Planning Officer", "Grade 8", 1),
            ("Domestic Abuse Coordinator", "Grade 8", 1),
        ],
    ),
    "accountancy": _f(
        ("Finance Manager", "Grade 12"),
        ("Senior Accountant", "Grade 10"),
        [
            ("Accountant", "Grade 9", 3),
            ("Finance Officer", "Grade 6", 3),
            ("Finance Business Partner", "Grade 11", 1),
        ],
        generic_rate=0.5,
    ),
    "exchequer": _f(
        ("Exchequer Manager", "Grade 11"),
        ("Senior Finance Officer", "Grade 7"),
        [
            ("Accounts Payable Officer", "Grade 4", 3),
            ("Income Officer", "Grade 5", 3),
            ("Debt Recovery Officer", "Grade 5", 2),
        ],
    ),
    "pensions": _f(
        ("Pensions Manager", "Grade 12"),
        ("Senior Pensions Officer", "Grade 7"),
        [
            ("Pensions Officer", "Grade 6", 4),
            ("Pensions Assistant", "Grade 4", 2),
            ("Pensions Investment Officer", "Grade 9", 1),
        ],
    ),
    "procurement": _f(
        ("Procurement Manager", "Grade 12"),
        ("Senior Procurement Officer", "Grade 9"),
        [
            ("Procurement Officer", "Grade 8", 3),
            ("Category Manager", "Grade 11", 1),
            ("Contracts Officer", "Grade 7", 2),
        ],
    ),
    "audit": _f(
        ("Audit Manager", "Grade 12"),
        ("Senior Auditor", "Grade 9"),
        [
            ("Auditor", "Grade 8", 3),
            ("Counter Fraud Officer", "Grade 8", 1),
            ("Risk and Insurance Officer", "Grade 7", 1),
        ],
    ),
    "hr": _f(
        ("HR Manager", "Grade 12"),
        ("Senior HR Adviser", "Grade 9"),
        [
            ("HR Adviser", "Grade 8", 3),
            ("HR Officer", "Grade 6", 3),
            ("Learning and Development Officer", "Grade 7", 1),
            ("Health and Safety Adviser", "Grade 9", 1),
        ],
    ),
    "payroll": _f(
        ("Payroll Manager", "Grade 11"),
        ("Senior Payroll Officer", "Grade 6"),
        [("Payroll Officer", "Grade 5", 5), ("Payroll Assistant", "Grade 4", 2)],
    ),
    "ict": _f(
        ("ICT Manager", "Grade 12"),
        ("Senior ICT Analyst", "Grade 9"),
        [
            ("ICT Support Analyst", "Grade 6", 3),
            ("Infrastructure Engineer", "Grade 9", 2),
            ("Applications Analyst", "Grade 8", 2),
            ("Developer", "Grade 9", 1),
            ("Business Analyst", "Grade 9", 1),
        ],
    ),
    "infogov": _f(
        ("Information Governance Manager", "Grade 11"),
        ("Senior Information Governance Officer", "Grade 8"),
        [("Information Governance Officer", "Grade 7", 3), ("Records Management Officer", "Grade 5", 1)],
    ),
    "data": _f(
        ("Insight Manager", "Grade 12"),
        ("Senior Data Analyst", "Grade 10"),
        [
            ("Data Analyst", "Grade 8", 3),
            ("Performance and Information Officer", "Grade 7", 2),
            ("Data Engineer", "Grade 9", 1),
        ],
        generic_rate=0.3,
    ),
    "customer": _f(
        ("Customer Services Manager", "Grade 11"),
        ("Customer Services Team Leader", "Grade 7"),
        [
            ("Customer Service Adviser", "Grade 4", 8),
            ("Senior Customer Service Adviser", "Grade 5", 2),
            ("Blue Badge Assessor", "Grade 5", 1),
        ],
        part_time_rate=0.3,
        generic_rate=0.4,
    ),
    "complaints": _f(
        TEAM_LEADER,
        ("Senior Complaints Officer", "Grade 8"),
        [("Complaints Officer", "Grade 7", 3), ("Customer Feedback Officer", "Grade 5", 1)],
    ),
    "property": _f(
        ("Property Manager", "Grade 12"),
        ("Senior Surveyor", "Grade 10"),
        [
            ("Estates Surveyor", "Grade 9", 2),
            ("Building Surveyor", "Grade 9", 2),
            ("Energy Officer", "Grade 8", 1),
            ("Property Officer", "Grade 6", 2),
        ],
    ),
    "facilities": _f(
        ("Facilities Manager", "Grade 10"),
        ("Facilities Supervisor", "Grade 5"),
        [
            ("Facilities Assistant", "Grade 3", 4),
            ("Cleaner", "Grade 3", 4),
            ("Caretaker", "Grade 3", 2),
            ("Post Room Assistant", "Grade 3", 1),
        ],
        part_time_rate=0.4,
        generic_rate=0.4,
    ),
    "legal": _f(
        ("Principal Solicitor", "Grade 13"),
        ("Senior Solicitor", "Grade 11"),
        [("Solicitor", "Grade 10", 3), ("Paralegal", "Grade 6", 2), ("Legal Assistant", "Grade 4", 1)],
    ),
    "democratic": _f(
        ("Democratic Services Manager", "Grade 11"),
        ("Senior Democratic Services Officer", "Grade 8"),
        [
            ("Democratic Services Officer", "Grade 7", 3),
            ("Member Support Officer", "Grade 5", 2),
            ("Electoral Services Officer", "Grade 6", 1),
        ],
    ),
    "comms": _f(
        ("Communications Manager", "Grade 12"),
        ("Senior Communications Officer", "Grade 9"),
        [
            ("Communications Officer", "Grade 7", 3),
            ("Graphic Designer", "Grade 6", 1),
            ("Engagement Officer", "Grade 7", 2),
            ("Digital Content Officer", "Grade 6", 1),
        ],
    ),
    "pmo": _f(
        ("Programme Manager", "Grade 13"),
        ("Senior Project Manager", "Grade 11"),
        [
            ("Project Manager", "Grade 10", 3),
            ("Project Officer", "Grade 7", 2),
            ("Business Change Analyst", "Grade 9", 2),
            ("PMO Officer", "Grade 6", 1),
        ],
        generic_rate=0.3,
    ),
    "refuse": _f(
        ("Waste Operations Manager", "Grade 10"),
        ("Collection Supervisor", "Grade 5"),
        [
            ("Refuse Collection Driver (HGV)", "Grade 4", 3),
            ("Refuse Loader", "Grade 3", 6),
            ("Recycling Operative", "Grade 3", 2),
        ],
        part_time_rate=0.02,
        generic_rate=0.4,
    ),
    "cleansing": _f(
        ("Street Scene Manager", "Grade 10"),
        ("Street Cleansing Supervisor", "Grade 5"),
        [
            ("Street Cleansing Operative", "Grade 3", 5),
            ("Mechanical Sweeper Driver", "Grade 4", 2),
            ("Enforcement Officer", "Grade 6", 1),
        ],
        part_time_rate=0.05,
        generic_rate=0.4,
    ),
    "env_health": _f(
        ("Environmental Health Manager", "Grade 12"),
        ("Senior Environmental Health Officer", "Grade 10"),
        [
            ("Environmental Health Officer", "Grade 9", 3),
            ("Licensing Officer", "Grade 6", 2),
            ("Pest Control Officer", "Grade 5", 1),
        ],
    ),
    "housing": _f(
        ("Housing Options Manager", "Grade 11"),
        ("Senior Housing Options Officer", "Grade 8"),
        [
            ("Housing Options Officer", "Grade 7", 4),
            ("Homelessness Prevention Officer", "Grade 7", 2),
            ("Tenancy Sustainment Officer", "Grade 6", 1),
        ],
    ),
    "revenues": _f(
        ("Revenues Manager", "Grade 11"),
        ("Revenues Team Leader", "Grade 7"),
        [
            ("Revenues Officer", "Grade 5", 4),
            ("Business Rates Officer", "Grade 6", 2),
            ("Recovery Officer", "Grade 5", 1),
        ],
    ),
    "benefits": _f(
        ("Benefits Manager", "Grade 11"),
        ("Benefits Team Leader", "Grade 7"),
        [
            ("Benefits Assessor", "Grade 5", 5),
            ("Senior Benefits Assessor", "Grade 6", 1),
            ("Appeals Officer", "Grade 6", 1),
        ],
    ),
}
