"""Forms for a business case: its assumptions, options with their lines and phasing, releases, costs and
the recommendation. Figures by year are one field per year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from wholecouncil.cases.forms import MoneyField, PercentField, add_year_fields, year_value
from wholecouncil.cases.models import BusinessCase, CaseOption, CostLine, Distribution, Point, Release
from wholecouncil.council.engine import FinancialYear


class FinancialYearField(forms.CharField):
    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return FinancialYear.parse(str(text)).start_year
        except ValueError as exc:
            raise forms.ValidationError("Enter a financial year, like 2025/26") from exc


class CaseCreateForm(forms.Form):
    name = forms.CharField(
        label="Name of the case", max_length=200, error_messages={"required": "Enter the case's name"}
    )
    first_year = FinancialYearField(
        label="First financial year",
        help_text="For example 2025/26",
        error_messages={"required": "Enter the first financial year"},
    )
    years = forms.IntegerField(
        label="Number of years",
        min_value=1,
        max_value=30,
        initial=5,
        error_messages={"required": "Enter a number"},
    )


class CaseForm(forms.Form):
    """The assumptions every option of the case shares."""

    name = forms.CharField(label="Name of the case", max_length=200)
    years = forms.IntegerField(label="Number of years", min_value=1, max_value=30)
    discount_rate_pct = PercentField(
        label="Discount rate, %", help_text="HM Treasury Green Book real rate: 3.5%"
    )
    optimism_bias_pct = PercentField(label="Optimism bias uplift on costs, %", min_value=Decimal(0))
    average_cost_per_fte = MoneyField(
        required=False,
        label="Average cost of a post per FTE, including on-costs",
        help_text="Leave blank to use the baseline's or the establishment's average.",
    )
    turnover_capture_pct = PercentField(
        label="Share of leavers whose posts can be deleted, %", min_value=Decimal(0), max_value=Decimal(100)
    )
    redeployment_pct = PercentField(
        label="Share of the remaining affected staff redeployed, %",
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    average_redundancy_cost = MoneyField(label="Average redundancy cost per FTE")
    redundancy_in_costs = forms.BooleanField(
        required=False, label="Add the redundancy cost from the workforce impact to one-off costs"
    )
    risk_distribution = forms.ChoiceField(
        label="Risk range distribution", choices=Distribution.choices, widget=forms.RadioSelect
    )
    discount_rate_low_pct = PercentField(required=False, label="Discount rate: low end, %")
    discount_rate_high_pct = PercentField(required=False, label="Discount rate: high end, %")
    optimism_bias_low_pct = PercentField(
        required=False, label="Optimism bias: low end, %", min_value=Decimal(0)
    )
    optimism_bias_high_pct = PercentField(
        required=False, label="Optimism bias: high end, %", min_value=Decimal(0)
    )
    confirm_defaults = forms.BooleanField(
        required=False,
        label="These figures are the council's own assumptions, not illustrative defaults",
    )
    strategic_context = forms.CharField(
        required=False, label="Strategic case: the case for change", widget=forms.Textarea
    )
    commercial_approach = forms.CharField(
        required=False,
        label="Commercial case: how the change will be bought and delivered",
        widget=forms.Textarea,
    )
    management_arrangements = forms.CharField(
        required=False,
        label="Management case: governance, programme and benefits tracking",
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, case: BusinessCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        labels = [str(y) for y in case.year_labels]
        add_year_fields(self, "gap", labels, list(case.mtfp_gap), "MTFP gap")
        add_year_fields(self, "turnover", labels, list(case.turnover_fte), "Leavers (FTE)", money=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for what in ("discount_rate", "optimism_bias"):
            low, high = data.get(f"{what}_low_pct"), data.get(f"{what}_high_pct")
            if (low is None) != (high is None):
                missing = f"{what}_high_pct" if high is None else f"{what}_low_pct"
                self.add_error(missing, "Enter both ends of the range, or neither for the default")
            elif low is not None and high is not None and low > high:
                self.add_error(f"{what}_low_pct", "The low end must not be more than the high end")
        return data

    def values(self) -> dict[str, Any]:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if not k.startswith(("gap_", "turnover_")) and k != "confirm_defaults"
        }
        data["mtfp_gap"] = year_value(self, "gap", self.case.years)
        data["turnover_fte"] = year_value(self, "turnover", self.case.years)
        return data


class OptionForm(forms.ModelForm):
    class Meta:
        model = CaseOption
        fields = ["name", "description", "point"]
        labels = {"name": "Name of the option", "point": "Point in each saving's range"}
        help_texts = {"point": "Business cases are usually built at the midpoint."}
        widgets = {"point": forms.RadioSelect}
        error_messages = {"name": {"required": "Enter the option's name"}}


class LinesForm(forms.Form):
    """Which opportunities an option chooses, their own point, and phasing in % by year or by release."""

    def __init__(
        self,
        *args: Any,
        case: BusinessCase,
        option: CaseOption,
        opportunities: list[Any],
        releases: list[Release] | None = None,
        **kw: Any,
    ):
        super().__init__(*args, **kw)
        self.case = case
        self.opportunities = opportunities
        self.releases = list(releases or [])
        chosen = {line.opportunity_id: line for line in option.lines.all()}
        labels = [str(y) for y in case.year_labels]
        self.rows = []
        for opp in opportunities:
            line = chosen.get(opp.pk)
            self.fields[f"inc_{opp.pk}"] = forms.BooleanField(
                required=False, label=f"Include {opp.code}", initial=line is not None
            )
            self.fields[f"point_{opp.pk}"] = forms.ChoiceField(
                required=False,
                label=f"Point for {opp.code}",
                choices=[("", "As the option"), *Point.choices],
                initial=line.point if line else "",
            )
            self.fields[f"custom_{opp.pk}"] = MoneyField(
                required=False,
                label=f"Custom amount for {opp.code}",
                initial=line.custom_amount if line else None,
            )
            phasing = [Decimal(v) * 100 for v in line.phasing] if line else []
            for i, label in enumerate(labels):
                self.fields[f"y{i}_{opp.pk}"] = PercentField(
                    required=False,
                    label=f"{opp.code} share delivered in {label}, %",
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    initial=(phasing[i].normalize() if i < len(phasing) and phasing[i] else None),
                )
            shares = (line.release_shares or {}) if line else {}
            for rel in self.releases:
                stored = shares.get(str(rel.pk))
                self.fields[f"r{rel.pk}_{opp.pk}"] = PercentField(
                    required=False,
                    label=f"{opp.code} share delivered by {rel.code} {rel.name}, %",
                    min_value=Decimal(0),
                    max_value=Decimal(100),
                    initial=Decimal(stored).normalize() if stored else None,
                )
            self.rows.append(
                {
                    "opportunity": opp,
                    "include": self[f"inc_{opp.pk}"],
                    "point": self[f"point_{opp.pk}"],
                    "custom": self[f"custom_{opp.pk}"],
                    "years": [self[f"y{i}_{opp.pk}"] for i in range(len(labels))],
                    "releases": [self[f"r{rel.pk}_{opp.pk}"] for rel in self.releases],
                }
            )

    def chosen(self) -> list[tuple[Any, list[Decimal], str, Decimal | None, dict[Release, Decimal]]]:
        """(opportunity, phasing fractions by year, point, custom amount, shares % by release) per line."""
        out = []
        for opp in self.opportunities:
            if not self.cleaned_data.get(f"inc_{opp.pk}"):
                continue
            phasing = [
                (self.cleaned_data.get(f"y{i}_{opp.pk}") or Decimal(0)) / 100 for i in range(self.case.years)
            ]
            shares = {
                rel: self.cleaned_data[f"r{rel.pk}_{opp.pk}"]
                for rel in self.releases
                if self.cleaned_data.get(f"r{rel.pk}_{opp.pk}")
            }
            out.append(
                (
                    opp,
                    phasing,
                    self.cleaned_data.get(f"point_{opp.pk}") or "",
                    self.cleaned_data.get(f"custom_{opp.pk}"),
                    shares,
                )
            )
        return out


class ReleaseForm(forms.Form):
    code = forms.CharField(
        label="Short code",
        max_length=20,
        help_text="For example R1",
        error_messages={"required": "Enter a code"},
    )
    name = forms.CharField(
        label="Name of the release",
        max_length=200,
        help_text="For example Release 1: digital front door",
        error_messages={"required": "Enter the release's name"},
    )
    go_live_year = forms.TypedChoiceField(label="Financial year it goes live", coerce=int)

    def __init__(self, *args: Any, case: BusinessCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["go_live_year"]
        field.choices = [(y.start_year, str(y)) for y in case.year_labels]


class CostForm(forms.Form):
    name = forms.CharField(
        label="Name of the cost", max_length=200, error_messages={"required": "Enter its name"}
    )
    kind = forms.ChoiceField(label="Type", choices=CostLine.Kind.choices, widget=forms.RadioSelect)
    low_pct = PercentField(
        label="Risk range: low, % of the amounts", initial=Decimal(100), help_text="100 for no range"
    )
    high_pct = PercentField(
        label="Risk range: high, % of the amounts", initial=Decimal(100), help_text="For example 130"
    )

    def __init__(self, *args: Any, case: BusinessCase, cost: CostLine | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        labels = [str(y) for y in case.year_labels]
        add_year_fields(self, "amount", labels, list(cost.amounts) if cost else [], "Amount in")
        if cost is not None:
            for name in ("name", "kind", "low_pct", "high_pct"):
                self.fields[name].initial = getattr(cost, name)

    def values(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in ("name", "kind", "low_pct", "high_pct")}
        data["amounts"] = year_value(self, "amount", self.case.years)
        return data


class RecommendForm(forms.Form):
    option = forms.ModelChoiceField(
        queryset=CaseOption.objects.none(),
        label="Recommended option",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the option you recommend"},
    )
    reasons = forms.CharField(
        label="Reasons", widget=forms.Textarea, error_messages={"required": "Give the reasons"}
    )

    def __init__(self, *args: Any, case: BusinessCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["option"]
        field.queryset = case.options.all()
        field.empty_label = None
