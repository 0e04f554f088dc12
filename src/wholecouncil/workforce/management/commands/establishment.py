from __future__ import annotations

from argparse import ArgumentParser
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wholecouncil.council.models import Council
from wholecouncil.tabular import TableError, format_money, read_table
from wholecouncil.workforce import services
from wholecouncil.workforce.engine import (
    ESTABLISHMENT_FIELDS,
    FIELDS_BY_NAME,
    PATH_SEPARATORS,
    ImportOptions,
    parse_establishment,
    suggest_mapping,
)


def parse_columns(text: str) -> dict[str, str]:
    """'job_title=JobTitle,directorate=Directorate' -> {field: header}. 'team=' leaves team out."""
    found: dict[str, str] = {}
    for pair in (p for p in text.split(",") if p.strip()):
        name, sep, header = pair.partition("=")
        name = name.strip()
        if not sep:
            raise CommandError(f"--columns: '{pair}' should look like field=Column header")
        if name not in FIELDS_BY_NAME:
            fields = ", ".join(f.name for f in ESTABLISHMENT_FIELDS)
            raise CommandError(f"--columns: '{name}' is not a field. The fields are: {fields}")
        found[name] = header.strip()
    return found


def _posts(count: int) -> str:
    return f"{count} post{'s' if count != 1 else ''}"


class Command(BaseCommand):
    help = (
        "Import an establishment list (CSV or XLSX): "
        "`wholecouncil establishment import FILE --council SLUG [--columns field=Header,...] [--dry-run]`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import", help="Check an establishment file and replace the council's posts with it"
        )
        imp.add_argument("file", type=Path, help="A CSV or XLSX file with one row per post")
        imp.add_argument("--council", required=True, help="The council's short name (slug)")
        imp.add_argument(
            "--columns",
            default="",
            help="field=Column header pairs, comma-separated, overriding the suggested columns "
            "(field= leaves a field out). See `wholecouncil establishment fields`.",
        )
        imp.add_argument("--on-cost-rate", default="0.28", help="Employer on-costs as a fraction of salary")
        imp.add_argument("--path-separator", default="auto", choices=list(PATH_SEPARATORS))
        imp.add_argument(
            "--sheet", default=None, help="Worksheet to read from an XLSX file (default: the first)"
        )
        imp.add_argument(
            "--part-time-salaries",
            action="store_true",
            help="Salaries are already for the post's hours (do not multiply them by FTE)",
        )
        imp.add_argument("--dry-run", action="store_true", help="Check the file and report; import nothing")
        sub.add_parser("fields", help="List the fields a column can be matched to")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "fields":
            for f in ESTABLISHMENT_FIELDS:
                self.stdout.write(f"{f.name:<14} {f.label}. {f.hint}".rstrip())
            return
        self._import(opts)

    def _import(self, opts: dict[str, Any]) -> None:
        council = Council.objects.filter(slug=opts["council"]).first()
        if council is None:
            raise CommandError(f"No council with the short name '{opts['council']}'.")
        path: Path = opts["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        content = path.read_bytes()
        try:
            table = read_table(path.name, content, sheet=opts["sheet"])
        except TableError as exc:
            raise CommandError(str(exc)) from exc
        suggested = suggest_mapping(table.headers)
        self._show_mapping("Suggested columns", suggested)
        mapping = {**suggested, **parse_columns(opts["columns"])}
        mapping = {k: v for k, v in mapping.items() if v}
        if mapping != suggested:
            self._show_mapping("Columns used", mapping)
        try:
            rate = Decimal(opts["on_cost_rate"])
        except InvalidOperation as exc:
            raise CommandError(
                f"--on-cost-rate: '{opts['on_cost_rate']}' is not a number such as 0.28"
            ) from exc
        options = ImportOptions(
            on_cost_rate=rate,
            path_separator=opts["path_separator"],
            salary_is_full_time=not opts["part_time_salaries"],
        )
        result = parse_establishment(table.name, table.headers, table.rows, mapping, options)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            count = len(result.errors)
            raise CommandError(f"{count} error{'s' if count != 1 else ''} in {table.name}: nothing imported.")
        totals = result.totals
        self.stdout.write(
            f"{table.name}: {totals.posts} posts, {totals.fte:f} FTE, {totals.vacant} vacant, "
            f"{totals.units} org units, annual cost {format_money(totals.annual_cost)} including on-costs"
            + (f" ({totals.uncosted} posts without a cost)" if totals.uncosted else "")
        )
        for warning in result.warnings:
            self.stdout.write(f"Warning: {warning}")
        if opts["dry_run"]:
            self.stdout.write("Dry run: nothing imported.")
            return
        with transaction.atomic():
            imp = services.establishment_upload(
                council=council, file_name=path.name, content=content, actor=None, sheet=opts["sheet"]
            )
            imp = services.establishment_check(imp=imp, mapping=mapping, options=options)
            summary = services.establishment_commit(imp=imp, actor=None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {_posts(summary.posts)} into {council.name}, replacing {summary.before['posts']}; "
                f"{summary.units_created} new org units."
            )
        )

    def _show_mapping(self, title: str, mapping: dict[str, str]) -> None:
        self.stdout.write(f"{title}:")
        for f in ESTABLISHMENT_FIELDS:
            if f.name in mapping:
                self.stdout.write(f"  {f.name:<14} <- {mapping[f.name]}")
