"""Render Django form fields and figures in GOV.UK Design System markup."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _error_block(field: forms.BoundField) -> SafeString:
    if not field.errors:
        return SafeString("")
    return format_html(
        '<p id="{}-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> {}</p>',
        field.auto_id,
        " ".join(str(e) for e in field.errors),
    )


def _describedby(field: forms.BoundField) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_field(field: forms.BoundField, label_class: str = "govuk-label--s", width: str = "") -> SafeString:
    """A whole GOV.UK form group for one field: label, hint, error message and control."""
    widget = field.field.widget
    error_class = " govuk-form-group--error" if field.errors else ""
    hint = (
        format_html('<div id="{}-hint" class="govuk-hint">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    described = _describedby(field)
    if isinstance(widget, forms.RadioSelect):
        items = format_html_join(
            "",
            '<div class="govuk-radios__item"><input class="govuk-radios__input" id="{0}-{1}" name="{2}" '
            'type="radio" value="{3}"{4}>'
            '<label class="govuk-label govuk-radios__label" for="{0}-{1}">{5}</label></div>',
            (
                (
                    field.auto_id,
                    i,
                    field.html_name,
                    value,
                    " checked" if str(field.value()) == str(value) else "",
                    text,
                )
                for i, (value, text) in enumerate(field.field.choices)  # type: ignore[attr-defined]
            ),
        )
        return format_html(
            '<div class="govuk-form-group{}"><fieldset class="govuk-fieldset"{}>'
            '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{}</legend>{}{}'
            '<div class="govuk-radios" data-module="govuk-radios">{}</div></fieldset></div>',
            error_class,
            format_html(' aria-describedby="{}"', described) if described else "",
            field.label,
            hint,
            _error_block(field),
            items,
        )
    attrs: dict[str, str | bool] = {}
    if described:
        attrs["aria-describedby"] = described
    if isinstance(widget, forms.Textarea):
        attrs["class"] = "govuk-textarea" + (" govuk-textarea--error" if field.errors else "")
        attrs.setdefault("rows", "4")
    elif isinstance(widget, forms.Select):
        attrs["class"] = "govuk-select" + (" govuk-select--error" if field.errors else "")
    elif isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        attrs["class"] = "govuk-file-upload" + (" govuk-file-upload--error" if field.errors else "")
    elif isinstance(widget, forms.CheckboxInput):
        attrs["class"] = "govuk-checkboxes__input"
        return format_html(
            '<div class="govuk-form-group{}">{}<div class="govuk-checkboxes govuk-checkboxes--small" '
            'data-module="govuk-checkboxes"><div class="govuk-checkboxes__item">{}'
            '<label class="govuk-label govuk-checkboxes__label" for="{}">{}</label></div></div>{}</div>',
            error_class,
            _error_block(field),
            field.as_widget(attrs=attrs),
            field.auto_id,
            field.label,
            hint,
        )
    else:
        attrs["class"] = (
            "govuk-input" + (f" {width}" if width else "") + (" govuk-input--error" if field.errors else "")
        )
    return format_html(
        '<div class="govuk-form-group{}"><label class="govuk-label {}" for="{}">{}</label>{}{}{}</div>',
        error_class,
        label_class,
        field.auto_id,
        field.label,
        hint,
        _error_block(field),
        field.as_widget(attrs=attrs),
    )


def error_anchor(field: forms.BoundField) -> str:
    """The id of the control an error should move to: for radios and checkboxes (CheckboxSelectMultiple
    is a RadioSelect), the first option's, as `govuk_field` writes it (`<auto_id>-0`; Django's own
    markup would say `<auto_id>_0`, which the GOV.UK pages do not use)."""
    if isinstance(field.field.widget, forms.RadioSelect) and field.auto_id:
        return f"{field.auto_id}-0"
    return str(field.auto_id)


@register.inclusion_tag("web/components/error_summary.html")
def govuk_error_summary(form: forms.BaseForm) -> dict[str, object]:
    errors = []
    for name, messages in form.errors.items():
        anchor = f"#{error_anchor(form[name])}" if name in form.fields else "#main-content"
        for message in messages:
            errors.append({"href": anchor, "text": message})
    return {"errors": errors}


@register.filter
def pounds(value: Decimal | float | int | None, places: int = 0) -> str:
    """£1,234,567 (or £1,234.56 with places=2); an em dash when there is no figure."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    sign = "\N{MINUS SIGN}" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.{places}f}"


@register.filter
def fte(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.1f}"


@register.filter
def percent(value: Decimal | float | None, places: int = 1) -> str:
    """A share (0.256) as a percentage (25.6%); an em dash when there is no figure."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value) * 100:,.{places}f}%"


@register.filter
def points(value: Decimal | float | None, places: int = 1) -> str:
    """A difference of shares (0.031) in percentage points, signed: +3.1 points."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value) * 100
    sign = "+" if amount > 0 else "\N{MINUS SIGN}" if amount < 0 else ""
    return f"{sign}{abs(amount):,.{places}f} points"


@register.filter
def form_value(data: Any, key: str) -> str:
    """What the user sent for `key` in a submitted form (a QueryDict), so a page with errors keeps it."""
    return data.get(key, "") if hasattr(data, "get") else ""


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current address with its query string kept and `page` set to `number`."""
    params = context["request"].GET.copy()
    params["page"] = number
    return "?" + params.urlencode()
