"""Pure establishment computations: no Django. Parsing and validating establishment lists lives here.

`parse_establishment` turns the rows of an uploaded file, read by `wholecouncil.tabular`, into `PostRow`s
using a column mapping (field name -> the file's header), and reports every problem as a `RowError` naming
the file, row and column. It never half-succeeds: the caller loads the posts only when there are no errors.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from wholecouncil.tabular import (
    CellError,
    RowError,
    SourceRow,
    clean_text,
    is_missing,
    parse_decimal,
    parse_money,
    parse_money_range,
)
from wholecouncil.workforce.fields import (
    ESTABLISHMENT_FIELDS,
    FIELDS_BY_NAME,
    LEVEL_FIELDS,
    Field,
    mapping_problems,
    suggest_mapping,
)

__all__ = [
    "ESTABLISHMENT_FIELDS",
    "FIELDS_BY_NAME",
    "LEVEL_FIELDS",
    "EstablishmentResult",
    "Field",
    "ImportOptions",
    "PostRow",
    "Totals",
    "check_mapping",
    "mapping_problems",
    "parse_establishment",
    "suggest_mapping",
    "totals_of",
]

PENNY = Decimal("0.01")
FTE_PLACES = Decimal("0.01")
MAX_FTE = Decimal("1.5")
DEFAULT_ON_COST_RATE = Decimal("0.28")
NOT_ASSIGNED = "Not assigned to a directorate"
# Longest values the database keeps (workforce.Post and council.OrgUnit).
MAX_LENGTH = {"post_ref": 60, "job_title": 300, "grade": 60, "contract_type": 60, "manager_ref": 60}
MAX_UNIT_NAME = 200
VACANT_WORDS = frozenset({"vacant", "yes", "y", "true", "1"})
FILLED_WORDS = frozenset({"no", "n", "filled", "false", "0", "occupied"})
PATH_SEPARATORS = {
    "auto": "Spaced ' > ' or ' / ', found automatically (Place > Highways > Lighting)",
    "/": "A slash (Place/Highways/Lighting)",
    ">": "A greater-than sign (Place>Highways>Lighting)",
    "|": "A vertical bar (Place|Highways|Lighting)",
    "\\": "A backslash (Place\\Highways\\Lighting)",
}


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


@dataclass(frozen=True)
class ImportOptions:
    on_cost_rate: Decimal = DEFAULT_ON_COST_RATE  # employer on-costs as a fraction of salary (0.28 = 28%)
    path_separator: str = "auto"
    salary_is_full_time: bool = True  # a salary figure is for 1.0 FTE, so it is scaled by the post's FTE

    def as_dict(self) -> dict[str, Any]:
        return {
            "on_cost_rate": str(self.on_cost_rate),
            "path_separator": self.path_separator,
            "salary_is_full_time": self.salary_is_full_time,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ImportOptions:
        data = data or {}
        return cls(
            on_cost_rate=Decimal(str(data.get("on_cost_rate", DEFAULT_ON_COST_RATE))),
            path_separator=str(data.get("path_separator") or "auto"),
            salary_is_full_time=bool(data.get("salary_is_full_time", True)),
        )


@dataclass(frozen=True)
class Totals:
    posts: int = 0
    fte: Decimal = Decimal("0")
    vacant: int = 0
    annual_cost: Decimal = Decimal("0")
    uncosted: int = 0
    units: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "posts": self.posts,
            "fte": str(self.fte),
            "vacant": self.vacant,
            "annual_cost": str(self.annual_cost),
            "uncosted": self.uncosted,
            "units": self.units,
        }


@dataclass
class EstablishmentResult:
    posts: list[PostRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    row_count: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def totals(self) -> Totals:
        return totals_of(self.posts)


def totals_of(posts: Iterable[PostRow]) -> Totals:
    posts = list(posts)
    units = {path[: i + 1] for p in posts for path in [p.org_path] for i in range(len(path))}
    return Totals(
        posts=len(posts),
        fte=sum((p.fte for p in posts), Decimal("0")),
        vacant=sum(1 for p in posts if p.vacant),
        annual_cost=sum((p.annual_cost for p in posts if p.annual_cost is not None), Decimal("0")),
        uncosted=sum(1 for p in posts if p.annual_cost is None),
        units=len(units),
    )


def check_mapping(file_name: str, headers: Sequence[str], mapping: Mapping[str, str]) -> list[RowError]:
    """Problems with the mapping itself, as errors for the whole file naming the field (and column)."""
    return [
        RowError(
            file_name, None, mapping.get(name, "") if name and mapping.get(name) in headers else "", message
        )
        for name, message in mapping_problems(headers, mapping)
    ]


def check_options(file_name: str, options: ImportOptions) -> list[RowError]:
    errors = []
    if not Decimal("0") <= options.on_cost_rate <= Decimal("1"):
        errors.append(RowError(file_name, None, "", "On-cost rate: enter a percentage from 0 to 100"))
    if options.path_separator not in PATH_SEPARATORS:
        errors.append(RowError(file_name, None, "", "Path separator: choose one of the separators offered"))
    return errors


class _Tally:
    """Warnings that apply to many rows, kept as one line each with the rows listed."""

    def __init__(self) -> None:
        self._rows: dict[str, list[int]] = {}

    def add(self, message: str, row: int) -> None:
        self._rows.setdefault(message, []).append(row)

    def lines(self) -> list[str]:
        out = []
        for message, rows in self._rows.items():
            shown = ", ".join(str(r) for r in rows[:10])
            more = f" and {len(rows) - 10} more" if len(rows) > 10 else ""
            where = f"row {shown}" if len(rows) == 1 else f"rows {shown}{more}"
            out.append(f"{len(rows)} row{'s' if len(rows) != 1 else ''} {message} ({where})")
        return out


class _RowReader:
    """Reads one field at a time from one row, turning value problems into RowErrors for that row."""

    def __init__(self, file_name: str, headers: Sequence[str], mapping: Mapping[str, str]) -> None:
        self.file_name = file_name
        self.mapping = {name: header for name, header in mapping.items() if header}
        self.index = {name: list(headers).index(header) for name, header in self.mapping.items()}
        self.row = SourceRow(0, ())
        self.errors: list[RowError] = []

    def start(self, row: SourceRow) -> None:
        self.row = row
        self.errors = []

    def mapped(self, name: str) -> bool:
        return name in self.index

    def raw(self, name: str) -> str:
        if name not in self.index:
            return ""
        i = self.index[name]
        return self.row.values[i] if i < len(self.row.values) else ""

    def error(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.file_name, self.row.number, self.mapping.get(name, ""), message))

    def text(self, name: str) -> str:
        value = clean_text(self.raw(name))
        limit = MAX_LENGTH.get(name)
        if limit is not None and len(value) > limit:
            label = FIELDS_BY_NAME[name].label.lower()
            self.error(name, f"the {label} is {len(value)} characters long; the most is {limit}")
        return value

    def money(self, name: str) -> Decimal | None:
        try:
            value = parse_money(self.raw(name))
        except CellError as exc:
            self.error(name, str(exc))
            return None
        if value is not None and value < 0:
            self.error(name, f"'{self.raw(name)}' is negative; a cost or salary cannot be")
            return None
        return value


def _split_path(text: str, separator: str) -> list[str]:
    if separator == "auto":
        separator = next((s for s in (" > ", " / ") if s in text), "")
    parts = text.split(separator) if separator else [text]
    return [clean_text(p) for p in parts if not is_missing(p)]


def parse_establishment(
    file_name: str,
    headers: Sequence[str],
    rows: Iterable[SourceRow],
    mapping: Mapping[str, str],
    options: ImportOptions | Mapping[str, Any] | None = None,
) -> EstablishmentResult:
    """Read posts from `rows` using `mapping`. Returns the posts, every error and the warnings."""
    opts = options if isinstance(options, ImportOptions) else ImportOptions.from_dict(options)
    result = EstablishmentResult()
    result.errors = check_mapping(file_name, headers, mapping) + check_options(file_name, opts)
    if result.errors:
        return result
    reader = _RowReader(file_name, headers, mapping)
    tally = _Tally()
    seen_refs: dict[str, int] = {}
    for row in rows:
        result.row_count += 1
        reader.start(row)
        post = _read_post(reader, opts, tally, seen_refs)
        if reader.errors:
            result.errors.extend(reader.errors)
        elif post is not None:
            result.posts.append(post)
    if result.row_count == 0:
        result.errors.append(RowError(file_name, None, "", "the file has a header row but no rows of posts"))
    result.warnings = _file_notes(reader, result.row_count) + tally.lines()
    return result


def _file_notes(reader: _RowReader, row_count: int) -> list[str]:
    notes = []
    if not reader.mapped("fte") and row_count:
        notes.append(f"No FTE column: 1.0 FTE assumed for all {row_count} rows")
    if not reader.mapped("post_ref") and row_count:
        notes.append("No post reference column: posts are numbered ROW-<row number>")
    if not any(reader.mapped(n) for n in ("annual_cost", "salary", "salary_band", "max_salary")):
        notes.append("No cost or salary column: annual costs are left blank")
    return notes


def _read_post(
    reader: _RowReader, opts: ImportOptions, tally: _Tally, seen_refs: dict[str, int]
) -> PostRow | None:
    number = reader.row.number
    job_title = reader.text("job_title")
    if not job_title:
        reader.error("job_title", "the job title is blank")
    org_path = _org_path(reader, opts, tally)
    post_ref = reader.text("post_ref") if reader.mapped("post_ref") else ""
    if not post_ref:
        if reader.mapped("post_ref"):
            tally.add("had no post reference: numbered ROW-<row number>", number)
        post_ref = f"ROW-{number}"
    if post_ref in seen_refs:
        reader.error("post_ref", f"the post reference '{post_ref}' is also used on row {seen_refs[post_ref]}")
    else:
        seen_refs[post_ref] = number
    fte = _fte(reader, tally)
    vacant = _vacant(reader)
    annual_cost, basis = _cost(reader, opts, tally, fte or Decimal("1"))
    grade = reader.text("grade")
    contract_type = reader.text("contract_type")
    manager_ref = reader.text("manager_ref")
    if reader.errors or fte is None:
        return None
    return PostRow(
        post_ref=post_ref,
        org_path=org_path,
        job_title=job_title,
        grade=grade,
        fte=fte,
        annual_cost=annual_cost,
        cost_basis=basis[:120],
        vacant=vacant,
        contract_type=contract_type,
        manager_ref=manager_ref,
    )


def _org_path(reader: _RowReader, opts: ImportOptions, tally: _Tally) -> tuple[str, ...]:
    if reader.mapped("org_path"):
        parts = _split_path(reader.raw("org_path"), opts.path_separator)
        column = "org_path"
    else:
        levels = [clean_text(reader.raw(name)) for name in LEVEL_FIELDS]
        parts = [p for p in levels if p]
        if parts and not levels[0]:
            parts.insert(0, NOT_ASSIGNED)
            tally.add(f"had no directorate: put under '{NOT_ASSIGNED}'", reader.row.number)
        column = next(name for name in LEVEL_FIELDS if reader.mapped(name))
    if not parts:
        tally.add(f"had no org unit at any level: put under '{NOT_ASSIGNED}'", reader.row.number)
        parts = [NOT_ASSIGNED]
    for part in parts:
        if len(part) > MAX_UNIT_NAME:
            reader.error(
                column, f"the org unit name '{part[:40]}...' is longer than {MAX_UNIT_NAME} characters"
            )
    return tuple(parts)


def _fte(reader: _RowReader, tally: _Tally) -> Decimal | None:
    if not reader.mapped("fte"):
        return Decimal("1")
    raw = reader.raw("fte").strip()
    if is_missing(raw):
        tally.add("had a blank FTE: 1.0 assumed", reader.row.number)
        return Decimal("1")
    percent = raw.endswith("%")
    try:
        value = parse_decimal(raw[:-1] if percent else raw)
    except CellError:
        value = None
    if value is None:
        reader.error("fte", f"'{raw}' is not a number")
        return None
    if percent:
        value = value / 100
    if not Decimal("0") < value <= MAX_FTE:
        reader.error("fte", f"the FTE must be more than 0 and at most {MAX_FTE} (it is {raw})")
        return None
    rounded = value.quantize(FTE_PLACES, rounding=ROUND_HALF_UP)
    if rounded != value:
        tally.add("had an FTE with more than two decimal places: rounded to two", reader.row.number)
    return rounded


def _vacant(reader: _RowReader) -> bool:
    if not reader.mapped("vacant"):
        return False
    raw = reader.raw("vacant")
    if is_missing(raw):
        return False
    word = raw.strip().casefold()
    if word in VACANT_WORDS or word.startswith("vacant"):
        return True
    if word in FILLED_WORDS or word.startswith("filled"):
        return False
    reader.error(
        "vacant",
        f"'{raw.strip()[:40]}' is not a vacancy flag: use Vacant, Yes, Y, True or 1 for a vacant post, "
        "and No, Filled or blank for a filled one",
    )
    return False


def _cost(reader: _RowReader, opts: ImportOptions, tally: _Tally, fte: Decimal) -> tuple[Decimal | None, str]:
    """The post's annual cost including on-costs, and how it was worked out."""
    mapping = reader.mapping
    if reader.mapped("annual_cost"):
        cost = reader.money("annual_cost")
        if cost is not None:
            return cost.quantize(PENNY, rounding=ROUND_HALF_UP), f"{mapping['annual_cost']} column"
    salary, basis = _salary(reader, tally)
    if salary is None:
        cost_columns = ("annual_cost", "salary", "salary_band", "max_salary")
        if any(reader.mapped(n) for n in cost_columns) and not reader.errors:
            tally.add("had no salary or cost in any mapped column: annual cost left blank", reader.row.number)
        return None, ""
    factor = Decimal("1") + opts.on_cost_rate
    scale = fte if opts.salary_is_full_time else Decimal("1")
    cost = (salary * scale * factor).quantize(PENNY, rounding=ROUND_HALF_UP)
    rate = (opts.on_cost_rate * 100).normalize()
    if scale != 1:
        basis += f" x {scale} FTE"
    return cost, f"{basis} + {rate:f}% on-costs"


def _salary(reader: _RowReader, tally: _Tally) -> tuple[Decimal | None, str]:
    mapping = reader.mapping
    missing_from = ""
    if reader.mapped("salary"):
        salary = reader.money("salary")
        if salary is not None:
            return salary, f"{mapping['salary']}"
        missing_from = f"{mapping['salary']} '{reader.raw('salary').strip()}'"
    if reader.mapped("salary_band"):
        band_text = reader.raw("salary_band").strip()
        try:
            band = parse_money_range(band_text)
        except CellError as exc:
            reader.error("salary_band", str(exc))
            return None, ""
        if band is not None:
            low, high = band
            if low <= 0 or high <= 0 or low > high or low * 2 < high:
                return _implausible_band(reader, tally, band_text, max(low, high))
            return (low + high) / 2, f"midpoint of {mapping['salary_band']} {band_text}"
        missing_from = missing_from or f"{mapping['salary_band']} '{band_text}'"
    if reader.mapped("max_salary"):
        top = reader.money("max_salary")
        if top is not None:
            if missing_from:
                tally.add(f"had {missing_from}: cost taken from {mapping['max_salary']}", reader.row.number)
            return top, mapping["max_salary"]
    return None, ""


def _implausible_band(
    reader: _RowReader, tally: _Tally, band_text: str, upper: Decimal
) -> tuple[Decimal | None, str]:
    mapping = reader.mapping
    band_col = mapping["salary_band"]
    doubt = f"had {band_col} '{band_text}', which looks wrong (the lower figure is under half the upper)"
    if reader.mapped("max_salary"):
        top = reader.money("max_salary")
        if top is not None:
            tally.add(f"{doubt}: cost taken from {mapping['max_salary']}", reader.row.number)
            return top, f"{mapping['max_salary']} ({band_col} looked wrong)"
    tally.add(f"{doubt}: cost taken from the top of the band", reader.row.number)
    return upper, f"top of {band_col} {band_text} (band looked wrong)"
