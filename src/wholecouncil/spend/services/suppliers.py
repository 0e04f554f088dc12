"""Supplier resolution after an import, and finance's decisions on proposed merges."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import Count, Model
from django.utils import timezone

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.spend.engine import SupplierRecord, pair_of, propose_merges
from wholecouncil.spend.models import Contract, MergeDecision, Supplier, SupplierAlias, Transaction
from wholecouncil.spend.services.contracts import contracts_relink
from wholecouncil.spend.services.duplicates import duplicates_detect
from wholecouncil.spend.services.pairs import keep_found

MAX_PROPOSALS = 2000


class SupplierError(DomainError):
    pass


def _user(actor: Actor) -> object | None:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def suppliers_refresh(*, council: Council, added: Mapping[int, int] | None = None) -> int:
    """Recount payments per name, name each supplier after its most used name, and propose merges anew.

    `added`: payments an import has just added, by name (alias id), counted on top of the counts recorded
    (only imports add payments to a name), instead of counting every payment again.
    Proposals not yet decided are brought up to date (kept, with their ids, if found again; deleted if
    not); accepted and rejected pairs are never proposed again. Returns
    the number of open proposals.
    """
    aliases = list(SupplierAlias.objects.filter(council=council))
    if added is not None:
        counts = {a.pk: a.payments + added.get(a.pk, 0) for a in aliases}
    else:
        counts = dict(
            Transaction.objects.filter(council=council)
            .values("alias_id")
            .annotate(n=Count("id"))
            .values_list("alias_id", "n")
        )
    changed = [a for a in aliases if a.payments != counts.get(a.pk, 0)]
    for alias in changed:
        alias.payments = counts.get(alias.pk, 0)
    _update(SupplierAlias, ["payments"], changed)
    _rename_suppliers(council, aliases)
    return _propose(council, aliases)


def _rename_suppliers(council: Council, aliases: list[SupplierAlias]) -> None:
    best: dict[int, tuple[int, str]] = {}
    identifiers: dict[int, Counter[tuple[str, str]]] = defaultdict(Counter)
    for alias in aliases:
        score = (alias.payments, alias.name)
        if alias.supplier_id not in best or score > best[alias.supplier_id]:
            best[alias.supplier_id] = score
        for kind in ("vat", "company"):
            for value in (alias.identifiers or {}).get(kind, []):
                identifiers[alias.supplier_id][(kind, value)] += alias.payments or 1
    changed = []
    for supplier in Supplier.objects.filter(council=council):
        name = best.get(supplier.pk, (0, supplier.name))[1]
        counted = identifiers.get(supplier.pk, Counter())
        vat = max((v for (k, v) in counted if k == "vat"), key=lambda v: counted[("vat", v)], default="")
        company = max(
            (v for (k, v) in counted if k == "company"), key=lambda v: counted[("company", v)], default=""
        )
        if (supplier.name, supplier.vat_number, supplier.company_number) != (name, vat, company):
            supplier.name, supplier.vat_number, supplier.company_number = name, vat, company
            changed.append(supplier)
    _update(Supplier, ["name", "vat_number", "company_number"], changed)


def _update(model: type[Model], fields: list[str], objects: list[Any]) -> None:
    """UPDATE each object's `fields` by primary key: one prepared statement, many parameter sets."""
    if not objects:
        return
    table = model._meta.db_table
    sets = ", ".join(f"{f}_id = %s" if f.endswith("supplier") else f"{f} = %s" for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {sets} WHERE id = %s",  # noqa: S608
            [[getattr(o, f) for f in fields] + [o.pk] for o in objects],
        )


def _propose(council: Council, aliases: list[SupplierAlias]) -> int:
    """Propose merges anew. An open proposal found again keeps its row, and so its id, with its suppliers,
    evidence and score brought up to date; open proposals not found again are deleted, new ones created."""
    decided = list(
        MergeDecision.objects.filter(council=council)
        .exclude(status=MergeDecision.Status.PROPOSED)
        .values_list("first_key", "second_key")
    )
    open_rows = {
        pair_of(m.first_key, m.second_key): m
        for m in MergeDecision.objects.filter(council=council, status=MergeDecision.Status.PROPOSED)
    }
    records = [
        SupplierRecord(
            name=a.key,  # keys are names already normalised, and stay the same under supplier_key
            vat_numbers=frozenset((a.identifiers or {}).get("vat", [])),
            company_numbers=frozenset((a.identifiers or {}).get("company", [])),
            references=frozenset((a.identifiers or {}).get("ref", [])),
        )
        for a in aliases
    ]
    supplier_of_key = {a.key: a.supplier_id for a in aliases}

    def found() -> Iterator[tuple[MergeDecision | None, dict[str, Any], dict[str, Any]]]:
        for proposal in propose_merges(records, decided=decided):
            first = supplier_of_key.get(proposal.first)
            second = supplier_of_key.get(proposal.second)
            if first is None or second is None or first == second:
                continue
            row = open_rows.get(pair_of(proposal.first, proposal.second))
            if row is not None and row.first_key != proposal.first:
                first, second = second, first  # the row keeps the order its keys were stored in
            values = {
                "first_id": first,
                "second_id": second,
                "evidence": list(proposal.evidence),
                "score": proposal.score,
            }
            yield (
                row,
                values,
                {"council": council, "first_key": proposal.first, "second_key": proposal.second},
            )

    return keep_found(
        MergeDecision,
        open_rows,
        found(),
        limit=MAX_PROPOSALS,
        fields=["first", "second", "evidence", "score"],
    )


def _merge(council: Council, keep: Supplier, gone: Supplier) -> None:
    SupplierAlias.objects.filter(council=council, supplier=gone).update(supplier=keep)
    Transaction.objects.filter(council=council, supplier=gone).update(supplier=keep)
    Contract.objects.filter(council=council, supplier=gone).update(supplier=keep)
    MergeDecision.objects.filter(council=council, first=gone).update(first=keep)
    MergeDecision.objects.filter(council=council, second=gone).update(second=keep)
    gone.delete()


@transaction.atomic
def merge_decide(*, decision: MergeDecision, accept: bool, actor: Actor) -> MergeDecision:
    """Accept (merge the two suppliers into one) or reject a proposed merge; remembered for later imports.
    Duplicate candidates are then found again over all the council's payments."""
    # The council first, as an import takes it: one change to its suppliers and duplicate candidates at a
    # time. While an import holds it, the decision is refused at once rather than left waiting.
    try:
        Council.objects.select_for_update(nowait=connection.vendor == "postgresql").filter(
            pk=decision.council_id
        ).first()
    except OperationalError as exc:
        raise SupplierError(
            "Spend is being imported for this council just now: decide once the import has finished."
        ) from exc
    decision = MergeDecision.objects.select_for_update().select_related("council").get(pk=decision.pk)
    council = decision.council
    if decision.status != MergeDecision.Status.PROPOSED:
        raise SupplierError("This proposal has already been decided.")
    before = {"status": decision.status}
    if accept:
        keys = [decision.first_key, decision.second_key]
        ids = set(
            SupplierAlias.objects.filter(council=council, key__in=keys).values_list("supplier_id", flat=True)
        )
        suppliers = sorted(Supplier.objects.filter(council=council, pk__in=ids), key=lambda s: s.pk)
        if len(suppliers) > 1:
            keep = max(suppliers, key=lambda s: (s.transactions.count(), -s.pk))
            for gone in suppliers:
                if gone.pk != keep.pk:
                    _merge(council, keep, gone)
    decision.status = MergeDecision.Status.ACCEPTED if accept else MergeDecision.Status.REJECTED
    decision.decided_by = _user(actor)  # type: ignore[assignment]
    decision.decided_at = timezone.now()
    decision.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        _rename_suppliers(council, list(SupplierAlias.objects.filter(council=council)))
        contracts_relink(council=council)
    # Candidates that only paired across this proposal's suppliers go, and a merge's new ones come; the
    # reviewed ones are kept (the window is that of the council's most recent completed import).
    duplicates_detect(council=council)
    audit_record(
        council=council,
        actor=actor,
        action="spend.supplier_merge." + ("accept" if accept else "reject"),
        obj=decision,
        object_type="supplier merge",
        object_repr=f"{decision.first_key} + {decision.second_key}",
        before=before,
        after={"status": decision.status, "evidence": "; ".join(decision.evidence)},
    )
    return decision


def decided_pairs(council: Council) -> set[tuple[str, str]]:
    return {
        pair_of(a, b)
        for a, b in MergeDecision.objects.filter(council=council)
        .exclude(status=MergeDecision.Status.PROPOSED)
        .values_list("first_key", "second_key")
    }
