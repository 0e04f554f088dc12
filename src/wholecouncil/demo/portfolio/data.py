"""What the demo portfolio is made of: its programmes, workstreams, projects and the words of its records.
Every name and figure is fictional."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from wholecouncil.council.engine import add_months
from wholecouncil.portfolio.models import Project

D = Decimal
SLUG = "exampleshire"

PROGRAMMES = (
    ("strategic", "Strategic and enabling services", "Director of Corporate Services", "whole_council", "14"),
    ("commissioning", "Commissioning and procurement", "Director of Commissioning", "whole_council", "10"),
    ("customer", "Customer experience", "Director of Customer and Digital", "whole_council", "16"),
    (
        "business-support",
        "Business support and ways of working",
        "Director of Resources",
        "whole_council",
        "10",
    ),
    ("adults-housing", "Adults and housing service change", "Director of Adult Care", "service_change", "6"),
    ("place", "Place service change", "Director of Place", "service_change", "6"),
)
WORKSTREAMS = (
    ("capability", "Building transformation capability", "Head of Transformation", "5"),
    ("communications", "Communications", "Head of Communications", "3"),
    ("people", "People and change", "Head of HR", "5"),
    ("finance", "Finance", "Deputy Section 151 Officer", "4"),
)

PROJECTS: dict[str, tuple[str, ...]] = {
    "strategic": (
        "Target operating model design",
        "Technology and data roadmap",
        "Replace the finance and HR system",
        "Automate transactional back-office tasks",
        "Internal front door for HR, ICT and property",
        "Data warehouse and reporting",
        "Cloud migration of line-of-business systems",
        "Organisational redesign of the strategic core",
    ),
    "commissioning": (
        "Contract management tool",
        "Spend analytics service",
        "One commissioning and payment process",
        "Commercial strategy and supplier management",
        "Demand strategies for high-cost placements",
        "Category plans for the top twenty suppliers",
        "Social value in procurement",
    ),
    "customer": (
        "Customer relationship management system",
        "Customer experience strategy",
        "Telephony replacement",
        "Bring service lines into the contact centre",
        "Online forms and accounts",
        "Automated triage for common requests",
        "Information and advice before the front door",
        "Community partnership hubs",
        "Blue badge and concessionary travel online",
    ),
    "business-support": (
        "Business administration hub",
        "Self-service review of support policies",
        "Hybrid working and office rationalisation",
        "Digital mailroom",
        "Meeting and minute support consolidation",
        "Standard service levels for support",
    ),
    "adults-housing": (
        "Housing and accommodation support redesign",
        "Adult social care operations redesign",
        "Reablement capacity",
        "Assistive technology at home",
    ),
    "place": (
        "Strategic asset management plan",
        "Modernise waste collection rounds",
        "Libraries open access",
        "Highways defect reporting online",
    ),
}
WORKSTREAM_PROJECTS: dict[str, tuple[str, ...]] = {
    "capability": (
        "Transformation office set-up",
        "Portfolio method and gateway",
        "Change practitioner training",
    ),
    "communications": ("Staff engagement campaign", "Resident communications on new channels"),
    "people": ("Workforce design", "Manager development programme", "Redeployment pool"),
    "finance": (
        "Benefits realisation framework",
        "Invest-to-save fund rules",
        "Savings tracking into the MTFP",
    ),
}
# Projects a council already had before the portfolio: the reprioritisation review decides them.
LEGACY = (
    ("L-01", "Intranet refresh", "stop", "Superseded by the customer management system's staff portal"),
    ("L-02", "Printer fleet renewal", "stop", "Falls away with the digital mailroom"),
    ("L-03", "Parking permits online", "align", "Part of online forms and accounts"),
    ("L-04", "Scanning backlog clearance", "pause", "Resume once the digital mailroom is live"),
    ("L-05", "Room booking system", "pause", "Wait for the hybrid working decision"),
    ("L-06", "Licensing payments portal", "align", "Part of online forms and accounts"),
    ("L-07", "Leisure centre kiosks", "stop", "Low value; the contact centre covers it"),
    ("L-08", "Fleet telematics", "continue", "Already delivering fuel savings"),
    ("L-09", "Records retention clean-up", "continue", "Statutory; small and nearly done"),
    ("L-10", "Local plan evidence base", "continue", "Statutory deadline"),
)

# (stage, status) the projects end in, over every stage; the weights give the shape of a real portfolio.
POSITIONS = (
    ((1, "in_stage"), 9),
    ((1, "at_gate"), 3),
    ((2, "in_stage"), 9),
    ((2, "at_gate"), 3),
    ((3, "in_stage"), 8),
    ((3, "at_gate"), 2),
    ((4, "in_stage"), 10),
    ((4, "at_gate"), 1),
    ((5, "in_stage"), 4),
    ((5, "closed"), 2),
    ((2, "stopped"), 1),
)
RISKS = (
    ("Key staff leave before the change is embedded", 3, 4),
    ("Supplier cannot deliver to the agreed timetable", 3, 3),
    ("Savings are counted in more than one project", 2, 4),
    ("Services cannot release people for design work", 4, 3),
    ("Data quality in the old system delays migration", 4, 4),
    ("Residents do not take up the new online channel", 3, 4),
    ("Trade union consultation takes longer than planned", 3, 2),
    ("Integration with the case management system fails testing", 2, 5),
    ("Budget pressures cut the invest-to-save fund", 2, 5),
    ("Business as usual performance drops during the change", 3, 3),
)
MILESTONES = ("Outline business case agreed", "Design signed off", "Go live", "Benefits first measured")
PROJECT_DEPENDENCIES = (
    ("TP-02", "TP-01"),
    ("TP-03", "TP-02"),
    ("TP-17", "TP-16"),
    ("TP-20", "TP-17"),
    ("TP-33", "TP-32"),
    ("TP-05", "TP-03"),
)
NARRATIVES = {
    "green": "On plan: this month's milestones were met and the risks are in hand.",
    "amber": "Some slippage this month; the recovery plan is agreed and the board is asked to note it.",
    "red": "Delivery is in doubt: a key dependency has slipped and the board is asked to agree a re-plan.",
}
MONTHS = 12
DOCUMENT = (
    "{title} for {code}.\n\nA fictional document made for the Exampleshire demo; no figure in it is real.\n"
)
ASSUMPTIONS = (
    ("Services release staff for design workshops as planned", "holds"),
    ("The supplier's price holds for the second year", "untested"),
    ("Demand stays at last year's level while the change is made", "untested"),
    ("Staff turnover frees the posts the new structure removes", "failed"),
)
ISSUES = (
    ("Test environment not ready", "high"),
    ("Key analyst on long-term leave", "medium"),
    ("Data extract from the old system is incomplete", "medium"),
    ("Room bookings clash with the design workshops", "low"),
)
DECISIONS = (
    (
        "Use the council's existing case management platform",
        "Cheaper than a new product; agreed by the sponsor.",
    ),
    ("Phase the roll-out by directorate", "Lets each directorate be supported in turn."),
    ("Keep the old system read-only for a year", "Records retention; agreed with information governance."),
)


@dataclass
class Built:
    project: Project
    target: tuple[int, str]
    started: dt.date


def month_of(anchor: dt.date, back: int) -> dt.date:
    """The first day of the month `back` months before `anchor`'s (after it, when `back` is negative)."""
    return add_months(anchor.replace(day=1), -back)


def at(month: dt.date, day: int = 7) -> dt.datetime:
    """A time in `month`, never later than now."""
    return min(dt.datetime.combine(month.replace(day=day), dt.time(10), dt.UTC), timezone.now())
