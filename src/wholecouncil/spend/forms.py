from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from wholecouncil.spend.engine import SPEND_FIELDS, DuplicateOptions, mapping_problems
from wholecouncil.spend.engine.contracts import CONTRACT_FIELDS
from wholecouncil.spend.engine.fields import SpendField
from wholecouncil.spend.models import CategoryRule, DuplicateCandidate
from wholecouncil.spend.services.imports import MAX_FILE_BYTES
from wholecouncil.web.templatetags.govuk import error_anchor

NOT_IN_FILE = "Not in this file"
MB = MAX_FILE_BYTES // (1024 * 1024)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [single(f, initial) for f in files if f] or [single(None, initial)]


class UploadForm(forms.Form):
    spend_files = MultipleFileField(
        label="Upload spend files",
        help_text=f"CSV or Excel (.xlsx) files, or ZIP archives of them. Choose several at once for a year "
        f"of monthly files. Up to {MB} MB each.",
        error_messages={
            "required": "Choose one or more files to upload",
            "empty": "The chosen file is empty",
        },
    )

    def clean_spend_files(self) -> list[Any]:
        files = self.cleaned_data["spend_files"]
        for upload in files:
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(f"{upload.name} is larger than {MB} MB")
        return files


class ColumnsForm(forms.Form):
    """One select per field, listing a table's headers: the one column-matching form of every spend
    importer (payments, for each layout of the files, and the contracts register)."""

    def __init__(
        self, *args: Any, headers: Sequence[str], fields: Sequence[SpendField] = SPEND_FIELDS, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        self.spend_fields = tuple(fields)
        choices = [("", NOT_IN_FILE), *((h, h) for h in self.headers)]
        self.fields = {
            f.name: forms.ChoiceField(
                label=f.label + ("" if f.required else " (optional)"),
                help_text=f.hint,
                choices=choices,
                required=False,
            )
            for f in self.spend_fields
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in mapping_problems(self.headers, self.mapping(), self.spend_fields):
            text = message.split(": ", 1)[-1]
            self.add_error(name or None, text[:1].upper() + text[1:])
        return data

    def mapping(self) -> dict[str, str]:
        return {f.name: self.cleaned_data[f.name] for f in self.spend_fields if self.cleaned_data.get(f.name)}


class WindowForm(forms.Form):
    window_days = forms.IntegerField(
        label="Days apart within which the same amount to the same supplier is a possible duplicate",
        min_value=0,
        max_value=366,
        initial=DuplicateOptions().window_days,
        error_messages={
            "required": "Enter a number of days, for example 14",
            "invalid": "The number of days must be a whole number, for example 14",
            "min_value": "The number of days must be 0 or more",
            "max_value": "The number of days must be 366 or fewer",
        },
    )


def error_list(forms_: Sequence[forms.BaseForm], sets: Sequence[Sequence[str]] = ()) -> list[dict[str, str]]:
    """The errors of several forms on one page, for the page's one error summary, each linking to its field.

    `sets`: the file names of each set of columns, in the order of the first forms (one form per set); when
    there is more than one set, each of those forms' errors starts with the set's number and its files
    ("Set 2 (january.csv): choose the column that holds the amount").
    """
    errors: list[dict[str, str]] = []
    for index, form in enumerate(forms_):
        several = len(sets) > 1 and index < len(sets)
        prefix = f"Set {index + 1} ({_file_names(sets[index])}): " if several else ""
        for name, messages in form.errors.items():
            anchor = f"#{error_anchor(form[name])}" if name in form.fields else "#main-content"
            errors.extend({"href": anchor, "text": _prefixed(prefix, str(m))} for m in messages)
    return errors


def _file_names(names: Sequence[str], shown: int = 3) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _prefixed(prefix: str, message: str) -> str:
    if not prefix:
        return message
    if message[1:2].isupper():  # an abbreviation such as "VAT" keeps its capitals
        return prefix + message
    return f"{prefix}{message[:1].lower()}{message[1:]}"


class MergeDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Merge"), ("reject", "Keep apart")],
        error_messages={"required": "Choose whether to merge the suppliers or keep them apart"},
    )


class DuplicateReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[
            (DuplicateCandidate.Outcome.CONFIRMED, "Confirmed duplicate"),
            (DuplicateCandidate.Outcome.NOT_DUPLICATE, "Not a duplicate"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the payments are a duplicate"},
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=500)

    def __init__(self, *args: Any, candidate: DuplicateCandidate | None = None, **kwargs: Any) -> None:
        """With `candidate`, the form starts with its outcome (once reviewed) and note."""
        if candidate is not None:
            initial = {"note": candidate.note}
            if candidate.outcome != DuplicateCandidate.Outcome.OPEN:
                initial["outcome"] = candidate.outcome
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)


class RuleForm(forms.Form):
    field = forms.ChoiceField(
        label="Look at", choices=CategoryRule.Field.choices, error_messages={"required": "Choose a field"}
    )
    contains = forms.CharField(
        label="Contains the text",
        max_length=200,
        help_text="Not case sensitive, for example 'agency staff'.",
        error_messages={"required": "Enter the text to look for"},
    )
    category = forms.CharField(
        label="Category",
        max_length=200,
        help_text="An existing category or a new one.",
        error_messages={"required": "Enter the category"},
    )


class ContractsUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a contracts register",
        help_text="A CSV or Excel (.xlsx) file with one row per contract: "
        + ", ".join(f.label.lower() for f in CONTRACT_FIELDS)
        + ".",
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm"}),
        error_messages={
            "required": "Choose a CSV or Excel file to upload",
            "empty": "The chosen file is empty",
        },
    )
