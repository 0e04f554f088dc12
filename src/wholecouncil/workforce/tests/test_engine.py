from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.tabular import SourceRow, read_table
from wholecouncil.workforce.engine import (
    NOT_ASSIGNED,
    ImportOptions,
    PostRow,
    parse_establishment,
    suggest_mapping,
    totals_of,
)
from wholecouncil.workforce.tests.helpers import SIMPLE_HEADERS, SIMPLE_ROWS, csv_bytes, trafford

SIMPLE_MAPPING = {
    "post_ref": "Post ref",
    "directorate": "Directorate",
    "service": "Service",
    "team": "Team",
    "job_title": "Job title",
    "grade": "Grade",
    "fte": "FTE",
    "salary": "Salary",
    "vacant": "Vacant",
}


def parse(
    headers: list[str], rows: list[list[str]], mapping: dict[str, str] | None = None, **options: object
):
    table = read_table("est.csv", csv_bytes(headers, rows))
    return parse_establishment(
        "est.csv", table.headers, table.rows, mapping or suggest_mapping(table.headers), options or None
    )


def test_suggests_the_simple_mapping() -> None:
    assert suggest_mapping(SIMPLE_HEADERS) == SIMPLE_MAPPING


def test_suggests_trafford_columns() -> None:
    headers = "OrganisationLabel,OrganisationURI,EffectiveDate,Level,JobTitle,Name,Grade,Directorate,Service,"
    headers += "ContractType,SharedPost,ContactDetails,SalaryBand,MaximumSalary,Vacancy,Comments"
    assert suggest_mapping(headers.split(",")) == {
        "directorate": "Directorate",
        "service": "Service",
        "job_title": "JobTitle",
        "grade": "Grade",
        "salary_band": "SalaryBand",
        "max_salary": "MaximumSalary",
        "vacant": "Vacancy",
        "contract_type": "ContractType",
    }


def test_reads_posts_with_costs_from_salary_and_on_costs() -> None:
    result = parse(SIMPLE_HEADERS, SIMPLE_ROWS)
    assert result.errors == []
    by_ref = {p.post_ref: p for p in result.posts}
    assert by_ref["P1"] == PostRow(
        post_ref="P1",
        org_path=("Place",),
        job_title="Director of Place",
        grade="SM1",
        fte=Decimal("1.00"),
        annual_cost=Decimal("128000.00"),
        cost_basis="Salary + 28% on-costs",
        vacant=False,
    )
    assert by_ref["P3"].org_path == ("Place", "Highways", "Street lighting")
    assert by_ref["P3"].annual_cost == Decimal("25600.00")  # 40,000 x 0.5 FTE x 1.28
    assert by_ref["P3"].vacant is True
    assert result.totals.posts == 4
    assert result.totals.fte == Decimal("3.5")


def test_on_cost_rate_is_an_option() -> None:
    result = parse(SIMPLE_HEADERS, SIMPLE_ROWS[:1], on_cost_rate="0.3")
    assert result.posts[0].annual_cost == Decimal("130000.00")
    assert result.posts[0].cost_basis == "Salary + 30% on-costs"


def test_an_explicit_annual_cost_is_used_as_it_is() -> None:
    headers = ["Job title", "Directorate", "Annual cost", "Salary"]
    result = parse(headers, [["Clerk", "Corporate", "£31,234.56", "20000"]])
    assert result.posts[0].annual_cost == Decimal("31234.56")
    assert result.posts[0].cost_basis == "Annual cost column"


def test_org_path_column_with_either_separator() -> None:
    headers = ["Role", "Org unit path"]
    rows = [["A", "Place > Highways > Lighting"], ["B", "Place / Parks"], ["C", "NA"]]
    result = parse(headers, rows)
    assert [p.org_path for p in result.posts] == [
        ("Place", "Highways", "Lighting"),
        ("Place", "Parks"),
        (NOT_ASSIGNED,),
    ]
    assert any("no org unit at any level" in w and "row 4" in w for w in result.warnings)


def test_explicit_path_separator() -> None:
    result = parse(["Role", "Org unit path"], [["A", "Place|Parks"]], path_separator="|")
    assert result.posts[0].org_path == ("Place", "Parks")


def test_rows_without_directorate_go_under_not_assigned() -> None:
    result = parse(["Job title", "Directorate", "Service"], [["A", "NA", "Audit"], ["B", "", ""]])
    assert [p.org_path for p in result.posts] == [(NOT_ASSIGNED, "Audit"), (NOT_ASSIGNED,)]
    assert len(result.warnings) >= 2


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "'abc' is not a number"),
        ("0", "the FTE must be more than 0 and at most 1.5 (it is 0)"),
        ("1.6", "the FTE must be more than 0 and at most 1.5 (it is 1.6)"),
        ("-1", "the FTE must be more than 0"),
    ],
)
def test_bad_fte_is_an_error_naming_file_row_and_column(value: str, message: str) -> None:
    rows = [list(SIMPLE_ROWS[0]), list(SIMPLE_ROWS[1])]
    rows[1][6] = value
    result = parse(SIMPLE_HEADERS, rows)
    assert len(result.errors) == 1
    error = result.errors[0]
    assert (error.file, error.row, error.column) == ("est.csv", 3, "FTE")
    assert message in error.message
    assert str(error).startswith("est.csv, row 3, column FTE: ")


def test_fte_as_percentage_and_rounding() -> None:
    rows = [list(SIMPLE_ROWS[0]), list(SIMPLE_ROWS[1])]
    rows[0][6], rows[1][6] = "50%", "0.333"
    result = parse(SIMPLE_HEADERS, rows)
    assert [p.fte for p in result.posts] == [Decimal("0.50"), Decimal("0.33")]
    assert any("rounded" in w for w in result.warnings)


def test_no_fte_column_assumes_one_and_says_so_once() -> None:
    result = parse(["Job title", "Directorate"], [["A", "X"], ["B", "X"], ["C", "Y"]])
    assert [p.fte for p in result.posts] == [Decimal("1")] * 3
    assert [w for w in result.warnings if "FTE" in w] == ["No FTE column: 1.0 FTE assumed for all 3 rows"]


@pytest.mark.parametrize(
    ("word", "vacant"),
    [
        *[("Vacant", True), ("yes", True), ("Y", True), ("TRUE", True), ("1", True)],
        *[("NA", False), ("No", False), ("Filled", False), ("", False), ("false", False)],
    ],
)
def test_vacancy_words(word: str, vacant: bool) -> None:
    result = parse(["Job title", "Directorate", "Vacancy"], [["A", "X", word]])
    assert result.errors == []
    assert result.posts[0].vacant is vacant


def test_an_unknown_vacancy_word_is_an_error() -> None:
    result = parse(["Job title", "Directorate", "Vacancy"], [["A", "X", "perhaps"]])
    assert result.errors[0].column == "Vacancy"
    assert "'perhaps' is not a vacancy flag" in result.errors[0].message


def test_duplicate_post_refs_are_errors() -> None:
    rows = [list(r) for r in SIMPLE_ROWS]
    rows[3][0] = "P1"
    result = parse(SIMPLE_HEADERS, rows)
    assert [(e.row, e.column) for e in result.errors] == [(5, "Post ref")]
    assert "also used on row 2" in result.errors[0].message


def test_generated_post_refs_use_the_row_number() -> None:
    result = parse(["Job title", "Directorate"], [["A", "X"], ["B", "X"]])
    assert [p.post_ref for p in result.posts] == ["ROW-2", "ROW-3"]


def test_salary_band_midpoint_na_and_implausible_bands() -> None:
    headers = ["Job title", "Directorate", "SalaryBand", "MaximumSalary"]
    rows = [
        ["A", "X", "65000 - 69999", "70000"],
        ["B", "X", "NA", "81118"],
        ["C", "X", "10000 - 104999", "101381"],
        ["D", "X", "10000 - 104999", "NA"],
        ["E", "X", "NA", "NA"],
    ]
    result = parse(headers, rows)
    assert result.errors == []
    costs = [p.annual_cost for p in result.posts]
    assert costs == [
        Decimal("86399.36"),  # midpoint 67,499.50 x 1.28
        Decimal("103831.04"),  # 81,118 x 1.28
        Decimal("129767.68"),  # 101,381 x 1.28, the band looks wrong
        Decimal("134398.72"),  # the top of the band, 104,999 x 1.28
        None,
    ]
    assert [p.cost_basis for p in result.posts][:3] == [
        "midpoint of SalaryBand 65000 - 69999 + 28% on-costs",
        "MaximumSalary + 28% on-costs",
        "MaximumSalary (SalaryBand looked wrong) + 28% on-costs",
    ]
    warnings = "\n".join(result.warnings)
    assert "1 row had SalaryBand 'NA': cost taken from MaximumSalary (row 3)" in warnings
    assert "SalaryBand '10000 - 104999', which looks wrong" in warnings
    assert "(row 4)" in warnings and "(row 5)" in warnings
    assert "1 row had no salary or cost in any mapped column: annual cost left blank (row 6)" in warnings


def test_money_errors_name_the_column() -> None:
    result = parse(["Job title", "Directorate", "Salary"], [["A", "X", "lots"], ["B", "X", "-5"]])
    assert [(e.row, e.column) for e in result.errors] == [(2, "Salary"), (3, "Salary")]


def test_mapping_errors_name_the_field() -> None:
    result = parse(["Job title", "Directorate"], [["A", "X"]], mapping={"directorate": "Directorate"})
    assert [str(e) for e in result.errors] == [
        "est.csv: Job title: choose the column that holds the job title"
    ]
    result = parse(["Job title", "Directorate"], [["A", "X"]], mapping={"job_title": "Job title"})
    assert result.errors[0].message.startswith("Directorate: choose")
    result = parse(["Job title", "X"], [["A", "X"]], mapping={"job_title": "Job title", "team": "Nope"})
    assert result.errors[0].message == "Team: there is no column called 'Nope'"
    both = {"job_title": "Job title", "org_path": "X", "directorate": "X"}
    assert parse(["Job title", "X"], [["A", "X"]], mapping=both).errors[0].message.startswith("Org unit path")


def test_a_blank_job_title_is_an_error() -> None:
    result = parse(["Job title", "Directorate"], [["A", "X"], ["NA", "X"]])
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "Job title", "the job title is blank")
    ]


def test_a_file_with_no_rows_is_an_error() -> None:
    result = parse_establishment(
        "e.csv", ["Job title", "Directorate"], [], {"job_title": "Job title", "directorate": "Directorate"}
    )
    assert "no rows of posts" in result.errors[0].message


def test_trafford_file(shared_data_dir: Path) -> None:
    path = trafford(shared_data_dir)
    table = read_table(path.name, path.read_bytes())
    result = parse_establishment(table.name, table.headers, table.rows, suggest_mapping(table.headers))
    assert result.errors == []
    assert len(result.posts) == 80
    assert result.posts[0].org_path == (NOT_ASSIGNED,)  # the chief executive has no directorate
    totals = result.totals
    assert totals.vacant == 11
    assert totals.uncosted == 1
    assert totals.annual_cost == sum(p.annual_cost for p in result.posts if p.annual_cost is not None)
    warnings = "\n".join(result.warnings)
    assert "10 rows had SalaryBand 'NA': cost taken from MaximumSalary" in warnings
    assert "3 rows had SalaryBand '10000 - 104999', which looks wrong" in warnings
    assert "rows 5, 41, 55" in warnings


# --- properties ----------------------------------------------------------------------------------------

names = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij &'", min_size=1, max_size=12)
    .map(str.strip)
    .filter(lambda s: s and s.casefold() not in {"na", "n/a", "null"})
)
post = st.tuples(
    names,
    st.lists(names, min_size=1, max_size=3),
    st.integers(min_value=1, max_value=150).map(lambda n: Decimal(n) / 100),
    st.one_of(st.none(), st.integers(min_value=0, max_value=20_000_000).map(lambda p: Decimal(p) / 100)),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(post, min_size=1, max_size=25), st.integers(min_value=0, max_value=50))
def test_valid_rows_all_become_posts_and_totals_add_up(rows: list, on_cost: int) -> None:
    headers = ["Job title", "Org unit path", "FTE", "Salary", "Vacant"]
    data = [
        [t, " > ".join(path), str(fte), "" if s is None else str(s), "Y" if v else "N"]
        for t, path, fte, s, v in rows
    ]
    rate = Decimal(on_cost) / 100
    result = parse(headers, data, on_cost_rate=str(rate))
    assert result.errors == []
    assert len(result.posts) == len(rows)
    assert result.totals.fte == sum((fte for _, _, fte, _, _ in rows), Decimal(0))
    assert result.totals.vacant == sum(1 for r in rows if r[4])
    for p, (_, path, fte, salary, _) in zip(result.posts, rows, strict=True):
        assert p.org_path == tuple(" ".join(name.split()) for name in path)  # runs of spaces collapse
        if salary is None:
            assert p.annual_cost is None and p.cost_basis == ""
        else:
            assert p.annual_cost == (salary * fte * (1 + rate)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            assert p.cost_basis
    assert totals_of(result.posts) == result.totals


cell = st.text(max_size=10)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(cell, min_size=6, max_size=6), min_size=1, max_size=10))
def test_any_cells_give_posts_or_located_errors_never_a_crash(data: list[list[str]]) -> None:
    headers = ("Post ref", "Job title", "Directorate", "FTE", "Salary band", "Vacancy")
    rows = [SourceRow(i + 2, tuple(r)) for i, r in enumerate(data)]
    result = parse_establishment("f.csv", headers, rows, suggest_mapping(headers), ImportOptions())
    assert len(result.posts) + len({e.row for e in result.errors}) == len(rows)
    for error in result.errors:
        assert error.file == "f.csv"
        assert error.row in {r.number for r in rows}
        assert error.column in headers
    for p in result.posts:
        assert Decimal(0) < p.fte <= Decimal("1.5")
        assert p.org_path and all(p.org_path)
