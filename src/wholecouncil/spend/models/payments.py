from __future__ import annotations

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council
from wholecouncil.spend.models.imports import SpendImport
from wholecouncil.spend.models.suppliers import Supplier, SupplierAlias


class Category(models.Model):
    """A category of spend: the file's own (a ProClass label and code) or one the council made."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="spend_categories")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="spend_category_unique_name")]

    def __str__(self) -> str:
        return self.name


class CategoryRule(models.Model):
    """'Payments whose <field> contains <text> are <category>', for payments the file left uncategorised."""

    class Field(models.TextChoices):
        SUPPLIER = "supplier", "Supplier name"
        PURPOSE = "purpose", "Expense type or purpose"
        ORG_UNIT = "org_unit", "Org unit"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=10, choices=Field.choices)
    contains = models.CharField(max_length=200)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rules")
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_field_display()} contains '{self.contains}' → {self.category}"


class Transaction(models.Model):
    """One payment to a supplier, as a row of an imported file."""

    class CategorySource(models.TextChoices):
        NONE = "", "Uncategorised"
        FILE = "file", "From the file"
        RULE = "rule", "By a rule"
        SUPPLIER_HISTORY = "history-supplier", "Proposed from the supplier's history"
        PURPOSE_HISTORY = "history-purpose", "Proposed from the purpose's history"

    # No database-level foreign keys: each constraint is a check per inserted row (on PostgreSQL a trigger
    # event per row, all fired at commit), and the loader takes the council, import, supplier, name and
    # category ids from rows it has just read or made in the same transaction (ADR 0004, ADR 0009).
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    spend_import = models.ForeignKey(
        SpendImport,
        on_delete=models.CASCADE,
        related_name="transactions",
        db_index=False,
        db_constraint=False,
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.RESTRICT, related_name="transactions", db_constraint=False
    )
    alias = models.ForeignKey(
        SupplierAlias, on_delete=models.RESTRICT, related_name="+", db_index=False, db_constraint=False
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="Pounds; negative for a credit")
    date = models.DateField()
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    category_source = models.CharField(max_length=16, blank=True, choices=CategorySource.choices)
    purpose = models.CharField(max_length=300, blank=True)
    org_unit = models.CharField(max_length=200, blank=True)
    invoice_ref = models.CharField(max_length=60, blank=True)
    transaction_ref = models.CharField(max_length=60, blank=True)
    source_row = models.PositiveIntegerField(help_text="Row number in its file")
    source_file = models.PositiveSmallIntegerField(default=0, help_text="Index of its file in the import")
    fingerprint = models.BigIntegerField(help_text="Identifies the row, so importing it again adds nothing")

    class Meta:
        ordering = ["date", "id"]
        indexes = [
            models.Index(fields=["council", "date"], name="spend_txn_council_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.amount} {self.supplier_id}"


class DuplicateCandidate(models.Model):
    """Two payments that may be one payment made twice, with why, and finance's review outcome.

    Keyed by the two payments' fingerprints, so an outcome survives the candidates being found again.
    """

    class Outcome(models.TextChoices):
        OPEN = "open", "To review"
        CONFIRMED = "confirmed", "Confirmed duplicate"
        NOT_DUPLICATE = "not_duplicate", "Not a duplicate"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    first = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Transaction, on_delete=models.CASCADE, related_name="+")
    first_fingerprint = models.BigIntegerField()
    second_fingerprint = models.BigIntegerField()
    score = models.PositiveSmallIntegerField()
    reasons = models.JSONField(default=list)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    days_apart = models.IntegerField(default=0)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OPEN)
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "-amount", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "first_fingerprint", "second_fingerprint"],
                name="spend_duplicate_unique_pair",
            )
        ]

    def __str__(self) -> str:
        return f"Possible duplicate: {self.first_id} and {self.second_id}"


__all__ = ["Category", "CategoryRule", "DuplicateCandidate", "Supplier", "SupplierAlias", "Transaction"]
