"""The workbook read back: every hidden cell carries the marker, and no hidden figure is anywhere in it.

Three directorates with no unit above them, as a council's are: Small (4 answer), Middle (6) and Large (30).
The whole council's figures are published, so Small could be worked out from them unless another directorate
is hidden with it: Middle is.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from wholecouncil.accounts.roles import Role
from wholecouncil.activity import selectors
from wholecouncil.activity.engine import fte, money
from wholecouncil.activity.exports import HIDDEN_MARK
from wholecouncil.activity.models import Survey
from wholecouncil.activity.services.comparators import ensure_illustrative_comparators
from wholecouncil.activity.tests.analysis_factories import establishment, survey_with_answers
from wholecouncil.council.models import Council

TEAMS = {
    ("Small", "Small team"): (4, "30000"),
    ("Middle", "Middle team"): (6, "34000"),
    ("Large", "Large team"): (30, "28000"),
}
ANSWERS = {
    "Small team": {"hr": "20", "finance": "17"},
    "Middle team": {"hr": "10", "finance": "27"},
    "Large team": {"hr": "5", "finance": "3", "enquiries": "29"},
}


@pytest.fixture
def forest(council: Council) -> Survey:
    establishment(council, TEAMS)
    return survey_with_answers(council, ANSWERS)


def _hidden_figures() -> set[float]:
    """The FTE and cost of each process in each hidden team (and so its directorate), as they would print."""
    figures = set()
    for team, posts, cost in (("Small team", 4, 30000), ("Middle team", 6, 34000)):
        for hours in ANSWERS[team].values():
            share = float(hours) / 37
            figures.add(float(fte(share * posts)))
            figures.add(float(money(share * posts * cost)))
    return figures


def _workbook(client: Client, council: Council) -> openpyxl.Workbook:
    response = client.get(f"/c/{council.slug}/activity/export.xlsx")
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_a_directorate_of_four_hides_the_next_smallest_on_the_pages(
    council: Council, forest: Survey, client_for: Callable[..., Client]
) -> None:
    result = selectors.survey_baseline(council, forest)
    assert not result.everyone_hidden
    columns, rows = result.by_directorate()
    names = [c.name for c in columns]
    hr = next(r for r in rows if r["code"] == "hr")
    cells = dict(zip(names, hr["cells"], strict=True))
    assert cells["Small"].hidden and cells["Middle"].hidden
    assert cells["Large"].fte == fte(30 * 5 / 37) and not cells["Large"].hidden
    page = client_for(council, Role.COUNCILLOR).get(f"/c/{council.slug}/activity/directorates/")
    assert page.context["hidden_columns"]
    assert page.content.decode().count("wc-hidden-cell") == 2 * (
        len(rows) * 2 + len(page.context["layer_rows"]) * 2
    )


def test_every_hidden_cell_reads_the_marker_and_no_hidden_figure_is_in_the_workbook(
    council: Council, forest: Survey, client_for: Callable[..., Client]
) -> None:
    ensure_illustrative_comparators(council)
    book = _workbook(client_for(council, Role.COUNCILLOR), council)
    assert {"Process by directorate", "Process by directorate (£)", "Layer by directorate"} <= set(
        book.sheetnames
    )
    assert {"Process by unit (FTE)", "Process by unit (£)", "Comparison"} <= set(book.sheetnames)

    for name in ("Process by directorate", "Process by directorate (£)"):
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
        hr = rows["HR and recruitment"]
        column = {h.split(" (")[0]: i for i, h in enumerate(header)}
        small, middle, large = column["Small"], column["Middle"], column["Large"]
        assert hr[small] == HIDDEN_MARK and hr[middle] == HIDDEN_MARK
        expected = fte(30 * 5 / 37) if name == "Process by directorate" else money(30 * 5 / 37 * 28000)
        assert hr[large] == pytest.approx(float(expected))
    by_unit = book["Process by unit (FTE)"]
    header = [c.value for c in by_unit[1]]
    hr = next(r for r in by_unit.iter_rows(min_row=2, values_only=True) if r[0] == "HR and recruitment")
    assert hr[header.index("Small / Small team (FTE)")] == HIDDEN_MARK
    assert hr[header.index("Large / Large team (FTE)")] == pytest.approx(float(fte(30 * 5 / 37)))
    units = {row[0]: row for row in book["Units"].iter_rows(min_row=2, values_only=True)}
    assert units["Small / Small team"][4] == HIDDEN_MARK and units["Middle / Middle team"][4] == HIDDEN_MARK
    assert units["Large / Large team"][4] == 30

    hidden = _hidden_figures()
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, float | int) and not isinstance(value, bool):
                    assert round(float(value), 2) not in hidden, (sheet.title, row)

    comparison = list(book["Comparison"].iter_rows(min_row=2, values_only=True))
    assert comparison and all("Illustrative" in str(r[1]) for r in comparison)


def test_with_fewer_than_five_answers_every_figure_reads_the_marker(
    council: Council, client_for: Callable[..., Client]
) -> None:
    establishment(council, TEAMS)
    survey_with_answers(council, {"Small team": ANSWERS["Small team"]})
    book = _workbook(client_for(council, Role.COUNCILLOR), council)
    for name, columns in (
        ("By layer", (1, 2, 3)),
        ("By process", (3, 4, 5)),
        ("Fragmentation", (3, 4, 5, 6, 7)),
    ):
        for row in book[name].iter_rows(min_row=2, values_only=True):
            assert all(row[c] == HIDDEN_MARK for c in columns), (name, row)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert f"'{HIDDEN_MARK}'" in about["Anonymity"] and "fewer than 5 respondents" in about["Anonymity"]


def test_the_minimum_group_size_is_a_parameter(council: Council, forest: Survey) -> None:
    result = selectors.survey_baseline(council, forest, minimum=7)
    units = {r["node"].name: r for r in result.unit_rows()}
    assert units["Middle team"]["hidden"]  # 6 answers: hidden as a group smaller than 7
    assert result.hidden_reason == "fewer than 7 answers"
    assert {r["outside_home_reason"] for r in result.fragmentation_rows()} == {
        "would reveal units of fewer than 7 respondents"
    }
    assert Decimal(result.minimum) == 7
