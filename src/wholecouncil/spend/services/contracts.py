"""Importing the contracts register. An import replaces the register whole, or changes nothing."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.spend.engine import SpendSource, format_pounds, supplier_key
from wholecouncil.spend.engine.contracts import (
    ContractRow,
    read_register,
    register_headers,
    suggest_contract_mapping,
)
from wholecouncil.spend.models import Category, Contract, ContractsUpload, SupplierAlias
from wholecouncil.tabular import RowError, TableError

MAX_REGISTER_BYTES = 20 * 1024 * 1024


class ContractError(DomainError):
    pass


def _links(council: Council) -> tuple[dict[str, int], dict[str, int]]:
    """Supplier ids by normalised name, and category ids by name, as the council's spend has them now."""
    by_key = dict(SupplierAlias.objects.filter(council=council).values_list("key", "supplier_id"))
    by_name = dict(Category.objects.filter(council=council).values_list("name", "id"))
    return by_key, by_name


def _key(name: str) -> str:
    return supplier_key(name) or name.casefold()


@transaction.atomic
def contracts_replace(*, council: Council, rows: list[ContractRow], actor: Actor, source: str = "") -> int:
    """Make `rows` the council's contracts register; each contract is linked to the supplier whose
    normalised name matches its supplier's. A row may have no end date (open-ended) and no value.
    Returns the number of contracts."""
    before = Contract.objects.filter(council=council).count()
    by_key, by_name = _links(council)
    Contract.objects.filter(council=council).delete()
    contracts = [
        Contract(
            council=council,
            reference=row.reference,
            title=row.title,
            supplier_name=row.supplier,
            supplier_id=by_key.get(_key(row.supplier)),
            category_id=by_name.get(row.category),
            start=row.start,
            end=row.end,
            value=None if row.pennies is None else Decimal(format_pounds(row.pennies)),
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
    """Link every contract to the supplier its supplier's name matches now. Run after each spend import and
    supplier merge, so a register imported before the spend is linked once the supplier has been paid.
    Returns the number of contracts whose link changed."""
    by_key, _ = _links(council)
    changed = []
    for contract in Contract.objects.filter(council=council).only("id", "supplier_name", "supplier_id"):
        supplier_id = by_key.get(_key(contract.supplier_name), contract.supplier_id)
        if supplier_id != contract.supplier_id:
            contract.supplier_id = supplier_id
            changed.append(contract)
    Contract.objects.bulk_update(changed, ["supplier"], batch_size=500)
    return len(changed)


@transaction.atomic
def contracts_upload(*, council: Council, name: str, content: bytes, actor: Actor) -> ContractsUpload:
    """Keep an uploaded register while its columns are matched; the columns are suggested from its
    headers. Raises ContractError if it cannot be read as a table."""
    if len(content) > MAX_REGISTER_BYTES:
        raise ContractError(f"{name}: the file is larger than {MAX_REGISTER_BYTES // (1024 * 1024)} MB")
    try:
        headers = register_headers(SpendSource.from_bytes(name, content))
    except TableError as exc:
        raise ContractError(str(exc)) from exc
    return ContractsUpload.objects.create(
        council=council,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,  # type: ignore[misc]
        name=name[:255],
        content=content,
        headers=list(headers),
        mapping=suggest_contract_mapping(headers),
    )


@transaction.atomic
def contracts_import(
    *, upload: ContractsUpload, mapping: dict[str, str], actor: Actor
) -> tuple[int, list[RowError]]:
    """Read an uploaded register with `mapping` and make it the council's register; or, if any row has a
    problem, change nothing and return the problems. Returns (contracts imported, problems)."""
    upload = ContractsUpload.objects.select_for_update().select_related("council").get(pk=upload.pk)
    if upload.imported:
        raise ContractError("This register has already been imported. Upload it again to import it again.")
    upload.mapping = {k: v for k, v in mapping.items() if v}
    result = read_register(SpendSource.from_bytes(upload.name, bytes(upload.content)), upload.mapping)
    if result.errors:
        upload.save(update_fields=["mapping"])
        return 0, result.errors
    count = contracts_replace(council=upload.council, rows=result.contracts, actor=actor, source=upload.name)
    upload.imported = True
    upload.save(update_fields=["mapping", "imported"])
    return count, []
