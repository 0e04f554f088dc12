"""Comparator profiles: another organisation's share of effort by process or layer, to set ours against.

Only an illustrative comparator ships with the product. It is made up to show how a comparison reads, and
every page and export that uses it says so.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from wholecouncil.activity.models import Comparator
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.tabular import RowError, Table, normalise_header

ILLUSTRATIVE_NAME = "Illustrative profile (not real data)"
ILLUSTRATIVE_SOURCE = (
    "Made-up shares chosen to show how a comparison reads. They describe no real council and must not be "
    "quoted as evidence."
)
# Shares of total effort by layer of the seven-layer model; they add up to 1.
ILLUSTRATIVE_LAYER_SHARES = {
    "pre-front-door": "0.04",
    "customer-management": "0.12",
    "customer-assessment": "0.10",
    "provision-cycle": "0.46",
    "enabling-support": "0.18",
    "strategic-capability": "0.06",
    "business-intelligence": "0.04",
}
TOLERANCE = Decimal("0.005")
AUDITED = ("name", "source", "illustrative", "basis", "shares")


def ensure_illustrative_comparators(council: Council) -> Comparator:
    existing = Comparator.objects.filter(council=council, illustrative=True).first()
    if existing is not None:
        return existing
    return Comparator.objects.create(
        council=council,
        name=ILLUSTRATIVE_NAME,
        source=ILLUSTRATIVE_SOURCE,
        illustrative=True,
        basis=Comparator.Basis.LAYER,
        shares=ILLUSTRATIVE_LAYER_SHARES,
    )


def read_shares(table: Table, known_codes: set[str]) -> tuple[dict[str, str], list[RowError]]:
    """Read a two-column table (code, share). Shares may be fractions (0.12) or percentages (12%)."""
    headers = [normalise_header(h) for h in table.headers]
    errors: list[RowError] = []
    try:
        code_col = next(i for i, h in enumerate(headers) if h in {"code", "process", "layer"})
        share_col = next(i for i, h in enumerate(headers) if h in {"share", "percent", "percentage"})
    except StopIteration:
        return {}, [
            RowError(
                file=table.name,
                row=table.header_row,
                column="",
                message="The file needs a 'code' column and a 'share' column.",
            )
        ]
    shares: dict[str, Decimal] = {}
    for row in table.rows:
        number = row.number
        code = row.values[code_col].strip()
        text = row.values[share_col].strip()
        if not code and not text:
            continue
        column = table.headers[share_col]
        if code not in known_codes:
            errors.append(
                RowError(
                    file=table.name,
                    row=number,
                    column=table.headers[code_col],
                    message=f"'{code}' is not a known code.",
                )
            )
            continue
        if code in shares:
            errors.append(
                RowError(
                    file=table.name,
                    row=number,
                    column=table.headers[code_col],
                    message=f"'{code}' appears twice.",
                )
            )
            continue
        percent = text.endswith("%")
        try:
            value = Decimal(text.rstrip("%").strip())
        except InvalidOperation:
            errors.append(
                RowError(file=table.name, row=number, column=column, message=f"'{text}' is not a number.")
            )
            continue
        if percent or value > 1:
            value = value / 100
        if value < 0 or value > 1:
            errors.append(
                RowError(file=table.name, row=number, column=column, message="A share must be 0 to 100%.")
            )
            continue
        shares[code] = value
    total = sum(shares.values(), Decimal(0))
    if not errors and shares and abs(total - 1) > TOLERANCE:
        errors.append(
            RowError(
                file=table.name,
                row=table.header_row,
                column=table.headers[share_col],
                message=f"The shares add up to {total * 100:.1f}%, not 100%.",
            )
        )
    if not errors and not shares:
        errors.append(
            RowError(file=table.name, row=table.header_row, column="", message="The file has no rows.")
        )
    return ({code: str(v) for code, v in shares.items()} if not errors else {}), errors


@transaction.atomic
def comparator_create(
    *,
    council: Council,
    name: str,
    source: str,
    basis: str,
    shares: dict[str, str],
    actor: Actor,
) -> Comparator:
    if not shares:
        raise DomainError("A comparator needs at least one share.")
    comparator = Comparator.objects.create(
        council=council, name=name, source=source, basis=basis, shares=shares, illustrative=False
    )
    audit_record(
        council=council,
        actor=actor,
        action="comparator.create",
        obj=comparator,
        after=snapshot(comparator, AUDITED),
    )
    return comparator


@transaction.atomic
def comparator_delete(*, comparator: Comparator, actor: Actor) -> None:
    audit_record(
        council=comparator.council,
        actor=actor,
        action="comparator.delete",
        obj=comparator,
        before=snapshot(comparator, AUDITED),
    )
    comparator.delete()
