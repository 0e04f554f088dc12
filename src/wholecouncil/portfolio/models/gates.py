"""Gate submissions, the board's decisions and their conditions, board meetings, and design assessments."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council, DesignPrinciple
from wholecouncil.portfolio.engine.lifecycle import DECISION_LABELS
from wholecouncil.portfolio.models.structure import Project


class BoardMeeting(models.Model):
    """A meeting of the transformation board, the councillor steering group or cabinet."""

    class Kind(models.TextChoices):
        BOARD = "board", "Transformation board (monthly)"
        STEERING = "steering", "Councillor steering group (quarterly)"
        CABINET = "cabinet", "Cabinet (annual)"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="board_meetings")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BOARD)
    held_on = models.DateField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["council", "held_on"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%-d %B %Y})"


class GateSubmission(models.Model):
    """A project manager's request that the board pass the project through the gate closing its stage."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the board"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="submissions")
    gate = models.PositiveSmallIntegerField()
    summary = models.TextField()
    criteria = models.JSONField(
        default=list, help_text="Each criterion as it stood: text, required, artefact, met, evidence"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return f"{self.project.code} gate {self.gate}"


class SubmissionArtefact(models.Model):
    """The evidence for a document a gate asks for: a file uploaded with the submission, or a link to it.
    Files are kept in the database and downloaded only through the council's own pages."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    submission = models.ForeignKey(GateSubmission, on_delete=models.CASCADE, related_name="artefacts")
    criterion_id = models.PositiveIntegerField(help_text="The gate criterion it answers, as submitted")
    title = models.CharField(max_length=300)
    link = models.URLField(max_length=500, blank=True)
    file = models.BinaryField(null=True, blank=True, editable=False)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name or self.link


class GateDecision(models.Model):
    """What the board decided at a gate, and why."""

    KINDS = [(d.value, label) for d, label in DECISION_LABELS.items()]

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions")
    submission = models.ForeignKey(GateSubmission, on_delete=models.CASCADE, related_name="decisions")
    gate = models.PositiveSmallIntegerField()
    decision = models.CharField(max_length=25, choices=KINDS)
    reasons = models.TextField()
    meeting = models.ForeignKey(
        BoardMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.project.code} gate {self.gate}: {self.get_decision_display()}"


class Condition(models.Model):
    """A condition the board set with an approval, tracked until it is met or waived."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MET = "met", "Met"
        WAIVED = "waived", "Waived"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="conditions")
    decision = models.ForeignKey(GateDecision, on_delete=models.CASCADE, related_name="conditions")
    text = models.CharField(max_length=500)
    owner = models.CharField(max_length=150, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closure_note = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["council", "status"])]

    def __str__(self) -> str:
        return self.text


class DesignPrinciplesAssessment(models.Model):
    """The project held against each of the council's design principles. The latest one counts."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assessments")
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"Design-principles assessment of {self.project.code}"


class PrincipleRating(models.Model):
    class Rating(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        NEUTRAL = "neutral", "Neutral"
        CONFLICTS = "conflicts", "Conflicts"

    assessment = models.ForeignKey(
        DesignPrinciplesAssessment, on_delete=models.CASCADE, related_name="ratings"
    )
    principle = models.ForeignKey(DesignPrinciple, on_delete=models.CASCADE, related_name="+")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    reason = models.TextField()

    class Meta:
        ordering = ["principle__position", "principle_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "principle"], name="rating_one_per_principle")
        ]

    def __str__(self) -> str:
        return f"{self.principle}: {self.get_rating_display()}"
