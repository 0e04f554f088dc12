"""Files for people to take away: the portfolio as XLSX and the milestones and meetings as iCalendar."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

import xlsxwriter

from wholecouncil.council.models import Council
from wholecouncil.portfolio import selectors
from wholecouncil.portfolio.engine.schedule import slippage_days
from wholecouncil.portfolio.models import BoardMeeting, Milestone, Risk
from wholecouncil.tabular.xlsx import new_workbook

PROJECT_COLUMNS = (
    "Code",
    "Name",
    "Programme",
    "Workstream",
    "Stage",
    "Stage name",
    "Status",
    "Manager",
    "Sponsor",
    "Start",
    "End",
    "Budget (£)",
    "FTE",
    "Open risks",
    "Delivery confidence",
    "Last report",
)


def portfolio_xlsx(council: Council) -> bytes:
    """One workbook: projects, risks and milestones, with totals as live formulas finance can recalculate."""
    names = selectors.stage_names(council)
    projects = selectors.with_totals(selectors.projects(council)).order_by("code")
    out = io.BytesIO()
    book = new_workbook(out, default_date_format="yyyy-mm-dd")
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "£#,##0.00"})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("Projects")
    sheet.write_row(0, 0, PROJECT_COLUMNS, bold)
    row = 0
    for row, p in enumerate(projects, start=1):
        sheet.write_row(
            row,
            0,
            [
                p.code,
                p.name,
                p.programme.name if p.programme else "",
                p.workstream.name if p.workstream else "",
                p.stage,
                names.get(p.stage, ""),
                p.get_status_display(),
                p.manager.get_username() if p.manager else "",
                p.sponsor,
            ],
        )
        _date(sheet, row, 9, p.start_date, date)
        _date(sheet, row, 10, p.end_date, date)
        sheet.write_number(row, 11, float(p.budget), money)
        sheet.write_number(row, 12, float(getattr(p, "fte", 0)))
        sheet.write_number(row, 13, int(getattr(p, "open_risks", 0)))
        sheet.write(row, 14, p.get_latest_rag_display())
        _date(sheet, row, 15, p.latest_report_month, date)
    total = row + 2
    sheet.write(total, 0, "Total", bold)
    if row:
        sheet.write_formula(total, 11, f"=SUM(L2:L{row + 1})", money)
        sheet.write_formula(total, 12, f"=SUM(M2:M{row + 1})")
        sheet.write_formula(total, 13, f"=SUM(N2:N{row + 1})")
    sheet.freeze_panes(1, 2)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 3, 32)
    sheet.set_column(4, 15, 14)

    risks = book.add_worksheet("Risks")
    risks.write_row(
        0,
        0,
        (
            "Project",
            "Risk",
            "Owner",
            "Likelihood",
            "Impact",
            "Score",
            "Residual likelihood",
            "Residual impact",
            "Residual score",
            "Proximity",
            "Status",
        ),
        bold,
    )
    qs = Risk.objects.filter(council=council).select_related("project").order_by("project__code", "-score")
    for i, r in enumerate(qs.iterator(chunk_size=2000), start=1):
        risks.write_row(i, 0, (r.project.code, r.title, r.owner, r.likelihood, r.impact))
        risks.write_formula(i, 5, f"=D{i + 1}*E{i + 1}", None, r.score)
        risks.write_row(i, 6, (r.residual_likelihood, r.residual_impact))
        risks.write_formula(i, 8, f"=G{i + 1}*H{i + 1}", None, r.residual_score)
        _date(risks, i, 9, r.proximity_date, date)
        risks.write(i, 10, r.get_status_display())
    risks.freeze_panes(1, 0)
    risks.set_column(1, 1, 40)

    plan = book.add_worksheet("Milestones")
    plan.write_row(0, 0, ("Project", "Milestone", "Baseline", "Forecast", "Actual", "Slippage (days)"), bold)
    ms = (
        Milestone.objects.filter(council=council)
        .select_related("project")
        .order_by("project__code", "forecast_date")
    )
    for i, m in enumerate(ms.iterator(chunk_size=2000), start=1):
        plan.write_row(i, 0, (m.project.code, m.name))
        _date(plan, i, 2, m.baseline_date, date)
        _date(plan, i, 3, m.forecast_date, date)
        _date(plan, i, 4, m.actual_date, date)
        plan.write_formula(
            i,
            5,
            f'=IF(E{i + 1}<>"",E{i + 1},D{i + 1})-C{i + 1}',
            None,
            slippage_days(m.baseline_date, m.forecast_date, m.actual_date),
        )
    plan.set_column(1, 1, 40)
    plan.set_column(2, 5, 14)
    book.close()
    return out.getvalue()


def _date(
    sheet: xlsxwriter.worksheet.Worksheet, row: int, col: int, value: dt.date | None, fmt: object
) -> None:
    if value is None:
        sheet.write_blank(row, col, None)
    else:
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded, as RFC 5545 asks."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, start = [], 0
    while start < len(raw):
        size = 75 if start == 0 else 74
        chunk = raw[start : start + size]
        while True:
            try:
                parts.append(chunk.decode())
                break
            except UnicodeDecodeError:
                chunk = chunk[:-1]
        start += len(chunk)
    return "\r\n ".join(parts)


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "END:VEVENT",
    ]


def calendar_ics(council: Council, now: dt.datetime, host: str = "wholecouncil") -> str:
    """Every open milestone (at its forecast date) and every board meeting, as one iCalendar file."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//Whole Council//Portfolio {council.slug}//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(council.name)} portfolio",
    ]
    milestones: Iterable[Milestone] = (
        Milestone.objects.filter(council=council)
        .select_related("project")
        .order_by("forecast_date")
        .iterator(2000)
    )
    for m in milestones:
        slip = slippage_days(m.baseline_date, m.forecast_date, m.actual_date)
        desc = f"Baseline {m.baseline_date:%d %B %Y}; slippage {slip} days" + (
            f"; done {m.actual_date:%d %B %Y}" if m.actual_date else ""
        )
        lines += _event(
            f"milestone-{m.pk}@{host}",
            m.actual_date or m.forecast_date,
            f"{m.project.code}: {m.name}",
            desc,
            stamp,
        )
    for meeting in BoardMeeting.objects.filter(council=council).order_by("held_on"):
        lines += _event(
            f"meeting-{meeting.pk}@{host}", meeting.held_on, meeting.title, meeting.get_kind_display(), stamp
        )
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
