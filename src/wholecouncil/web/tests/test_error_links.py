"""Every link in an error summary moves to a control on the page, radio buttons included."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template


class _Form(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    name = forms.CharField()


def test_error_summary_links_reach_a_control() -> None:
    form = _Form(data={})
    assert not form.is_valid()
    html = Template(
        "{% load govuk %}{% govuk_error_summary form %}{% govuk_field form.kind %}{% govuk_field form.name %}"
    ).render(Context({"form": form}))
    targets = re.findall(r'href="#([^"]+)"', html)
    assert targets == ["id_kind-0", "id_name"]
    for target in targets:
        assert f'id="{target}"' in html
