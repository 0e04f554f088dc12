"""Forms for a project's records: programmes, workstreams, projects, the RAID log, milestones, resources and
highlight reports. Choices are always limited to the current council's own rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.portfolio.engine.raid import IMPACT_LABELS, LIKELIHOOD_LABELS
from wholecouncil.portfolio.models import (
    Assumption,
    Decision,
    HighlightReport,
    Issue,
    Milestone,
    Programme,
    Project,
    Risk,
    Workstream,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": "Enter a real date, for example 2026-03-31"}


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE,
        help_text=help_text,
        error_messages={**DATE_ERRORS, "required": f"Enter the {label.lower()}"},
    )


def _username(user: Any) -> str:
    return str(user.get_username())


def members(council: Council) -> Any:
    return get_user_model().objects.filter(memberships__council=council).order_by("username")


class _CouncilForm(forms.ModelForm):
    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.council = council
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is not None:
                model = field.queryset.model
                if model is get_user_model():
                    field.queryset = members(council)
                    field.label_from_instance = _username  # type: ignore[method-assign,assignment]
                elif hasattr(model, "council"):
                    field.queryset = field.queryset.filter(council=council)
            if isinstance(field, forms.DateField) and getattr(field.widget, "input_type", "") != "month":
                field.widget = DATE
            if isinstance(field.widget, forms.RadioSelect) and isinstance(field, forms.ChoiceField):
                choices: Any = field.choices
                field.choices = [(v, label) for v, label in choices if v != ""]
            if name in self.required_messages:
                field.error_messages["required"] = self.required_messages[name]

    required_messages: dict[str, str] = {}


class GroupForm(_CouncilForm):
    required_messages = {"code": "Enter a short code", "name": "Enter the name"}

    class Meta:
        fields = ["name", "code", "description", "lead_name", "lead", "capacity_fte"]
        labels = {
            "code": "Short code",
            "lead_name": "Lead director or senior responsible owner",
            "lead": "Programme lead's account (optional)",
            "capacity_fte": "Capacity in FTE (optional)",
        }
        help_texts = {"code": "Letters, numbers and hyphens, for example cx"}


class ProgrammeForm(GroupForm):
    class Meta(GroupForm.Meta):
        model = Programme
        fields = ["name", "code", "kind", "description", "lead_name", "lead", "capacity_fte"]
        widgets = {"kind": forms.RadioSelect}


class WorkstreamForm(GroupForm):
    class Meta(GroupForm.Meta):
        model = Workstream


class ProjectForm(_CouncilForm):
    required_messages = {"code": "Enter the project's code", "name": "Enter the project's name"}

    class Meta:
        model = Project
        fields = [
            "name",
            "code",
            "programme",
            "workstream",
            "manager",
            "sponsor",
            "scope",
            "start_date",
            "end_date",
            "budget",
        ]
        labels = {
            "programme": "Programme (or service change)",
            "workstream": "Enabling workstream",
            "manager": "Project manager",
            "budget": "Budget in pounds",
            "start_date": "Start date",
            "end_date": "End date",
        }
        help_texts = {
            "workstream": "Choose a programme or a workstream, not both; or neither until it is aligned"
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("programme") and data.get("workstream"):
            self.add_error("workstream", "Choose a programme or a workstream, not both")
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The end date must be on or after the start date")
        return data


class RiskForm(_CouncilForm):
    required_messages = {"title": "Enter the risk", "raised_on": "Enter the date the risk was raised"}

    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "owner",
            "likelihood",
            "impact",
            "residual_likelihood",
            "residual_impact",
            "mitigations",
            "proximity_date",
            "status",
            "raised_on",
        ]
        labels = {"proximity_date": "When it could start to bite (optional)", "raised_on": "Raised on"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, labels in (
            ("likelihood", LIKELIHOOD_LABELS),
            ("impact", IMPACT_LABELS),
            ("residual_likelihood", LIKELIHOOD_LABELS),
            ("residual_impact", IMPACT_LABELS),
        ):
            label = str(self.fields[name].label or name)
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=[(k, f"{k} {v}") for k, v in labels.items()],
                coerce=int,
                widget=forms.Select,
                error_messages={"required": f"Choose the {label.lower()}"},
            )
        self.fields["residual_likelihood"].help_text = "Once the mitigations work"
        self.fields["residual_impact"].help_text = "Once the mitigations work"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keys = ("likelihood", "impact", "residual_likelihood", "residual_impact")
        if all(data.get(k) for k in keys) and data["residual_likelihood"] * data["residual_impact"] > (
            data["likelihood"] * data["impact"]
        ):
            self.add_error("residual_impact", "The residual score cannot be higher than the current score")
        return data


class AssumptionForm(_CouncilForm):
    required_messages = {"text": "Enter the assumption"}

    class Meta:
        model = Assumption
        fields = ["text", "owner", "status", "note", "raised_on"]
        labels = {"text": "Assumption", "raised_on": "Recorded on"}


class IssueForm(_CouncilForm):
    required_messages = {"title": "Enter the issue"}

    class Meta:
        model = Issue
        fields = ["title", "description", "owner", "severity", "status", "raised_on", "resolved_on"]
        labels = {"raised_on": "Raised on", "resolved_on": "Resolved on (when resolved)"}


class DecisionForm(_CouncilForm):
    required_messages = {"title": "Enter the decision"}

    class Meta:
        model = Decision
        fields = ["title", "detail", "owner", "raised_on"]
        labels = {"title": "Decision", "owner": "Decided by", "raised_on": "Decided on"}


RAID_FORMS: dict[str, type[_CouncilForm]] = {
    "risk": RiskForm,
    "assumption": AssumptionForm,
    "issue": IssueForm,
    "decision": DecisionForm,
}


class MilestoneForm(_CouncilForm):
    required_messages = {"name": "Enter the milestone", "baseline_date": "Enter the baseline date"}

    class Meta:
        model = Milestone
        fields = ["name", "baseline_date", "forecast_date", "actual_date"]
        labels = {
            "baseline_date": "Baseline date",
            "forecast_date": "Forecast date",
            "actual_date": "Actual date (when done)",
        }
        help_texts = {
            "baseline_date": "The date agreed when the plan was baselined",
            "forecast_date": "Leave blank to use the baseline date",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forecast_date"].required = False


class MilestoneChangeForm(MilestoneForm):
    """Changing a milestone: its name, forecast and actual dates. The baseline is not on this form."""

    class Meta(MilestoneForm.Meta):
        fields = ["name", "forecast_date", "actual_date"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["forecast_date"].required = True
        self.fields["forecast_date"].error_messages["required"] = "Enter the forecast date"
        self.fields["forecast_date"].help_text = "When the milestone is now expected"


class RebaselineForm(forms.Form):
    baseline_date = _date("New baseline date", help_text="The date the board has agreed")
    reason = forms.CharField(
        widget=forms.Textarea,
        label="Reason",
        help_text="Why the board agreed to move the baseline, for example a change of scope",
        error_messages={"required": "Give the reason for re-baselining"},
    )


class MilestoneDependencyForm(forms.Form):
    milestone = forms.ChoiceField(
        label="Milestone", error_messages={"required": "Choose the milestone that depends on another"}
    )
    depends_on = forms.ChoiceField(
        label="Cannot happen before",
        help_text="A milestone in this project or another",
        error_messages={"required": "Choose the milestone it must follow"},
    )

    def __init__(
        self, *args: Any, milestones: list[Milestone], choices: list[tuple[str, Any]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        mine, other = self.fields["milestone"], self.fields["depends_on"]
        assert isinstance(mine, forms.ChoiceField) and isinstance(other, forms.ChoiceField)
        mine.choices = [("", "Choose a milestone"), *((m.pk, m.name) for m in milestones)]
        other.choices = [("", "Choose a milestone"), *choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("milestone") and data.get("milestone") == data.get("depends_on"):
            self.add_error("depends_on", "A milestone cannot depend on itself")
        return data


class AllocationForm(forms.Form):
    role = forms.CharField(max_length=150, error_messages={"required": "Enter the role"})
    person = forms.CharField(label="Name (optional)", max_length=150, required=False)
    org_unit = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), required=False, label="Team (optional)"
    )
    fte = forms.DecimalField(
        label="FTE",
        min_value=0.01,
        max_value=50,
        decimal_places=2,
        error_messages={"required": "Enter the FTE, for example 0.5", "invalid": "The FTE must be a number"},
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = OrgUnit.objects.filter(council=council).order_by("name")  # type: ignore[attr-defined]


class ReportForm(_CouncilForm):
    required_messages = {
        "rag": "Choose the delivery confidence",
        "narrative": "Write the narrative",
        "benefit_status": "Choose the benefit status",
    }

    class Meta:
        model = HighlightReport
        fields = ["rag", "narrative", "key_risks", "next_milestones", "benefit_status"]
        labels = {
            "narrative": "What happened this month",
            "key_risks": "Key risks and issues",
            "next_milestones": "Milestones next month",
        }
        widgets = {"rag": forms.RadioSelect, "benefit_status": forms.RadioSelect}


class NewReportForm(ReportForm):
    month = forms.DateField(
        label="Month reported on",
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        error_messages={"required": "Enter the month", "invalid": "Enter a month, for example 2026-03"},
    )

    class Meta(ReportForm.Meta):
        fields = ["rag", "narrative", "key_risks", "next_milestones", "benefit_status"]

    field_order = ["month", "rag", "narrative", "key_risks", "next_milestones", "benefit_status"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
