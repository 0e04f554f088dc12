from __future__ import annotations

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council
from wholecouncil.spend.models.payments import Category
from wholecouncil.spend.models.suppliers import Supplier


class Contract(models.Model):
    """An entry of the council's contracts register."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="spend_contracts")
    reference = models.CharField(max_length=60)
    title = models.CharField(max_length=300, blank=True)
    supplier_name = models.CharField(max_length=200, help_text="As written in the register")
    supplier = models.ForeignKey(
        Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts"
    )
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    start = models.DateField()
    end = models.DateField(
        null=True, blank=True, help_text="Blank: rolling or open-ended, live from its start"
    )
    value = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Pounds over the whole contract; blank when the register states none",
    )

    class Meta:
        # Open-ended contracts (no end date) last, on SQLite as on PostgreSQL.
        ordering = [models.F("end").asc(nulls_last=True), "reference"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="spend_contract_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title or self.supplier_name}"


class ContractsUpload(models.Model):
    """A contracts register as uploaded, kept while its columns are matched; replaced into the register
    once they are."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="Field name to the column header it is read from")
    imported = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name
