"""The shared bar chart: figures printed in the format asked for, colours that survive PDF rendering."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template

from wholecouncil.web.templatetags.charts import bar_chart


def _printed(values: list[object], shown: str) -> list[str]:
    rows = [{"name": f"Row {i}", "fte": v} for i, v in enumerate(values)]
    chart = bar_chart(rows, title="T", description="D", shown=shown)
    return [bar["printed"] for bar in chart["bars"]]


def test_figures_are_printed_as_counts_pounds_percentages_or_one_decimal() -> None:
    assert _printed([3, Decimal("12")], "count") == ["3", "12"]
    assert _printed([Decimal("1234567.89"), Decimal("-50")], "pounds") == ["£1,234,568", "-£50"]
    assert _printed([Decimal("0.125")], "percent") == ["12.5%"]
    assert _printed([Decimal("4.26"), None], "") == ["4.3", "hidden"]


def test_bars_are_as_long_as_their_share_of_the_largest() -> None:
    chart = bar_chart([{"name": "a", "fte": 10}, {"name": "b", "fte": 5}], title="T", description="D")
    assert [bar["length"] for bar in chart["bars"]] == [380.0, 190.0]


def test_colours_are_attributes_so_a_pdf_draws_them() -> None:
    html = Template(
        '{% load charts %}{% bar_chart rows title="Spend" description="One bar a row" chart_id="c" %}'
    ).render(Context({"rows": [{"name": "a", "fte": 1}]}))
    assert 'fill="#1d70b8"' in html
    assert 'aria-labelledby="c-title c-desc"' in html
    assert '<title id="c-title">Spend</title>' in html
