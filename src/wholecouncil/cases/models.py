"""Opportunities, entered baselines, business cases and their options.

An opportunity is one operating-model layer x lever with a low-high saving, as a percentage of a baseline
(the staff cost of the processes mapped to its layer, a spend category, or a figure entered for it) or as
amounts in pounds. A business case holds the assumptions every option shares (years, discount rate,
optimism bias, MTFP gap, workforce terms); each option chooses opportunities, a point in their range and
phasing by year, and has its own one-off and recurring costs. Figures by year are JSON lists of decimal
strings, one per year from the case's first year.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council, Layer, Lever


class BaselineFigure(models.Model):
    """A baseline entered by hand, used when the activity or spend analysis has not produced one."""

    class Kind(models.TextChoices):
        STAFF = "staff", "Staff cost of a layer's processes"
        SPEND = "spend", "Spend category"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="case_baselines")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=120, help_text="The layer's short code, or the spend category's name")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    fte = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["council", "kind", "key"], name="case_baseline_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.key}"


class Opportunity(models.Model):
    """One layer x lever saving assumption, with its rationale and source."""

    class Basis(models.TextChoices):
        ACTIVITY = "activity", "Staff cost of the processes mapped to the layer"
        SPEND = "spend", "A spend category"
        ENTERED = "entered", "A baseline entered for this opportunity"
        NONE = "none", "No baseline: the saving is entered in pounds"

    class Saving(models.TextChoices):
        PERCENT = "percent", "Percentage of the baseline"
        AMOUNT = "amount", "Amount in pounds"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="opportunities")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    layer = models.ForeignKey(Layer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    lever = models.ForeignKey(Lever, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.ACTIVITY)
    spend_category = models.CharField(max_length=120, blank=True)
    baseline_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    saving = models.CharField(max_length=10, choices=Saving.choices, default=Saving.PERCENT)
    low_pct = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    high_pct = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    low_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    high_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    staff_pct = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Share of the saving that is staff cost; blank for the default",
    )
    rationale = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True)
    illustrative = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "opportunities"
        constraints = [models.UniqueConstraint(fields=["council", "code"], name="opportunity_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def effective_staff_pct(self) -> Decimal:
        if self.staff_pct is not None:
            return self.staff_pct
        return Decimal("100") if self.basis == self.Basis.ACTIVITY else Decimal("0")


class Point(models.TextChoices):
    LOW = "low", "Low"
    MID = "mid", "Mid"
    HIGH = "high", "High"
    CUSTOM = "custom", "Custom"


class Distribution(models.TextChoices):
    PERT = "pert", "PERT"
    TRIANGULAR = "triangular", "Triangular"


class BusinessCase(models.Model):
    """The assumptions every option of a case shares, the recommendation and the narrative."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="business_cases")
    name = models.CharField(max_length=200)
    first_year = models.PositiveSmallIntegerField(help_text="The year the first financial year starts in")
    years = models.PositiveSmallIntegerField(default=5)
    discount_rate_pct = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("3.5"))
    optimism_bias_pct = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    mtfp_gap = models.JSONField(default=list, blank=True, help_text="Pounds by year, as decimal strings")
    turnover_fte = models.JSONField(default=list, blank=True, help_text="Leavers (FTE) by year")
    average_cost_per_fte = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    turnover_capture_pct = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("100"))
    redeployment_pct = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("0"))
    average_redundancy_cost = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    redundancy_in_costs = models.BooleanField(
        default=True,
        help_text="Add the redundancy cost worked out from the workforce impact to one-off costs",
    )
    risk_distribution = models.CharField(
        max_length=12, choices=Distribution.choices, default=Distribution.PERT
    )
    discount_rate_low_pct = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    discount_rate_high_pct = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    optimism_bias_low_pct = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    optimism_bias_high_pct = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    illustrative_defaults = models.JSONField(
        default=list,
        blank=True,
        help_text="Assumptions still at the product's built-in, illustrative default",
    )
    strategic_context = models.TextField(blank=True)
    commercial_approach = models.TextField(blank=True)
    management_arrangements = models.TextField(blank=True)
    recommended_option = models.ForeignKey(
        "CaseOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation_reasons = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def year_labels(self) -> list[FinancialYear]:
        return [FinancialYear(self.first_year) + i for i in range(self.years)]


class Release(models.Model):
    """A named release of the change programme and the financial year it goes live in."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="releases")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    go_live_year = models.PositiveSmallIntegerField(help_text="The year its financial year starts in")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["go_live_year", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="release_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def go_live(self) -> FinancialYear:
        return FinancialYear(self.go_live_year)


class CaseOption(models.Model):
    """One option (scenario) of a case: which opportunities, at which point, phased how, at what cost."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="options")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    point = models.CharField(max_length=10, choices=Point.choices, default=Point.MID)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class OptionLine(models.Model):
    """An opportunity chosen in an option, phased by year (fractions of its full-year saving) or by release
    (percentage shares of it, by release id, totalling 100)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(CaseOption, on_delete=models.CASCADE, related_name="lines")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.RESTRICT, related_name="option_lines")
    phasing = models.JSONField(default=list, help_text="Fractions (0-1) by year, as decimal strings")
    release_shares = models.JSONField(
        default=dict,
        blank=True,
        help_text="Percent of the full-year saving by release id, as decimal strings",
    )
    point = models.CharField(max_length=10, choices=Point.choices, blank=True)
    custom_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["opportunity__position", "opportunity_id"]
        constraints = [
            models.UniqueConstraint(fields=["option", "opportunity"], name="option_line_unique_opportunity")
        ]

    def __str__(self) -> str:
        return f"{self.option}: {self.opportunity.code}"


class CostLine(models.Model):
    """A one-off cost of one type, or a recurring cost, by year, with its risk range."""

    class Kind(models.TextChoices):
        IMPLEMENTATION = "implementation", "Implementation"
        TECHNOLOGY = "technology", "Technology"
        CHANGE_SUPPORT = "change-support", "Change support"
        REDUNDANCY = "redundancy", "Redundancy"
        RECURRING = "recurring", "Recurring cost"

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    option = models.ForeignKey(CaseOption, on_delete=models.CASCADE, related_name="costs")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    amounts = models.JSONField(default=list, help_text="Pounds by year, as decimal strings")
    low_pct = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("100"))
    high_pct = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("100"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_recurring(self) -> bool:
        return self.kind == self.Kind.RECURRING
