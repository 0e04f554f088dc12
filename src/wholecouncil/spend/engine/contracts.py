"""Reading a contracts register: reference, supplier, title, category, start, end and value.

The end date and the value may be blank (or their columns left out): a rolling, call-off or until-terminated
contract has no end date, and a framework agreement often has no value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wholecouncil.spend.engine.amounts import AmountError, parse_pennies
from wholecouncil.spend.engine.dates import DateError, parse_date
from wholecouncil.spend.engine.fields import SpendField, mapping_problems, suggest_for
from wholecouncil.spend.engine.files import SpendSource, open_table
from wholecouncil.tabular import RowError, TableError, clean_text

CONTRACT_FIELDS: tuple[SpendField, ...] = (
    SpendField(
        "reference",
        "Contract reference",
        "Unique in the register.",
        ("contract reference", "contract ref", "reference", "contract id", "contract number", "ref"),
        required=True,
    ),
    SpendField(
        "supplier",
        "Supplier name",
        "Matched to the suppliers paid.",
        ("supplier name", "supplier", "contractor", "provider", "vendor", "awarded to"),
        required=True,
    ),
    SpendField(
        "title", "Title", "What the contract is for.", ("title", "contract title", "description", "name")
    ),
    SpendField("category", "Category", "", ("category", "proclass", "procurement category", "service")),
    SpendField("start", "Start date", "", ("start date", "start", "contract start", "from"), required=True),
    SpendField(
        "end",
        "End date",
        "Blank for a rolling or open-ended contract.",
        ("end date", "end", "contract end", "expiry date", "to"),
    ),
    SpendField(
        "value",
        "Contract value",
        "Pounds over the whole contract; blank when not stated (a framework agreement, say).",
        ("contract value", "total value", "value", "estimated value", "award value", "amount"),
    ),
)
CONTRACT_FIELDS_BY_NAME = {f.name: f for f in CONTRACT_FIELDS}


@dataclass(frozen=True)
class ContractRow:
    reference: str
    supplier: str
    title: str
    category: str
    start: dt.date
    end: dt.date | None  # None: rolling or open-ended, live from its start with no end
    pennies: int | None  # None: no value stated


@dataclass
class ContractsRead:
    contracts: list[ContractRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def suggest_contract_mapping(headers: Sequence[str]) -> dict[str, str]:
    return suggest_for(headers, CONTRACT_FIELDS)


def register_headers(source: SpendSource) -> tuple[str, ...]:
    """The headers of a contracts register (raises TableError if it is not a table)."""
    table = open_table(source)
    table.rows.close()  # type: ignore[attr-defined]
    return table.headers


def read_register(source: SpendSource, mapping: Mapping[str, str]) -> ContractsRead:
    """Every contract in a register file read with `mapping`, or the errors naming file, row and column."""
    try:
        table = open_table(source)
    except TableError as exc:
        return ContractsRead(errors=[RowError(source.name, None, "", exc.message)])
    try:
        return read_contracts(table.name, table.headers, table.rows, mapping)
    except TableError as exc:
        return ContractsRead(errors=[RowError(source.name, None, "", exc.message)])
    finally:
        table.rows.close()  # type: ignore[attr-defined]


def read_contracts(
    name: str, headers: Sequence[str], rows: Iterable[tuple[int, Sequence[str]]], mapping: Mapping[str, str]
) -> ContractsRead:
    """Every contract in the rows, or the errors naming file, row and column."""
    result = ContractsRead()
    for _field, message in mapping_problems(headers, mapping, CONTRACT_FIELDS):
        result.errors.append(RowError(name, None, "", message))
    if result.errors:
        return result
    index = {k: list(headers).index(v) for k, v in mapping.items() if v in headers}
    seen: set[str] = set()
    for number, values in rows:

        def cell(key: str, values: Sequence[str] = values) -> str:
            return clean_text(values[index[key]]) if key in index else ""

        before = len(result.errors)
        reference = cell("reference")
        if not reference:
            result.errors.append(RowError(name, number, mapping["reference"], "the reference is blank"))
        elif reference.casefold() in seen:
            result.errors.append(
                RowError(name, number, mapping["reference"], f"'{reference}' is listed twice")
            )
        seen.add(reference.casefold())
        supplier = cell("supplier")
        if not supplier:
            result.errors.append(RowError(name, number, mapping["supplier"], "the supplier is blank"))
        start: dt.date | None = None
        try:
            start = parse_date(cell("start"))
        except DateError as exc:
            result.errors.append(RowError(name, number, mapping["start"], str(exc)))
        end: dt.date | None = None
        if cell("end"):
            try:
                end = parse_date(cell("end"))
            except DateError as exc:
                result.errors.append(RowError(name, number, mapping["end"], str(exc)))
        pennies: int | None = None
        if cell("value"):
            try:
                pennies = parse_pennies(cell("value"))
                if pennies < 0:
                    raise AmountError(f"'{cell('value')}' is negative")
            except AmountError as exc:
                result.errors.append(RowError(name, number, mapping["value"], str(exc)))
        if start is not None and end is not None and end < start:
            result.errors.append(RowError(name, number, mapping["end"], "the contract ends before it starts"))
        if len(result.errors) == before and start is not None:
            result.contracts.append(
                ContractRow(
                    reference=reference[:60],
                    supplier=supplier[:200],
                    title=cell("title")[:300],
                    category=cell("category")[:200],
                    start=start,
                    end=end,
                    pennies=pennies,
                )
            )
    return result
