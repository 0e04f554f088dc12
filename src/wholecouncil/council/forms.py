from __future__ import annotations

from django import forms

from wholecouncil.council.models import DesignPrinciple, Layer, Lever, OperatingModel

CODE_HELP = "Lower-case letters, numbers and hyphens, e.g. customer-management. Used in imports and exports."


class TemplateForm(forms.Form):
    template = forms.ChoiceField(
        label="Layer template",
        choices=[c for c in OperatingModel.Template.choices if c[0] != OperatingModel.Template.CUSTOM],
        widget=forms.RadioSelect,
        help_text=(
            "Your layers are replaced by the template's. Layers with the same short code keep their links."
        ),
        error_messages={"required": "Choose a template"},
    )


class LayerForm(forms.ModelForm):
    class Meta:
        model = Layer
        fields = ["name", "code", "description"]
        help_texts = {"code": CODE_HELP}
        labels = {"code": "Short code"}
        error_messages = {
            "name": {"required": "Enter the layer's name"},
            "code": {"required": "Enter a short code"},
        }


class LeverForm(forms.ModelForm):
    class Meta:
        model = Lever
        fields = ["name", "code", "description"]
        help_texts = {"code": CODE_HELP}
        labels = {"code": "Short code"}
        error_messages = {
            "name": {"required": "Enter the lever's name"},
            "code": {"required": "Enter a short code"},
        }


class PrincipleForm(forms.ModelForm):
    class Meta:
        model = DesignPrinciple
        fields = ["title", "code", "summary", "we_will", "we_wont"]
        labels = {
            "code": "Short code",
            "summary": "One-line description",
            "we_will": "We will",
            "we_wont": "We won't",
        }
        help_texts = {
            "code": CODE_HELP,
            "we_will": "Tests a proposal must pass. One per line.",
            "we_wont": "Things a proposal must not do. One per line.",
        }
        error_messages = {
            "title": {"required": "Enter the principle's title"},
            "code": {"required": "Enter a short code"},
            "summary": {"required": "Enter a one-line description"},
        }
