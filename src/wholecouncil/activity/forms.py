"""Forms for the council's process list, comparator profiles and importing survey answers."""

from __future__ import annotations

from typing import Any

from django import forms

from wholecouncil.activity.models import Comparator
from wholecouncil.activity.services.processes import HOME_FUNCTIONS
from wholecouncil.activity.services.response_import import FIELDS, MAX_FILE_BYTES
from wholecouncil.council.models import Council, Layer

NOT_IN_FILE = ""


class ProcessForm(forms.Form):
    code = forms.SlugField(
        label="Short code",
        max_length=60,
        help_text="Lower-case letters, numbers and hyphens. It heads the process's column in files.",
        error_messages={"required": "Enter a short code", "invalid": "Use only letters, numbers and hyphens"},
    )
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the process's name"}
    )
    description = forms.CharField(
        label="Description (optional)",
        max_length=300,
        required=False,
        help_text="One line that helps staff recognise the work.",
    )
    layer = forms.ModelChoiceField(
        label="Layer of the operating model",
        queryset=Layer.objects.none(),
        required=False,
        empty_label="Not mapped to a layer",
    )
    home_function = forms.ChoiceField(
        label="Where the work belongs",
        choices=HOME_FUNCTIONS,
        help_text="Effort done in other kinds of team counts as done outside its home function.",
    )

    def __init__(self, *args: Any, council: Council, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        layer_field = self.fields["layer"]
        assert isinstance(layer_field, forms.ModelChoiceField)
        layer_field.queryset = Layer.objects.filter(council=council).order_by("position")


class ComparatorForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter a name"})
    source = forms.CharField(
        label="Source",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the figures come from, so readers can judge them.",
        error_messages={"required": "Say where the figures come from"},
    )
    basis = forms.ChoiceField(
        label="The shares are by",
        choices=Comparator.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the shares are by process or by layer"},
    )
    file = forms.FileField(
        label="File of shares",
        help_text="CSV or Excel with a 'code' column (process or layer) and a 'share' column (0.12 or 12%).",
        error_messages={"required": "Choose a file to upload"},
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the survey tool's export",
        help_text="CSV or Excel (.xlsx): one row per respondent, with org unit, contracted hours and one "
        "column per process giving hours in a typical week. Up to 20 MB.",
        widget=forms.FileInput(attrs={"accept": ".csv,.txt,.xlsx,.xlsm"}),
        error_messages={
            "required": "Choose a CSV or Excel file to upload",
            "empty": "The chosen file is empty",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        return upload


class ImportMappingForm(forms.Form):
    title = forms.CharField(
        label="Name for this survey",
        max_length=200,
        error_messages={"required": "Enter a name for the imported survey"},
    )

    def __init__(
        self, *args: Any, headers: list[str], processes: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NOT_IN_FILE, "Not in this file"), *((h, h) for h in headers)]
        for name, label in FIELDS:
            self.fields[f"f_{name}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                required=True,
                error_messages={"required": f"Choose the column for {label.lower()}"},
            )
        for code, label in processes:
            self.fields[f"p_{code}"] = forms.ChoiceField(label=label, choices=choices, required=False)
        self.process_codes = [code for code, _ in processes]

    def clean(self) -> dict[str, Any]:
        """A column answers one question: refuse one column chosen for two fields or processes."""
        cleaned = super().clean() or {}
        chosen: dict[str, list[str]] = {}
        for name in [f"f_{n}" for n, _ in FIELDS] + [f"p_{c}" for c in self.process_codes]:
            header = cleaned.get(name)
            if header:
                chosen.setdefault(header, []).append(name)
        for header, names in chosen.items():
            if len(names) < 2:
                continue
            labels = [str(self.fields[n].label) for n in names]
            for name in names:
                others = ", ".join(label for label in labels if label != self.fields[name].label)
                message = f"The column '{header}' is also chosen for {others}: choose it once only"
                self.add_error(name, message)
        return cleaned

    def mapping(self) -> dict[str, str]:
        result = {}
        for name, _ in FIELDS:
            if self.cleaned_data.get(f"f_{name}"):
                result[name] = self.cleaned_data[f"f_{name}"]
        for code in self.process_codes:
            if self.cleaned_data.get(f"p_{code}"):
                result[code] = self.cleaned_data[f"p_{code}"]
        return result

    def field_rows(self) -> list[forms.BoundField]:
        return [self[f"f_{name}"] for name, _ in FIELDS]

    def process_rows(self) -> list[forms.BoundField]:
        return [self[f"p_{code}"] for code in self.process_codes]
