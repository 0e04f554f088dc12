"""The service catalogue: reading the Local Government Service List and assigning services to units."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from django.db import transaction

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council, OrgUnit, Service
from wholecouncil.council.services.errors import DomainError


class CatalogueError(DomainError):
    pass


def read_lgsl(path: Path) -> list[tuple[int, str, str]]:
    """Read the Local Government Service List CSV: (identifier, label, description) for each service."""
    rows: list[tuple[int, str, str]] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            for field in ("Identifier", "Label"):
                if field not in (reader.fieldnames or []):
                    raise CatalogueError(f"{path.name}: no '{field}' column in the header row.")
            for line, row in enumerate(reader, start=2):
                ident = (row.get("Identifier") or "").strip()
                label = (row.get("Label") or "").strip()
                if not ident.isdigit():
                    raise CatalogueError(
                        f"{path.name}, row {line}, column Identifier: '{ident}' is not a number."
                    )
                if not label:
                    raise CatalogueError(f"{path.name}, row {line}, column Label: the service has no name.")
                rows.append((int(ident), label, (row.get("Description") or "").strip()))
    except FileNotFoundError as exc:
        raise CatalogueError(f"{path}: file not found.") from exc
    return rows


@transaction.atomic
def services_import(*, council: Council, entries: list[tuple[int, str, str]], actor: Actor) -> int:
    """Add catalogue entries the council lacks (matched by LGSL code); return how many were added."""
    have = set(
        Service.objects.filter(council=council, lgsl_id__isnull=False).values_list("lgsl_id", flat=True)
    )
    new = [Service(council=council, lgsl_id=i, name=n, description=d) for i, n, d in entries if i not in have]
    Service.objects.bulk_create(new, batch_size=500)
    if new:
        audit_record(
            council=council,
            actor=actor,
            action="services.import",
            object_type="service catalogue",
            object_repr=f"{len(new)} services",
            after={"added": len(new)},
        )
    return len(new)


@transaction.atomic
def services_assign(*, council: Council, assignments: Mapping[int, OrgUnit | None], actor: Actor) -> int:
    """Say which unit provides each catalogue service, by LGSL code. Returns how many services changed."""
    for target in {u for u in assignments.values() if u is not None}:
        if target.council_id != council.pk:
            raise DomainError(f"{target} does not belong to {council}.")
    services = {s.lgsl_id: s for s in Service.objects.filter(council=council, lgsl_id__in=list(assignments))}
    unknown = sorted(set(assignments) - set(services))
    if unknown:
        raise DomainError(f"No service with LGSL code {', '.join(map(str, unknown))} in the catalogue.")
    changed = []
    for lgsl_id, unit in assignments.items():
        service = services[lgsl_id]
        if service.org_unit_id != (unit.pk if unit else None):
            service.org_unit = unit
            changed.append(service)
    Service.objects.bulk_update(changed, ["org_unit"], batch_size=500)
    if changed:
        audit_record(
            council=council,
            actor=actor,
            action="services.assign",
            object_type="service catalogue",
            object_repr=f"{len(changed)} services assigned to units",
            after={s.name: (str(s.org_unit) if s.org_unit else None) for s in changed[:200]},
        )
    return len(changed)
