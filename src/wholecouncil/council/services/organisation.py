"""Org units and partnerships: who shares which unit, and in what proportion."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.engine import SharesError, validate_shares
from wholecouncil.council.models import Council, OrgUnit, OrgUnitShare, Partnership
from wholecouncil.council.services.errors import DomainError


@transaction.atomic
def partnership_create(
    *, name: str, councils: list[Council], description: str = "", actor: Actor
) -> Partnership:
    if len({c.pk for c in councils}) < 2:
        raise DomainError("A partnership needs at least two different councils.")
    partnership = Partnership.objects.create(name=name, description=description)
    partnership.councils.set(councils)
    for council in councils:
        audit_record(
            council=council,
            actor=actor,
            action="partnership.create",
            obj=partnership,
            after={"name": name, "councils": sorted(c.name for c in councils)},
        )
    return partnership


@transaction.atomic
def org_unit_create(
    *, council: Council, name: str, kind: str, parent: OrgUnit | None = None, code: str = "", actor: Actor
) -> OrgUnit:
    if parent is not None and parent.council_id != council.pk:
        raise DomainError("A unit's parent must belong to the same council.")
    if OrgUnit.objects.filter(council=council, parent=parent, name=name).exists():
        raise DomainError(f"There is already a unit called '{name}' there.")
    unit = OrgUnit.objects.create(council=council, name=name, kind=kind, parent=parent, code=code)
    audit_record(
        council=council,
        actor=actor,
        action="org_unit.create",
        obj=unit,
        after={"name": name, "kind": kind, "parent": str(parent) if parent else None},
    )
    return unit


@transaction.atomic
def org_unit_share(
    *, unit: OrgUnit, partnership: Partnership, shares: Mapping[Council, Decimal], actor: Actor
) -> OrgUnit:
    """Make `unit` a shared unit of `partnership`, with each council's percentage share of its cost."""
    members = set(partnership.councils.values_list("pk", flat=True))
    if unit.council_id not in members:
        raise DomainError(f"{unit.council} is not in the partnership {partnership}.")
    for council in shares:
        if council.pk not in members:
            raise DomainError(f"{council} is not in the partnership {partnership}.")
    try:
        validate_shares({c.name: Decimal(p) for c, p in shares.items()})
    except SharesError as exc:
        raise DomainError(str(exc)) from exc
    before = {s.council.name: str(s.percent) for s in unit.shares.select_related("council")}
    unit.shares.all().delete()
    OrgUnitShare.objects.bulk_create(
        [OrgUnitShare(org_unit=unit, council=c, percent=Decimal(p)) for c, p in shares.items()]
    )
    unit.partnership = partnership
    unit.save(update_fields=["partnership"])
    after = {c.name: str(Decimal(p)) for c, p in shares.items()}
    for council in {unit.council, *shares}:
        audit_record(
            council=council,
            actor=actor,
            action="org_unit.share",
            obj=unit,
            before=before or None,
            after=after,
        )
    return unit
