"""The fields an establishment list can hold, the headers that usually hold them, and mapping checks.

Pure Python: no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wholecouncil.tabular import suggest_fields

LEVEL_FIELDS = ("directorate", "service", "team")


@dataclass(frozen=True)
class Field:
    """A field the importer can read, with the headers that usually hold it."""

    name: str
    label: str
    hint: str
    synonyms: tuple[str, ...]


ESTABLISHMENT_FIELDS: tuple[Field, ...] = (
    Field(
        "post_ref",
        "Post reference",
        "A number unique to each post. Without one, posts are numbered ROW-<row number>.",
        ("Post ref", "Post reference", "Post number", "Post no", "Post ID", "Position number", "Position ID"),
    ),
    Field(
        "org_path",
        "Org unit path",
        "One column holding the whole path, e.g. 'Place / Highways / Street lighting'.",
        (
            "Org unit path",
            "Organisation path",
            "Org path",
            "Hierarchy",
            "Structure",
            "Organisation structure",
        ),
    ),
    Field(
        "directorate",
        "Directorate",
        "The top level of the organisation.",
        ("Directorate", "Department", "Dept", "Division", "Level 1", "Org level 1", "Tier 1"),
    ),
    Field(
        "service",
        "Service",
        "The level below a directorate.",
        ("Service", "Service area", "Business unit", "Section", "Level 2", "Org level 2", "Tier 2"),
    ),
    Field(
        "team",
        "Team",
        "The level below a service.",
        ("Team", "Team name", "Unit", "Level 3", "Org level 3", "Tier 3"),
    ),
    Field(
        "job_title",
        "Job title",
        "",
        ("Job title", "Post title", "Position title", "Job role", "Role title", "Role", "Job", "Position"),
    ),
    Field("grade", "Grade", "", ("Grade", "Pay grade", "Grade code", "Band", "Pay band", "Scale")),
    Field(
        "fte",
        "FTE",
        "Full-time equivalent, more than 0 and at most 1.5. Without it, 1.0 is assumed.",
        ("FTE", "Full time equivalent", "WTE", "Whole time equivalent", "Establishment FTE", "Budgeted FTE"),
    ),
    Field(
        "annual_cost",
        "Annual cost including on-costs",
        "Used as it is, when given. Otherwise the cost is worked out from the salary plus on-costs.",
        (
            "Annual cost",
            "Total cost",
            "Full cost",
            "Cost including on-costs",
            "Cost inc on-costs",
            "Total employment cost",
            "Employment cost",
            "Budgeted cost",
        ),
    ),
    Field(
        "salary",
        "Salary",
        "A salary figure for the post.",
        ("Salary", "Annual salary", "Basic salary", "Actual salary", "Basic pay", "Pay"),
    ),
    Field(
        "salary_band",
        "Salary band",
        "A range such as '65000 - 69999': its midpoint is used.",
        ("Salary band", "Salary range", "Pay range", "Salary bracket"),
    ),
    Field(
        "max_salary",
        "Maximum salary",
        "Used when there is no salary or band, or when the band looks wrong.",
        ("Maximum salary", "Max salary", "Salary max", "Grade maximum", "Top of grade", "Maximum of grade"),
    ),
    Field(
        "vacant",
        "Vacancy",
        "Vacant, Yes, Y, True or 1 for a vacant post; No, Filled, NA or blank for a filled one.",
        ("Vacancy", "Vacant", "Is vacant", "Vacancy status", "Post status"),
    ),
    Field("contract_type", "Contract type", "", ("Contract type", "Contract", "Employment type", "Tenure")),
    Field(
        "manager_ref",
        "Manager's post reference",
        "",
        (
            "Manager post ref",
            "Reports to",
            "Reports to post",
            "Line manager post",
            "Manager post",
            "Parent post",
        ),
    ),
)
FIELDS_BY_NAME = {f.name: f for f in ESTABLISHMENT_FIELDS}
# Order in which suggestions are made: the more specific fields first, so they get their header.
_SUGGESTION_ORDER = [
    "post_ref",
    "manager_ref",
    "org_path",
    "job_title",
    "max_salary",
    "salary_band",
    "annual_cost",
    "salary",
    "fte",
    "grade",
    "vacant",
    "contract_type",
    "directorate",
    "service",
    "team",
]


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """Field name -> the header that most likely holds it. Uses either a path column or level columns."""
    synonyms = {name: FIELDS_BY_NAME[name].synonyms for name in _SUGGESTION_ORDER}
    found = suggest_fields(headers, synonyms)
    if "org_path" in found and any(level in found for level in LEVEL_FIELDS):
        del found["org_path"]
    return {f.name: found[f.name] for f in ESTABLISHMENT_FIELDS if f.name in found}


def mapping_problems(headers: Sequence[str], mapping: Mapping[str, str]) -> list[tuple[str, str]]:
    """(field name, message) for each problem with a mapping. Each message starts with the field's label."""
    problems: list[tuple[str, str]] = []
    for name, header in mapping.items():
        if name not in FIELDS_BY_NAME:
            problems.append(("", f"'{name}' is not a field that can be imported"))
        elif header and header not in headers:
            problems.append((name, f"{FIELDS_BY_NAME[name].label}: there is no column called '{header}'"))
    used = {name for name, header in mapping.items() if header}
    if "job_title" not in used:
        problems.append(("job_title", "Job title: choose the column that holds the job title"))
    levels = used & set(LEVEL_FIELDS)
    if "org_path" not in used and not levels:
        problems.append(
            (
                "directorate",
                "Directorate: choose the directorate column (or a service or team column, "
                "or an org unit path column)",
            )
        )
    if "org_path" in used and levels:
        problems.append(
            (
                "org_path",
                "Org unit path: choose either an org unit path column or directorate, service and team "
                "columns, not both",
            )
        )
    return problems
