"""Figures and the answer fields of the staff time survey pages.

The answer fields (about forty on one page, the page every member of staff opens) are built here in Python
rather than by looping in the template: the markup is the same, and the page renders several times faster.
"""

from __future__ import annotations

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from wholecouncil.activity.forms_survey import AnswerField, AnswerForm

register = template.Library()


@register.filter
def percent_of(part: int | None, whole: int | None) -> str:
    """'62%': whole per cent, rounded down so 100% means everyone; an em dash when `whole` is 0."""
    if not whole or part is None:
        return "—"
    return f"{int(part) * 100 // int(whole)}%"


def _answer_field(f: AnswerField, percent: bool) -> str:
    """One answer field's GOV.UK markup. Every value is escaped (stdlib html.escape, as Django's escape)."""
    fid = escape(f.id)
    described = " ".join(([f"{fid}-hint"] if f.description else []) + ([f"{fid}-error"] if f.error else []))
    hint = f'<div id="{fid}-hint" class="govuk-hint">{escape(f.description)}</div>' if f.description else ""
    error = (
        f'<p id="{fid}-error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {escape(f.error)}</p>'
        if f.error
        else ""
    )
    group_class = "govuk-form-group govuk-form-group--error" if f.error else "govuk-form-group"
    input_class = "govuk-input govuk-input--width-4" + (" govuk-input--error" if f.error else "")
    unit = "percentage of your week" if percent else "hours a week"
    aria = f' aria-describedby="{described}"' if described else ""
    suffix = "%" if percent else "hours"
    return (
        f'<div class="{group_class}">'
        f'<label class="govuk-label govuk-label--s" for="{fid}">{escape(f.name)}'
        f'<span class="govuk-visually-hidden">, {unit}</span></label>{hint}{error}'
        f'<div class="govuk-input__wrapper"><input class="{input_class}" id="{fid}" name="{fid}" type="text" '
        f'inputmode="decimal" spellcheck="false" autocomplete="off" value="{escape(f.value)}"{aria} '
        f'data-survey-answer><div class="govuk-input__suffix" aria-hidden="true">{suffix}</div></div></div>'
    )


@register.simple_tag
def survey_answer_fields(form: AnswerForm) -> SafeString:
    """Every process's answer field, in one fieldset per operating-model layer."""
    parts = []
    for group in form.groups:
        parts.append(
            '<div class="wc-survey-layer"><fieldset class="govuk-fieldset">'
            '<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">'
            f'<h2 class="govuk-fieldset__heading">{escape(group.layer)}</h2></legend>'
        )
        parts.extend(_answer_field(f, form.percent) for f in group.fields)
        parts.append("</fieldset></div>")
    return mark_safe("".join(parts))  # noqa: S308 - built above from escaped values only
