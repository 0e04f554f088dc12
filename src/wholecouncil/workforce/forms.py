from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from wholecouncil.workforce.engine import (
    DEFAULT_ON_COST_RATE,
    ESTABLISHMENT_FIELDS,
    PATH_SEPARATORS,
    ImportOptions,
    mapping_problems,
)
from wholecouncil.workforce.services import MAX_FILE_BYTES

NOT_IN_FILE = "Not in this file"


def _without_label(message: str) -> str:
    """'Job title: choose the column' -> 'Choose the column' (the label is already beside the field)."""
    text = message.split(": ", 1)[-1]
    return text[:1].upper() + text[1:]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload an establishment list",
        help_text="A CSV or Excel (.xlsx) file with one row per post, up to 20 MB.",
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm"}),
        error_messages={
            "required": "Choose a CSV or Excel file to upload",
            "empty": "The chosen file is empty",
        },
    )
    sheet = forms.CharField(
        label="Worksheet name (Excel files only, optional)",
        help_text="Leave blank to read the first worksheet.",
        required=False,
        max_length=100,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        return upload


class MappingForm(forms.Form):
    """One select per establishment field, listing the file's headers, and the import options."""

    on_cost_percent = forms.DecimalField(
        label="Employer on-costs, as a percentage of salary",
        help_text=(
            "Added when the cost is worked out from a salary (national insurance, pension). Often 25 to 30."
        ),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        error_messages={
            "required": "Enter the on-cost percentage, for example 28",
            "invalid": "The on-cost percentage must be a number, for example 28",
            "min_value": "The on-cost percentage must be 0 or more",
            "max_value": "The on-cost percentage must be 100 or less",
        },
    )
    path_separator = forms.ChoiceField(
        label="In an org unit path column, the levels are separated by",
        choices=list(PATH_SEPARATORS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the levels of the path are separated"},
    )
    salary_is_full_time = forms.BooleanField(
        label="Salaries are full-time figures: multiply them by the post's FTE",
        required=False,
    )

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", NOT_IN_FILE), *((h, h) for h in headers)]
        fields: dict[str, forms.Field] = {}
        for f in ESTABLISHMENT_FIELDS:
            fields[f.name] = forms.ChoiceField(
                label=f.label, help_text=f.hint, choices=choices, required=False
            )
        # The column selects come first, then the options.
        self.fields = {**fields, **self.fields}

    @classmethod
    def initial_for(cls, mapping: dict[str, str], options: dict[str, Any]) -> dict[str, Any]:
        opts = ImportOptions.from_dict(options)
        return {
            **mapping,
            "on_cost_percent": (opts.on_cost_rate * 100).normalize(),
            "path_separator": opts.path_separator,
            "salary_is_full_time": opts.salary_is_full_time,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in mapping_problems(self.headers, self.mapping()):
            self.add_error(name or None, _without_label(message))
        return data

    def mapping(self) -> dict[str, str]:
        return {
            f.name: self.cleaned_data.get(f.name, "")
            for f in ESTABLISHMENT_FIELDS
            if self.cleaned_data.get(f.name)
        }

    def options(self) -> ImportOptions:
        percent = self.cleaned_data.get("on_cost_percent")
        rate = DEFAULT_ON_COST_RATE if percent is None else percent / 100
        return ImportOptions(
            on_cost_rate=rate,
            path_separator=self.cleaned_data.get("path_separator") or "auto",
            salary_is_full_time=bool(self.cleaned_data.get("salary_is_full_time")),
        )
