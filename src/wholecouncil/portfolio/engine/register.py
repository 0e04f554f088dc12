"""Reading a project register (CSV or XLSX, columns mapped by the user) into rows to import.

Pure: the council's programmes, workstreams and users are resolved by the service that imports the rows.
Every problem is a RowError naming the file, the row and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from wholecouncil.tabular import CellError, RowError, SourceRow, clean_text, parse_money, suggest_fields


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    required: bool = False
    synonyms: tuple[str, ...] = ()


REGISTER_FIELDS: tuple[Field, ...] = (
    Field("code", "Project code", True, ("project code", "ref", "reference", "project ref", "id")),
    Field("name", "Project name", True, ("project name", "project", "title", "name")),
    Field("programme", "Programme", False, ("programme", "program", "programme name")),
    Field("workstream", "Enabling workstream", False, ("workstream", "enabling workstream")),
    Field("manager", "Project manager (username)", False, ("project manager", "manager", "pm")),
    Field("sponsor", "Sponsor", False, ("sponsor", "senior responsible owner", "sro")),
    Field("scope", "Scope", False, ("scope", "description", "summary")),
    Field("start_date", "Start date", False, ("start date", "start")),
    Field("end_date", "End date", False, ("end date", "end", "finish date")),
    Field("budget", "Budget", False, ("budget", "budget £", "cost", "approved budget")),
    Field("stage", "Stage (number or name)", False, ("stage", "gate stage", "current stage")),
)
FIELDS_BY_NAME = {f.name: f for f in REGISTER_FIELDS}
MAX_ROWS = 5000

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class RegisterRow:
    row: int
    code: str
    name: str
    programme: str = ""
    workstream: str = ""
    manager: str = ""
    sponsor: str = ""
    scope: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    budget: Decimal = Decimal("0")
    stage: str = ""


@dataclass
class RegisterResult:
    rows: list[RegisterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    return suggest_fields(headers, {f.name: f.synonyms for f in REGISTER_FIELDS})


def mapping_problems(headers: Sequence[str], mapping: Mapping[str, str]) -> list[tuple[str, str]]:
    problems = []
    for f in REGISTER_FIELDS:
        if f.required and not mapping.get(f.name):
            problems.append((f.name, f"{f.label}: choose the column that holds it"))
    used: dict[str, str] = {}
    for name, header in mapping.items():
        if not header:
            continue
        if header not in headers:
            problems.append((name, f"{FIELDS_BY_NAME[name].label}: the file has no column called {header!r}"))
        elif header in used:
            problems.append((name, f"{FIELDS_BY_NAME[name].label}: the column {header!r} is already used"))
        used[header] = name
    return problems


def parse_date(value: str) -> dt.date | None:
    text = clean_text(value)
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CellError(f"'{text[:40]}' is not a date; write it as 2025-04-01 or 01/04/2025")


def _budget(value: str) -> Decimal:
    amount = parse_money(value)
    if amount is None:
        return Decimal("0")
    if amount < 0:
        raise CellError("a budget cannot be negative")
    return amount


def parse_register(
    file: str, headers: Sequence[str], rows: Sequence[SourceRow], mapping: Mapping[str, str]
) -> RegisterResult:
    """Every row read with `mapping` (field name -> header). Imports nothing; names every problem."""
    result = RegisterResult()
    for name, message in mapping_problems(headers, mapping):
        result.errors.append(RowError(file, None, mapping.get(name, ""), message))
    if result.errors:
        return result
    if len(rows) > MAX_ROWS:
        result.errors.append(
            RowError(file, None, "", f"the register has {len(rows)} rows; at most {MAX_ROWS}")
        )
        return result
    index = {name: headers.index(header) for name, header in mapping.items() if header}
    seen: dict[str, int] = {}
    for source in rows:
        values = {name: source.values[i] if i < len(source.values) else "" for name, i in index.items()}

        def err(name: str, message: str, source: SourceRow = source) -> None:
            result.errors.append(RowError(file, source.number, mapping.get(name, ""), message))

        code = clean_text(values.get("code", ""))
        name = clean_text(values.get("name", ""))
        if not code:
            err("code", "the project code is blank")
        elif len(code) > 30 or not re.fullmatch(r"[\w.\-/ ]+", code):
            err("code", f"'{code[:40]}' is not a usable code: up to 30 letters, numbers, spaces, . - or /")
        elif code.casefold() in seen:
            err("code", f"the code {code} is also on row {seen[code.casefold()]}")
        else:
            seen[code.casefold()] = source.number
        if not name:
            err("name", "the project name is blank")
        parsed: dict[str, object] = {}
        for key in ("start_date", "end_date"):
            try:
                parsed[key] = parse_date(values.get(key, ""))
            except CellError as exc:
                err(key, str(exc))
        try:
            parsed["budget"] = _budget(values.get("budget", ""))
        except CellError as exc:
            err("budget", str(exc))
        start, end = parsed.get("start_date"), parsed.get("end_date")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            err("end_date", "the end date is before the start date")
        if clean_text(values.get("programme", "")) and clean_text(values.get("workstream", "")):
            err("workstream", "a project belongs to a programme or a workstream, not both")
        if result.errors and result.errors[-1].row == source.number:
            continue
        result.rows.append(
            RegisterRow(
                row=source.number,
                code=code,
                name=name[:200],
                programme=clean_text(values.get("programme", "")),
                workstream=clean_text(values.get("workstream", "")),
                manager=clean_text(values.get("manager", "")),
                sponsor=clean_text(values.get("sponsor", ""))[:150],
                scope=clean_text(values.get("scope", "")),
                start_date=start if isinstance(start, dt.date) else None,
                end_date=end if isinstance(end, dt.date) else None,
                budget=parsed.get("budget", Decimal("0")),  # type: ignore[arg-type]
                stage=clean_text(values.get("stage", "")),
            )
        )
    return result
