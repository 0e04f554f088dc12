from __future__ import annotations

import csv
import io

from wholecouncil.tabular import Table, read_table

EST_HEADERS = ["post_id", "org_unit", "job_title", "grade", "fte", "annual_cost"]
# A worked example: Highways has no respondents, so its post is unallocated.
EST_ROWS = [
    ["P1", "Customer Services", "Adviser", "5", "1", "30000"],
    ["P2", "Customer Services", "Adviser", "5", "1", "30000"],
    ["P3", "Finance", "Accountant", "8", "1", "40000"],
    ["P4", "Finance", "Accounts officer", "6", "0.5", "20000"],
    ["P5", "Highways", "Engineer", "9", "1", "50000"],
]
RESP_HEADERS = ["respondent_id", "org_unit", "contracted_hours", "enquiries", "payments", "finance"]
RESP_ROWS = [
    ["R1", "Customer Services", "37", "30", "7", ""],
    ["R2", "Customer Services", "37", "20", "7", "10"],
    ["R3", "Finance", "37", "", "", "37"],
    ["R4", "finance", "18.5", "0", "9.25", "9.25"],
]


def csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode()


def table(name: str, headers: list[str], rows: list[list[str]]) -> Table:
    return read_table(name, csv_bytes(headers, rows))


def est_table(rows: list[list[str]] | None = None, headers: list[str] | None = None) -> Table:
    return table("E.csv", headers or EST_HEADERS, EST_ROWS if rows is None else rows)


def resp_table(rows: list[list[str]] | None = None, headers: list[str] | None = None) -> Table:
    return table("R.csv", headers or RESP_HEADERS, RESP_ROWS if rows is None else rows)
