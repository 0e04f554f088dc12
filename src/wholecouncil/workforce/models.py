from __future__ import annotations

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council, OrgUnit


class EstablishmentImport(models.Model):
    """One upload of an establishment list, from upload through column mapping to the posts it created."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded — columns to map"
        CHECKED = "checked", "Checked — ready to import"
        FAILED = "failed", "Has errors — nothing imported"
        COMPLETED = "completed", "Imported"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="establishment_imports")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField(help_text="The file as uploaded, kept so the import can be re-checked")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="Field name to the column header it is read from")
    options = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    posts_imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    summary = models.JSONField(
        default=dict, blank=True, help_text="Totals of the checked file: posts, FTE, vacancies, annual cost"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


class Post(models.Model):
    """A post on the establishment: filled or vacant, with its FTE and full annual cost including on-costs."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="posts")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="posts")
    post_ref = models.CharField(max_length=60)
    job_title = models.CharField(max_length=300)
    grade = models.CharField(max_length=60, blank=True)
    fte = models.DecimalField(max_digits=5, decimal_places=2)
    annual_cost = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Pounds a year including employer on-costs; blank when the source gave no salary",
    )
    cost_basis = models.CharField(max_length=120, blank=True, help_text="How the annual cost was worked out")
    vacant = models.BooleanField(default=False)
    contract_type = models.CharField(max_length=60, blank=True)
    manager_ref = models.CharField(max_length=60, blank=True, help_text="post_ref of the line manager's post")
    source = models.ForeignKey(
        EstablishmentImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts"
    )

    class Meta:
        ordering = ["post_ref"]
        constraints = [models.UniqueConstraint(fields=["council", "post_ref"], name="post_unique_ref")]
        indexes = [models.Index(fields=["council", "org_unit"])]

    def __str__(self) -> str:
        return f"{self.post_ref} {self.job_title}"
