"""Third-party spend: imports, payments, resolved suppliers, categories, contracts, duplicate candidates."""

from wholecouncil.spend.models.contracts import Contract, ContractsUpload
from wholecouncil.spend.models.imports import SpendFile, SpendImport
from wholecouncil.spend.models.payments import Category, CategoryRule, DuplicateCandidate, Transaction
from wholecouncil.spend.models.suppliers import MergeDecision, Supplier, SupplierAlias

__all__ = [
    "Category",
    "CategoryRule",
    "Contract",
    "ContractsUpload",
    "DuplicateCandidate",
    "MergeDecision",
    "SpendFile",
    "SpendImport",
    "Supplier",
    "SupplierAlias",
    "Transaction",
]
