"""The fields a spend file can hold, the headers councils use for them, and checking a column mapping."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wholecouncil.tabular import suggest_fields


@dataclass(frozen=True)
class SpendField:
    name: str
    label: str
    hint: str
    synonyms: tuple[str, ...]
    required: bool = False


# Order matters for suggestions: a header is suggested for the first field that matches it.
SPEND_FIELDS: tuple[SpendField, ...] = (
    SpendField(
        "supplier",
        "Supplier name",
        "Who was paid: the supplier, beneficiary, vendor or payee.",
        (
            "supplier name",
            "supplier",
            "beneficiary name",
            "beneficiary",
            "vendor name",
            "vendor",
            "payee name",
            "payee",
            "creditor name",
            "creditor",
            "merchant name",
            "recipient name",
            "recipient",
            "supplier (beneficiary)",
        ),
        required=True,
    ),
    SpendField(
        "amount",
        "Amount",
        "The amount paid, in pounds. Negative amounts (credits, refunds) are kept.",
        (
            "amount",
            "net amount",
            "invoice nett amount",
            "invoice net amount",
            "nett amount",
            "amount excluding vat",
            "amount excl vat",
            "amount ex vat",
            "net value",
            "amount paid",
            "payment amount",
            "transaction amount",
            "invoice amount",
            "line amount",
            "value",
            "amount gbp",
            "amount (£)",
            "total",
        ),
        required=True,
    ),
    SpendField(
        "date",
        "Payment date",
        "When the payment was made. Day first (31/03/2025) or year first (2025-03-31).",
        (
            "payment date",
            "date paid",
            "paid date",
            "transaction date",
            "invoice date",
            "posting date",
            "pay date",
            "date of payment",
            "date",
        ),
        required=True,
    ),
    SpendField(
        "category_label",
        "Category (for example the ProClass label)",
        "The file's own category of spend, such as a ProClass or procurement category.",
        (
            "proclass label",
            "proclass",
            "proclass description",
            "procurement category",
            "procurement classification",
            "proclass category",
            "category",
            "category description",
            "merchant category",
        ),
    ),
    SpendField(
        "category_code",
        "Category code (for example the ProClass code)",
        "A code for the category, kept beside its name.",
        ("proclass code", "procurement category code", "category code", "proclass id"),
    ),
    SpendField(
        "purpose",
        "Expense type or purpose",
        "What the payment was for: expense type, purpose, description or account.",
        (
            "expense type",
            "expenses type",
            "purpose",
            "expenditure type",
            "expense description",
            "description",
            "purpose of expenditure",
            "expenditure category",
            "account description",
            "subjective description",
            "subjective",
            "narrative",
            "details",
        ),
    ),
    SpendField(
        "org_unit",
        "Service or organisational unit",
        "The part of the council that spent the money.",
        (
            "organisational unit",
            "organisation unit",
            "service area",
            "service",
            "service label",
            "department",
            "directorate",
            "expense area",
            "cost centre name",
            "cost centre description",
            "cost centre",
            "service division",
            "business unit",
        ),
    ),
    SpendField(
        "invoice_ref",
        "Invoice number",
        "The supplier's invoice number; used to find invoices paid twice.",
        (
            "invoice number",
            "invoice no",
            "invoice ref",
            "invoice reference",
            "invoice id",
            "supplier invoice",
        ),
    ),
    SpendField(
        "transaction_ref",
        "Transaction number",
        "The council's own number for the payment.",
        (
            "transaction number",
            "transaction no",
            "transaction id",
            "transaction reference",
            "transaction ref",
            "payment reference",
            "payment ref",
            "payment ref no",
            "payment reference number",
            "payment number",
            "payment no",
            "payment id",
            "document number",
            "voucher number",
            "reference",
        ),
    ),
    SpendField(
        "vat_number",
        "VAT registration number",
        "The supplier's VAT number; two names with one VAT number are proposed as one supplier.",
        ("vat registration number", "vat number", "vat reg no", "vat registration", "supplier vat number"),
    ),
    SpendField(
        "company_number",
        "Company number",
        "The supplier's Companies House number.",
        (
            "company number",
            "company registration number",
            "companies house number",
            "company reg no",
            "beneficiary company number",
            "registered company number",
        ),
    ),
    SpendField(
        "supplier_ref",
        "Supplier reference",
        "The supplier's number in the council's finance system.",
        (
            "supplier id",
            "supplier number",
            "supplier reference",
            "supplier code",
            "vendor id",
            "vendor number",
            "creditor number",
            "creditor id",
            "beneficiary other id",
            "beneficiary id",
        ),
    ),
)
FIELDS_BY_NAME = {f.name: f for f in SPEND_FIELDS}
REQUIRED_FIELDS = tuple(f.name for f in SPEND_FIELDS if f.required)


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """For each field the header that most likely holds it; fields with no likely header are left out."""
    return suggest_for(headers, SPEND_FIELDS)


def suggest_for(headers: Sequence[str], fields: Sequence[SpendField]) -> dict[str, str]:
    """For each of `fields` the header that most likely holds it (fields with no likely header left out)."""
    return suggest_fields(headers, {f.name: f.synonyms for f in fields})


def mapping_problems(
    headers: Sequence[str], mapping: Mapping[str, str], fields: Sequence[SpendField] = SPEND_FIELDS
) -> list[tuple[str, str]]:
    """(field name, message) for each problem with a mapping; field name "" for the mapping as a whole."""
    problems: list[tuple[str, str]] = []
    known = set(headers)
    by_name = {f.name: f for f in fields}
    for f in fields:
        if f.required and not mapping.get(f.name):
            problems.append((f.name, f"{f.label}: choose the column that holds the {f.label.lower()}"))
    used: dict[str, str] = {}
    for name, header in mapping.items():
        if not header:
            continue
        if name not in by_name:
            problems.append(("", f"'{name}' is not a field that can be read"))
            continue
        if header not in known:
            problems.append((name, f"{by_name[name].label}: the file has no column '{header}'"))
        elif header in used and {name, used[header]} != {"category_label", "category_code"}:
            other = by_name[used[header]].label
            problems.append((name, f"{by_name[name].label}: '{header}' is already used for {other}"))
        used.setdefault(header, name)
    return problems
