"""Importing the contracts register. An import replaces the register whole, or changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.spend.engine import format_pounds, supplier_key
from wholecouncil.spend.engine.contracts import ContractRow
from wholecouncil.spend.models import Category, Contract, SupplierAlias


class ContractError(DomainError):
    pass


@transaction.atomic
def contracts_replace(*, council: Council, rows: list[ContractRow], actor: Actor, source: str = "") -> int:
    """Make `rows` the council's contracts register; each contract is linked to the supplier whose
    normalised name matches its supplier's. Returns the number of contracts."""
    before = Contract.objects.filter(council=council).count()
    by_key = dict(SupplierAlias.objects.filter(council=council).values_list("key", "supplier_id"))
    by_name = dict(Category.objects.filter(council=council).values_list("name", "id"))
    Contract.objects.filter(council=council).delete()
    contracts = [
        Contract(
            council=council,
            reference=row.reference,
            title=row.title,
            supplier_name=row.supplier,
            supplier_id=by_key.get(supplier_key(row.supplier)),
            category_id=by_name.get(row.category),
            start=row.start,
            end=row.end,
            value=Decimal(format_pounds(row.pennies)),
        )
        for row in rows
    ]
    Contract.objects.bulk_create(contracts, batch_size=500)
    linked = sum(1 for c in contracts if c.supplier_id)
    audit_record(
        council=council,
        actor=actor,
        action="spend.contracts.import",
        object_type="contracts register",
        object_repr=f"Contracts register{' from ' + source if source else ''}",
        before={"contracts": before},
        after={"contracts": len(contracts), "linked_to_suppliers": linked},
    )
    return len(contracts)


def contracts_relink(*, council: Council) -> int:
    """Link contracts with no supplier to suppliers paid since (after a spend import)."""
    by_key = dict(SupplierAlias.objects.filter(council=council).values_list("key", "supplier_id"))
    changed = []
    for contract in Contract.objects.filter(council=council, supplier__isnull=True):
        found = by_key.get(supplier_key(contract.supplier_name))
        if found:
            contract.supplier_id = found
            changed.append(contract)
    Contract.objects.bulk_update(changed, ["supplier"], batch_size=500)
    return len(changed)
