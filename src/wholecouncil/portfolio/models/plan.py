"""Plans and status: milestones, resources, highlight reports, reprioritisation reviews and imports."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.portfolio.engine.capacity import OUTCOME_LABELS
from wholecouncil.portfolio.engine.status import BENEFIT_LABELS, RAG_LABELS
from wholecouncil.portfolio.models.structure import FTE, MONEY, Programme, Project, Workstream


class Milestone(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField(max_length=200)
    baseline_date = models.DateField(help_text="The date agreed when the plan was baselined")
    forecast_date = models.DateField()
    actual_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["forecast_date", "id"]
        indexes = [
            models.Index(fields=["council", "forecast_date"]),
            models.Index(fields=["project", "forecast_date"]),
        ]

    def __str__(self) -> str:
        return self.name


class MilestoneRebaseline(models.Model):
    """A change to a milestone's baseline date, agreed by the board with a reason. Slippage is measured
    against the baseline, so every change to it is kept here and shown on the plan."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="rebaselines")
    previous_date = models.DateField()
    new_date = models.DateField()
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.previous_date} to {self.new_date}"


class ResourceAllocation(models.Model):
    """People (as FTE) working on a project."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="allocations")
    role = models.CharField(max_length=150)
    person = models.CharField(max_length=150, blank=True)
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fte = models.DecimalField(**FTE)

    class Meta:
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.role} ({self.fte} FTE)"


class HighlightReport(models.Model):
    """A monthly status report for a project or a programme. It locks once submitted to the board."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    month = models.DateField(help_text="The first day of the month reported on")
    rag = models.CharField(
        "Delivery confidence", max_length=5, choices=[(r.value, label) for r, label in RAG_LABELS.items()]
    )
    narrative = models.TextField()
    key_risks = models.TextField(blank=True)
    next_milestones = models.TextField(blank=True)
    benefit_status = models.CharField(
        max_length=12, choices=[(b.value, label) for b, label in BENEFIT_LABELS.items()]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(project__isnull=True) ^ models.Q(programme__isnull=True)),
                name="report_for_project_or_programme",
            ),
            models.UniqueConstraint(
                fields=["project", "month"],
                condition=models.Q(project__isnull=False),
                name="report_one_per_project_month",
            ),
            models.UniqueConstraint(
                fields=["programme", "month"],
                condition=models.Q(programme__isnull=False),
                name="report_one_per_programme_month",
            ),
        ]
        indexes = [
            models.Index(fields=["council", "month"]),
            models.Index(fields=["council", "status"], name="report_council_status"),
            models.Index(fields=["council", "month", "status", "rag"], name="report_trend"),
        ]

    def __str__(self) -> str:
        subject = self.project or self.programme
        return f"{subject}, {self.month:%B %Y}"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.DRAFT


class ReprioritisationReview(models.Model):
    """A review of existing projects: continue, align into a programme, pause or stop each, with rationale."""

    class Status(models.TextChoices):
        DRAFT = "draft", "In progress"
        CONCLUDED = "concluded", "Concluded"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="reprioritisation_reviews")
    name = models.CharField(max_length=200)
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    released_people = models.PositiveIntegerField(default=0)
    released_fte = models.DecimalField(**FTE, default=0)
    released_budget = models.DecimalField(**MONEY, default=0)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    concluded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class ReviewItem(models.Model):
    OUTCOMES = [(o.value, label) for o, label in OUTCOME_LABELS.items()]

    review = models.ForeignKey(ReprioritisationReview, on_delete=models.CASCADE, related_name="items")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="review_items")
    outcome = models.CharField(max_length=10, choices=OUTCOMES, blank=True)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rationale = models.TextField(blank=True)
    people = models.PositiveIntegerField(default=0)
    fte = models.DecimalField(**FTE, default=0)
    budget = models.DecimalField(**MONEY, default=0)

    class Meta:
        ordering = ["project__code"]
        constraints = [models.UniqueConstraint(fields=["review", "project"], name="review_item_once")]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_outcome_display() or 'not decided'}"


class ProjectImport(models.Model):
    """An uploaded project register: kept, mapped and checked before it lands whole or not at all."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKED = "checked", "Checked, ready to import"
        FAILED = "failed", "Has errors"
        COMPLETED = "completed", "Imported"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    sheet = models.CharField(max_length=100, blank=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    errors = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    projects_imported = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
