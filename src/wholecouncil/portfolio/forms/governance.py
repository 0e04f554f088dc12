"""Forms of the governance pages: gate decisions, conditions, pausing, board meetings, reviews, project
dependencies and the council's stages. Choices are limited to the current council's own rows."""

from __future__ import annotations

from typing import Any

from django import forms

from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine.capacity import OUTCOME_HINTS, OUTCOME_LABELS
from wholecouncil.portfolio.engine.lifecycle import DECISION_HINTS, DECISION_LABELS
from wholecouncil.portfolio.forms.records import DATE, DATE_ERRORS, _date
from wholecouncil.portfolio.models import BoardMeeting, Programme, Project, Workstream


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


class NewStageForm(StageForm):
    position = forms.TypedChoiceField(
        label="Where it goes",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose where the stage goes"},
    )

    def __init__(self, *args: Any, stages: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["position"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(1, "First, before the current stage 1")] + [
            (s.number + 1, f"After stage {s.number} {s.name}") for s in stages
        ]
        field.help_text = "The stages after it, and the projects in them, move one number on."


class DesignGateForm(forms.Form):
    gate = forms.TypedChoiceField(
        label="Gate that needs a design-principles assessment",
        coerce=int,
        widget=forms.RadioSelect,
        help_text="A project cannot pass this gate until every design principle is rated with a reason.",
        error_messages={"required": "Choose the gate"},
    )

    def __init__(self, *args: Any, stages: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["gate"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s.number, f"Gate {s.number}, closing {s.name}") for s in stages]


class CriterionForm(forms.Form):
    text = forms.CharField(
        max_length=300, label="Criterion", error_messages={"required": "Enter the criterion"}
    )
    required = forms.BooleanField(required=False, initial=True, label="Required to pass the gate")
    is_artefact = forms.BooleanField(required=False, label="It is a document the project must provide")
