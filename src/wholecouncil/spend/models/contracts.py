from __future__ import annotations

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
    end = models.DateField()
    value = models.DecimalField(max_digits=16, decimal_places=2, help_text="Pounds over the whole contract")

    class Meta:
        ordering = ["end", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="spend_contract_unique_reference")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title or self.supplier_name}"
