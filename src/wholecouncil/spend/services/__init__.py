"""Every write to spend data. Keyword-only, atomic, audited."""

from wholecouncil.spend.services.categories import (
    CategoryError,
    categories_apply,
    category_rule_add,
    category_rule_delete,
)
from wholecouncil.spend.services.contracts import ContractError, contracts_relink, contracts_replace
from wholecouncil.spend.services.duplicates import DuplicateError, duplicate_review, duplicates_detect
from wholecouncil.spend.services.imports import (
    ImportOutcome,
    SpendImportError,
    read_only,
    spend_check,
    spend_import_run,
    spend_upload,
    tables_of,
)
from wholecouncil.spend.services.suppliers import SupplierError, merge_decide, suppliers_refresh

__all__ = [
    "CategoryError",
    "ContractError",
    "DuplicateError",
    "ImportOutcome",
    "SpendImportError",
    "SupplierError",
    "categories_apply",
    "category_rule_add",
    "category_rule_delete",
    "contracts_relink",
    "contracts_replace",
    "duplicate_review",
    "duplicates_detect",
    "merge_decide",
    "read_only",
    "spend_check",
    "spend_import_run",
    "spend_upload",
    "suppliers_refresh",
    "tables_of",
]
