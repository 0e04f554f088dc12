"""The demo's supplier spend: a year of payments for Exampleshire, with planted problems to find.

Every supplier, invoice and figure is invented. The payments are written as a CSV (the layout a council
publishes) and imported through the same service a user's upload goes through, so suppliers, categories and
duplicate candidates are found exactly as they would be. Planted: name variants of one supplier (auto-joined
and proposed merges on a shared VAT number or a typing slip), invoices paid twice, the same amount paid twice
within days, payments the file left uncategorised, and a small contracts register with contracts ending soon
and one running over its value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from typing import TYPE_CHECKING

from django.utils import timezone

from wholecouncil.demo.steps import unit_paths
from wholecouncil.spend import services as spend_services
from wholecouncil.spend.engine import SpendSource, add_months
from wholecouncil.spend.engine.contracts import ContractRow

if TYPE_CHECKING:
    from wholecouncil.demo.generator import DemoContext

COUNCIL = "exampleshire"
PAYMENTS = 16_000
YEAR_START = dt.date(2024, 4, 1)
HEADERS = [
    "Supplier Name", "Payment Date", "Amount", "Expense Type", "Service Area", "ProClass Label",
    "ProClass Code", "Invoice Number", "Transaction Number", "VAT Registration Number",
]  # fmt: skip

# (category, ProClass-like code, typical payment in pounds, suppliers' names)
CATEGORIES: tuple[tuple[str, str, int, tuple[str, ...]], ...] = (
    ("Social care: residential", "SC01", 4200, ("Brookside Care Homes Ltd", "Meadowview Residential Care", "Oakfield House Care Ltd")),  # noqa: E501
    ("Social care: home care", "SC02", 1800, ("Caring Hands Homecare Ltd", "Riverside Support Services", "Willow Domiciliary Care")),  # noqa: E501
    ("Social care: children's placements", "SC03", 5200, ("Harbour Fostering Ltd", "Northgate Children's Homes")),  # noqa: E501
    ("Construction: building works", "CN01", 7600, ("Kestrel Build Ltd", "Ashdown Construction plc", "Millstone Contractors")),  # noqa: E501
    ("Highways: maintenance", "HW01", 3900, ("Tarmac Roads (Exampleshire) Ltd", "Greystone Surfacing", "Saltmarsh Gritting Ltd")),  # noqa: E501
    ("Facilities: cleaning", "FM01", 950, ("Sparkle Cleaning Ltd", "Brightway Cleaning Services")),
    ("Facilities: energy", "FM02", 6100, ("Northern Power Supply plc", "Exampleshire Water")),
    ("ICT: software and licences", "IT01", 2600, ("Cloudline Software Ltd", "Datawise Systems Ltd", "Keystroke IT")),  # noqa: E501
    ("ICT: hardware", "IT02", 1400, ("Byte Hardware Ltd",)),
    ("Agency staff", "HR01", 2100, ("Staffline Recruitment Ltd", "Interim Partners LLP")),
    ("Transport: fleet and fuel", "TR01", 1100, ("Fleetwise Vehicle Hire", "Roadfuel Ltd")),
    ("Waste: collection and disposal", "WS01", 8800, ("Greenway Waste Management Ltd",)),
    ("Education: school transport", "ED01", 1300, ("County Coaches Ltd", "Green Cabs")),
    ("Professional services: legal", "PS01", 3100, ("Harper & Lowe Solicitors LLP",)),
    ("Professional services: consultancy", "PS02", 5600, ("Clearview Consulting Ltd",)),
    ("Stationery and printing", "ST01", 240, ("Quill Office Supplies Ltd", "Printworks Exampleshire")),
    ("Catering", "CT01", 520, ("Fresh Plate Catering Ltd",)),
    ("Early years: nursery places", "EY01", 880, ("Greenfields Nursery", "Little Acorns Nursery Ltd")),
    ("", "", 650, ("Hartley Sundries Ltd", "Ridgeway Supplies")),  # never categorised in the file
)  # fmt: skip
# Other ways the files write some suppliers: the same name in other clothes (joined automatically), and
# records whose evidence makes them proposed merges.
SAME_NAME = {
    "Sparkle Cleaning Ltd": ("SPARKLE CLEANING LIMITED", "Sparkle Cleaning Ltd (T/A Sparkle)"),
    "Kestrel Build Ltd": ("KESTREL BUILD LIMITED",),
    "Staffline Recruitment Ltd": ("Staffline Recruitment Limited",),
}
PROPOSED = {
    "Brightway Cleaning Services": "Brightway Cleaning UK",  # the same name apart from generic words
    "Greenfields Nursery": "Greenfeilds Nursery",  # a typing slip
    "Cloudline Software Ltd": "Cloudline Solutions Ltd",  # the same VAT number
}
DUPLICATES = 40  # invoices paid twice
VARIANT_PAID = 6  # an invoice paid again to another name of the supplier, a few pence different
SAME_AMOUNT = 25  # the same amount paid twice within days, different invoice numbers
UNCATEGORISED_SHARE = 0.08


def _vat(rng: random.Random) -> str:
    return f"GB{rng.randint(100_000_000, 999_999_999)}"


def _amount(rng: random.Random, typical: int) -> int:
    pennies = int(rng.lognormvariate(0, 0.7) * typical * 100)
    return max(pennies, 500)


def _rows(ctx: DemoContext, units: list[str]) -> list[list[str]]:
    rng = ctx.rng(COUNCIL, "spend")
    suppliers: list[tuple[str, str, int, str, str]] = []  # name, category, typical, code, vat
    vats: dict[str, str] = {}
    for category, code, typical, names in CATEGORIES:
        for name in names:
            vats[name] = _vat(rng)
            suppliers.append((name, category, typical, code, vats[name]))
    vats["Cloudline Solutions Ltd"] = vats["Cloudline Software Ltd"]
    weights = [rng.paretovariate(1.2) for _ in suppliers]
    rows: list[list[str]] = []
    days = (add_months(YEAR_START, 12) - YEAR_START).days
    for n in range(PAYMENTS):
        name, category, typical, code, vat = rng.choices(suppliers, weights)[0]
        written = name
        if name in SAME_NAME and rng.random() < 0.3:
            written = rng.choice(SAME_NAME[name])
        elif name in PROPOSED and rng.random() < 0.2:
            written = PROPOSED[name]
        date = YEAR_START + dt.timedelta(days=rng.randrange(days))
        pennies = _amount(rng, typical)
        if rng.random() < 0.03:
            pennies = -pennies // 4  # a credit note
        label, label_code = (category, code) if rng.random() > UNCATEGORISED_SHARE else ("", "")
        purpose = category.split(": ")[-1].capitalize() if category else f"Sundries {rng.randint(1, 400)}"
        rows.append(
            [
                written, date.strftime("%d/%m/%Y"), f"{pennies / 100:.2f}", purpose,
                rng.choice(units), label, label_code, f"INV-{n + 10_000:06d}", f"T{700_000 + n}",
                vats.get(written, vat) if rng.random() < 0.9 else "",
            ]
        )  # fmt: skip
    for _ in range(DUPLICATES):  # the same invoice paid again a week or two later
        original = list(rng.choice(rows))
        if original[2].startswith("-"):
            continue
        paid = dt.datetime.strptime(original[1], "%d/%m/%Y").date() + dt.timedelta(days=rng.randint(1, 20))
        original[1] = paid.strftime("%d/%m/%Y")
        original[7] = original[7].replace("INV-", "INV ")  # written slightly differently the second time
        original[8] = f"T{900_000 + len(rows)}"
        rows.append(original)
    variants = {v: k for k, v in PROPOSED.items()}
    originals = [r for r in rows if r[0] in PROPOSED and not r[2].startswith("-")]
    for original in rng.sample(originals, min(VARIANT_PAID, len(originals))):
        again = list(original)
        again[0] = PROPOSED[original[0]] if original[0] not in variants else variants[original[0]]
        paid = dt.datetime.strptime(original[1], "%d/%m/%Y").date() + dt.timedelta(days=rng.randint(2, 9))
        again[1] = paid.strftime("%d/%m/%Y")
        again[2] = f"{float(original[2]) + rng.choice([-0.5, 0.25, 0.75]):.2f}"
        again[8] = f"T{900_000 + len(rows)}"
        rows.append(again)
    for _ in range(SAME_AMOUNT):
        original = list(rng.choice(rows))
        if original[2].startswith("-"):
            continue
        paid = dt.datetime.strptime(original[1], "%d/%m/%Y").date() + dt.timedelta(days=rng.randint(0, 6))
        original[1] = paid.strftime("%d/%m/%Y")
        original[7] = f"INV-{rng.randint(60_000, 90_000):06d}"
        original[8] = f"T{900_000 + len(rows)}"
        rows.append(original)
    return rows


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    out.write("Exampleshire County Council (fictional): payments to suppliers 2024/25\r\n\r\n")
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _contracts(ctx: DemoContext) -> list[ContractRow]:
    rng = ctx.rng(COUNCIL, "contracts")
    today = timezone.localdate()  # contracts end relative to today, so the review lists always show some
    plan = [
        ("EX-001", "Greenway Waste Management Ltd", "Waste collection and disposal", -30, 3, 90_000_000),
        ("EX-002", "Brookside Care Homes Ltd", "Residential care framework", -24, 10, 60_000_000),
        ("EX-003", "Tarmac Roads (Exampleshire) Ltd", "Highways term maintenance", -36, 20, 80_000_000),
        ("EX-004", "Cloudline Software Ltd", "Case management system", -12, 5, 2_000_000),
        ("EX-005", "Sparkle Cleaning Ltd", "Cleaning of council buildings", -18, 14, 30_000_000),
        ("EX-006", "Staffline Recruitment Ltd", "Agency staff", -20, 8, 5_000_000),
        ("EX-007", "Northern Power Supply plc", "Energy supply", -40, 30, 150_000_000),
        ("EX-008", "Harper & Lowe Solicitors LLP", "Legal services", -10, 2, 1_000_000),
    ]
    contracts = []
    for reference, supplier, title, start, end, pennies in plan:
        category = next(c for c, _, _, names in CATEGORIES if supplier in names)
        contracts.append(
            ContractRow(
                reference=reference,
                supplier=supplier,
                title=title,
                category=category,
                start=add_months(today, start).replace(day=1),
                end=add_months(today, end) - dt.timedelta(days=rng.randint(0, 20)),
                pennies=pennies,
            )
        )
    return contracts


def spend(ctx: DemoContext) -> None:
    council = ctx.councils[COUNCIL]
    units = sorted({" / ".join(path[:2]) for path in unit_paths(council) if len(path) >= 2})
    rows = _rows(ctx, units)
    outcome = spend_services.spend_import_run(
        council=council,
        sources=[SpendSource.from_bytes("exampleshire-payments-2024-25.csv", _csv(rows))],
        actor=None,
    )
    assert outcome.ok, outcome.rejections[:3]
    spend_services.category_rule_add(
        council=council,
        field="purpose",
        contains="stationery",
        category_name="Stationery and printing",
        actor=None,
    )
    contracts = _contracts(ctx)
    spend_services.contracts_replace(council=council, rows=contracts, actor=None, source="demo register")
    pounds = f"£{outcome.imported_pennies / 100:,.0f}"
    ctx.log(
        f"{council.name}: {outcome.imported:,} payments to suppliers ({pounds}), {len(contracts)} contracts."
    )
