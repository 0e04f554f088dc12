"""The organisation charts of the two fictional demo councils. Pure data: no Django.

Every council, directorate, service and team named here is invented. A directorate holds services; a service
has a head (who sits in the service itself) and teams; a team is a job family (see jobs.FAMILIES) scaled by a
relative size. The leadership team's posts are listed one by one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

LEADERSHIP = "leadership"  # the family of a leadership team: its posts are the council's `leaders`


@dataclass(frozen=True)
class Team:
    name: str
    family: str
    weight: float = 1.0


@dataclass(frozen=True)
class Service:
    name: str
    head_title: str  # "" for a service with no head of its own (the leadership team's)
    head_grade: str
    reports_to: str  # key of the leader the head reports to
    teams: tuple[Team, ...]


@dataclass(frozen=True)
class Directorate:
    name: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Leader:
    key: str
    title: str
    grade: str
    manager: str  # key of the leader's own manager; "" for the council's most senior post


@dataclass(frozen=True)
class CouncilSpec:
    slug: str
    name: str
    ref_prefix: str
    ref_digits: int
    target_posts: int
    leaders: tuple[Leader, ...]
    directorates: tuple[Directorate, ...]


@dataclass(frozen=True)
class ShareSpec:
    """A unit of the host council shared with the partnership, and each council's percentage."""

    host: str
    team: str
    shares: tuple[tuple[str, Decimal], ...]


def _svc(name: str, head: str, grade: str, reports_to: str, teams: list[tuple[str, str, float]]) -> Service:
    return Service(name, head, grade, reports_to, tuple(Team(*t) for t in teams))


_PEOPLE = Directorate(
    "People",
    (
        _svc(
            "Adult Social Care",
            "Assistant Director, Adult Social Care",
            "SM2",
            "dir_people",
            [
                ("Adult Social Care Front Door", "adult_sw", 1.0),
                ("Locality Team North", "adult_sw", 1.2),
                ("Locality Team South", "adult_sw", 1.2),
                ("Locality Team East", "adult_sw", 1.0),
                ("Locality Team West", "adult_sw", 1.0),
                ("Hospital Discharge Team", "adult_sw", 0.8),
                ("Learning Disability Team", "adult_sw", 1.0),
                ("Mental Health Team", "adult_sw", 0.9),
                ("Occupational Therapy Team", "ot", 0.8),
                ("Safeguarding Adults Team", "adult_sw", 0.6),
            ],
        ),
        _svc(
            "Adult Provider Services",
            "Head of Provider Services",
            "SM1",
            "dir_people",
            [
                ("Reablement North", "care", 3.0),
                ("Reablement South", "care", 3.0),
                ("Day Opportunities", "care", 1.8),
                ("Residential Care Homes", "care_res", 3.5),
                ("Brokerage Team", "brokerage", 0.5),
            ],
        ),
        _svc(
            "Children's Social Care",
            "Assistant Director, Children's Social Care",
            "SM2",
            "dir_people",
            [
                ("Children's Front Door", "child_sw", 1.0),
                ("Assessment Team North", "child_sw", 1.0),
                ("Assessment Team South", "child_sw", 1.0),
                ("Child Protection Team", "child_sw", 1.2),
                ("Children in Care Team", "child_sw", 1.2),
                ("Care Leavers Team", "child_sw", 0.8),
                ("Fostering Team", "child_sw", 0.9),
                ("Adoption Team", "child_sw", 0.6),
                ("Disabled Children's Team", "child_sw", 0.8),
                ("Children's Residential Homes", "care_res", 2.0),
                ("Family Support Service", "family_support", 1.5),
                ("Youth Justice Service", "child_sw", 0.8),
            ],
        ),
        _svc(
            "Education and Inclusion",
            "Head of Education and Inclusion",
            "SM1",
            "dir_people",
            [
                ("School Admissions", "education_admin", 0.6),
                ("SEND Assessment Team", "send", 1.2),
                ("Educational Psychology", "edpsych", 0.7),
                ("Home to School Transport", "transport_admin", 0.8),
                ("School Improvement", "school_imp", 0.6),
                ("Virtual School", "school_imp", 0.4),
                ("Early Years and Childcare", "early_years", 0.7),
            ],
        ),
        _svc(
            "Commissioning and Public Health",
            "Director of Public Health",
            "SM2",
            "dir_people",
            [
                ("Adults Commissioning", "commissioning", 0.7),
                ("Children's Commissioning", "commissioning", 0.6),
                ("Contracts and Quality Assurance", "commissioning", 0.6),
                ("Public Health Intelligence", "ph", 0.4),
                ("Health Improvement", "ph", 0.6),
            ],
        ),
    ),
)

_PLACE = Directorate(
    "Place",
    (
        _svc(
            "Highways and Transport",
            "Assistant Director, Highways and Transport",
            "SM2",
            "dir_place",
            [
                ("Highways Maintenance North", "highways_ops", 1.6),
                ("Highways Maintenance South", "highways_ops", 1.6),
                ("Highways Asset Management", "highways_eng", 0.6),
                ("Street Lighting", "highways_ops", 0.5),
                ("Traffic Management and Road Safety", "highways_eng", 0.6),
                ("Highways Development Control", "highways_eng", 0.4),
                ("Passenger Transport", "transport_admin", 0.5),
            ],
        ),
        _svc(
            "Planning and Growth",
            "Head of Planning and Growth",
            "SM1",
            "dir_place",
            [
                ("Development Management", "planning", 0.6),
                ("Minerals and Waste Planning", "planning", 0.3),
                ("Planning Policy", "planning", 0.4),
                ("Historic Environment", "planning", 0.3),
                ("Economic Development", "econ", 0.5),
                ("Regeneration and Infrastructure", "econ", 0.4),
            ],
        ),
        _svc(
            "Environment and Waste",
            "Head of Environment",
            "SM1",
            "dir_place",
            [
                ("Waste Management", "waste", 0.6),
                ("Household Waste Recycling Centres", "waste_ops", 1.2),
                ("Joint Waste Partnership Team", "waste", 0.4),
                ("Countryside and Rights of Way", "countryside", 0.6),
                ("Flood Risk Management", "highways_eng", 0.3),
                ("Climate Change and Sustainability", "policy", 0.3),
            ],
        ),
        _svc(
            "Communities and Regulation",
            "Head of Communities",
            "SM1",
            "dir_place",
            [
                ("Trading Standards", "regulatory", 0.6),
                ("Libraries North", "library", 1.3),
                ("Libraries South", "library", 1.3),
                ("Archives and Heritage", "archives", 0.4),
                ("Registration Service", "registration", 0.6),
                ("Coroner's Office", "registration", 0.2),
                ("Community Safety", "community", 0.4),
            ],
        ),
    ),
)

_RESOURCES = Directorate(
    "Resources",
    (
        _svc(
            "Finance",
            "Director of Finance",
            "SM2",
            "dir_resources",
            [
                ("Financial Planning and Strategy", "accountancy", 0.5),
                ("Corporate Accountancy", "accountancy", 0.6),
                ("Exchequer Services", "exchequer", 0.9),
                ("Income and Debt Recovery", "exchequer", 0.6),
                ("Pensions Administration", "pensions", 0.8),
                ("Procurement", "procurement", 0.6),
                ("Internal Audit", "audit", 0.4),
                ("Insurance and Risk", "audit", 0.3),
            ],
        ),
        _svc(
            "People and Organisational Development",
            "Head of People and Organisational Development",
            "SM1",
            "dir_resources",
            [
                ("HR Advisory", "hr", 0.6),
                ("Payroll", "payroll", 0.6),
                ("Recruitment", "hr", 0.4),
                ("Learning and Development", "hr", 0.4),
                ("Health and Safety", "hr", 0.3),
            ],
        ),
        _svc(
            "Digital and ICT",
            "Head of Digital and ICT",
            "SM1",
            "dir_resources",
            [
                ("ICT Service Desk", "ict", 0.8),
                ("Infrastructure and Security", "ict", 0.6),
                ("Business Applications", "ict", 0.7),
                ("Digital Services", "ict", 0.5),
                ("Information Governance", "infogov", 0.4),
                ("Data and Insight", "data", 0.5),
            ],
        ),
        _svc(
            "Customer Services",
            "Head of Customer Services",
            "SM1",
            "dir_resources",
            [
                ("Customer Contact Centre", "customer", 2.5),
                ("Customer Feedback and Complaints", "complaints", 0.4),
                ("Blue Badge and Concessionary Travel", "customer", 0.5),
            ],
        ),
        _svc(
            "Property and Facilities",
            "Head of Property",
            "SM1",
            "dir_resources",
            [
                ("Estates and Valuation", "property", 0.5),
                ("Facilities Management", "facilities", 1.4),
                ("Building Maintenance", "property", 0.5),
                ("Energy and Carbon", "property", 0.3),
            ],
        ),
    ),
)

_CHIEF_EXECUTIVES = Directorate(
    "Chief Executive's Office",
    (
        _svc("Joint Management", "", "", "", [("Joint Management Team", LEADERSHIP, 0.0)]),
        _svc(
            "Legal and Democratic Services",
            "Head of Legal and Democratic Services (Monitoring Officer)",
            "SM1",
            "ace",
            [
                ("Legal Services - People", "legal", 0.6),
                ("Legal Services - Place and Corporate", "legal", 0.5),
                ("Democratic Services", "democratic", 0.5),
            ],
        ),
        _svc(
            "Strategy and Communications",
            "Head of Strategy and Communications",
            "SM1",
            "ace",
            [
                ("Policy and Partnerships", "policy", 0.4),
                ("Communications and Marketing", "comms", 0.5),
                ("Consultation and Engagement", "comms", 0.3),
            ],
        ),
        _svc(
            "Transformation and Performance",
            "Head of Transformation",
            "SM1",
            "ace",
            [
                ("Programme Management Office", "pmo", 0.5),
                ("Business Change", "pmo", 0.5),
                ("Performance and Intelligence", "data", 0.4),
            ],
        ),
    ),
)

EXAMPLESHIRE = CouncilSpec(
    slug="exampleshire",
    name="Exampleshire County Council",
    ref_prefix="EX",
    ref_digits=5,
    target_posts=4000,
    leaders=(
        Leader("ce", "Chief Executive", "SM4", ""),
        Leader("dir_people", "Executive Director of People", "SM3", "ce"),
        Leader("dir_place", "Executive Director of Place", "SM3", "ce"),
        Leader("dir_resources", "Executive Director of Resources (Section 151 Officer)", "SM3", "ce"),
        Leader("ace", "Assistant Chief Executive", "SM2", "ce"),
        Leader("pa1", "Executive Assistant", "Grade 7", "ce"),
        Leader("pa2", "Executive Assistant", "Grade 7", "ce"),
        Leader("pa3", "Executive Assistant", "Grade 7", "ce"),
        Leader("pa4", "Executive Assistant", "Grade 7", "ce"),
        Leader("pbm", "Partnership Business Manager", "Grade 11", "ace"),
        Leader("eso", "Executive Support Officer", "Grade 5", "ace"),
    ),
    directorates=(_PEOPLE, _PLACE, _RESOURCES, _CHIEF_EXECUTIVES),
)

WESTMERE = CouncilSpec(
    slug="westmere",
    name="Westmere District Council",
    ref_prefix="WM",
    ref_digits=4,
    target_posts=300,
    leaders=(
        Leader("dce", "Deputy Chief Executive (Westmere)", "SM2", ""),
        Leader("ea", "Executive Assistant", "Grade 7", "dce"),
    ),
    directorates=(
        Directorate(
            "Communities and Place",
            (
                _svc(
                    "Environmental Services",
                    "Head of Environmental Services",
                    "SM1",
                    "dce",
                    [
                        ("Refuse and Recycling Collection", "refuse", 3.5),
                        ("Street Cleansing", "cleansing", 1.2),
                        ("Environmental Health and Licensing", "env_health", 0.8),
                    ],
                ),
                _svc(
                    "Housing and Planning",
                    "Head of Housing and Planning",
                    "SM1",
                    "dce",
                    [
                        ("Housing Options and Homelessness", "housing", 0.8),
                        ("Development Management", "planning", 0.7),
                    ],
                ),
            ),
        ),
        Directorate(
            "Corporate Services",
            (
                _svc("Westmere Leadership", "", "", "", [("Westmere Leadership Team", LEADERSHIP, 0.0)]),
                _svc(
                    "Revenues, Benefits and Customers",
                    "Head of Revenues, Benefits and Customers",
                    "SM1",
                    "dce",
                    [
                        ("Council Tax and Business Rates", "revenues", 0.8),
                        ("Housing Benefit", "benefits", 0.7),
                        ("Customer Services", "customer", 0.8),
                    ],
                ),
                _svc(
                    "Finance and Governance",
                    "Head of Finance and Governance",
                    "SM1",
                    "dce",
                    [
                        ("Finance and Procurement", "accountancy", 0.6),
                        ("Democratic and Legal Services", "democratic", 0.5),
                    ],
                ),
            ),
        ),
    ),
)

COUNCILS: tuple[CouncilSpec, ...] = (EXAMPLESHIRE, WESTMERE)

PARTNERSHIP_NAME = "Exampleshire and Westmere Partnership"
PARTNERSHIP_DESCRIPTION = (
    "A fictional partnership for the demo: Exampleshire County Council and Westmere District Council share "
    "one management team, a joint waste team and an ICT service desk, with costs split by agreed shares."
)
SHARED_UNITS: tuple[ShareSpec, ...] = (
    ShareSpec(
        "exampleshire",
        "Joint Management Team",
        (("exampleshire", Decimal("60")), ("westmere", Decimal("40"))),
    ),
    ShareSpec(
        "exampleshire",
        "Joint Waste Partnership Team",
        (("exampleshire", Decimal("70")), ("westmere", Decimal("30"))),
    ),
    ShareSpec(
        "exampleshire",
        "ICT Service Desk",
        (("exampleshire", Decimal("80")), ("westmere", Decimal("20"))),
    ),
)
