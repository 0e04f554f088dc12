"""The case as an XLSX workbook with live formulas: finance can change an assumption and see it recalculate.

Sheets: Assumptions (rates, workforce terms, turnover and MTFP gap by year), Opportunities (each chosen
opportunity's baseline, range, point, value and phasing), Costs (as entered, by year) and Profile (the case by
year: benefit, workforce, costs by type, net, cumulative, discounting, NPV and payback). Every figure the app
computes is a formula here, rounded where the engine rounds (each year's increment and each cost after
uplift), and written with its cached value equal to the app's figure.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from wholecouncil.cases import engine as E
from wholecouncil.cases.convert import by_year
from wholecouncil.cases.models import CostLine
from wholecouncil.cases.selectors import CaseFigures

COST_TYPES = ("implementation", "technology", "change-support", "redundancy")


def _f(value: Decimal | float | int | None) -> float:
    return float(value) if value is not None else 0.0


class _Book:
    def __init__(self, cache: bool) -> None:
        self.buffer = io.BytesIO()
        self.wb = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
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


def _assumptions(book: _Book, figures: CaseFigures, result: E.CaseResult) -> None:
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
        ws.write_number(i, 1, _f(value), fmt)
        book.wb.define_name(name, f"=Assumptions!$B${i + 1}")
    base = len(rows) + 2
    ws.write(base, 0, "Financial year", book.bold)
    turnover = by_year(case.turnover_fte, case.years)
    gaps = by_year(case.mtfp_gap, case.years)
    for y, fy in enumerate(case.year_labels):
        ws.write(base, 1 + y, str(fy), book.bold)
        ws.write_number(base + 1, 1 + y, _f(turnover[y]), book.input)
        ws.write_number(base + 2, 1 + y, _f(gaps[y]), book.input)
    ws.write(base + 1, 0, "Leavers (natural turnover), FTE")
    ws.write(base + 2, 0, "MTFP gap, £")
    ws.write(base + 4, 0, "Yellow cells are inputs: change them and every total recalculates.")


def _opportunities(book: _Book, case_years: int, lines: Sequence[E.LineResult]) -> tuple[str, int]:
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
    ]
    first_phase = len(heads)
    for col, text in enumerate(heads):
        ws.write(0, col, text, book.bold)
    for y in range(case_years):
        ws.write(0, first_phase + y, f"Phasing year {y + 1}", book.bold)
    ws.set_column(1, 1, 40)
    ws.set_column(2, first_phase + case_years, 14)
    for i, ln in enumerate(lines, start=1):
        r = i + 1  # spreadsheet row number
        opp, rng = ln.opportunity, ln.range
        ws.write(i, 0, opp.code)
        ws.write(i, 1, opp.name)
        ws.write(i, 2, opp.layer)
        ws.write(i, 3, opp.lever)
        if rng.baseline is not None:
            ws.write_number(i, 4, _f(rng.baseline), book.input)
        if opp.is_percentage:
            ws.write_number(i, 5, _f(opp.low_pct), book.input)
            ws.write_number(i, 6, _f(opp.high_pct), book.input)
            book.formula(ws, i, 7, f"=E{r}*F{r}/100", book.money, rng.low)
            book.formula(ws, i, 8, f"=E{r}*G{r}/100", book.money, rng.high)
        else:
            ws.write_number(i, 7, _f(rng.low), book.input)
            ws.write_number(i, 8, _f(rng.high), book.input)
        book.formula(ws, i, 9, f"=(H{r}+I{r})/2", book.money, rng.mid)
        ws.write(i, 10, str(ln.point), book.input)
        if ln.point is E.Point.CUSTOM:
            ws.write_number(i, 11, _f(ln.value), book.input)
        book.formula(
            ws,
            i,
            12,
            f'=IF(K{r}="low",H{r},IF(K{r}="high",I{r},IF(K{r}="mid",J{r},L{r})))',
            book.money,
            ln.value,
        )
        ws.write_number(i, 13, _f(opp.staff_pct), book.input)
        book.formula(ws, i, 14, f"=M{r}*N{r}/100", book.money, ln.value * opp.staff_pct / 100)
        for y, f in enumerate(ln.phasing):
            ws.write_number(i, first_phase + y, _f(f), book.input)
    last = max(len(lines) + 1, 2)
    return xl_col_to_name(first_phase), last


def _costs(book: _Book, figures: CaseFigures, costs: Sequence[CostLine]) -> int:
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
            ws.write_number(i, 2 + y, _f(amount), book.input)
        ws.write_number(i, 2 + case.years, _f(cost.low_pct))
        ws.write_number(i, 3 + case.years, _f(cost.high_pct))
    ws.write(len(costs) + 2, 0, "Types: implementation, technology, change-support, redundancy, recurring.")
    return max(len(costs) + 1, 2)


def _profile(
    book: _Book, figures: CaseFigures, result: E.CaseResult, phase_col: str, opp_last: int, cost_last: int
) -> None:
    case = figures.case
    n = case.years
    ws = book.wb.add_worksheet("Profile")
    ws.set_column(0, 0, 52)
    ws.set_column(1, n + 1, 16)
    ys = result.years
    opp_range = f"$2:${opp_last}"

    def rng(sheet: str, col: str) -> str:
        a, b = opp_range.split(":")
        return f"{sheet}!${col}{a}:${col}{b}"

    labels: dict[str, int] = {}
    order = [
        ("year", "Financial year"),
        ("t", "Years from the start (discounting)"),
        ("inc", "Recurring benefit delivered in-year"),
        ("cum", "Cumulative recurring benefit"),
        ("staff", "Staff-cost part of the in-year benefit"),
        ("posts", "Posts reduced, FTE"),
        ("leavers", "Leavers, FTE"),
        ("absorbed", "Absorbed by turnover, FTE"),
        ("redeployed", "Redeployed, FTE"),
        ("at_risk", "Not absorbed: at risk of redundancy, FTE"),
        ("red_cost", "Redundancy cost before optimism bias"),
        ("implementation", "One-off: implementation"),
        ("technology", "One-off: technology"),
        ("change-support", "One-off: change support"),
        ("redundancy", "One-off: redundancy"),
        ("one_off", "One-off costs"),
        ("recurring", "Recurring costs"),
        ("net", "Net position"),
        ("cum_net", "Cumulative net position"),
        ("factor", "Discount factor"),
        ("stays", "Cumulative net stays at 0 or more from here"),
        ("gap", "MTFP gap"),
        ("closed", "Gap closed (recurring benefit less recurring costs)"),
        ("remaining", "Remaining gap"),
    ]
    for i, (key, text) in enumerate(order):
        labels[key] = i
        ws.write(i, 0, text, book.bold if key in {"year", "cum", "net", "cum_net"} else None)
    cost_types = f"Costs!$B$2:$B${cost_last}"

    def cell(key: str, y: int, absolute: bool = False) -> str:
        return xl_rowcol_to_cell(labels[key], 1 + y, row_abs=absolute, col_abs=absolute)

    for y in range(n):
        col = 1 + y
        c = xl_col_to_name(col)
        phase = xl_col_to_name(_col_index(phase_col) + y)
        cost_col = xl_col_to_name(2 + y)
        yf = ys[y]
        w = yf.workforce
        ws.write(labels["year"], col, str(yf.year), book.bold)
        ws.write_number(labels["t"], col, y)
        book.formula(
            ws,
            labels["inc"],
            col,
            f"=ROUND(SUMPRODUCT({rng('Opportunities', 'M')},{rng('Opportunities', phase)}),2)",
            book.money,
            yf.recurring_in_year,
        )
        prev = f"+{cell('cum', y - 1)}" if y else ""
        book.formula(
            ws, labels["cum"], col, f"={cell('inc', y)}{prev}", book.money_bold, yf.cumulative_recurring
        )
        staff = sum((ln.increments[y] * ln.opportunity.staff_pct / 100 for ln in result.lines), Decimal(0))
        book.formula(
            ws,
            labels["staff"],
            col,
            f"=SUMPRODUCT({rng('Opportunities', 'O')},{rng('Opportunities', phase)})",
            book.money,
            staff,
        )
        book.formula(
            ws,
            labels["posts"],
            col,
            f"=IF(WorkforceOn=1,MAX({c}{labels['staff'] + 1},0)/AvgCostPerFTE,0)",
            book.fte,
            w.posts_reduced if w else 0,
        )
        ws.write_formula(
            labels["leavers"],
            col,
            f"=Assumptions!{c}12",
            book.fte,
            _f(w.leavers) if w else _f(by_year(case.turnover_fte, n)[y]),
        )
        book.formula(
            ws,
            labels["absorbed"],
            col,
            f"=MIN({cell('posts', y)},{cell('leavers', y)}*TurnoverCapture/100)",
            book.fte,
            w.absorbed_by_turnover if w else 0,
        )
        book.formula(
            ws,
            labels["redeployed"],
            col,
            f"=({cell('posts', y)}-{cell('absorbed', y)})*Redeployment/100",
            book.fte,
            w.redeployed if w else 0,
        )
        book.formula(
            ws,
            labels["at_risk"],
            col,
            f"=({cell('posts', y)}-{cell('absorbed', y)})*(1-Redeployment/100)",
            book.fte,
            w.not_absorbed if w else 0,
        )
        book.formula(
            ws,
            labels["red_cost"],
            col,
            f"={cell('at_risk', y)}*AvgRedundancy",
            book.money,
            w.redundancy_cost if w else 0,
        )
        for kind in COST_TYPES:
            extra = f"+RedundancyInCosts*{cell('red_cost', y)}" if kind == "redundancy" else ""
            book.formula(
                ws,
                labels[kind],
                col,
                f'=ROUND((SUMIF({cost_types},"{kind}",Costs!{cost_col}$2:{cost_col}${cost_last}){extra})'
                f"*(1+OptimismBias/100),2)",
                book.money,
                yf.one_off_by_type.get(E.CostType(kind), 0),
            )
        book.formula(
            ws,
            labels["one_off"],
            col,
            f"=SUM({cell('implementation', y)}:{cell('redundancy', y)})",
            book.money,
            yf.one_off_costs,
        )
        book.formula(
            ws,
            labels["recurring"],
            col,
            f'=ROUND(SUMIF({cost_types},"recurring",Costs!{cost_col}$2:{cost_col}${cost_last})'
            f"*(1+OptimismBias/100),2)",
            book.money,
            yf.recurring_costs,
        )
        book.formula(
            ws,
            labels["net"],
            col,
            f"={cell('cum', y)}-{cell('one_off', y)}-{cell('recurring', y)}",
            book.money_bold,
            yf.net,
        )
        prev = f"+{cell('cum_net', y - 1)}" if y else ""
        book.formula(
            ws, labels["cum_net"], col, f"={cell('net', y)}{prev}", book.money_bold, yf.cumulative_net
        )
        book.formula(
            ws,
            labels["factor"],
            col,
            f"=1/(1+DiscountRate/100)^{cell('t', y)}",
            book.frac,
            1 / (1 + float(case.discount_rate_pct) / 100) ** y,
        )
        later = f",{cell('stays', y + 1)}" if y < n - 1 else ""
        stays = all(v.cumulative_net >= 0 for v in ys[y:])
        book.formula(ws, labels["stays"], col, f"=AND({cell('cum_net', y)}>=0{later})", None, stays)
        ws.write_formula(labels["gap"], col, f"=Assumptions!{c}13", book.money, _f(yf.mtfp_gap))
        book.formula(
            ws, labels["closed"], col, f"={cell('cum', y)}-{cell('recurring', y)}", book.money, yf.gap_closed
        )
        book.formula(
            ws,
            labels["remaining"],
            col,
            f"={cell('gap', y)}-{cell('closed', y)}",
            book.money,
            (yf.mtfp_gap or 0) - yf.gap_closed,
        )
    last_col = xl_col_to_name(n)
    base = len(order) + 1
    net_row, factor_row = labels["net"] + 1, labels["factor"] + 1
    ws.write(base, 0, "Net present value", book.bold)
    book.formula(
        ws,
        base,
        1,
        f"=ROUND(SUMPRODUCT(B{net_row}:{last_col}{net_row},B{factor_row}:{last_col}{factor_row}),2)",
        book.money_bold,
        result.npv,
    )
    ws.write(base + 1, 0, "Payback year", book.bold)
    stays_row = labels["stays"] + 1
    book.formula(
        ws,
        base + 1,
        1,
        f'=IFERROR(INDEX(B1:{last_col}1,MATCH(TRUE,B{stays_row}:{last_col}{stays_row},0)),"None")',
        None,
        str(result.payback_year) if result.payback_year else "None",
    )
    for k, (text, column, value) in enumerate(
        (
            ("Full-year saving, low", "H", result.total_low),
            ("Full-year saving, mid", "J", result.total_mid),
            ("Full-year saving, high", "I", result.total_high),
            ("Full-year saving chosen", "M", result.chosen_full_year),
        )
    ):
        ws.write(base + 2 + k, 0, text, book.bold)
        book.formula(
            ws, base + 2 + k, 1, f"=SUMPRODUCT(ROUND({rng('Opportunities', column)},2))", book.money, value
        )


def _col_index(name: str) -> int:
    idx = 0
    for ch in name:
        idx = idx * 26 + (ord(ch) - 64)
    return idx - 1


# Where each figure sits on the Profile sheet, for readers (and the recalculation test).
PROFILE_ROWS = {
    "recurring_in_year": 3,
    "cumulative_recurring": 4,
    "one_off_costs": 16,
    "recurring_costs": 17,
    "net": 18,
    "cumulative_net": 19,
    "gap_closed": 23,
}
PROFILE_SUMMARY_ROW = 26  # NPV in B26, payback in B27, totals low/mid/high/chosen in B28:B31


def case_workbook(figures: CaseFigures, cache: bool = True) -> bytes:
    """The shown option's workbook. With cache=False every formula's cached value is 0 (for tests)."""
    shown = figures.shown
    if shown is None or shown.result is None:
        raise ValueError("This option cannot be computed yet, so there is no workbook for it.")
    result = shown.result
    book = _Book(cache)
    _assumptions(book, figures, result)
    phase_col, opp_last = _opportunities(book, figures.case.years, result.lines)
    costs = list(shown.option.costs.all())
    cost_last = _costs(book, figures, costs)
    _profile(book, figures, result, phase_col, opp_last, cost_last)
    book.wb.get_worksheet_by_name("Profile").activate()
    book.wb.close()
    return book.buffer.getvalue()
