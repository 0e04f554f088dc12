"""Activity analysis: the council's process list, surveys of staff time, imported responses, comparators.

A survey freezes the process list when it opens (`Survey.processes`), so editing the council's list later
never changes what a respondent was asked. Each respondent is one row: invited by a personal link (one per
filled post) or read from a survey tool's export. Answers are hours per typical week (or percentages),
keyed by process code.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council, Layer, OrgUnit


class Process(models.Model):
    """A process on the council's own list, mapped to a layer of its operating model."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="processes")
    code = models.SlugField(max_length=60, help_text="Short code: the survey column and export key")
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    layer = models.ForeignKey(
        Layer,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="processes",
        help_text="Blank when the layer it was mapped to has been removed",
    )
    home_function = models.CharField(
        max_length=40, help_text="The kind of unit where the work properly belongs, or 'anywhere'"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="process_unique_code")]

    def __str__(self) -> str:
        return self.name


class Survey(models.Model):
    """One round of activity analysis: invitations by personal link, or responses imported from a file."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Source(models.TextChoices):
        LINKS = "links", "Personal links"
        IMPORT = "import", "Imported from a file"

    class Unit(models.TextChoices):
        HOURS = "hours", "Hours in a typical week"
        PERCENT = "percent", "Percentage of the working week"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True, help_text="Shown to every respondent above the questions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.LINKS)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.HOURS)
    full_time_hours = models.DecimalField(max_digits=4, decimal_places=1, default=Decimal("37.0"))
    tolerance_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("0.5"),
        help_text="How far a respondent's total may differ from their contracted hours (or from 100%)",
    )
    processes = models.JSONField(
        default=list, help_text="The process list as it stood when the survey opened: code, name, description"
    )
    closes_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def process_codes(self) -> list[str]:
        return [p["code"] for p in self.processes]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Respondent(models.Model):
    """One person's answers: invited by a personal link, or one row of an imported export.

    A link respondent moves not started -> in progress (saved) -> submitted; submitting is final, idempotent.
    """

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    ref = models.CharField(max_length=60, help_text="Post reference, or the export's respondent ID")
    token = models.CharField(max_length=64, null=True, blank=True, unique=True, default=None)
    post = models.ForeignKey(
        "workforce.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_invitations"
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="survey_respondents")
    job_title = models.CharField(max_length=300, blank=True)
    contracted_hours = models.DecimalField(max_digits=5, decimal_places=2)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    answers = models.JSONField(default=dict, help_text="Process code to hours per week (or percent)")
    comment = models.TextField(blank=True, help_text="Free text: never shown or exported with who wrote it")
    saved_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ref"]
        constraints = [models.UniqueConstraint(fields=["survey", "ref"], name="respondent_unique_ref")]
        indexes = [models.Index(fields=["survey", "status"]), models.Index(fields=["survey", "org_unit"])]

    def __str__(self) -> str:
        return f"{self.ref} ({self.get_status_display()})"

    def answer_hours(self, survey: Survey) -> dict[str, float]:
        """Answers in hours per week, converting percentages of the contracted week."""
        values = {code: float(v) for code, v in self.answers.items()}
        if survey.unit == Survey.Unit.PERCENT:
            hours = float(self.contracted_hours)
            return {code: v * hours / 100.0 for code, v in values.items()}
        return values


class ResponseImport(models.Model):
    """One upload of a survey tool's export, from upload through column mapping to the survey it created."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded — columns to map"
        FAILED = "failed", "Has errors — nothing imported"
        COMPLETED = "completed", "Imported"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="response_imports")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField(help_text="The file as uploaded, kept so it can be re-checked")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="Field or process code to its column header")
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    survey = models.OneToOneField(
        Survey, null=True, blank=True, on_delete=models.SET_NULL, related_name="response_import"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class Comparator(models.Model):
    """A profile to compare against: share of effort by process or by layer. Illustrative ones say so."""

    class Basis(models.TextChoices):
        PROCESS = "process", "Share of effort by process"
        LAYER = "layer", "Share of effort by layer"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="comparators")
    name = models.CharField(max_length=200)
    source = models.TextField(help_text="Where the figures come from")
    illustrative = models.BooleanField(
        default=False, help_text="Made-up figures to show how a comparison reads; labelled on every view"
    )
    basis = models.CharField(max_length=10, choices=Basis.choices)
    shares = models.JSONField(default=dict, help_text="Process or layer code to a share of effort (0-1)")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "basis": self.basis,
            "illustrative": self.illustrative,
            "shares": self.shares,
        }
