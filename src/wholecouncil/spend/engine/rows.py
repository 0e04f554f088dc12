"""Reading the rows of a spend file into payments, rejecting rows that cannot be read, with the reason.

A totals row ("Total", "Grand total:", "Sub-total"... in the supplier column: `is_totals_row`) adds up the
payments above it and is not a payment: it is skipped, whatever its amount and date, and counted.

Whether a payment was imported before is decided later, by its identity (`spend.engine.identity`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from wholecouncil.spend.engine.amounts import MAX_TOTAL_PENNIES, AmountError, read_pennies
from wholecouncil.spend.engine.dates import DateError, DateReader
from wholecouncil.spend.engine.fields import FIELDS_BY_NAME
from wholecouncil.spend.engine.files import StreamTable
from wholecouncil.spend.engine.suppliers import normalise_company_number, normalise_vat
from wholecouncil.tabular import RowError

MAX_TEXT = {"supplier": 200, "purpose": 300, "org_unit": 200, "category_label": 200}
MAX_REF = 60
MAX_KEPT_REJECTIONS = 1000
MISSING = frozenset({"na", "n/a", "n.a.", "n.a", "#n/a", "-", "null", "none", "\u2013", "\u2014"})
# The supplier cells of totals rows, in lower case without spaces or a trailing colon.
TOTALS_LABELS = frozenset(
    {
        "total", "totals", "grandtotal", "grandtotals", "sub-total", "sub-totals", "subtotal", "subtotals",
        "totalspend", "totalpayments",
    }
)  # fmt: skip
_TOTALS_ROW = "\x00a totals row\x00"  # the supplier cache's mark for a totals row (compared by identity)
_TEXT_FIELDS = (
    "purpose",
    "org_unit",
    "category_label",
    "category_code",
    "invoice_ref",
    "transaction_ref",
    "vat_number",
    "company_number",
    "supplier_ref",
)


class SpendRow(NamedTuple):
    """One payment read from a file: `pennies` is the amount in whole pennies."""

    file: int  # index of the file in the import
    row: int  # row number as a spreadsheet shows it
    supplier: str
    pennies: int
    date: dt.date
    purpose: str
    org_unit: str
    category_label: str
    category_code: str
    invoice_ref: str
    transaction_ref: str
    vat_number: str
    company_number: str
    supplier_ref: str


@dataclass
class ReadTotals:
    """What a read found: rows read, rows rejected (with the first reasons), the total and months.

    `file_problems` counts tables that could not be read at all (a damaged file, columns that do not fit):
    unlike a rejected row, a whole table is never left out of an import.
    """

    rows: int = 0
    rejected: int = 0
    rounded: int = 0  # amounts with a fraction of a penny, rounded to the penny
    totals_rows_skipped: int = 0  # rows adding up the payments ("Total", "Grand total"), not payments
    total_pennies: int = 0
    rejections: list[RowError] = field(default_factory=list)
    months: dict[str, tuple[int, int]] = field(default_factory=dict)  # "2024-04" -> (rows, pennies)
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    problem_files: set[str] = field(default_factory=set)

    @property
    def file_problems(self) -> int:
        return len(self.problem_files)

    def reject(self, error: RowError) -> None:
        self.rejected += 1
        if error.row is None:
            self.problem_files.add(error.file)
        if len(self.rejections) < MAX_KEPT_REJECTIONS:
            self.rejections.append(error)


def _clean(value: str) -> str:
    text = value.strip()
    if not text or text.casefold() in MISSING:
        return ""
    return " ".join(text.split()) if "  " in text or "\n" in text or "\t" in text else text


def is_totals_row(supplier: str) -> bool:
    """Whether a supplier cell (cleaned, as `_clean` leaves it) marks a totals row: "Total", "TOTALS",
    "Grand total:", "Sub-total", "Sub total", "Total spend"... (case, spaces and a trailing colon ignored)."""
    return len(supplier) <= 24 and "".join(supplier.split()).casefold().rstrip(":") in TOTALS_LABELS


def _supplier(cache: dict[str, str], value: str) -> str:
    """The supplier in a cell, cleaned and cut to 200 characters, or `_TOTALS_ROW`; remembered."""
    clean = _clean(value)[:200]
    if is_totals_row(clean):
        clean = _TOTALS_ROW
    if len(cache) < 500_000:
        cache[value] = clean
    return clean


def _cached(cache: dict[str, str], value: str, limit: int) -> str:
    """Clean `value`, cut it to `limit` characters and remember the result (for values that repeat)."""
    clean = _clean(value)[:limit]
    if len(cache) < 500_000:
        cache[value] = clean
    return clean


def _ref(value: str) -> str:
    text = value.strip()
    if len(text) <= 5 and text.casefold() in MISSING:
        return ""
    return text[:MAX_REF]


class SpendReader:
    """Reads the files of one import in turn; keeps the totals and the rejected rows across them."""

    def __init__(self, *, chunk_size: int = 20_000) -> None:
        self.chunk_size = chunk_size
        self.totals = ReadTotals()
        self._dates = DateReader()
        self._vat: dict[str, str] = {}
        self._cache: dict[str, str] = {"": ""}
        self._purpose_cache: dict[str, str] = {"": ""}
        self._names: dict[str, str] = {}
        self._company: dict[str, str] = {}
        self._months: dict[tuple[int, int], list[int]] = {}
        self._lo, self._hi = 10**9, 0

    def month_totals(self) -> dict[str, tuple[int, int]]:
        return {f"{y:04d}-{m:02d}": (v[0], v[1]) for (y, m), v in sorted(self._months.items())}

    def read(
        self, table: StreamTable, mapping: Mapping[str, str], *, file_index: int = 0
    ) -> Iterator[list[SpendRow]]:
        """Yield the payments of `table` in chunks; rows that cannot be read go to `totals.rejections`."""
        index = {
            name: table.headers.index(header) for name, header in mapping.items() if header in table.headers
        }
        missing = [n for n in ("supplier", "amount", "date") if n not in index]
        if missing:
            labels = ", ".join(FIELDS_BY_NAME[n].label.lower() for n in missing)
            self.totals.reject(RowError(table.name, None, "", f"no column for the {labels}"))
            return
        i_sup, i_amt, i_date = index["supplier"], index["amount"], index["date"]
        h_sup, h_amt, h_date = mapping["supplier"], mapping["amount"], mapping["date"]
        width = len(table.headers)
        pad = any(n not in index for n in _TEXT_FIELDS)
        getter = itemgetter(*(index.get(n, width) for n in _TEXT_FIELDS))
        cache, purpose_cache, names = self._cache, self._purpose_cache, self._names
        vats, companies = self._vat, self._company
        totals, dates, months = self.totals, self._dates, self._months
        chunk: list[SpendRow] = []
        for number, values in table.rows:
            raw = values[i_sup]
            supplier = names[raw] if raw in names else _supplier(names, raw)
            if supplier is _TOTALS_ROW:
                totals.totals_rows_skipped += 1
                continue
            amount_text = values[i_amt]
            date_text = values[i_date].strip()
            if not supplier:
                if not amount_text.strip() and not date_text:
                    continue  # a row with none of the three: a spacer or a footnote
                totals.reject(RowError(table.name, number, h_sup, "the supplier name is blank"))
                continue
            try:
                pennies, rounded = read_pennies(amount_text)
            except AmountError as exc:
                totals.reject(RowError(table.name, number, h_amt, str(exc)))
                continue
            if rounded:
                totals.rounded += 1
            try:
                date = dates(date_text)
            except DateError as exc:
                totals.reject(RowError(table.name, number, h_date, str(exc)))
                continue
            if pad:
                values.append("")
            purpose, org_unit, cat_label, cat_code, invoice, txn, vat, company, ref = getter(values)
            purpose = (
                purpose_cache[purpose] if purpose in purpose_cache else _cached(purpose_cache, purpose, 300)
            )
            org_unit = cache[org_unit] if org_unit in cache else _cached(cache, org_unit, 200)
            cat_label = cache[cat_label] if cat_label in cache else _cached(cache, cat_label, 200)
            cat_code = cache[cat_code] if cat_code in cache else _cached(cache, cat_code, MAX_REF)
            invoice = _ref(invoice)
            txn = _ref(txn)
            ref = cache[ref] if ref in cache else _cached(cache, ref, MAX_REF)
            if vat:
                vat = vats[vat] if vat in vats else vats.setdefault(vat, normalise_vat(vat))
            if company:
                company = (
                    companies[company]
                    if company in companies
                    else companies.setdefault(company, normalise_company_number(company))
                )
            supplier = supplier[:200]
            ordinal = date.toordinal()
            if ordinal < self._lo:
                self._lo = ordinal
            if ordinal > self._hi:
                self._hi = ordinal
            month = months.get((date.year, date.month))
            if month is None:
                months[(date.year, date.month)] = [1, pennies]
            else:
                month[0] += 1
                month[1] += pennies
            totals.rows += 1
            totals.total_pennies += pennies
            chunk.append(
                SpendRow(
                    file_index, number, supplier, pennies, date, purpose, org_unit, cat_label, cat_code,
                    invoice, txn, vat, company, ref,
                )
            )  # fmt: skip
            if len(chunk) >= self.chunk_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    def absorb(
        self,
        months: dict[tuple[int, int], tuple[int, int]],
        *,
        rounded: int,
        lo: int | None,
        hi: int | None,
        totals_rows: int = 0,
    ) -> None:
        """Count payments read elsewhere (`spend.engine.columnar`): rows and pennies by (year, month), the
        amounts rounded, the first and last dates as ordinals and the totals rows skipped."""
        for key, (rows, pennies) in months.items():
            month = self._months.setdefault(key, [0, 0])
            month[0] += rows
            month[1] += pennies
            self.totals.rows += rows
            self.totals.total_pennies += pennies
        self.totals.rounded += rounded
        self.totals.totals_rows_skipped += totals_rows
        if lo is not None and lo < self._lo:
            self._lo = lo
        if hi is not None and hi > self._hi:
            self._hi = hi

    def finish(self, files: Sequence[str] = ()) -> ReadTotals:
        """The totals, with the months and the first and last dates filled in. Files (named by `files`)
        with no payment in them at all, or payments adding up to more than an import can record, are a
        problem with the whole import."""
        self.totals.months = self.month_totals()
        if self._hi:
            self.totals.first_date = dt.date.fromordinal(self._lo)
            self.totals.last_date = dt.date.fromordinal(self._hi)
        if not self.totals.rows and not self.totals.rejected:
            self.totals.reject(RowError(_named(files), None, "", "there are no payments under the headers"))
        elif (problem := total_problem(files, self.totals.total_pennies)) is not None:
            self.totals.reject(problem)
        return self.totals


def _named(files: Sequence[str]) -> str:
    return ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")


def total_problem(files: Sequence[str], pennies: int) -> RowError | None:
    """The problem with payments adding up to `pennies`, if that is more than an import can record."""
    if abs(pennies) <= MAX_TOTAL_PENNIES:
        return None
    most = f"£{MAX_TOTAL_PENNIES // 100:,}.{MAX_TOTAL_PENNIES % 100:02d}"
    message = f"the payments add up to more than {most}, the most an import can record"
    return RowError(_named(files), None, "", f"{message}: check the amount column")
