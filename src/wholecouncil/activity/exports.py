"""The activity baseline as an XLSX workbook: the same figures, and the same hidden cells, as the pages.

Every hidden figure is written as the same marker, `HIDDEN_MARK`; a blank cell means there is no figure (a
directorate with no answers). Comments are never included.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from wholecouncil.activity.models import Comparator
from wholecouncil.activity.results import Cell, SurveyBaseline
from wholecouncil.council.models import Council
from wholecouncil.tabular.xlsx import new_workbook

HIDDEN_MARK = "[hidden]"
ILLUSTRATIVE = "Illustrative: made-up figures that describe no real council; do not quote them"


class _Hidden:
    """A figure that is not published (written as `HIDDEN_MARK`)."""


HIDDEN = _Hidden()


class _Book:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = new_workbook(self.buffer)
        self.bold = self.book.add_format({"bold": True})
        self.head = self.book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.fte = self.book.add_format({"num_format": "#,##0.00"})
        self.money = self.book.add_format({"num_format": "£#,##0.00"})
        self.pct = self.book.add_format({"num_format": "0.0%"})
        self.points = self.book.add_format({"num_format": "+0.0%;-0.0%;0.0%"})

    def table(
        self, name: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], formats: Sequence[Any]
    ) -> Any:
        sheet = self.book.add_worksheet(name)
        for col, text in enumerate(headers):
            sheet.write(0, col, text, self.head)
            sheet.set_column(col, col, 40 if col == 0 else 16)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                _write(sheet, r, col, value, formats[col] if col < len(formats) else None)
        sheet.freeze_panes(1, 1)
        return sheet

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _write(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is HIDDEN:
        sheet.write_string(row, col, HIDDEN_MARK)
    elif value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, str):
        sheet.write_string(row, col, value)
    elif fmt is not None:
        sheet.write_number(row, col, float(value), fmt)
    else:
        sheet.write_number(row, col, float(value))


def _figure(row: dict[str, Any], key: str) -> Any:
    return HIDDEN if row["hidden"] else row[key]


def _cell(cell: Cell, key: str) -> Any:
    return HIDDEN if cell.hidden else getattr(cell, key)


def baseline_workbook(
    council: Council, result: SurveyBaseline, *, comparators: Sequence[Comparator] = ()
) -> bytes:
    out = _Book()
    _about(out, council, result, comparators)
    _council_sheets(out, result)
    _directorate_sheets(out, result)
    _unit_sheets(out, result)
    _fragmentation(out, result)
    _comparison(out, result, comparators)
    return out.close()


def _about(out: _Book, council: Council, result: SurveyBaseline, comparators: Sequence[Comparator]) -> None:
    totals = result.totals()
    about = out.book.add_worksheet("About")
    about.set_column(0, 0, 34)
    about.set_column(1, 1, 90)
    lines: list[tuple[str, Any]] = [
        ("Council", council.name),
        ("Survey", result.survey.title),
        ("Respondents (answers used)", totals["submitted"]),
        ("Invited", totals["invited"]),
        ("Establishment FTE", float(totals["establishment_fte"])),
        ("Establishment annual cost (£)", float(totals["establishment_cost"])),
        ("Unallocated FTE (units with no answers)", float(totals["unallocated_fte"])),
        ("Unallocated annual cost (£)", float(totals["unallocated_cost"])),
        (
            "Method",
            "Within each unit, respondents' hours give effort shares by process; the shares are applied "
            "to the unit's establishment FTE and annual cost. Units with no answers are unallocated, "
            "not guessed.",
        ),
        (
            "Anonymity",
            f"No figure is given for a group of fewer than {result.minimum} respondents, nor any figure from "
            f"which one could be worked out by subtraction. Every such cell reads '{HIDDEN_MARK}'. In the "
            "fragmentation measures the units whose figures are hidden count together as one unit.",
        ),
    ]
    if any(c.illustrative for c in comparators):
        lines.append(
            ("Comparators", "The Comparison sheet includes an illustrative comparator. " + ILLUSTRATIVE)
        )
    if council.is_demo:
        lines.insert(0, ("Demo", "A fictional council: every figure is made up."))
    for row, (key, value) in enumerate(lines):
        about.write(row, 0, key, out.bold)
        about.write(row, 1, value)


def _council_sheets(out: _Book, result: SurveyBaseline) -> None:
    out.table(
        "By layer",
        ["Layer", "FTE", "Annual cost (£)", "Share of allocated effort"],
        [
            [r["name"], _figure(r, "fte"), _figure(r, "cost"), _figure(r, "share")]
            for r in result.layer_rows()
        ],
        [None, out.fte, out.money, out.pct],
    )
    out.table(
        "By process",
        ["Code", "Process", "Layer", "FTE", "Annual cost (£)", "Share of allocated effort"],
        [
            [r["code"], r["name"], r["layer"], _figure(r, "fte"), _figure(r, "cost"), _figure(r, "share")]
            for r in result.process_rows()
        ],
        [None, None, None, out.fte, out.money, out.pct],
    )


def _directorate_sheets(out: _Book, result: SurveyBaseline) -> None:
    columns, rows = result.by_directorate()
    names = [c.name for c in columns]
    for title, key, fmt, unit in (("", "fte", out.fte, "FTE"), (" (£)", "cost", out.money, "£")):
        out.table(
            f"Process by directorate{title}",
            ["Process", *(f"{n} ({unit})" for n in names)],
            [[r["name"], *(_cell(c, key) for c in r["cells"])] for r in rows],
            [None, *(fmt for _ in names)],
        )
    _, layer_rows = result.layer_by_directorate()
    out.table(
        "Layer by directorate",
        ["Layer", *(f"{n} (FTE)" for n in names), *(f"{n} (£)" for n in names)],
        [
            [r["name"], *(_cell(c, "fte") for c in r["cells"]), *(_cell(c, "cost") for c in r["cells"])]
            for r in layer_rows
        ],
        [None, *(out.fte for _ in names), *(out.money for _ in names)],
    )


def _unit_sheets(out: _Book, result: SurveyBaseline) -> None:
    units, rows = result.unit_cells()
    for title, key, fmt, unit in ((" (FTE)", "fte", out.fte, "FTE"), (" (£)", "cost", out.money, "£")):
        out.table(
            f"Process by unit{title}",
            ["Process", *(f"{n.path} ({unit})" for n in units)],
            [[r["name"], *(_cell(c, key) for c in r["cells"])] for r in rows],
            [None, *(fmt for _ in units)],
        )
    out.table(
        "Units",
        ["Unit", "Posts", "Establishment FTE", "Annual cost (£)", "Respondents", "Status"],
        [
            [
                r["node"].path,
                r["posts"],
                r["fte"],
                r["cost"],
                _figure(r, "respondents"),
                "Hidden (small group)" if r["hidden"] else "Allocated" if r["allocated"] else "Unallocated",
            ]
            for r in result.unit_rows()
        ],
        [None, None, out.fte, out.money, None, None],
    )


def _fragmentation(out: _Book, result: SurveyBaseline) -> None:
    rows = result.fragmentation_rows()
    if result.everyone_hidden:
        rows = [{"code": p.code, "name": p.name, "hidden": True} for p in result.baseline.processes]
    out.table(
        "Fragmentation",
        [
            "Code",
            "Process",
            "Layer",
            "FTE",
            f"Units with at least {result.fragmentation.threshold_fte} FTE",
            "Effective number of units",
            "Share outside its home function",
            "Directorates with material effort",
        ],
        [_fragmentation_row(r) for r in rows],
        [None, None, None, out.fte, None, out.fte, out.pct, None],
    )


def _fragmentation_row(r: dict[str, Any]) -> list[Any]:
    if r.get("hidden"):
        return [r["code"], r["name"], "", HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN]
    if r["outside_home_hidden"]:
        outside: Any = HIDDEN
    elif r["outside_home_share"] is None:
        outside = "belongs in every team"
    else:
        outside = r["outside_home_share"]
    return [
        r["code"],
        r["name"],
        r["layer"],
        r["fte"],
        r["units"],
        r["effective_units"],
        outside,
        r["directorates"],
    ]


def _comparison(out: _Book, result: SurveyBaseline, comparators: Sequence[Comparator]) -> None:
    rows: list[list[Any]] = []
    for comparator in comparators:
        label = ILLUSTRATIVE if comparator.illustrative else comparator.source
        for r in result.comparison(comparator):
            ours = HIDDEN if r["hidden"] else r["share"]
            variance = HIDDEN if r["hidden"] else r["variance"]
            rows.append([comparator.name, label, r["name"], ours, r["comparator"], variance])
    sheet = out.table(
        "Comparison",
        [
            "Comparator",
            "Illustrative or source",
            "Layer or process",
            "Our share",
            "Comparator share",
            "Difference",
        ],
        rows,
        [None, None, None, out.pct, out.pct, out.points],
    )
    if not rows:
        sheet.write_string(1, 0, "No comparator profiles have been added.")
