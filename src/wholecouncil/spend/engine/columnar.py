"""Reading an import a column at a time: every payment of every file staged in DuckDB before it is loaded.

Large CSV files are parsed by DuckDB's reader instead of a row at a time. What each value means is still
decided by the row reader's own functions (`rows._clean`, `amounts.read_pennies`, `dates.parse_date`,
`suppliers.normalise_vat`...), called once per distinct value and joined back; only the commonest shapes
(an amount such as 3082.50, a printable reference) are read in SQL, with rules that agree with those
functions. So a file staged this way gives the same payments, totals and rejected rows (file, row, column
and reason) as the row reader.

A CSV file is staged this way only when DuckDB's reader is known to split it exactly as Python's `csv`
module does: valid UTF-8 (other encodings are converted first), no blank lines, no carriage return that does
not end a line, no spaces between a delimiter and a quote, no NUL byte, a preamble without line breaks
inside quotes, and no quote left open at the end of the file (DuckDB's reader can stop there without an
error, where the csv module reads the rest of the file as one field; `files.QuoteScan` follows the csv
module, and the row reader refuses such a file). Any other file, any file DuckDB's reader refuses, and
every XLSX file is read by the row reader and its rows appended to the same stage, so everything after
staging has one path. A totals row ("Total" in the supplier column: `rows.is_totals_row`) is skipped and
counted on both paths.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from wholecouncil.spend.engine.amounts import AmountError, read_pennies
from wholecouncil.spend.engine.dates import DateError, parse_date
from wholecouncil.spend.engine.files import MAX_FIELD, QuoteScan, SpendSource, StreamTable
from wholecouncil.spend.engine.rows import (
    MAX_KEPT_REJECTIONS,
    MAX_REF,
    MISSING,
    SpendReader,
    SpendRow,
    _clean,
    _ref,
    is_totals_row,
)
from wholecouncil.spend.engine.suppliers import normalise_company_number, normalise_vat
from wholecouncil.tabular import RowError

STAGED = (
    ("file", "INTEGER"),
    ("number", "BIGINT"),
    ("supplier", "VARCHAR"),
    ("pennies", "BIGINT"),
    ("day", "INTEGER"),  # the date's proleptic Gregorian ordinal, as date.toordinal()
    ("purpose", "VARCHAR"),
    ("org_unit", "VARCHAR"),
    ("cat_label", "VARCHAR"),
    ("cat_code", "VARCHAR"),
    ("invoice", "VARCHAR"),
    ("txn", "VARCHAR"),
    ("vat", "VARCHAR"),
    ("company", "VARCHAR"),
    ("ref", "VARCHAR"),
)
_FIELDS = (
    "supplier", "amount", "date", "purpose", "org_unit", "category_label", "category_code", "invoice_ref",
    "transaction_ref", "vat_number", "company_number", "supplier_ref",
)  # fmt: skip
_TEXT_LIMITS = {
    "purpose": 300,
    "org_unit": 200,
    "cat_label": 200,
    "cat_code": MAX_REF,
    "supplier_ref": MAX_REF,
}
_STAGE_NAME = {"category_label": "cat_label", "category_code": "cat_code", "supplier_ref": "ref"}
# An amount read in SQL: exactly the row reader's fast case (amounts._SIMPLE) written in ASCII digits.
SIMPLE_AMOUNT = r"-?[0-9]{1,12}(\.[0-9]{1,2})?"
# A reference read in SQL: printable ASCII with no space at either end, so str.strip() leaves it alone.
SIMPLE_REF = r"[!-~]([ -~]*[!-~])?"
_CHUNK = 1 << 22
MIN_STAGE_BYTES = 0  # CSV files at least this big are parsed by DuckDB


def quote_sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_MISSING_ASCII = ", ".join(quote_sql(m) for m in sorted(MISSING) if m.isascii())


def _sql_ref(column: str) -> str:
    """`rows._ref` in SQL for simple references; NULL where the row reader's own function must decide."""
    return (
        f"CASE WHEN {column} = '' THEN '' "
        f"WHEN regexp_full_match({column}, '{SIMPLE_REF}') THEN "
        f"CASE WHEN length({column}) <= 5 AND lower({column}) IN ({_MISSING_ASCII}) THEN '' "
        f"ELSE left({column}, {MAX_REF}) END END"
    )


# --- is a CSV file one DuckDB reads exactly as the csv module does? ------------------------------------


@dataclass(frozen=True)
class CsvPlan:
    path: Path
    delimiter: str
    skip: int  # lines before the first data row (preamble and header)
    columns: int  # fields a row may have
    first_number: int  # the row number of the first data row, as the row reader counts


def _safe_bytes(chunk: bytes, delimiter: bytes) -> bool:
    if b"\x00" in chunk or b"\n\n" in chunk or b"\n\r\n" in chunk or b"\r\r" in chunk:
        return False
    # A carriage return that ends the chunk is seen with the next one (or at the end of the file).
    if chunk.count(b"\r") - chunk.endswith(b"\r") != chunk.count(b"\r\n"):
        return False
    # Spaces between a delimiter (or a line's start) and a quote, or between a quote and a delimiter (or a
    # line's end): the csv module keeps them, DuckDB's reader does not. Found by plain searches first.
    at = chunk.find(b' "')
    while at >= 0:
        start = at
        while start > 0 and chunk[start - 1 : start] == b" ":
            start -= 1
        if start == 0 or chunk[start - 1 : start] in (b"\n", delimiter):
            return False
        at = chunk.find(b' "', at + 2)
    at = chunk.find(b'" ')
    while at >= 0:
        end = at + 1
        while chunk[end : end + 1] == b" ":
            end += 1
        if end == len(chunk) or chunk[end : end + 1] in (b"\r", b"\n", delimiter):
            return False
        at = chunk.find(b'" ', end)
    return True


def _copy_checked(source: SpendSource, encoding: str, target: Path | None, delimiter: str) -> bool:
    """Read the file through once, checking every byte DuckDB will see; write it to `target` as UTF-8
    (when given). False if it is not safe to read with DuckDB."""
    delim = delimiter.encode("utf-8")
    quotes = QuoteScan(delimiter)
    convert = encoding not in ("utf-8", "utf-8-sig")
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace") if convert else None
    tail = b""
    out = target.open("wb") if target is not None else None
    try:
        with source.open() as f:
            while True:
                raw = f.read(_CHUNK)
                if decoder is not None:
                    data = decoder.decode(raw, final=not raw).encode("utf-8", "surrogatepass")
                else:
                    data = raw
                if not raw and not data:
                    break
                # Keep the last few bytes so a pattern split across two reads is still seen.
                if not _safe_bytes(tail + data, delim):
                    return False
                tail = (tail + data)[-8:]
                quotes.feed(data)
                if out is not None:
                    out.write(data)
                if not raw:
                    break
    finally:
        if out is not None:
            out.close()
    return not tail.endswith(b"\r") and not quotes.finish()


def plan_csv(source: SpendSource, table: StreamTable, folder: Path, index: int) -> CsvPlan | None:
    """How DuckDB should read `table` (opened by `files.open_table`), or None if it should not."""
    if table.format != "csv" or not table.encoding:
        return None
    with io.TextIOWrapper(source.open(), encoding=table.encoding, errors="replace", newline="") as text:
        sample = text.read(1 << 16)
    from wholecouncil.tabular.reader import sniff_delimiter

    delimiter = sniff_delimiter(sample)
    lines = sample.splitlines(keepends=True)
    records = list(csv.reader(lines[: table.header_row + 60], delimiter=delimiter))
    head = records[: table.header_row]
    if len(head) < table.header_row or any("\n" in v or "\r" in v for row in head for v in row):
        return None
    widest = max((len(r) for r in records), default=0)
    direct = source.path if table.encoding in ("utf-8", "utf-8-sig") else None
    target = None if direct is not None else folder / f"table-{index}.csv"
    if not _copy_checked(source, table.encoding, target, delimiter):
        if target is not None:
            target.unlink(missing_ok=True)
        return None
    path = direct if direct is not None else target
    assert path is not None
    return CsvPlan(
        path=path,
        delimiter=delimiter,
        skip=table.header_row,
        columns=max(widest, len(table.headers)),
        first_number=table.header_row + 1,
    )


# --- the stage -------------------------------------------------------------------------------------------


class Stage:
    """The payments of one import, read but not yet loaded, in an in-memory DuckDB database that spills to
    `folder` when it outgrows its memory limit."""

    def __init__(self, folder: Path, *, memory_limit: str = "1500MB") -> None:
        self.folder = folder
        self.con = duckdb.connect(
            ":memory:",  # spills to `folder` past the memory limit
            config={"memory_limit": memory_limit, "temp_directory": str(folder / "spill"), "threads": 2},
        )
        columns = ", ".join(f"{name} {kind}" for name, kind in STAGED)
        self.con.execute(f"CREATE TABLE staged ({columns})")
        self._n = 0

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.folder / "spill", ignore_errors=True)

    def count(self) -> int:
        row = self.con.execute("SELECT count(*) FROM staged").fetchone()
        return int(row[0]) if row else 0

    def register(self, name: str, columns: Mapping[str, Sequence[Any]], kinds: Mapping[str, str]) -> None:
        """Make a DuckDB table `name` of Python columns (VARCHAR, BIGINT or BOOLEAN)."""
        self.con.execute(f"DROP TABLE IF EXISTS {name}")
        spec = ", ".join(f"{c} {kinds[c]}" for c in columns)
        self.con.execute(f"CREATE TABLE {name} ({spec})")
        length = len(next(iter(columns.values()))) if columns else 0
        if not length:
            return
        arrays = {c: np.array(list(values), dtype=object) for c, values in columns.items()}
        self._n += 1
        view = f"_py{self._n}"
        self.con.register(view, arrays)
        try:
            select = ", ".join(f"{c}::{kinds[c]}" for c in columns)
            self.con.execute(f"INSERT INTO {name} SELECT {select} FROM {view}")  # noqa: S608
        finally:
            self.con.unregister(view)

    def append_rows(self, rows: Sequence[SpendRow]) -> None:
        """Stage rows the row reader read."""
        if not rows:
            return
        self.register(
            "_chunk",
            {
                "file": [r.file for r in rows],
                "number": [r.row for r in rows],
                "supplier": [r.supplier for r in rows],
                "pennies": [r.pennies for r in rows],
                "day": [r.date.toordinal() for r in rows],
                "purpose": [r.purpose for r in rows],
                "org_unit": [r.org_unit for r in rows],
                "cat_label": [r.category_label for r in rows],
                "cat_code": [r.category_code for r in rows],
                "invoice": [r.invoice_ref for r in rows],
                "txn": [r.transaction_ref for r in rows],
                "vat": [r.vat_number for r in rows],
                "company": [r.company_number for r in rows],
                "ref": [r.supplier_ref for r in rows],
            },
            dict(STAGED) | {"file": "BIGINT", "day": "BIGINT"},
        )
        self.con.execute("INSERT INTO staged SELECT * FROM _chunk")
        self.con.execute("DROP TABLE _chunk")

    # --- a CSV file read by DuckDB ----------------------------------------------------------------------

    def add_csv(
        self,
        source: SpendSource,
        table: StreamTable,
        mapping: Mapping[str, str],
        reader: SpendReader,
        *,
        file_index: int,
    ) -> bool:
        """Stage the rows of `table` read by DuckDB, with totals and rejected rows recorded in `reader`
        exactly as the row reader would. False (nothing staged or recorded) if the file must be read by the
        row reader instead."""
        index = {n: table.headers.index(h) for n, h in mapping.items() if h in table.headers}
        if any(n not in index for n in ("supplier", "amount", "date")):
            return False
        plan = plan_csv(source, table, self.folder, file_index)
        if plan is None:
            return False
        try:
            self._read_raw(plan, index)
        except duckdb.Error:
            return False
        try:
            self._parse(plan, table, index, mapping, reader, file_index)
        finally:
            self.con.execute("DROP TABLE IF EXISTS raw")
            self.con.execute("DROP TABLE IF EXISTS parsed")
            if plan.path.parent == self.folder:
                plan.path.unlink(missing_ok=True)
        return True

    def _read_raw(self, plan: CsvPlan, index: Mapping[str, int]) -> None:
        """Table `raw`: the text of each field (blank where not mapped) of every row, in file order, and
        whether the row is empty."""
        columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(plan.columns)) + "}"
        empty = " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(plan.columns))
        fields = ", ".join(
            (f"coalesce(c{index[name]}, '')" if name in index else "''") + f" AS {name}" for name in _FIELDS
        )
        for parallel in ("true", "false"):
            try:
                self.con.execute(
                    f"CREATE OR REPLACE TABLE raw AS SELECT {fields}, {empty} AS blank FROM read_csv("  # noqa: S608
                    f"{quote_sql(str(plan.path))}, auto_detect = false, header = false, skip = {plan.skip}, "
                    f"delim = {quote_sql(plan.delimiter)}, quote = '\"', escape = '\"', columns = {columns}, "
                    "null_padding = true, strict_mode = true, allow_quoted_nulls = false, "
                    f"max_line_size = {MAX_FIELD}, parallel = {parallel})"
                )
                break
            except duckdb.Error:
                if parallel == "false":
                    raise

    def _distinct(self, column: str, where: str = "") -> list[str]:
        sql = f"SELECT DISTINCT {column} FROM raw {where}"  # noqa: S608
        return [v for (v,) in self.con.execute(sql).fetchall()]

    def _dictionary(self, name: str, column: str, clean: Any, where: str = "") -> None:
        values = self._distinct(column, where)
        self.register(
            name, {"raw": values, "clean": [clean(v) for v in values]}, {"raw": "VARCHAR", "clean": "VARCHAR"}
        )

    def _parse(
        self,
        plan: CsvPlan,
        table: StreamTable,
        index: Mapping[str, int],
        mapping: Mapping[str, str],
        reader: SpendReader,
        file_index: int,
    ) -> None:
        con = self.con
        suppliers = self._distinct("supplier")
        names = [_clean(v)[:200] for v in suppliers]
        self.register(
            "d_supplier",
            {"raw": suppliers, "clean": names, "totals": [is_totals_row(n) for n in names]},
            {"raw": "VARCHAR", "clean": "VARCHAR", "totals": "BOOLEAN"},
        )
        for name, limit in _TEXT_LIMITS.items():
            field = {"cat_label": "category_label", "cat_code": "category_code"}.get(name, name)
            self._dictionary(f"d_{name}", field, lambda v, limit=limit: _clean(v)[:limit])
        self._dictionary("d_vat", "vat_number", lambda v: normalise_vat(v) if v else "")
        self._dictionary("d_company", "company_number", lambda v: normalise_company_number(v) if v else "")
        for name in ("invoice_ref", "transaction_ref"):
            self._dictionary(f"d_{name}", name, _ref, f"WHERE ({_sql_ref(name)}) IS NULL")
        amounts = self._distinct("amount", f"WHERE NOT regexp_full_match(amount, '{SIMPLE_AMOUNT}')")
        read = [_read_amount(v) for v in amounts]
        self.register(
            "d_amount",
            {
                "raw": amounts,
                "pennies": [r[0] for r in read],
                "rounded": [r[1] for r in read],
                "error": [r[2] for r in read],
                "blank": [not v.strip() for v in amounts],
            },
            {
                "raw": "VARCHAR",
                "pennies": "BIGINT",
                "rounded": "BOOLEAN",
                "error": "VARCHAR",
                "blank": "BOOLEAN",
            },
        )
        dates = self._distinct("date")
        parsed = [_read_date(v.strip()) for v in dates]
        self.register(
            "d_date",
            {
                "raw": dates,
                "day": [d[0] for d in parsed],
                "ym": [d[1] for d in parsed],
                "error": [d[2] for d in parsed],
                "blank": [not v.strip() for v in dates],
            },
            {"raw": "VARCHAR", "day": "BIGINT", "ym": "BIGINT", "error": "VARCHAR", "blank": "BOOLEAN"},
        )
        simple = f"regexp_full_match(r.amount, '{SIMPLE_AMOUNT}')"
        con.execute(
            "CREATE TABLE parsed AS SELECT *, CASE "  # noqa: S608
            "WHEN totals_row THEN 'totals' "
            "WHEN supplier = '' AND amount_blank AND date_blank THEN 'skip' "
            "WHEN supplier = '' THEN 'supplier' "
            "WHEN amount_error IS NOT NULL THEN 'amount' "
            "WHEN date_error IS NOT NULL THEN 'date' "
            "ELSE '' END AS outcome FROM (SELECT r.rowid + ? AS number, s.clean AS supplier, "
            "s.totals AS totals_row, "
            f"CASE WHEN {simple} THEN CAST(round(CAST(r.amount AS DECIMAL(15, 2)) * 100) AS BIGINT) "
            "ELSE a.pennies END AS pennies, "
            f"CASE WHEN {simple} THEN false ELSE a.rounded END AS rounded, "
            f"CASE WHEN {simple} THEN NULL ELSE a.error END AS amount_error, "
            f"CASE WHEN {simple} THEN false ELSE a.blank END AS amount_blank, "
            "d.day, d.ym, d.error AS date_error, d.blank AS date_blank, "
            "p.clean AS purpose, o.clean AS org_unit, l.clean AS cat_label, k.clean AS cat_code, "
            f"coalesce({_sql_ref('r.invoice_ref')}, i.clean) AS invoice, "
            f"coalesce({_sql_ref('r.transaction_ref')}, t.clean) AS txn, "
            "v.clean AS vat, c.clean AS company, f.clean AS ref "
            "FROM raw r "
            "JOIN d_supplier s ON s.raw = r.supplier "
            "LEFT JOIN d_amount a ON a.raw = r.amount "
            "JOIN d_date d ON d.raw = r.date "
            "JOIN d_purpose p ON p.raw = r.purpose "
            "JOIN d_org_unit o ON o.raw = r.org_unit "
            "JOIN d_cat_label l ON l.raw = r.category_label "
            "JOIN d_cat_code k ON k.raw = r.category_code "
            "LEFT JOIN d_invoice_ref i ON i.raw = r.invoice_ref "
            "LEFT JOIN d_transaction_ref t ON t.raw = r.transaction_ref "
            "JOIN d_vat v ON v.raw = r.vat_number "
            "JOIN d_company c ON c.raw = r.company_number "
            "JOIN d_supplier_ref f ON f.raw = r.supplier_ref "
            "WHERE NOT r.blank)",  # rowid: the order rows were stored in, the file's
            [plan.first_number],
        )
        con.execute("DROP TABLE raw")
        self._record(table, mapping, reader)
        con.execute(
            f"INSERT INTO staged SELECT {file_index}, number, supplier, pennies, day, purpose, "  # noqa: S608
            "org_unit, cat_label, cat_code, invoice, txn, vat, company, ref FROM parsed "
            "WHERE outcome = '' ORDER BY number"
        )

    def _record(self, table: StreamTable, mapping: Mapping[str, str], reader: SpendReader) -> None:
        """Count what was read into `reader`: rows, rejected rows (the first few with their reasons in row
        order), amounts rounded, totals rows skipped, the total and the months."""
        con = self.con
        totals = reader.totals
        room = max(MAX_KEPT_REJECTIONS - len(totals.rejections), 0)
        found = con.execute(
            "SELECT number, outcome, amount_error, date_error FROM parsed "
            "WHERE outcome NOT IN ('', 'skip', 'totals') ORDER BY number LIMIT ?",
            [room],
        ).fetchall()
        count = con.execute(
            "SELECT count(*) FILTER (outcome NOT IN ('', 'skip', 'totals')), "
            "count(*) FILTER (outcome = 'totals') FROM parsed"
        ).fetchone()
        rejected, totals_rows = (int(count[0]), int(count[1])) if count else (0, 0)
        for number, outcome, amount_error, date_error in found:
            if outcome == "supplier":
                error = RowError(table.name, number, mapping["supplier"], "the supplier name is blank")
            elif outcome == "amount":
                error = RowError(table.name, number, mapping["amount"], amount_error)
            else:
                error = RowError(table.name, number, mapping["date"], date_error)
            totals.reject(error)
        totals.rejected += rejected - len(found)
        months = con.execute(
            "SELECT ym, count(*), sum(pennies)::HUGEINT, sum(rounded::INTEGER), min(day), max(day) "
            "FROM parsed WHERE outcome = '' GROUP BY ym"
        ).fetchall()
        reader.absorb(
            {(int(ym) // 100, int(ym) % 100): (int(n), int(p)) for ym, n, p, _, _, _ in months},
            rounded=sum(int(r) for *_, r, _, _ in months),
            lo=min((int(lo) for *_, lo, _ in months), default=None),
            hi=max((int(hi) for *_, hi in months), default=None),
            totals_rows=totals_rows,
        )


def _read_amount(value: str) -> tuple[int | None, bool, str | None]:
    try:
        pennies, rounded = read_pennies(value)
    except AmountError as exc:
        return None, False, str(exc)
    return pennies, rounded, None


def _read_date(value: str) -> tuple[int | None, int | None, str | None]:
    try:
        date = parse_date(value)
    except DateError as exc:
        return None, None, str(exc)
    return date.toordinal(), date.year * 100 + date.month, None
