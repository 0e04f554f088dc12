"""The RAID log (risks, assumptions, issues, decisions) and dependencies between projects and milestones."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine.raid import BAND_LABELS, band
from wholecouncil.portfolio.models.structure import Project

SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class _Entry(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    owner = models.CharField(max_length=150, blank=True)
    raised_on = models.DateField()

    class Meta:
        abstract = True


class Risk(_Entry):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    impact = models.PositiveSmallIntegerField(validators=SCALE)
    residual_likelihood = models.PositiveSmallIntegerField(validators=SCALE)
    residual_impact = models.PositiveSmallIntegerField(validators=SCALE)
    score = models.PositiveSmallIntegerField(editable=False)
    residual_score = models.PositiveSmallIntegerField(editable=False)
    mitigations = models.TextField(blank=True)
    proximity_date = models.DateField(null=True, blank=True, help_text="When the risk could start to bite")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["-score", "title"]
        indexes = [
            models.Index(fields=["council", "status", "-score"]),
            models.Index(fields=["project", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def band_label(self) -> str:
        return BAND_LABELS[band(self.score)]

    @property
    def residual_band_label(self) -> str:
        return BAND_LABELS[band(self.residual_score)]


class Assumption(_Entry):
    class Status(models.TextChoices):
        UNTESTED = "untested", "Not yet tested"
        HOLDS = "holds", "Holds"
        FAILED = "failed", "Did not hold"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assumptions")
    text = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UNTESTED)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return self.text


class Issue(_Entry):
    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="issues")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=6, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-raised_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Decision(_Entry):
    """A decision taken within the project (gate decisions are recorded separately, by the board)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="logged_decisions")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Dependency(models.Model):
    """`project` depends on `depends_on`: the other project must deliver first."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependencies")
    depends_on = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dependents")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "dependencies"
        constraints = [
            models.UniqueConstraint(fields=["project", "depends_on"], name="dependency_once"),
            models.CheckConstraint(
                condition=~models.Q(project=models.F("depends_on")), name="dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} depends on {self.depends_on.code}"


class MilestoneDependency(models.Model):
    """`milestone` cannot complete before `depends_on` does."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(
        "portfolio.Milestone", on_delete=models.CASCADE, related_name="dependencies"
    )
    depends_on = models.ForeignKey("portfolio.Milestone", on_delete=models.CASCADE, related_name="dependents")

    class Meta:
        verbose_name_plural = "milestone dependencies"
        constraints = [
            models.UniqueConstraint(fields=["milestone", "depends_on"], name="milestone_dependency_once"),
            models.CheckConstraint(
                condition=~models.Q(milestone=models.F("depends_on")), name="milestone_dependency_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} after {self.depends_on}"
