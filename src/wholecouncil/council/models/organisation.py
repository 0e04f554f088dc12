from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wholecouncil.council.models.tenancy import Council, Partnership


class OrgUnit(models.Model):
    """A directorate, service or team. It belongs to its host council; a shared unit also has shares."""

    class Kind(models.TextChoices):
        DIRECTORATE = "directorate", "Directorate"
        SERVICE = "service", "Service"
        TEAM = "team", "Team"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="org_units")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    code = models.CharField(max_length=50, blank=True)
    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_units",
        help_text="Set when the unit serves several councils; its shares then say how costs split.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "parent", "name"], name="orgunit_unique_name_in_parent"
            ),
            models.UniqueConstraint(
                fields=["council", "name"],
                condition=models.Q(parent__isnull=True),
                name="orgunit_unique_top_level_name",
            ),
        ]
        indexes = [models.Index(fields=["council", "parent"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.partnership_id is not None


class OrgUnitShare(models.Model):
    """One council's share (%) of a shared org unit's cost and of any saving it makes."""

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="shares")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="unit_shares")
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )

    class Meta:
        ordering = ["-percent", "council__name"]
        constraints = [models.UniqueConstraint(fields=["org_unit", "council"], name="share_one_per_council")]

    def __str__(self) -> str:
        return f"{self.council}: {self.percent}% of {self.org_unit}"


class Service(models.Model):
    """An entry in the council's service catalogue, by default from the Local Government Service List."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="services")
    lgsl_id = models.PositiveIntegerField(
        null=True, blank=True, help_text="Local Government Service List code"
    )
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="services"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "lgsl_id"],
                condition=models.Q(lgsl_id__isnull=False),
                name="service_unique_lgsl",
            )
        ]

    def __str__(self) -> str:
        return self.name
