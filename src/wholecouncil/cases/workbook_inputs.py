"""The input sheets of the case workbook: Assumptions, Releases, Opportunities and Costs (see workbook.py)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from xlsxwriter.utility import xl_col_to_name

from wholecouncil.cases import engine as E
from wholecouncil.cases.convert import by_year
from wholecouncil.cases.models import CostLine
from wholecouncil.cases.selectors import CaseFigures
from wholecouncil.tabular.xlsx import new_workbook


def num(value: Decimal | float | int | None) -> float:
    return float(value) if value is not None else 0.0


class Book:
    def __init__(self, cache: bool) -> None:
        self.buffer = io.BytesIO()
        self.wb = new_workbook(self.buffer)
        self.cache = cache
        self.bold = self.wb.add_format({"bold": True})
        self.money = self.wb.add_format({"num_format": "£#,##0.00;-£#,##0.00"})
        self.money_bold = self.wb.add_format({"num_format": "£#,##0.00;-£#,##0.00", "bold": True})
        self.pct = self.wb.add_format({"num_format": "0.00"})
        self.frac = self.wb.add_format({"num_format": "0.0000"})
        self.fte = self.wb.add_format({"num_format": "#,##0.0"})
        self.input = self.wb.add_format({"bg_color": "#FFF7BF", "num_format": "#,##0.00"})

    def formula(self, ws: Any, row: int, col: int, text: str, fmt: Any, value: Any) -> None:
        """A formula with the app's figure as its cached value (or 0, to prove a recalculation)."""
        cached = value if self.cache else 0
        if isinstance(cached, Decimal):
            cached = float(cached)
        ws.write_formula(row, col, text, fmt, cached)


def assumptions_sheet(book: Book, figures: CaseFigures, result: E.CaseResult) -> None:
    case = figures.case
    ws = book.wb.add_worksheet("Assumptions")
    ws.set_column(0, 0, 48)
    ws.set_column(1, case.years + 1, 16)
    wf = result.case.workforce
    rows: list[tuple[str, str, Any, Any]] = [
        ("Discount rate, %", "DiscountRate", case.discount_rate_pct, book.input),
        ("Optimism bias uplift on costs, %", "OptimismBias", case.optimism_bias_pct, book.input),
        (
            "Average cost of a post per FTE, £",
            "AvgCostPerFTE",
            wf.average_cost_per_fte if wf else 0,
            book.input,
        ),
        (
            "Share of leavers whose posts can be deleted, %",
            "TurnoverCapture",
            case.turnover_capture_pct,
            book.input,
        ),
        (
            "Share of remaining affected staff redeployed, %",
            "Redeployment",
            case.redeployment_pct,
            book.input,
        ),
        ("Average redundancy cost, £", "AvgRedundancy", case.average_redundancy_cost, book.input),
        (
            "Redundancy cost from the workforce impact in one-off costs (1 yes, 0 no)",
            "RedundancyInCosts",
            1 if case.redundancy_in_costs else 0,
            book.input,
        ),
        ("Workforce impact worked out (1 yes, 0 no)", "WorkforceOn", 1 if wf else 0, book.input),
    ]
    ws.write(0, 0, f"{case.name}: assumptions", book.bold)
    for i, (label, name, value, fmt) in enumerate(rows, start=1):
        ws.write(i, 0, label)
        ws.write_number(i, 1, num(value), fmt)
        book.wb.define_name(name, f"=Assumptions!$B${i + 1}")
    base = len(rows) + 2
    ws.write(base, 0, "Financial year", book.bold)
    turnover = by_year(case.turnover_fte, case.years)
    gaps = by_year(case.mtfp_gap, case.years)
    for y, fy in enumerate(case.year_labels):
        ws.write(base, 1 + y, str(fy), book.bold)
        ws.write_number(base + 1, 1 + y, num(turnover[y]), book.input)
        ws.write_number(base + 2, 1 + y, num(gaps[y]), book.input)
    ws.write(base + 1, 0, "Leavers (natural turnover), FTE")
    ws.write(base + 2, 0, "MTFP gap, £")
    ws.write(base + 4, 0, "Yellow cells are inputs: change them and every total recalculates.")


def releases_sheet(book: Book, figures: CaseFigures) -> None:
    """The release table: each release's code, name and go-live year (as a year of the case, an input)."""
    case = figures.case
    ws = book.wb.add_worksheet("Releases")
    ws.set_column(0, 0, 46)
    ws.set_column(1, len(figures.releases) + 1, 22)
    labels = (
        "Release",
        "Name",
        "Goes live (financial year)",
        f"Goes live in year of the case (1 = {case.year_labels[0]})",
    )
    for row, text in enumerate(labels):
        ws.write(row, 0, text, book.bold)
    for col, rel in enumerate(figures.releases, start=1):
        c = xl_col_to_name(col)
        ws.write(0, col, rel.code, book.bold)
        ws.write(1, col, rel.name)
        book.formula(
            ws,
            2,
            col,
            f'=TEXT({case.first_year - 1}+{c}4,"0")&"/"&RIGHT(TEXT({case.first_year}+{c}4,"0"),2)',
            None,
            str(rel.go_live),
        )
        ws.write_number(3, col, rel.go_live_year - case.first_year + 1, book.input)
    ws.write(
        5,
        0,
        "An opportunity phased by release gets, in each year, the shares of the releases going live then.",
    )


def opportunities_sheet(
    book: Book, figures: CaseFigures, lines: Sequence[E.LineResult], average: Decimal
) -> tuple[str, int]:
    ws = book.wb.add_worksheet("Opportunities")
    heads = [
        "Code",
        "Name",
        "Layer",
        "Lever",
        "Baseline £",
        "Low %",
        "High %",
        "Low £",
        "High £",
        "Mid £",
        "Point",
        "Custom £",
        "Value used £",
        "Staff %",
        "Staff value £",
        "Cost per FTE £",
        "Posts at full year, FTE",
    ]
    case_years = figures.case.years
    releases = figures.releases
    first_phase = len(heads)
    first_share = first_phase + case_years
    for col, text in enumerate(heads):
        ws.write(0, col, text, book.bold)
    for y in range(case_years):
        ws.write(0, first_phase + y, f"Phasing year {y + 1}", book.bold)
    for k, rel in enumerate(releases):
        ws.write(0, first_share + k, f"Share {rel.code} %", book.bold)
    ws.set_column(1, 1, 40)
    ws.set_column(2, first_share + len(releases), 14)
    if releases:
        go_live = f"Releases!$B$4:${xl_col_to_name(len(releases))}$4"
        shares = (xl_col_to_name(first_share), xl_col_to_name(first_share + len(releases) - 1))
    for i, ln in enumerate(lines, start=1):
        r = i + 1  # spreadsheet row number
        opp, rng = ln.opportunity, ln.range
        ws.write(i, 0, opp.code)
        ws.write(i, 1, opp.name)
        ws.write(i, 2, opp.layer)
        ws.write(i, 3, opp.lever)
        if rng.baseline is not None:
            ws.write_number(i, 4, num(rng.baseline), book.input)
        if opp.is_percentage:
            ws.write_number(i, 5, num(opp.low_pct), book.input)
            ws.write_number(i, 6, num(opp.high_pct), book.input)
            book.formula(ws, i, 7, f"=E{r}*F{r}/100", book.money, rng.low)
            book.formula(ws, i, 8, f"=E{r}*G{r}/100", book.money, rng.high)
        else:
            ws.write_number(i, 7, num(rng.low), book.input)
            ws.write_number(i, 8, num(rng.high), book.input)
        book.formula(ws, i, 9, f"=(H{r}+I{r})/2", book.money, rng.mid)
        ws.write(i, 10, str(ln.point), book.input)
        if ln.point is E.Point.CUSTOM:
            ws.write_number(i, 11, num(ln.value), book.input)
        book.formula(
            ws,
            i,
            12,
            f'=IF(K{r}="low",H{r},IF(K{r}="high",I{r},IF(K{r}="mid",J{r},L{r})))',
            book.money,
            ln.value,
        )
        ws.write_number(i, 13, num(opp.staff_pct), book.input)
        staff = ln.value * opp.staff_pct / 100
        book.formula(ws, i, 14, f"=M{r}*N{r}/100", book.money, staff)
        if ln.cost_per_fte is not None:
            ws.write_number(i, 15, num(ln.cost_per_fte), book.input)
        else:
            book.formula(ws, i, 15, "=AvgCostPerFTE", book.money, average)
        per_fte = ln.cost_per_fte or average
        book.formula(ws, i, 16, f"=IF(P{r}>0,O{r}/P{r},0)", book.fte, staff / per_fte if per_fte else 0)
        if ln.release_shares:
            given = dict(ln.release_shares)
            for k, rel in enumerate(releases):
                ws.write_number(i, first_share + k, num(given.get(rel.code, 0)), book.input)
            for y, f in enumerate(ln.phasing):
                book.formula(
                    ws,
                    i,
                    first_phase + y,
                    f"=SUMPRODUCT(({go_live}={y + 1})*({shares[0]}{r}:{shares[1]}{r}))/100",
                    book.frac,
                    f,
                )
        else:
            for y, f in enumerate(ln.phasing):
                ws.write_number(i, first_phase + y, num(f), book.input)
    last = max(len(lines) + 1, 2)
    return xl_col_to_name(first_phase), last


def costs_sheet(book: Book, figures: CaseFigures, costs: Sequence[CostLine]) -> int:
    case = figures.case
    ws = book.wb.add_worksheet("Costs")
    ws.write_row(0, 0, ["Cost", "Type"], book.bold)
    for y, label in enumerate(case.year_labels):
        ws.write(0, 2 + y, str(label), book.bold)
    ws.write(0, 2 + case.years, "Range low %", book.bold)
    ws.write(0, 3 + case.years, "Range high %", book.bold)
    ws.set_column(0, 0, 44)
    ws.set_column(1, 3 + case.years, 16)
    for i, cost in enumerate(costs, start=1):
        ws.write(i, 0, cost.name)
        ws.write(i, 1, cost.kind)
        for y, amount in enumerate(by_year(cost.amounts, case.years)):
            ws.write_number(i, 2 + y, num(amount), book.input)
        ws.write_number(i, 2 + case.years, num(cost.low_pct))
        ws.write_number(i, 3 + case.years, num(cost.high_pct))
    ws.write(len(costs) + 2, 0, "Types: implementation, technology, change-support, redundancy, recurring.")
    return max(len(costs) + 1, 2)
