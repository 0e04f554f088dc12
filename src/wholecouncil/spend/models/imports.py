from __future__ import annotations

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council


class SpendImport(models.Model):
    """One import of spend files, from upload through column mapping and check to the payments it added."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded — columns to match"
        CHECKING = "checking", "Checking the files"
        CHECKED = "checked", "Checked — ready to import"
        FAILED = "failed", "Has rejected rows — nothing imported"
        RUNNING = "running", "Importing"
        INTERRUPTED = "interrupted", "Interrupted — nothing imported"
        COMPLETED = "completed", "Imported"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="spend_imports")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a background check or import of it last started"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.UPLOADED)
    file_names = models.JSONField(default=list, help_text="The tables read, as 'archive.zip/member.csv'")
    layouts = models.JSONField(
        default=list,
        help_text="The tables grouped by their headers: [{headers, tables, mapping (field -> header)}]",
    )
    options = models.JSONField(default=dict)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_already_imported = models.PositiveIntegerField(
        default=0, help_text="Rows identical to payments imported before, so not added again"
    )
    rejected_count = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, help_text="The first rejected rows: file, row, column, reason")
    total = models.DecimalField(
        max_digits=16, decimal_places=2, default=0, help_text="Pounds, all rows read (the file's own total)"
    )
    imported_total = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    summary = models.JSONField(default=dict, blank=True, help_text="Totals by month, dates, timings")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        names = ", ".join(self.file_names[:2]) or "spend files"
        return f"{names} ({self.get_status_display()})"


class SpendFile(models.Model):
    """A file as uploaded (a CSV, an XLSX or a ZIP of them), kept so the import can be checked and run."""

    spend_import = models.ForeignKey(SpendImport, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
