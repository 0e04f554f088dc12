"""`wholecouncil spend import FILE... --council SLUG`, `wholecouncil spend contracts FILE --council SLUG` and
`wholecouncil spend summary --council SLUG`."""

from __future__ import annotations

import json
import re
import sys
import time
from argparse import ArgumentParser
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper

from wholecouncil.council.models import Council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.engine import SPEND_FIELDS, SpendSource, format_pounds, mapping_problems
from wholecouncil.spend.engine.contracts import CONTRACT_FIELDS, read_register, register_headers
from wholecouncil.spend.engine.fields import SpendField
from wholecouncil.spend.engine.layouts import (
    ColumnsError,
    Layout,
    check_columns_apply,
    unmatched_columns,
    with_columns,
)
from wholecouncil.spend.services.imports import STEPS, spend_tables
from wholecouncil.tabular import TableError, format_money


def parse_columns(text: str, fields: Sequence[SpendField] = SPEND_FIELDS) -> dict[str, str]:
    """'supplier=Vendor Name,amount=Net' -> {field: header}. 'purpose=' leaves the purpose out.

    A comma starts a new pair only where a field's name and '=' follow it; any other comma is part of the
    header: 'amount=Amount (£, net),date=Paid' -> {"amount": "Amount (£, net)", "date": "Paid"}.
    """
    names = [f.name for f in fields]
    starts = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    found: dict[str, str] = {}
    for pair in re.split(rf",(?=\s*(?:{starts})\s*=)", text.strip().rstrip(",")):
        if not pair.strip(" ,"):
            continue
        name, sep, header = pair.partition("=")
        name = name.strip(" ,")
        if not sep:
            raise CommandError(f"--columns: '{pair}' should look like field=Column header")
        if name not in names:
            raise CommandError(f"--columns: '{name}' is not a field. The fields are: {', '.join(names)}")
        if name in found:
            raise CommandError(f"--columns: {name} is named twice")
        found[name] = header.strip()
    return found


class ProgressBar:
    """A one-line progress bar on a terminal (stderr); a line every few seconds elsewhere; and always a
    last line with the rows read and the rate."""

    def __init__(self, stream: OutputWrapper, total: int | None) -> None:
        self.stream = stream
        self.total = total
        self.started = time.perf_counter()
        self.shown = 0.0
        self.done = 0
        self.step = "reading"
        self.tty = stream.isatty()

    def _text(self, done: int) -> str:
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        if self.total:
            fraction = min(done / self.total, 1.0)
            bar = "#" * int(fraction * 30)
            return f"[{bar:<30}] {done:,}/{self.total:,} rows, {rate:,.0f} rows/s"
        return f"{done:,} rows, {rate:,.0f} rows/s"

    def __call__(self, done: int, step: str = "reading") -> None:
        self.done = done
        if step != "reading":  # every row is read: name each step after it as it starts
            if step != self.step:
                if self.step == "reading":  # finish the bar's line with its last figures
                    self.stream.write(("\r" if self.tty else "") + self._text(done))
                self.step = step
                self.stream.write(f"{STEPS.get(step, step)}…")
                self.stream.flush()
            return
        now = time.perf_counter()
        if now - self.shown < (0.2 if self.tty else 5.0):
            return
        self.shown = now
        text = self._text(done)
        self.stream.write(("\r" + text) if self.tty else text, ending="" if self.tty else "\n")
        self.stream.flush()

    def close(self) -> None:
        seconds = time.perf_counter() - self.started
        text = f"{self.done:,} rows in {seconds:.1f} s ({self.done / max(seconds, 1e-9):,.0f} rows/s)"
        if self.step == "reading":
            self.stream.write(("\r" + "Read " + text) if self.tty else "Read " + text, ending="\n")
        else:
            self.stream.write(f"Read and imported {text}")


def _estimate_rows(sources: list[SpendSource]) -> int | None:
    """Rows in the files, counted as lines (quick; quoted line breaks make it an estimate)."""
    total = 0
    for source in sources:
        with source.open() as f:
            head = f.read(4)
            if head.startswith(b"PK"):
                return None
            f.seek(0) if f.seekable() else None
            total += sum(chunk.count(b"\n") for chunk in iter(lambda f=f: f.read(1 << 20), b""))  # type: ignore[misc]
    return total or None


class Command(BaseCommand):
    help = (
        "Supplier spend: `wholecouncil spend import FILE... --council SLUG [--columns field=Header,...]` "
        "imports CSV, XLSX or ZIP files; `wholecouncil spend summary --council SLUG [--json]` prints totals."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import spend files (CSV, XLSX, or ZIP archives of them)")
        imp.add_argument("files", nargs="+", type=Path, help="One or more files")
        imp.add_argument("--council", required=True, help="The council's short name (slug)")
        imp.add_argument(
            "--columns",
            default="",
            help="field=Column header pairs, comma-separated, overriding the suggested columns "
            "(field= leaves a field out). See `wholecouncil spend fields`.",
        )
        imp.add_argument(
            "--skip-rejected",
            action="store_true",
            help="Import the rows that can be read and leave out rejected rows (still exits with code 2)",
        )
        imp.add_argument("--no-progress", action="store_true", help="No progress bar")
        summary = sub.add_parser("summary", help="Totals of the council's spend")
        summary.add_argument("--council", required=True)
        summary.add_argument("--json", action="store_true", help="Print JSON")
        contracts = sub.add_parser(
            "contracts", help="Import a contracts register (CSV or XLSX), replacing it"
        )
        contracts.add_argument("file", type=Path)
        contracts.add_argument("--council", required=True, help="The council's short name (slug)")
        contracts.add_argument(
            "--columns",
            default="",
            help="field=Column header pairs overriding the suggested columns. Fields: "
            + ", ".join(f.name for f in CONTRACT_FIELDS),
        )
        sub.add_parser("fields", help="List the fields a column can be matched to")

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"]
        if action == "fields":
            for f in SPEND_FIELDS:
                self.stdout.write(f"{f.name:<16} {f.label}{' (required)' if f.required else ''}. {f.hint}")
            return
        council = Council.objects.filter(slug=opts["council"]).first()
        if council is None:
            raise CommandError(f"No council with the short name '{opts['council']}'.")
        if action == "summary":
            self._summary(council, opts["json"])
        elif action == "contracts":
            self._contracts(council, opts)
        else:
            self._import(council, opts)

    def _summary(self, council: Council, as_json: bool) -> None:
        data = selectors.summary(council)
        if as_json:
            self.stdout.write(json.dumps(data, indent=2))
            return
        self.stdout.write(
            f"{council.name}: {data['transactions']:,} payments, "
            f"{format_money(selectors.spend_totals(council).total)}; "
            f"{data['suppliers_raw']:,} supplier names resolved to {data['suppliers_resolved']:,} suppliers"
        )
        for month, figures in data["by_month"].items():
            self.stdout.write(f"  {month}  {figures['transactions']:>8,}  {figures['total']:>16}")

    def _layouts(self, tables: list[SpendSource], columns: dict[str, str]) -> list[Layout]:
        """Each layout's columns, printed; an error naming the files where a needed column is missing, or
        an override (`--columns`) that cannot be applied."""
        try:
            layouts = services.layouts_of(tables, columns)
        except services.SpendImportError as exc:
            raise CommandError(str(exc)) from exc
        problems: list[str] = []
        for layout in layouts:
            used = ", ".join(f"{k} <- {v}" for k, v in layout.mapping.items())
            notes = []
            for name, header in unmatched_columns(layout.headers, columns).items():
                instead = (
                    f"{name} <- {layout.mapping[name]} as suggested"
                    if name in layout.mapping
                    else f"no column for {name}"
                )
                notes.append(
                    f"  (--columns {name}={header} does not apply: no column '{header}' here; {instead})"
                )
            for name in layout.tables:
                self.stdout.write(f"{name}: columns {used}")
                for note in notes:
                    self.stdout.write(note)
            for _field, message in mapping_problems(layout.headers, layout.mapping):
                problems.extend(f"{name}: {message} (name it with --columns)" for name in layout.tables)
        if problems:
            raise CommandError("Nothing imported.\n" + "\n".join(problems))
        return layouts

    def _import(self, council: Council, opts: dict[str, Any]) -> None:
        sources = []
        for path in opts["files"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            sources.append(SpendSource.from_path(path))
        try:
            tables, passed_over = spend_tables(sources)
        except services.SpendImportError as exc:
            raise CommandError(str(exc)) from exc
        for name, why in passed_over:
            self.stdout.write(f"passed over {name}: {why}")
        layouts = self._layouts(tables, parse_columns(opts["columns"]))
        bar = None if opts["no_progress"] else ProgressBar(self.stderr, _estimate_rows(tables))
        started = time.perf_counter()
        try:
            outcome = services.spend_import_run(
                council=council,
                sources=tables,
                layouts=layouts,
                actor=None,
                skip_rejected=opts["skip_rejected"],
                progress=bar,
            )
        except services.SpendImportError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar:
                bar.close()
        seconds = time.perf_counter() - started
        for error in outcome.rejections:
            self.stderr.write(str(error))
        if outcome.rejected > len(outcome.rejections):
            self.stderr.write(f"... and {outcome.rejected - len(outcome.rejections):,} more rejected rows")
        if outcome.file_problems:
            files = f"{outcome.file_problems:,} file{'s' if outcome.file_problems != 1 else ''}"
            self.stderr.write(
                f"{files} could not be read: nothing imported "
                "(a whole file is never left out, even with --skip-rejected)."
            )
            sys.exit(1)
        if outcome.rejected and not opts["skip_rejected"]:
            self.stderr.write(
                f"{outcome.rejected:,} row{'s' if outcome.rejected != 1 else ''} rejected: nothing imported "
                f"(import {outcome.spend_import.pk} records them). Fix the files, or use --skip-rejected."
            )
            sys.exit(1)
        if outcome.totals_rows:
            many = outcome.totals_rows != 1
            self.stdout.write(
                f"{outcome.totals_rows:,} row{'s' if many else ''} adding up the payments "
                f"(Total, Grand total…) {'were' if many else 'was'} not read as payments."
            )
        if outcome.rounded:
            self.stdout.write(
                f"{outcome.rounded:,} amount{'s' if outcome.rounded != 1 else ''} had a fraction of a penny "
                "and were rounded to the penny (half a penny or more away from zero)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {outcome.imported:,} payments totalling "
                f"£{format_pounds(outcome.imported_pennies)} into {council.name} in {seconds:.1f} s "
                f"({outcome.rows_read / max(seconds, 1e-9):,.0f} rows/s); "
                f"{outcome.already:,} rows were imported before and were not added again. "
                f"The files total £{format_pounds(outcome.total_pennies)}."
            )
        )
        if outcome.rejected:
            self.stderr.write(f"{outcome.rejected:,} rejected rows were left out.")
            sys.exit(2)

    def _contracts(self, council: Council, opts: dict[str, Any]) -> None:
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        source = SpendSource.from_path(path)
        try:
            headers = register_headers(source)
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        columns = parse_columns(opts["columns"], CONTRACT_FIELDS)
        try:
            check_columns_apply([(source.name, headers)], columns)
            mapping = with_columns(headers, columns, CONTRACT_FIELDS)
        except ColumnsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{source.name}: columns " + ", ".join(f"{k} <- {v}" for k, v in mapping.items()))
        result = read_register(source, mapping)
        if result.errors:
            for error in result.errors[:1000]:
                self.stderr.write(str(error))
            self.stderr.write(
                f"{len(result.errors):,} problems: nothing imported; the register is unchanged."
            )
            sys.exit(1)
        count = services.contracts_replace(
            council=council, rows=result.contracts, actor=None, source=source.name
        )
        linked = sum(1 for line in selectors.contracts(council) if line.contract.supplier_id)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {count:,} contracts into {council.name}, replacing the register; "
                f"{linked:,} are linked to suppliers paid."
            )
        )
