"""Every write to spend data. Keyword-only, atomic, audited."""

from wholecouncil.spend.services.categories import (
    CategoryError,
    categories_apply,
    category_rule_add,
    category_rule_delete,
)
from wholecouncil.spend.services.contracts import (
    ContractError,
    contracts_import,
    contracts_relink,
    contracts_replace,
    contracts_upload,
)
from wholecouncil.spend.services.duplicates import DuplicateError, duplicate_review, duplicates_detect
from wholecouncil.spend.services.imports import (
    SpendImportError,
    layouts_of,
    read_only,
    spend_check,
    spend_columns_set,
    spend_upload,
    tables_of,
)
from wholecouncil.spend.services.running import ImportOutcome, spend_import_run
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
    "contracts_import",
    "contracts_relink",
    "contracts_replace",
    "contracts_upload",
    "duplicate_review",
    "duplicates_detect",
    "layouts_of",
    "merge_decide",
    "read_only",
    "spend_check",
    "spend_columns_set",
    "spend_import_run",
    "spend_upload",
    "suppliers_refresh",
    "tables_of",
]
