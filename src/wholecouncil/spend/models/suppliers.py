from __future__ import annotations

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council


class Supplier(models.Model):
    """A supplier as resolved: every name it is paid under (its aliases) points here."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="suppliers")
    name = models.CharField(max_length=200, help_text="The name shown: the most used of its names")
    key = models.CharField(max_length=200, help_text="The normalised name it was first resolved under")
    vat_number = models.CharField(max_length=20, blank=True)
    company_number = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["council", "key"])]

    def __str__(self) -> str:
        return self.name


class SupplierAlias(models.Model):
    """One way a supplier's name is written in the files, and the supplier it resolves to."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, help_text="The name normalised (case, punctuation, Ltd/Limited)")
    identifiers = models.JSONField(
        default=dict, blank=True, help_text="VAT numbers, company numbers and references seen beside the name"
    )
    payments = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="spend_alias_unique_name")]
        indexes = [models.Index(fields=["council", "key"])]

    def __str__(self) -> str:
        return self.name


class MergeDecision(models.Model):
    """A proposal that two supplier names are one supplier, with the evidence and finance's decision.

    Keyed by the two normalised names, so the decision is remembered for every later import.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "To decide"
        ACCEPTED = "accepted", "Merged"
        REJECTED = "rejected", "Kept apart"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    first_key = models.CharField(max_length=200)
    second_key = models.CharField(max_length=200)
    first = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    second = models.ForeignKey(Supplier, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evidence = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "first_key", "second_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "first_key", "second_key"], name="spend_merge_unique_pair"
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_key} + {self.second_key} ({self.get_status_display()})"
