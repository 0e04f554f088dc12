"""Models of the benefits register: budget lines, benefits, profiles by year, monthly actuals, partnership
shares, the savings the MTFP requires, and each benefit's status history.

Money is pounds to the penny. A non-financial benefit's profile and actuals are in its own measure.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from wholecouncil.benefits.engine.categories import CATEGORY_LABELS, KIND_LABELS, Kind, kind_of
from wholecouncil.benefits.engine.categories import Category as C
from wholecouncil.benefits.engine.lifecycle import (
    ACTION_LABELS,
    STATUS_COLOURS,
    STATUS_LABELS,
    Action,
    BenefitState,
)
from wholecouncil.benefits.engine.lifecycle import Status as S
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council

MONEY: dict[str, Any] = {"max_digits": 14, "decimal_places": 2}
PCT: dict[str, Any] = {"max_digits": 5, "decimal_places": 2}


def _signer(user_id: int | None, at: object) -> str:
    """Who gave a sign-off, as the lifecycle engine identifies people ('system' for the command line)."""
    if user_id is not None:
        return str(user_id)
    return "system" if at is not None else ""


class BudgetLine(models.Model):
    """A budget line or cost centre, with the annual baseline budget its benefits may take savings from."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="budget_lines")
    code = models.CharField("Cost centre code", max_length=30)
    name = models.CharField(max_length=200)
    baseline = models.DecimalField("Baseline budget (£ a year)", **MONEY)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="budget_line_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Benefit(models.Model):
    """One benefit of the change: what it is, where it lands, its figures and where it is in its lifecycle."""

    class Category(models.TextChoices):
        STAFF_COST = C.STAFF_COST.value, CATEGORY_LABELS[C.STAFF_COST]
        THIRD_PARTY_SPEND = C.THIRD_PARTY_SPEND.value, CATEGORY_LABELS[C.THIRD_PARTY_SPEND]
        INCOME = C.INCOME.value, CATEGORY_LABELS[C.INCOME]
        COST_AVOIDANCE = C.COST_AVOIDANCE.value, CATEGORY_LABELS[C.COST_AVOIDANCE]
        PRODUCTIVITY = C.PRODUCTIVITY.value, CATEGORY_LABELS[C.PRODUCTIVITY]
        CUSTOMER_SATISFACTION = C.CUSTOMER_SATISFACTION.value, CATEGORY_LABELS[C.CUSTOMER_SATISFACTION]
        PROCESSING_TIME = C.PROCESSING_TIME.value, CATEGORY_LABELS[C.PROCESSING_TIME]
        DIGITAL_TAKE_UP = C.DIGITAL_TAKE_UP.value, CATEGORY_LABELS[C.DIGITAL_TAKE_UP]
        EARLY_INTERVENTION = C.EARLY_INTERVENTION.value, CATEGORY_LABELS[C.EARLY_INTERVENTION]

    class Status(models.TextChoices):
        IDENTIFIED = S.IDENTIFIED.value, STATUS_LABELS[S.IDENTIFIED]
        VALIDATED = S.VALIDATED.value, STATUS_LABELS[S.VALIDATED]
        IN_DELIVERY = S.IN_DELIVERY.value, STATUS_LABELS[S.IN_DELIVERY]
        REALISED = S.REALISED.value, STATUS_LABELS[S.REALISED]
        AT_RISK = S.AT_RISK.value, STATUS_LABELS[S.AT_RISK]
        UNDELIVERABLE = S.UNDELIVERABLE.value, STATUS_LABELS[S.UNDELIVERABLE]

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="benefits")
    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    feature = models.CharField(
        "Feature of the change", max_length=300, help_text="The change that gives rise to the benefit"
    )
    category = models.CharField(max_length=30, choices=Category.choices)
    owner = models.CharField("Benefit owner", max_length=150, blank=True)
    projects = models.ManyToManyField("portfolio.Project", blank=True, related_name="benefits")
    opportunity = models.ForeignKey(
        "cases.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="benefits"
    )
    milestone = models.ForeignKey(
        "portfolio.Milestone",
        verbose_name="Delivering milestone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="benefits",
    )
    budget_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="benefits"
    )
    measure = models.CharField("Measure (KPI)", max_length=200, blank=True)
    baseline_value = models.DecimalField("Baseline", max_digits=16, decimal_places=2, null=True, blank=True)
    target_value = models.DecimalField("Target", max_digits=16, decimal_places=2, null=True, blank=True)
    full_year_value = models.DecimalField("Full-year value (£)", **MONEY, null=True, blank=True)
    dis_benefits = models.TextField("Dis-benefits", blank=True)
    tolerance_pct = models.DecimalField("Tolerance (%)", **PCT, default=10)
    status = models.CharField(max_length=15, choices=Status.choices, default=S.IDENTIFIED.value)
    resume_status = models.CharField(max_length=15, blank=True, help_text="While at risk: the status before")
    board_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    board_signed_at = models.DateTimeField(null=True, blank=True)
    finance_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finance_signed_at = models.DateTimeField(null=True, blank=True)
    evidence = models.TextField("Evidence of realisation", blank=True)
    savings_start = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The first day of the first year with a planned saving, kept with the profile",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="benefit_unique_reference"),
        ]
        indexes = [models.Index(fields=["council", "status"]), models.Index(fields=["council", "category"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def kind(self) -> Kind:
        return kind_of(self.category)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def is_financial(self) -> bool:
        return self.kind is not Kind.NON_FINANCIAL

    @property
    def state(self) -> BenefitState:
        return BenefitState(
            status=S(self.status),
            resume=S(self.resume_status) if self.resume_status else None,
            board_signed_by=_signer(self.board_signed_by_id, self.board_signed_at),
            finance_signed_by=_signer(self.finance_signed_by_id, self.finance_signed_at),
        )

    @property
    def status_colour(self) -> str:
        return STATUS_COLOURS[S(self.status)]

    @property
    def resume_label(self) -> str:
        return STATUS_LABELS[S(self.resume_status)].lower() if self.resume_status else ""


class ProfileYear(models.Model):
    """The planned amount of a benefit in one financial year, with the year's actuals rolled up.

    `actual` and `reported` (the last month, 1 = April, with an actual) are kept by the services that record
    actuals, in the same transaction, so the MTFP position reads one row per benefit per year.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="profile")
    year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2025 is 2025/26"
    )
    planned = models.DecimalField(**MONEY, default=0)
    actual = models.DecimalField(**MONEY, default=0)
    reported = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["benefit", "year"], name="profile_year_once"),
            models.CheckConstraint(condition=models.Q(reported__lte=12), name="profile_reported_month"),
        ]
        indexes = [models.Index(fields=["council", "year"])]

    def __str__(self) -> str:
        return f"{self.benefit.reference} {self.financial_year}"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear(self.year)


class MonthlyActual(models.Model):
    """What a benefit delivered in one month, with the evidence. An attached file is kept in the database
    with the row (see docs/adr/0008-benefits-and-the-mtfp.md)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="actuals")
    month = models.DateField(help_text="The first day of the month")
    amount = models.DecimalField(**MONEY)
    evidence = models.TextField("Evidence note", blank=True)
    attachment = models.BinaryField(null=True, blank=True, editable=False)
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True)
    attachment_size = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["month"]
        constraints = [models.UniqueConstraint(fields=["benefit", "month"], name="actual_once_a_month")]

    def __str__(self) -> str:
        return f"{self.benefit.reference} {self.month:%B %Y}"


class BenefitShare(models.Model):
    """A council's percentage of a benefit shared in a partnership. No shares: all of it is the host's."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="shares")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="benefit_shares")
    pct = models.DecimalField("Share (%)", **PCT)

    class Meta:
        ordering = ["-pct", "council__name"]
        constraints = [models.UniqueConstraint(fields=["benefit", "council"], name="benefit_share_once")]

    def __str__(self) -> str:
        return f"{self.council}: {self.pct}%"


class SavingsRequirement(models.Model):
    """The savings the MTFP requires in one financial year, entered by finance."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="savings_requirements")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(**MONEY)
    notes = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="savings_required_once")]

    def __str__(self) -> str:
        return f"{FinancialYear(self.year)}: £{self.amount:,.2f}"


class StatusChange(models.Model):
    """One move of a benefit through its lifecycle: who, when, from what to what, and why."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=15)
    to_status = models.CharField(max_length=15)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.benefit.reference}: {self.from_status} → {self.to_status}"

    def get_action_label(self) -> str:
        label = (
            ACTION_LABELS.get(Action(self.action), self.action) if self.action in set(Action) else self.action
        )
        before, after = S(self.from_status), S(self.to_status)
        if before == after:
            return label
        return f"{label}: {STATUS_LABELS[before].lower()} to {STATUS_LABELS[after].lower()}"
