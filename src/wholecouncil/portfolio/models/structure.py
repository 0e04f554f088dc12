"""Programmes, enabling workstreams, projects, and the council's stages with their gate criteria."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine.lifecycle import STATUS_LABELS, ProjectState
from wholecouncil.portfolio.engine.lifecycle import Status as LifecycleStatus
from wholecouncil.portfolio.engine.status import RAG_LABELS

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
FTE: dict[str, Any] = {"max_digits": 7, "decimal_places": 2}


class Stage(models.Model):
    """One stage of the council's lifecycle; the gate with the same number closes it."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="portfolio_stages")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=60)
    purpose = models.CharField(max_length=200, blank=True)
    needs_assessment = models.BooleanField(
        default=False, help_text="Its gate cannot be passed without a design-principles assessment"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="stage_unique_number"),
            models.UniqueConstraint(
                fields=["council"], condition=models.Q(needs_assessment=True), name="stage_one_design_gate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class GateCriterion(models.Model):
    """A test a project must meet, or an artefact it must provide, to pass the gate at the end of a stage."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(max_length=300)
    is_artefact = models.BooleanField(default=False, help_text="A document the project must provide")
    required = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["stage__number", "position", "id"]
        verbose_name_plural = "gate criteria"

    def __str__(self) -> str:
        return self.text


class _Group(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lead_name = models.CharField(max_length=150, blank=True, help_text="Lead director or senior owner")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    capacity_fte = models.DecimalField(**FTE, null=True, blank=True, help_text="People (FTE) it can deploy")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Programme(_Group):
    """A whole-council programme of related projects (or a service-change programme) led by a director."""

    class Kind(models.TextChoices):
        WHOLE_COUNCIL = "whole_council", "Whole-council programme"
        SERVICE_CHANGE = "service_change", "Service change"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="programmes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.WHOLE_COUNCIL)

    class Meta(_Group.Meta):
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="programme_unique_code")]


class Workstream(_Group):
    """An enabling workstream: a functional set of activities that lets the programmes deliver."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="workstreams")

    class Meta(_Group.Meta):
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="workstream_unique_code")]


class Project(models.Model):
    """A project moving through the stages, in a programme or a workstream (or not yet aligned to either)."""

    class Status(models.TextChoices):
        IN_STAGE = LifecycleStatus.IN_STAGE.value, STATUS_LABELS[LifecycleStatus.IN_STAGE]
        AT_GATE = LifecycleStatus.AT_GATE.value, STATUS_LABELS[LifecycleStatus.AT_GATE]
        PAUSED = LifecycleStatus.PAUSED.value, STATUS_LABELS[LifecycleStatus.PAUSED]
        STOPPED = LifecycleStatus.STOPPED.value, STATUS_LABELS[LifecycleStatus.STOPPED]
        CLOSED = LifecycleStatus.CLOSED.value, STATUS_LABELS[LifecycleStatus.CLOSED]

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="projects")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    workstream = models.ForeignKey(
        Workstream, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_projects",
    )
    sponsor = models.CharField(max_length=150, blank=True)
    scope = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    budget = models.DecimalField(**MONEY, default=0)
    stage = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_STAGE)
    councils = models.ManyToManyField(
        Council, blank=True, related_name="served_projects", help_text="Councils it serves in a partnership"
    )
    opportunities = models.ManyToManyField(
        "cases.Opportunity",
        blank=True,
        related_name="projects",
        help_text="Business-case opportunities it delivers",
    )
    latest_rag = models.CharField(
        max_length=5, blank=True, choices=[(r.value, label) for r, label in RAG_LABELS.items()]
    )
    latest_report_month = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="project_unique_code"),
            models.CheckConstraint(
                condition=models.Q(programme__isnull=True) | models.Q(workstream__isnull=True),
                name="project_one_parent",
            ),
            models.CheckConstraint(condition=models.Q(stage__gte=1), name="project_stage_from_1"),
        ]
        indexes = [
            models.Index(fields=["council", "stage", "status"]),
            models.Index(fields=["council", "programme"]),
            models.Index(fields=["council", "manager"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def state(self) -> ProjectState:
        return ProjectState(stage=self.stage, status=LifecycleStatus(self.status))

    @property
    def is_open(self) -> bool:
        return self.status not in {LifecycleStatus.STOPPED, LifecycleStatus.CLOSED}

    @property
    def parent(self) -> Programme | Workstream | None:
        return self.programme or self.workstream
