"""The activity baseline as an XLSX workbook: the same figures, and the same hidden cells, as the pages."""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from wholecouncil.activity.selectors import SurveyBaseline
from wholecouncil.council.models import Council

HIDDEN = "[hidden: fewer than 5]"


def baseline_workbook(council: Council, result: SurveyBaseline) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
    fte = book.add_format({"num_format": "#,##0.00"})
    money = book.add_format({"num_format": "£#,##0.00"})
    pct = book.add_format({"num_format": "0.0%"})
    totals = result.totals()

    about = book.add_worksheet("About")
    about.set_column(0, 0, 34)
    about.set_column(1, 1, 70)
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
            "which one could be worked out by subtraction. Those cells read '" + HIDDEN + "'.",
        ),
    ]
    if council.is_demo:
        lines.insert(0, ("Demo", "A fictional council: every figure is made up."))
    for row, (key, value) in enumerate(lines):
        about.write(row, 0, key, bold)
        about.write(row, 1, value)

    layers = book.add_worksheet("By layer")
    _table(
        layers,
        head,
        ["Layer", "FTE", "Annual cost (£)", "Share of allocated effort"],
        [[r["name"], r["fte"], r["cost"], r["share"]] for r in result.layer_rows()],
        [None, fte, money, pct],
    )

    processes = book.add_worksheet("By process")
    _table(
        processes,
        head,
        ["Code", "Process", "Layer", "FTE", "Annual cost (£)", "Share of allocated effort"],
        [[r["code"], r["name"], r["layer"], r["fte"], r["cost"], r["share"]] for r in result.process_rows()],
        [None, None, None, fte, money, pct],
    )

    columns, rows = result.by_directorate()
    heat = book.add_worksheet("Process by directorate")
    _table(
        heat,
        head,
        ["Process", *(f"{c.name} (FTE)" for c in columns)],
        [[r["name"], *(None if c.hidden else c.fte for c in r["cells"])] for r in rows],
        [None, *(fte for _ in columns)],
        hidden=[[False, *(c.hidden for c in r["cells"])] for r in rows],
    )

    units = book.add_worksheet("Units")
    _table(
        units,
        head,
        ["Unit", "Posts", "Establishment FTE", "Annual cost (£)", "Respondents", "Status"],
        [
            [
                r["node"].path,
                r["posts"],
                r["fte"],
                r["cost"],
                r["respondents"],
                "Hidden (small group)" if r["hidden"] else "Allocated" if r["allocated"] else "Unallocated",
            ]
            for r in result.unit_rows()
        ],
        [None, None, fte, money, None, None],
        hidden=[[False, False, False, False, r["hidden"], False] for r in result.unit_rows()],
    )

    frag = book.add_worksheet("Fragmentation")
    _table(
        frag,
        head,
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
        [
            [
                r["code"],
                r["name"],
                r["layer"],
                r["fte"],
                r["units"],
                r["effective_units"],
                r["outside_home_share"],
                r["directorates"],
            ]
            for r in result.fragmentation_rows()
        ],
        [None, None, None, fte, None, fte, pct, None],
    )
    book.close()
    return buffer.getvalue()


def _table(
    sheet: Any,
    head: Any,
    headers: list[str],
    rows: list[list[Any]],
    formats: list[Any],
    *,
    hidden: list[list[bool]] | None = None,
) -> None:
    for col, text in enumerate(headers):
        sheet.write(0, col, text, head)
        sheet.set_column(col, col, 40 if col == 0 else 16)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if hidden is not None and hidden[r - 1][col]:
                sheet.write_string(r, col, HIDDEN)
            elif value is None:
                sheet.write_blank(r, col, None)
            elif isinstance(value, str):
                sheet.write_string(r, col, value)
            else:
                fmt = formats[col]
                sheet.write_number(r, col, float(value), fmt) if fmt else sheet.write_number(
                    r, col, float(value)
                )
    sheet.freeze_panes(1, 1)
