"""The case as an XLSX workbook with live formulas: finance can change an assumption and see it recalculate.

Sheets: Assumptions (rates, workforce terms, turnover and MTFP gap by year), Releases (when the case has
any: each release's go-live year, which the phasing of lines phased by release is worked out from),
Opportunities (each chosen opportunity's baseline, range, point, value, cost per FTE and phasing), Costs (as
entered, by year) and Profile (the case by year: benefit, workforce, costs by type, net, cumulative,
discounting, NPV and payback). Every figure the app computes is a formula here, rounded where the engine
rounds (each year's increment and each cost after uplift), and written with its cached value equal to the
app's figure.
"""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from wholecouncil.cases import engine as E
from wholecouncil.cases.convert import by_year
from wholecouncil.cases.selectors import CaseFigures
from wholecouncil.cases.workbook_inputs import (
    Book,
    assumptions_sheet,
    costs_sheet,
    num,
    opportunities_sheet,
    releases_sheet,
)

COST_TYPES = ("implementation", "technology", "change-support", "redundancy")


def _profile(
    book: Book, figures: CaseFigures, result: E.CaseResult, phase_col: str, opp_last: int, cost_last: int
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
        ("posts", "Posts reduced, FTE (each line at its cost per FTE)"),
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
            f"=IF(WorkforceOn=1,MAX(SUMPRODUCT({rng('Opportunities', 'Q')},"
            f"{rng('Opportunities', phase)}),0),0)",
            book.fte,
            w.posts_reduced if w else 0,
        )
        ws.write_formula(
            labels["leavers"],
            col,
            f"=Assumptions!{c}12",
            book.fte,
            num(w.leavers) if w else num(by_year(case.turnover_fte, n)[y]),
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
        ws.write_formula(labels["gap"], col, f"=Assumptions!{c}13", book.money, num(yf.mtfp_gap))
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
    book = Book(cache)
    assumptions_sheet(book, figures, result)
    if figures.releases:
        releases_sheet(book, figures)
    average = result.case.workforce.average_cost_per_fte if result.case.workforce else Decimal(0)
    phase_col, opp_last = opportunities_sheet(book, figures, result.lines, average)
    costs = list(shown.option.costs.all())
    cost_last = costs_sheet(book, figures, costs)
    _profile(book, figures, result, phase_col, opp_last, cost_last)
    book.wb.get_worksheet_by_name("Profile").activate()
    book.wb.close()
    return book.buffer.getvalue()
