"""The spend engine: reading spend files, suppliers, duplicates, categories. No Django."""

from wholecouncil.council.engine import add_months
from wholecouncil.spend.engine.amounts import (
    AmountError,
    format_pounds,
    parse_amount,
    parse_pennies,
    pennies_to_pounds,
)
from wholecouncil.spend.engine.analysis import Concentration, concentration, month_key
from wholecouncil.spend.engine.dates import DateError, DateReader, parse_date
from wholecouncil.spend.engine.duplicates import (
    Candidate,
    DuplicateOptions,
    Payment,
    PaymentColumns,
    find_duplicates,
    normalise_invoice,
)
from wholecouncil.spend.engine.fields import (
    FIELDS_BY_NAME,
    SPEND_FIELDS,
    mapping_problems,
    suggest_mapping,
)
from wholecouncil.spend.engine.files import SpendSource, StreamTable, expand_sources, open_table
from wholecouncil.spend.engine.rows import ReadTotals, SpendReader, SpendRow
from wholecouncil.spend.engine.suppliers import (
    MergeProposal,
    SupplierRecord,
    cluster_suppliers,
    loose_key,
    normalise_company_number,
    normalise_vat,
    pair_of,
    propose_merges,
    supplier_key,
)

__all__ = [
    "FIELDS_BY_NAME",
    "SPEND_FIELDS",
    "AmountError",
    "Candidate",
    "Concentration",
    "DateError",
    "DateReader",
    "DuplicateOptions",
    "MergeProposal",
    "Payment",
    "PaymentColumns",
    "ReadTotals",
    "SpendReader",
    "SpendRow",
    "SpendSource",
    "StreamTable",
    "SupplierRecord",
    "add_months",
    "cluster_suppliers",
    "concentration",
    "expand_sources",
    "find_duplicates",
    "format_pounds",
    "loose_key",
    "mapping_problems",
    "month_key",
    "normalise_company_number",
    "normalise_invoice",
    "normalise_vat",
    "open_table",
    "pair_of",
    "parse_amount",
    "parse_date",
    "parse_pennies",
    "pennies_to_pounds",
    "propose_merges",
    "suggest_mapping",
    "supplier_key",
]
