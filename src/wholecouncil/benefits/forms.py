"""Forms of the benefits pages. Choices are always limited to the current council's own rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.models import Benefit, BudgetLine
from wholecouncil.benefits.services import MAX_ATTACHMENT_BYTES
from wholecouncil.cases.models import Opportunity
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council
from wholecouncil.portfolio.models import Milestone, Project

MONEY_ERRORS = {"invalid": "Enter an amount in pounds, like 12500 or 12500.50"}


def _money(label: str, required: bool = False, help_text: str = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal(0),
        help_text=help_text,
        error_messages={**MONEY_ERRORS, "min_value": "Enter 0 or more"},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class BenefitForm(forms.ModelForm):
    """The benefit's fields, its profile by year (fields y2026...) and partnership shares (share-<id>)."""

    class Meta:
        model = Benefit
        fields = [
            "reference",
            "title",
            "description",
            "feature",
            "category",
            "owner",
            "projects",
            "milestone",
            "opportunity",
            "budget_line",
            "full_year_value",
            "measure",
            "baseline_value",
            "target_value",
            "tolerance_pct",
            "dis_benefits",
        ]
        help_texts = {
            "reference": "A short reference, such as BEN-012",
            "feature": "The feature of the change that gives rise to the benefit",
            "category": "Cashable: staff cost, third-party spend, income. Non-cashable: cost avoidance, "
            "productivity. The rest are non-financial.",
            "projects": "The projects that deliver it. Hold Ctrl (or Cmd) to choose more than one.",
            "milestone": "If this milestone lands after the savings are due to start, they show as at risk",
            "budget_line": "Where a cashable saving lands. Finance needs it to validate a cashable benefit.",
            "full_year_value": "The recurring saving in a full year, in pounds (financial benefits)",
            "measure": "How the benefit is measured (needed for non-financial benefits)",
            "baseline_value": "The measure before the change",
            "target_value": "The measure the change should reach",
            "tolerance_pct": "How far (% of plan) the forecast may fall short before the RAG turns red",
            "dis_benefits": "Any negative effects of the change",
        }

    def __init__(
        self,
        *args: Any,
        council: Council,
        years: list[int],
        partners: list[Council],
        profile: dict[int, Decimal] | None = None,
        shares: dict[int, Decimal] | None = None,
        ask_confirm: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        self.years = years
        self.partners = partners
        self.fields["projects"].queryset = Project.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["milestone"].queryset = Milestone.objects.filter(  # type: ignore[attr-defined]
            council=council
        ).select_related("project")
        self.fields["milestone"].label_from_instance = lambda m: f"{m.project.code}: {m.name}"  # type: ignore[attr-defined]
        self.fields["opportunity"].queryset = Opportunity.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["reference"].error_messages["required"] = "Enter the benefit's reference"
        self.fields["title"].error_messages["required"] = "Enter the benefit's title"
        self.fields["feature"].error_messages["required"] = "Enter the feature of the change"
        self.fields["category"].error_messages["required"] = "Choose the benefit's category"
        profile = profile or {}
        for year in years:
            self.fields[f"y{year}"] = _money(
                f"Planned in {FinancialYear(year)}",
                help_text="The saving in force that year, in pounds (or in the measure, if non-financial)",
            )
            self.initial.setdefault(f"y{year}", profile.get(year))
        shares = shares or {}
        for c in [council, *partners] if partners else []:
            self.fields[f"share-{c.pk}"] = forms.DecimalField(
                label=f"{c.name}'s share (%)",
                required=False,
                max_digits=5,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=Decimal(100),
                help_text="Leave every share blank if the benefit is all this council's",
                error_messages={"invalid": "Enter a percentage, like 60 or 33.33"},
            )
            self.initial.setdefault(f"share-{c.pk}", shares.get(c.pk))
        if ask_confirm:
            self.fields["confirm"] = forms.BooleanField(
                label="I understand: save the changes and send the benefit back to finance for validation",
                required=False,
            )

    def profile(self) -> dict[int, Decimal]:
        return {y: self.cleaned_data[f"y{y}"] for y in self.years if self.cleaned_data.get(f"y{y}")}

    def shares(self) -> dict[Council, Decimal]:
        if not self.partners:
            return {}
        out = {}
        for c in [self.council, *self.partners]:
            pct = self.cleaned_data.get(f"share-{c.pk}")
            if pct:
                out[c] = pct
        return out


class TransitionForm(forms.Form):
    reason = forms.CharField(label="Reason", widget=forms.Textarea, required=False)
    evidence = forms.CharField(
        label="Evidence that the benefit has been realised",
        widget=forms.Textarea,
        required=False,
        help_text="For example the budget monitoring report or ledger entries that show the saving",
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if action is not Action.REALISE:
            del self.fields["evidence"]
        if action not in (Action.MARK_AT_RISK, Action.RECOVER, Action.MARK_UNDELIVERABLE):
            self.fields["reason"].label = "Note (optional)"


class ActualForm(forms.Form):
    month = forms.DateField(
        label="Month",
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text="For example 2026-09. Recording a month again replaces its figure.",
        error_messages={
            "required": "Enter the month",
            "invalid": "Enter the month as year and month, like 2026-09",
        },
    )
    amount = forms.DecimalField(
        label="Amount delivered in the month",
        max_digits=14,
        decimal_places=2,
        help_text="In pounds, or in the benefit's measure if it is non-financial",
        error_messages={"required": "Enter the amount delivered in the month", **MONEY_ERRORS},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    evidence = forms.CharField(label="Evidence note", widget=forms.Textarea, required=False)
    attachment = forms.FileField(
        label="Evidence file (optional)",
        required=False,
        help_text="PDF, Word, Excel, CSV, text, image or email file, up to 5 MB",
    )

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload is not None and upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(f"{upload.name} is larger than 5 MB")
        return upload


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["code", "name", "baseline", "notes"]
        help_texts = {"baseline": "The annual budget of the line, in pounds: the most its savings can take"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["required"] = "Enter the cost centre code"
        self.fields["name"].error_messages["required"] = "Enter the name of the budget line"
        self.fields["baseline"].error_messages["required"] = "Enter the baseline budget"


class SavingsRequiredForm(forms.Form):
    def __init__(
        self, *args: Any, years: list[int], initial_amounts: dict[int, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"y{year}"] = _money(f"Savings required in {FinancialYear(year)}")
            self.initial[f"y{year}"] = initial_amounts.get(year)

    def amounts(self) -> dict[int, Decimal | None]:
        return {y: self.cleaned_data.get(f"y{y}") for y in self.years}
