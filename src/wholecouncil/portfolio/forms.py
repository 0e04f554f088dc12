"""Forms of the portfolio pages. Choices are always limited to the current council's own rows."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.portfolio.engine.capacity import OUTCOME_HINTS, OUTCOME_LABELS
from wholecouncil.portfolio.engine.lifecycle import DECISION_HINTS, DECISION_LABELS
from wholecouncil.portfolio.engine.raid import IMPACT_LABELS, LIKELIHOOD_LABELS
from wholecouncil.portfolio.models import (
    Assumption,
    BoardMeeting,
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


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[(d.value, label) for d, label in DECISION_LABELS.items()],
        widget=forms.RadioSelect,
        label="Decision",
        error_messages={"required": "Choose the board's decision"},
    )
    reasons = forms.CharField(
        widget=forms.Textarea,
        label="Reasons",
        error_messages={"required": "Give the reasons for the decision"},
    )
    meeting = forms.ModelChoiceField(
        queryset=BoardMeeting.objects.none(), required=False, label="Meeting (optional)"
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = BoardMeeting.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["decision"].help_text = " ".join(
            f"{DECISION_LABELS[d]}: {h}" for d, h in DECISION_HINTS.items()
        )

    CONDITION_ROWS = 3


class ConditionCloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[("met", "Met"), ("waived", "Waived by the board")],
        widget=forms.RadioSelect,
        label="Outcome",
        error_messages={"required": "Choose whether the condition is met or waived"},
    )
    note = forms.CharField(
        widget=forms.Textarea,
        label="How it was met, or why it is waived",
        error_messages={"required": "Say how the condition was met, or why it is waived"},
    )


class StateForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("pause", "Pause"), ("resume", "Resume"), ("stop", "Stop")],
        widget=forms.RadioSelect,
        label="Change",
        error_messages={"required": "Choose pause, resume or stop"},
    )
    reason = forms.CharField(widget=forms.Textarea, label="Reason", required=False)


class MeetingForm(forms.ModelForm):
    class Meta:
        model = BoardMeeting
        fields = ["kind", "held_on", "title"]
        labels = {"held_on": "Date", "kind": "Meeting"}
        widgets = {"kind": forms.RadioSelect, "held_on": DATE}
        error_messages = {
            "title": {"required": "Enter the meeting's title"},
            "held_on": {"required": "Enter the date", **DATE_ERRORS},
        }


class ReviewForm(forms.Form):
    name = forms.CharField(
        max_length=200, label="Name of the review", error_messages={"required": "Enter a name"}
    )
    held_on = _date("Date of the review")
    notes = forms.CharField(widget=forms.Textarea, required=False, label="Notes (optional)")


class ReviewItemForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(o.value, label) for o, label in OUTCOME_LABELS.items()],
        widget=forms.RadioSelect,
        label="Outcome",
        help_text=" ".join(f"{OUTCOME_LABELS[o]}: {h}" for o, h in OUTCOME_HINTS.items()),
        error_messages={"required": "Choose an outcome"},
    )
    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(), required=False, label="Align into programme"
    )
    workstream = forms.ModelChoiceField(
        queryset=Workstream.objects.none(), required=False, label="Or align into workstream"
    )
    rationale = forms.CharField(
        widget=forms.Textarea, label="Rationale", error_messages={"required": "Give the rationale"}
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(council=council)  # type: ignore[attr-defined]
        self.fields["workstream"].queryset = Workstream.objects.filter(council=council)  # type: ignore[attr-defined]


class DependencyForm(forms.Form):
    depends_on = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        label="This project depends on",
        error_messages={"required": "Choose the project it depends on"},
    )
    note = forms.CharField(max_length=300, required=False, label="What it needs from it (optional)")

    def __init__(self, *args: Any, council: Council, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].queryset = Project.objects.filter(council=council).exclude(pk=project.pk)  # type: ignore[attr-defined]


class StageForm(forms.Form):
    name = forms.CharField(max_length=60, error_messages={"required": "Enter the stage's name"})
    purpose = forms.CharField(max_length=200, required=False)


class CriterionForm(forms.Form):
    text = forms.CharField(
        max_length=300, label="Criterion", error_messages={"required": "Enter the criterion"}
    )
    required = forms.BooleanField(required=False, initial=True, label="Required to pass the gate")
    is_artefact = forms.BooleanField(required=False, label="It is a document the project must provide")
