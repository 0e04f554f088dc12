"""Forms of the staff time survey: a survey's settings, and a respondent's answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django import forms
from django.http import QueryDict

from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.selectors_survey import process_groups
from wholecouncil.activity.survey_answers import MAX_COMMENT, AnswerCheck, number, target_total

FIELD_PREFIX = "p-"


class SurveyForm(forms.Form):
    """A survey's settings. The closing date is a GOV.UK date input: day, month and year."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="Staff see this at the top of the survey, for example: Where our time goes, spring 2026.",
        error_messages={"required": "Enter a title for the survey"},
    )
    introduction = forms.CharField(
        label="Introduction (optional)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown to every member of staff above the questions: why the council is asking, "
        "how the answers will be used, who to ask for help.",
    )
    unit = forms.ChoiceField(
        label="How staff answer",
        choices=Survey.Unit.choices,
        initial=Survey.Unit.HOURS,
        widget=forms.RadioSelect,
        help_text="Hours must add up to each person's contracted hours; percentages must add up to 100%.",
        error_messages={"required": "Choose how staff answer"},
    )
    full_time_hours = forms.DecimalField(
        label="Hours in a full-time week",
        initial=Decimal("37"),
        min_value=Decimal("1"),
        max_value=Decimal("60"),
        decimal_places=1,
        help_text="Each person's contracted hours are their post's FTE times this.",
        error_messages={
            "required": "Enter the hours in a full-time week",
            "invalid": "Hours in a full-time week must be a number, like 37",
            "min_value": "Hours in a full-time week must be 1 or more",
            "max_value": "Hours in a full-time week must be 60 or fewer",
            "max_decimal_places": "Hours in a full-time week can have at most 1 decimal place",
        },
    )
    tolerance_hours = forms.DecimalField(
        label="Tolerance",
        initial=Decimal("0.5"),
        min_value=Decimal("0"),
        max_value=Decimal("10"),
        decimal_places=1,
        help_text="How far a person's total may be from their contracted hours: in hours, or in "
        "percentage points when staff answer in percentages.",
        error_messages={
            "required": "Enter the tolerance",
            "invalid": "The tolerance must be a number, like 0.5",
            "min_value": "The tolerance must be 0 or more",
            "max_value": "The tolerance must be 10 or less",
            "max_decimal_places": "The tolerance can have at most 1 decimal place",
        },
    )
    closes_day = forms.CharField(required=False, max_length=2)
    closes_month = forms.CharField(required=False, max_length=2)
    closes_year = forms.CharField(required=False, max_length=4)

    def __init__(self, *args: Any, fixed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed = fixed
        if fixed:  # an open survey: what respondents are asked cannot change
            for name in ("unit", "full_time_hours", "tolerance_hours"):
                self.fields[name].disabled = True

    @classmethod
    def initial_for(cls, survey: Survey) -> dict[str, Any]:
        closes = survey.closes_on
        return {
            "title": survey.title,
            "introduction": survey.introduction,
            "unit": survey.unit,
            "full_time_hours": survey.full_time_hours,
            "tolerance_hours": survey.tolerance_hours,
            "closes_day": str(closes.day) if closes else "",
            "closes_month": str(closes.month) if closes else "",
            "closes_year": str(closes.year) if closes else "",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parts = [str(data.get(f"closes_{p}") or "").strip() for p in ("day", "month", "year")]
        data["closes_on"] = None
        if not any(parts):
            return data
        if not all(parts):
            missing = [p for p, v in zip(("day", "month", "year"), parts, strict=True) if not v]
            self.add_error("closes_day", f"The closing date must include a {' and '.join(missing)}")
            return data
        try:
            day, month, year = (int(p) for p in parts)
            closes = dt.date(year, month, day)
        except ValueError:
            self.add_error("closes_day", "The closing date must be a real date, like 27 3 2026")
            return data
        if year < 2000 or year > 2100:
            self.add_error("closes_day", "The closing year must have 4 digits, like 2026")
            return data
        data["closes_on"] = closes
        return data

    def settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in ("title", "introduction", "closes_on")}
        if not self.fixed:
            values.update({name: data[name] for name in ("unit", "full_time_hours", "tolerance_hours")})
        return values


def total_status(survey: Survey, total: Decimal, target: Decimal) -> str:
    """How a total stands against its target: '6.5 hours left to account for', 'Adds up to 100%'."""
    if target <= 0:
        return ""
    gap = target - total
    percent = survey.unit == Survey.Unit.PERCENT
    if abs(gap) <= survey.tolerance_hours:
        return "Adds up to 100%" if percent else "Adds up to your contracted hours"
    if percent:
        return f"{number(gap)}% left to account for" if gap > 0 else f"{number(-gap)}% more than 100%"
    if gap > 0:
        return f"{number(gap)} hour{'' if gap == 1 else 's'} left to account for"
    return f"{number(-gap)} hour{'' if gap == -1 else 's'} more than your contracted hours"


@dataclass
class AnswerField:
    code: str
    name: str
    description: str
    value: str
    error: str = ""

    @property
    def id(self) -> str:
        return f"{FIELD_PREFIX}{self.code}"


@dataclass
class AnswerGroup:
    layer: str
    fields: list[AnswerField]
    index: int

    @property
    def has_errors(self) -> bool:
        return any(f.error for f in self.fields)


@dataclass
class AnswerForm:
    """A respondent's answers: one number per process, grouped by layer, and a comment.

    Built from the respondent's saved answers, or from what they just sent (`data`) so a page with errors
    shows exactly what they typed.
    """

    survey: Survey
    respondent: Respondent
    data: QueryDict | None = None
    total_error: str = ""
    comment_error: str = ""
    groups: list[AnswerGroup] = field(default_factory=list)

    def __post_init__(self) -> None:
        saved = self.respondent.answers or {}
        self.groups = []
        for i, group in enumerate(process_groups(self.survey), start=1):
            items = []
            for p in group.processes:
                code = p["code"]
                if self.data is not None:
                    value = self.data.get(FIELD_PREFIX + code, "")
                else:
                    value = number(saved[code]) if code in saved else ""
                items.append(AnswerField(code, p["name"], p.get("description", ""), value))
            self.groups.append(AnswerGroup(group.layer, items, i))

    @property
    def percent(self) -> bool:
        return self.survey.unit == Survey.Unit.PERCENT

    @property
    def target(self) -> str:
        return number(target_total(self.survey, self.respondent.contracted_hours))

    @property
    def comment(self) -> str:
        if self.data is not None:
            return str(self.data.get("comment", ""))
        return self.respondent.comment

    @property
    def fields(self) -> list[AnswerField]:
        return [f for g in self.groups for f in g.fields]

    @property
    def first_id(self) -> str:
        fields = self.fields
        return fields[0].id if fields else "comment"

    def total(self) -> str:
        """The total of the answers as they stand, counting only the ones that read as numbers."""
        total = Decimal("0")
        for f in self.fields:
            try:
                value = Decimal(f.value.strip().rstrip("%") or "0")
            except ArithmeticError:
                continue
            if value.is_finite() and value > 0:
                total += value
        return number(total)

    def show(self, check: AnswerCheck) -> None:
        """Attach the problems `check` found to their fields."""
        by_code = {f.code: f for f in self.fields}
        for problem in check.problems:
            if problem.code is None:
                self.total_error = problem.message
            elif problem.code == "comment":
                self.comment_error = problem.message
            elif problem.code in by_code:
                by_code[problem.code].error = problem.message

    @property
    def error_list(self) -> list[dict[str, str]]:
        """The error summary: each problem linking to its field (the total links to the first answer)."""
        errors = [{"href": f"#{f.id}", "text": f.error} for f in self.fields if f.error]
        if self.total_error:
            errors.append({"href": f"#{self.first_id}", "text": self.total_error})
        if self.comment_error:
            errors.append({"href": "#comment", "text": self.comment_error})
        return errors

    @property
    def tolerance(self) -> str:
        return number(self.survey.tolerance_hours)

    @property
    def status_text(self) -> str:
        """How the total stands against the target, as the live total in survey.js words it too."""
        return total_status(self.survey, Decimal(self.total()), Decimal(self.target))

    @property
    def max_comment(self) -> int:
        return MAX_COMMENT
