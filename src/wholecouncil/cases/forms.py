"""Forms for opportunities, baselines, cases, options and costs. Figures by year are one field per year."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from wholecouncil.cases.models import Opportunity
from wholecouncil.cases.services.common import OPPORTUNITY_FIELDS
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
        fields = list(OPPORTUNITY_FIELDS)  # the fields the services audit and write
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


def year_value(form: forms.Form, prefix: str, years: int) -> list[str]:
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
