"""Forms for opportunities, baselines, cases, options and costs. Figures by year are one field per year."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from wholecouncil.cases.models import BusinessCase, CaseOption, CostLine, Distribution, Opportunity, Point
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council, Layer, Lever

_MONEY_JUNK = re.compile(r"[£,\s]")


class MoneyField(forms.DecimalField):
    """Pounds, written plainly or as '£1,200,000'."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}))
        kwargs.setdefault("error_messages", {"invalid": "Enter an amount in pounds, like 250000 or £250,000"})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = _MONEY_JUNK.sub("", value)
        return super().to_python(value)


class PercentField(forms.DecimalField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}))
        kwargs.setdefault("error_messages", {"invalid": "Enter a percentage, like 12.5"})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace("%", "").strip()
        return super().to_python(value)


class OpportunityForm(forms.ModelForm):
    baseline_amount = MoneyField(required=False, label="Baseline in pounds")
    low_pct = PercentField(required=False, label="Low saving, % of the baseline")
    high_pct = PercentField(required=False, label="High saving, % of the baseline")
    low_amount = MoneyField(required=False, label="Low saving in pounds a year")
    high_amount = MoneyField(required=False, label="High saving in pounds a year")
    staff_pct = PercentField(
        required=False,
        label="Share of the saving that is staff cost, %",
        help_text="Drives the workforce impact. Leave blank for 100% on a staff-cost baseline, otherwise 0%.",
    )

    class Meta:
        model = Opportunity
        fields = [
            "code",
            "name",
            "layer",
            "lever",
            "basis",
            "spend_category",
            "baseline_amount",
            "saving",
            "low_pct",
            "high_pct",
            "low_amount",
            "high_amount",
            "staff_pct",
            "rationale",
            "source",
            "illustrative",
        ]
        labels = {
            "code": "Short code",
            "name": "Name",
            "layer": "Layer of the operating model",
            "lever": "Lever",
            "basis": "What the saving is measured against",
            "spend_category": "Spend category",
            "saving": "How the saving is given",
            "rationale": "Rationale",
            "source": "Source of the evidence",
            "illustrative": "These figures are illustrative, not yet evidenced",
        }
        help_texts = {
            "code": "For example CM-1. Used in the workbook and the document.",
            "spend_category": "As named in the spend analysis, or on the baselines page.",
            "rationale": "Why this saving is possible.",
        }
        widgets = {"basis": forms.RadioSelect, "saving": forms.RadioSelect}
        error_messages = {
            "code": {"required": "Enter a short code"},
            "name": {"required": "Enter the opportunity's name"},
        }

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        layer_field: Any = self.fields["layer"]
        lever_field: Any = self.fields["lever"]
        layer_field.queryset = Layer.objects.filter(council=council)
        lever_field.queryset = Lever.objects.filter(council=council)
        layer_field.empty_label = "Choose a layer"
        lever_field.empty_label = "Choose a lever"


def _year_value(form: forms.Form, prefix: str, years: int) -> list[str]:
    values = [form.cleaned_data.get(f"{prefix}_{i}") for i in range(years)]
    return [str(v if v is not None else Decimal(0)) for v in values]


def add_year_fields(
    form: forms.Form, prefix: str, labels: list[str], initial: list[Any], what: str, money: bool = True
) -> None:
    for i, label in enumerate(labels):
        field: forms.Field = (
            MoneyField(required=False, label=f"{what} {label}")
            if money
            else forms.DecimalField(
                required=False,
                label=f"{what} {label}",
                max_digits=10,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
            )
        )
        field.initial = initial[i] if i < len(initial) else None
        form.fields[f"{prefix}_{i}"] = field


def year_fields(form: forms.Form, prefix: str) -> list[forms.BoundField]:
    return [form[name] for name in form.fields if name.startswith(f"{prefix}_")]


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

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith(("gap_", "turnover_"))}
        data["mtfp_gap"] = _year_value(self, "gap", self.case.years)
        data["turnover_fte"] = _year_value(self, "turnover", self.case.years)
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
    """Which opportunities an option chooses, their own point, and phasing in % by year."""

    def __init__(
        self, *args: Any, case: BusinessCase, option: CaseOption, opportunities: list[Any], **kw: Any
    ):
        super().__init__(*args, **kw)
        self.case = case
        self.opportunities = opportunities
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
            self.rows.append(
                {
                    "opportunity": opp,
                    "include": self[f"inc_{opp.pk}"],
                    "point": self[f"point_{opp.pk}"],
                    "custom": self[f"custom_{opp.pk}"],
                    "years": [self[f"y{i}_{opp.pk}"] for i in range(len(labels))],
                }
            )

    def chosen(self) -> list[tuple[Any, list[Decimal], str, Decimal | None]]:
        out = []
        for opp in self.opportunities:
            if not self.cleaned_data.get(f"inc_{opp.pk}"):
                continue
            phasing = [
                (self.cleaned_data.get(f"y{i}_{opp.pk}") or Decimal(0)) / 100 for i in range(self.case.years)
            ]
            out.append(
                (
                    opp,
                    phasing,
                    self.cleaned_data.get(f"point_{opp.pk}") or "",
                    self.cleaned_data.get(f"custom_{opp.pk}"),
                )
            )
        return out


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
        data["amounts"] = _year_value(self, "amount", self.case.years)
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


class BaselinesForm(forms.Form):
    """Entered staff-cost baselines per layer, and spend baselines per category."""

    def __init__(
        self,
        *args: Any,
        layers: list[Layer],
        entered: dict[tuple[str, str], Any],
        categories: list[str],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.layer_rows = []
        for layer in layers:
            fig = entered.get(("staff", layer.code))
            self.fields[f"staff_{layer.code}"] = MoneyField(
                required=False, label=f"Staff cost of {layer.name}", initial=fig.amount if fig else None
            )
            self.fields[f"fte_{layer.code}"] = forms.DecimalField(
                required=False,
                label=f"FTE of {layer.name}",
                max_digits=10,
                decimal_places=2,
                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                initial=fig.fte if fig else None,
            )
            self.layer_rows.append((layer, self[f"staff_{layer.code}"], self[f"fte_{layer.code}"]))
        self.spend_rows = []
        for i, name in enumerate(categories):
            fig = entered.get(("spend", name))
            self.fields[f"spend_{i}"] = MoneyField(
                required=False, label=f"Spend: {name}", initial=fig.amount if fig else None
            )
            self.spend_rows.append((name, self[f"spend_{i}"]))
        self.categories = categories
        self.fields["new_category"] = forms.CharField(
            required=False, label="New spend category", max_length=120
        )
        self.fields["new_amount"] = MoneyField(required=False, label="Its annual spend")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("new_category") and data.get("new_amount") is None:
            self.add_error("new_amount", "Enter the category's annual spend")
        return data


def decimal_or_none(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError):
        return None
