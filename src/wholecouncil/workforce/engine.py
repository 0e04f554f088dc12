"""Pure establishment computations: no Django. Parsing and validating establishment lists lives here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class PostRow:
    """One post ready to load: the shape both the importer and the demo generator hand to services."""

    post_ref: str
    org_path: tuple[str, ...]  # e.g. ("Children's Services", "Commissioning", "Placements team")
    job_title: str
    grade: str = ""
    fte: Decimal = Decimal("1")
    annual_cost: Decimal | None = None  # pounds a year including on-costs
    cost_basis: str = ""
    vacant: bool = False
    contract_type: str = ""
    manager_ref: str = ""
