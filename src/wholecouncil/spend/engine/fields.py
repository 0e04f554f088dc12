"""The fields a spend file can hold, the headers councils use for them, and checking a column mapping."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wholecouncil.tabular import normalise_header

# Synonyms shorter than this are matched only exactly, never as part of a longer header (as in `tabular`).
_MIN_CONTAINED = 5


@dataclass(frozen=True)
class SpendField:
    """A field, the headers that suggest it (`synonyms`), catch-all headers tried only once every field's
    own synonyms have had their turn (`generic`), and words that make a header a poor choice for it
    (`avoid`, least bad first: such a header is suggested only when no other header contains a synonym)."""

    name: str
    label: str
    hint: str
    synonyms: tuple[str, ...]
    required: bool = False
    generic: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()


# Order matters for suggestions: a header matching two fields' synonyms exactly goes to the first.
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
            "net",
            "nett",
            "net amt",
            "amount net",
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
        # A gross (VAT-inclusive) amount only when the file has no other amount; a VAT amount last of all.
        avoid=(
            "gross",
            "incvat",
            "inclvat",
            "includingvat",
            "vatamount",
            "amountofvat",
            "vatvalue",
            "irrecoverable",
        ),
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
        ),
        # "Reference" alone is the council's number for the payment, but "Creditor Reference" is not.
        generic=("reference",),
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
            "company reg number",
            "company registration no",
            "company no",
            "companies house no",
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
            "supplier no",
            "supplier reference",
            "supplier ref",
            "supplier code",
            "vendor id",
            "vendor number",
            "vendor no",
            "vendor reference",
            "vendor ref",
            "vendor code",
            "creditor number",
            "creditor no",
            "creditor id",
            "creditor reference",
            "creditor ref",
            "creditor code",
            "beneficiary other id",
            "beneficiary id",
            "beneficiary reference",
            "beneficiary ref",
            "beneficiary number",
            "payee id",
            "payee reference",
        ),
    ),
)
FIELDS_BY_NAME = {f.name: f for f in SPEND_FIELDS}
REQUIRED_FIELDS = tuple(f.name for f in SPEND_FIELDS if f.required)


def suggest_mapping(headers: Sequence[str]) -> dict[str, str]:
    """For each field the header that most likely holds it; fields with no likely header are left out."""
    return suggest_for(headers, SPEND_FIELDS)


def suggest_for(headers: Sequence[str], fields: Sequence[SpendField]) -> dict[str, str]:
    """For each of `fields` the header that most likely holds it (fields with no likely header left out).

    Headers are compared normalised (`tabular.normalise_header`). First every field's synonyms (its name
    counts as one): an exact match wins, fields served in order and synonyms in order; then a header that
    contains a synonym of five or more letters, the longest synonym first whichever field it belongs to
    (so "Creditor Reference" is the supplier reference, not the transaction number), a header holding a
    word the field avoids last. Then the same with the fields' catch-all (`generic`) synonyms, over the
    headers still free. Each header is suggested for one field at most.
    """
    normalised = {h: normalise_header(h) for h in headers}
    found: dict[str, str] = {}
    used: set[str] = set()
    own = {f.name: [normalise_header(f.name), *(normalise_header(s) for s in f.synonyms)] for f in fields}
    generic = {f.name: [normalise_header(s) for s in f.generic] for f in fields}
    for words_of in (own, generic):
        for f in fields:
            exact = (
                h
                for word in words_of[f.name]
                if word
                for h in headers
                if h not in used and normalised[h] == word
            )
            match = None if f.name in found else next(exact, None)
            if match is not None:
                found[f.name] = match
                used.add(match)
        candidates: list[tuple[int, int, int, int, int, str, str]] = []
        for order, f in enumerate(fields):
            if f.name in found:
                continue
            avoid = [normalise_header(a) for a in f.avoid]
            for position, header in enumerate(headers):
                text = normalised[header]
                longest = max(
                    (len(w) for w in words_of[f.name] if len(w) >= _MIN_CONTAINED and w in text), default=0
                )
                if header in used or not longest:
                    continue
                poor = next((i + 1 for i, a in enumerate(avoid) if a in text), 0)
                candidates.append((poor, -longest, len(text), order, position, f.name, header))
        for *_, name, header in sorted(candidates):
            if name not in found and header not in used:
                found[name] = header
                used.add(header)
    return {f.name: found[f.name] for f in fields if f.name in found}


def already_used(by_name: Mapping[str, SpendField], name: str, header: str, other: str) -> str:
    """The message for `header` chosen for field `name` when it already holds field `other`."""
    return f"{by_name[name].label}: '{header}' is already used for {by_name[other].label}"


def shareable(name: str, other: str) -> bool:
    """Whether two fields may be read from one column (a category's label and code may)."""
    return {name, other} == {"category_label", "category_code"}


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
        elif header in used and not shareable(name, used[header]):
            problems.append((name, already_used(by_name, name, header, used[header])))
        used.setdefault(header, name)
    return problems
