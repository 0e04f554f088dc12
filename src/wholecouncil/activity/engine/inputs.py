"""Reading the establishment and the survey responses into typed inputs, reporting every problem by place.

Both readers take a `wholecouncil.tabular.Table` and a column mapping (field or process code -> the file's
header; suggested from the headers when not given). They return every error as a `RowError` naming the file,
row and column, and return no data at all when there is any error.

Cells are parsed once per distinct text: survey exports repeat the same few values ("0", "7.5") thousands of
times, so this keeps reading a large export fast.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from wholecouncil.activity.taxonomy import (
    DEFAULT_PROCESSES,
    FUNCTIONS,
    Process,
    find_function,
    function_of_unit,
)
from wholecouncil.tabular import (
    CellError,
    RowError,
    Table,
    clean_text,
    normalise_header,
    parse_decimal,
    parse_money,
    suggest_fields,
)

# Plain numbers read the same by float() as by the tabular parsers; anything else goes to them.
_PLAIN_NUMBER = re.compile(r"\d{1,15}(?:\.\d{1,6})?")
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
T = TypeVar("T")

DEFAULT_FULL_TIME_HOURS = 37.0
DEFAULT_TOLERANCE = 0.10
MAX_FTE = 1.5
MAX_WEEKLY_HOURS = 100.0

ESTABLISHMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "post_id": ("Post ID", "Post ref", "Post reference", "Post number", "Position ID"),
    "org_unit": ("Org unit", "Organisation unit", "Team", "Unit", "Cost centre name"),
    "job_title": ("Job title", "Post title", "Role"),
    "grade": ("Grade", "Pay grade", "Band"),
    "fte": ("FTE", "Full time equivalent", "WTE"),
    "annual_cost": ("Annual cost", "Total cost", "Cost including on-costs", "Employment cost"),
    "directorate": ("Directorate", "Department"),
    "function": ("Function", "Unit function"),
}
ESTABLISHMENT_REQUIRED = ("post_id", "org_unit", "fte", "annual_cost")
RESPONSE_COLUMNS: dict[str, tuple[str, ...]] = {
    "respondent_id": ("Respondent ID", "Respondent", "Response ID", "Response number"),
    "org_unit": ("Org unit", "Organisation unit", "Team", "Unit"),
    "contracted_hours": ("Contracted hours", "Weekly hours", "Contracted weekly hours", "Hours per week"),
}
RESPONSE_REQUIRED = tuple(RESPONSE_COLUMNS)


def unit_key(name: str) -> str:
    """How org unit names are compared: spaces collapsed, case ignored."""
    return clean_text(name).casefold()


@dataclass(frozen=True)
class OrgUnit:
    name: str
    directorate: str
    function: str
    fte: float
    cost: float
    posts: int


@dataclass(frozen=True)
class Post:
    post_id: str
    org_unit: str
    job_title: str
    grade: str
    fte: float
    annual_cost: float


@dataclass(frozen=True, eq=False)
class Establishment:
    file: str
    posts: tuple[Post, ...]
    units: tuple[OrgUnit, ...]

    def unit_index(self) -> dict[str, int]:
        return {unit_key(u.name): i for i, u in enumerate(self.units)}

    @property
    def fte(self) -> float:
        return float(sum(u.fte for u in self.units))

    @property
    def cost(self) -> float:
        return float(sum(u.cost for u in self.units))


@dataclass(frozen=True, eq=False)
class Responses:
    """One row per respondent: the org unit (an index into the establishment's units), hours per process."""

    file: str
    processes: tuple[Process, ...]
    respondent_ids: tuple[str, ...]
    unit: IntArray  # respondents
    contracted_hours: FloatArray  # respondents
    hours: FloatArray  # respondents x processes

    def __len__(self) -> int:
        return len(self.respondent_ids)


@dataclass
class ReadResult(Generic[T]):
    value: T | None = None
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and self.value is not None


def suggest_response_mapping(
    headers: Sequence[str], processes: Sequence[Process] = DEFAULT_PROCESSES
) -> dict[str, str]:
    """Field or process code -> header. A process column is headed by its code or its name."""
    found = suggest_fields(headers, RESPONSE_COLUMNS)
    taken = set(found.values())
    for process in processes:
        wanted = {normalise_header(process.code), normalise_header(process.name)}
        match = next((h for h in headers if h not in taken and normalise_header(h) in wanted), None)
        if match is not None:
            found[process.code] = match
            taken.add(match)
    return found


def suggest_establishment_mapping(headers: Sequence[str]) -> dict[str, str]:
    return suggest_fields(headers, ESTABLISHMENT_COLUMNS)


def _missing_columns(
    file: str, headers: Sequence[str], mapping: Mapping[str, str], required: Iterable[str]
) -> list[RowError]:
    errors = []
    for name in required:
        header = mapping.get(name, "")
        if not header:
            errors.append(RowError(file, None, name, f"there is no {name} column"))
        elif header not in headers:
            errors.append(RowError(file, None, header, f"there is no column called '{header}' (for {name})"))
    return errors


class _Cells:
    """Parses the cells of one column, each distinct text once; errors go to a shared list."""

    def __init__(self, table: Table, errors: list[RowError]) -> None:
        self.table = table
        self.errors = errors
        self._columns: list[tuple[str, ...]] | None = None

    def column(self, header: str) -> tuple[str, ...]:
        if self._columns is None:
            self._columns = list(zip(*(row.values for row in self.table.rows), strict=True))
        return self._columns[self.table.index(header)]

    def texts(self, header: str) -> list[str]:
        """The column as clean text (spaces collapsed, "" for missing); each distinct cell is cleaned once."""
        cells = self.column(header)
        cleaned = {text: clean_text(text) for text in set(cells)}
        return list(map(cleaned.__getitem__, cells))

    def numbers(
        self, header: str, parse: Callable[[str], float | None], *, blank: float | None, what: str = "value"
    ) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
        """The column as floats (`blank` when empty; NaN where a cell is wrong) and a mask of bad cells."""
        texts = self.column(header)
        values: dict[str, float] = {}
        bad: dict[str, str] = {}
        for text in set(texts):
            values[text] = float("nan")
            try:
                number = float(text) if _PLAIN_NUMBER.fullmatch(text) else parse(text)
            except CellError as exc:
                bad[text] = str(exc)
                continue
            if number is None:
                if blank is None:
                    bad[text] = f"the {what} is blank"
                    continue
                number = blank
            values[text] = number
        array = np.fromiter(map(values.__getitem__, texts), dtype=np.float64, count=len(texts))
        wrong = np.zeros(len(texts), dtype=np.bool_)
        if bad:
            for i, text in enumerate(texts):
                if text in bad:
                    self.error(i, header, bad[text])
                    wrong[i] = True
        return array, wrong

    def error(self, index: int, header: str, message: str) -> None:
        self.errors.append(RowError(self.table.name, self.table.rows[index].number, header, message))


def _decimal(text: str) -> float | None:
    value = parse_decimal(text)
    return None if value is None else float(value)


def _money(text: str) -> float | None:
    value = parse_money(text)
    return None if value is None else float(value)


def _sorted(errors: list[RowError], headers: Sequence[str]) -> list[RowError]:
    order = {h: i for i, h in enumerate(headers)}
    return sorted(errors, key=lambda e: (e.row or 0, order.get(e.column, -1)))


def read_establishment(table: Table, mapping: Mapping[str, str] | None = None) -> ReadResult[Establishment]:
    """Posts with their org unit, FTE and annual cost; org units with totals, directorate and function."""
    result: ReadResult[Establishment] = ReadResult()
    mapping = dict(mapping if mapping is not None else suggest_establishment_mapping(table.headers))
    result.errors = _missing_columns(table.name, table.headers, mapping, ESTABLISHMENT_REQUIRED)
    if result.errors:
        return result
    if not table.rows:
        result.errors.append(RowError(table.name, None, "", "the file has a header row but no rows of posts"))
        return result
    cells = _Cells(table, result.errors)
    fte, _ = cells.numbers(mapping["fte"], _decimal, blank=None, what="FTE")
    cost, _ = cells.numbers(mapping["annual_cost"], _money, blank=None, what="annual cost")
    for i in np.flatnonzero(~np.isnan(fte) & ((fte <= 0) | (fte > MAX_FTE))):
        cells.error(
            int(i), mapping["fte"], f"the FTE must be more than 0 and at most {MAX_FTE:g} (it is {fte[i]:g})"
        )
    for i in np.flatnonzero(cost < 0):
        cells.error(int(i), mapping["annual_cost"], "the annual cost is negative")
    ids = cells.texts(mapping["post_id"])
    units = cells.texts(mapping["org_unit"])
    optional = {
        name: cells.texts(mapping[name]) if mapping.get(name) in table.headers else None
        for name in ("job_title", "grade", "directorate", "function")
    }
    _check_ids(cells, ids, mapping["post_id"], "post ID")
    for row, unit in enumerate(units):
        if not unit:
            cells.error(row, mapping["org_unit"], "the org unit is blank")
    unit_list = _units(cells, units, optional["directorate"], optional["function"], mapping, fte, cost)
    if result.errors:
        result.errors = _sorted(result.errors, table.headers)
        return result
    blank = [""] * len(ids)
    posts = tuple(
        Post(p, u, t, g, float(f), float(c))
        for p, u, t, g, f, c in zip(
            ids, units, optional["job_title"] or blank, optional["grade"] or blank, fte, cost, strict=True
        )
    )
    result.value = Establishment(table.name, posts, unit_list)
    return result


def _check_ids(cells: _Cells, ids: list[str], header: str, what: str) -> None:
    seen: dict[str, int] = {}
    for i, value in enumerate(ids):
        if not value:
            cells.error(i, header, f"the {what} is blank")
        elif value in seen:
            cells.error(i, header, f"the {what} '{value}' is also used on row {seen[value]}")
        else:
            seen[value] = cells.table.rows[i].number


def _units(
    cells: _Cells,
    units: list[str],
    directorates: list[str] | None,
    functions: list[str] | None,
    mapping: Mapping[str, str],
    fte: FloatArray,
    cost: FloatArray,
) -> tuple[OrgUnit, ...]:
    index: dict[str, int] = {}
    names: list[str] = []
    directorate: list[str] = []
    function: list[str | None] = []
    for i, unit in enumerate(units):
        if not unit:
            continue
        key = unit.casefold()
        given_dir = directorates[i] if directorates is not None else ""
        given_fn = find_function(functions[i]) if functions is not None and functions[i] else None
        if functions is not None and functions[i] and given_fn is None:
            known = ", ".join(f.code for f in FUNCTIONS)
            cells.error(i, mapping["function"], f"'{functions[i]}' is not a function; use one of {known}")
        if key not in index:
            index[key] = len(names)
            names.append(unit)
            directorate.append(given_dir)
            function.append(given_fn)
            continue
        j = index[key]
        if directorates is not None and given_dir != directorate[j]:
            cells.error(
                i, mapping["directorate"], f"the org unit '{unit}' is in '{directorate[j]}' on an earlier row"
            )
        if function[j] is None:
            function[j] = given_fn
    where = np.array([index.get(u.casefold(), -1) for u in units], dtype=np.int64)
    known_rows = where >= 0
    ok = known_rows & ~np.isnan(fte) & ~np.isnan(cost)
    unit_fte = np.bincount(where[ok], weights=fte[ok], minlength=len(names))
    unit_cost = np.bincount(where[ok], weights=cost[ok], minlength=len(names))
    unit_posts = np.bincount(where[known_rows], minlength=len(names))
    return tuple(
        OrgUnit(
            name=name,
            directorate=directorate[j],
            function=function[j] or function_of_unit([name, directorate[j]]),
            fte=float(unit_fte[j]),
            cost=float(unit_cost[j]),
            posts=int(unit_posts[j]),
        )
        for j, name in enumerate(names)
    )


def read_responses(
    table: Table,
    establishment: Establishment,
    mapping: Mapping[str, str] | None = None,
    *,
    processes: Sequence[Process] = DEFAULT_PROCESSES,
    full_time_hours: float = DEFAULT_FULL_TIME_HOURS,
    tolerance: float = DEFAULT_TOLERANCE,
) -> ReadResult[Responses]:
    """Respondents with their org unit, contracted hours and hours per process in a typical week.

    A blank hours cell is 0; a blank contracted-hours cell is a full-time week. A respondent's hours must add
    up to their contracted hours within `tolerance` (0.1 = 10%).
    """
    result: ReadResult[Responses] = ReadResult()
    mapping = dict(mapping if mapping is not None else suggest_response_mapping(table.headers, processes))
    result.errors = _missing_columns(table.name, table.headers, mapping, RESPONSE_REQUIRED)
    present = [p for p in processes if mapping.get(p.code) in table.headers]
    if not present:
        result.errors.append(
            RowError(
                table.name,
                None,
                "",
                "there are no process columns (headed by process codes such as 'enquiries')",
            )
        )
    if result.errors:
        return result
    if not table.rows:
        result.errors.append(
            RowError(table.name, None, "", "the file has a header row but no rows of responses")
        )
        return result
    result.warnings = _column_warnings(table.headers, mapping, processes, present)
    cells = _Cells(table, result.errors)
    ids = cells.texts(mapping["respondent_id"])
    _check_ids(cells, ids, mapping["respondent_id"], "respondent ID")
    unit = _response_units(cells, establishment, mapping["org_unit"])
    contracted, contracted_bad = cells.numbers(mapping["contracted_hours"], _decimal, blank=full_time_hours)
    if "" in cells.texts(mapping["contracted_hours"]):
        result.warnings.append(
            f"Blank contracted hours are read as a full-time week of {full_time_hours:g} hours"
        )
    out_of_range = ~contracted_bad & ((contracted <= 0) | (contracted > MAX_WEEKLY_HOURS))
    for i in np.flatnonzero(out_of_range):
        cells.error(
            int(i),
            mapping["contracted_hours"],
            f"the contracted hours must be more than 0 and at most {MAX_WEEKLY_HOURS:g} "
            f"(it is {contracted[i]:g})",
        )
    hours = np.zeros((len(table.rows), len(processes)), dtype=np.float64)
    row_bad = contracted_bad | out_of_range
    for j, process in enumerate(processes):
        if process not in present:
            continue
        header = mapping[process.code]
        column, bad = cells.numbers(header, _decimal, blank=0.0)
        for i in np.flatnonzero(column < 0):
            cells.error(int(i), header, f"the hours cannot be negative (it is {column[i]:g})")
        hours[:, j] = column
        row_bad |= bad | (column < 0)
    _check_totals(cells, hours, contracted, row_bad, mapping["contracted_hours"], tolerance)
    if result.errors:
        result.errors = _sorted(result.errors, table.headers)
        return result
    result.value = Responses(table.name, tuple(processes), tuple(ids), unit, contracted, hours)
    return result


def _column_warnings(
    headers: Sequence[str],
    mapping: Mapping[str, str],
    processes: Sequence[Process],
    present: Sequence[Process],
) -> list[str]:
    warnings = []
    used = set(mapping.values())
    ignored = [h for h in headers if h not in used]
    if ignored:
        warnings.append(f"Columns that are not a process code were ignored: {', '.join(ignored)}")
    absent = [p.code for p in processes if p not in present]
    if absent:
        warnings.append(f"Processes without a column count as no hours: {', '.join(absent)}")
    return warnings


def _response_units(cells: _Cells, establishment: Establishment, header: str) -> IntArray:
    index = establishment.unit_index()
    texts = cells.column(header)
    keys = {t: unit_key(t) for t in set(texts)}
    unit = np.fromiter((index.get(keys[t], -1) for t in texts), dtype=np.int64, count=len(texts))
    for i in np.flatnonzero(unit < 0):
        name = clean_text(texts[i])
        message = (
            f"the org unit '{name}' is not in the establishment ({establishment.file})"
            if name
            else "the org unit is blank"
        )
        cells.error(int(i), header, message)
    return unit


def _check_totals(
    cells: _Cells,
    hours: FloatArray,
    contracted: FloatArray,
    skip: npt.NDArray[np.bool_],
    header: str,
    tolerance: float,
) -> None:
    totals = hours.sum(axis=1)
    off = ~skip & (np.abs(totals - contracted) > tolerance * contracted + 1e-9)
    for i in np.flatnonzero(off):
        cells.error(
            int(i),
            header,
            f"the hours add up to {_hours(totals[i])} but the contracted hours are {_hours(contracted[i])}; "
            f"they must be within {tolerance:.0%} of each other",
        )


def _hours(value: float) -> str:
    return f"{Decimal(repr(round(float(value), 2))).normalize():f}"
