from __future__ import annotations

import io
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from wholecouncil.activity.engine import (
    BaselineOptions,
    Establishment,
    OrgUnit,
    OutsideHome,
    Responses,
    baseline_report,
    compute_baseline,
    compute_fragmentation,
    fte,
    money,
    run_baseline,
)
from wholecouncil.activity.engine.report import to_the_hundredth
from wholecouncil.activity.taxonomy import DEFAULT_PROCESSES, PROCESSES_BY_CODE
from wholecouncil.activity.tests.helpers import (
    EST_HEADERS,
    EST_ROWS,
    RESP_HEADERS,
    RESP_ROWS,
    est_table,
    resp_table,
)
from wholecouncil.tabular import read_table


def run(est_rows=None, resp_rows=None, *, est_headers=None, resp_headers=None, **options):
    """The worked example has 4 respondents: most tests look at its figures with suppression off."""
    options.setdefault("suppress", False)
    return run_baseline(
        est_table(est_rows, est_headers), resp_table(resp_rows, resp_headers), BaselineOptions(**options)
    )


def errors_of(result) -> list[str]:
    assert result.baseline is None and result.fragmentation is None
    return [str(e) for e in result.errors]


def col(baseline, code: str) -> int:
    return [p.code for p in baseline.processes].index(code)


def unit(baseline, name: str) -> int:
    return [u.name for u in baseline.units].index(name)


# Worked example (helpers.py), by hand:
# Customer Services: 2 FTE, £60,000; 74 hours reported: enquiries 50, payments 14, finance 10.
# Finance: 1.5 FTE, £60,000; 55.5 hours: finance 46.25, payments 9.25. Highways: no responses.
def test_worked_example_by_unit_and_process() -> None:
    result = run()
    assert result.ok, result.errors
    b = result.baseline
    cs, fin = unit(b, "Customer Services"), unit(b, "Finance")
    assert b.fte[cs, col(b, "enquiries")] == pytest.approx(2 * 50 / 74)
    assert b.cost[cs, col(b, "enquiries")] == pytest.approx(60000 * 50 / 74)
    assert b.fte[cs, col(b, "payments")] == pytest.approx(2 * 14 / 74)
    assert b.fte[cs, col(b, "finance")] == pytest.approx(2 * 10 / 74)
    assert b.fte[fin, col(b, "finance")] == pytest.approx(1.25)
    assert b.cost[fin, col(b, "finance")] == pytest.approx(50000)
    assert b.fte[fin, col(b, "payments")] == pytest.approx(0.25)
    assert b.cost[fin, col(b, "payments")] == pytest.approx(10000)
    assert b.process_fte[col(b, "assessment")] == 0
    assert list(b.respondents) == [2, 2, 0]


def test_worked_example_totals_and_unallocated() -> None:
    b = run().baseline
    assert b.establishment_fte == pytest.approx(4.5)
    assert b.establishment_cost == pytest.approx(170000)
    assert b.allocated_fte == pytest.approx(3.5)
    assert b.allocated_cost == pytest.approx(120000)
    assert b.unallocated_fte == pytest.approx(1.0)
    assert b.unallocated_cost == pytest.approx(50000)


def test_worked_example_report_in_pounds() -> None:
    result = run()
    report = baseline_report(result.baseline, result.fragmentation)
    enquiries = report["processes"]["enquiries"]
    assert enquiries["fte"] == "1.35" and enquiries["cost"] == "40540.54"
    assert enquiries["by_org_unit"]["Customer Services"] == {"fte": "1.35", "cost": "40540.54"}
    assert enquiries["by_org_unit"]["Finance"] == {"fte": "0.00", "cost": "0.00"}
    assert "Highways" not in enquiries["by_org_unit"]
    payments = report["processes"]["payments"]
    assert payments == {
        **payments,
        "fte": "0.63",  # 14/37 + 1/4
        "cost": "21351.35",  # 60000 * 14/74 + 10000
    }
    assert report["processes"]["finance"]["cost"] == "58108.11"  # 60000 * 10/74 + 50000
    assert report["unallocated"] == {"fte": "1.00", "cost": "50000.00", "org_units": ["Highways"]}
    assert report["totals"]["establishment"] == {"fte": "4.50", "cost": "170000.00"}
    assert report["totals"]["allocated"] == {"fte": "3.50", "cost": "120000.00"}
    assert report["totals"]["respondents"] == 4
    assert report["layers"]["customer-management"]["fte"] == "1.98"  # 293/148
    assert report["org_units"]["Finance"]["function"] == "finance"
    assert report["org_units"]["Customer Services"]["function"] == "customer-services"
    assert report["org_units"]["Highways"]["function"] == "service-delivery"


def test_worked_example_fragmentation() -> None:
    frag = {p.code: p for p in run(threshold_fte=0.5).fragmentation.processes}
    # finance: Customer Services 10/37 FTE (below 0.5), Finance 5/4; shares 8/45 and 37/45.
    assert frag["finance"].units_with_material_effort == 1
    assert frag["finance"].effective_units == pytest.approx(2025 / 1433)
    assert frag["finance"].outside_home_share == pytest.approx(8 / 45)
    # payments: Customer Services 14/37, Finance 1/4 (both below 0.5); home is customer services.
    assert frag["payments"].units_with_material_effort == 0
    assert frag["payments"].outside_home_share == pytest.approx(37 / 93)
    assert frag["enquiries"].effective_units == pytest.approx(1.0)
    assert frag["enquiries"].outside_home == OutsideHome.SHARE
    assert frag["enquiries"].outside_home_share == 0
    assert frag["assessment"].effective_units == 0
    assert frag["payments"].directorates_with_material_effort is None


def test_threshold_is_configurable() -> None:
    frag = {p.code: p for p in run(threshold_fte=0.2).fragmentation.processes}
    assert frag["payments"].units_with_material_effort == 2
    assert frag["finance"].units_with_material_effort == 2


def test_layer_shares() -> None:
    shares = run().fragmentation.layer_shares
    assert shares["customer-management"] == pytest.approx(293 / 518)
    assert shares["enabling-support"] == pytest.approx(225 / 518)
    assert shares["pre-front-door"] == 0
    assert sum(shares.values()) == pytest.approx(1)


def test_management_has_no_outside_home_share() -> None:
    frag = {p.code: p for p in run().fragmentation.processes}
    assert frag["management"].outside_home == OutsideHome.ANYWHERE
    assert frag["management"].outside_home_share is None


# Finance (8 respondents) is shown; Accountancy (3, a finance unit) and Highways (3, front line) are hidden.
SPLIT_EST = [
    *[[f"F{i}", "Finance", "Accountant", "8", "1", "40000"] for i in range(8)],
    *[[f"A{i}", "Accountancy", "Accountant", "8", "1", "40000"] for i in range(3)],
    *[[f"H{i}", "Highways", "Engineer", "9", "1", "50000"] for i in range(3)],
]
SPLIT_RESP = [
    *[[f"RF{i}", "Finance", "37", "", "", "37"] for i in range(8)],
    *[[f"RA{i}", "Accountancy", "37", "", "7", "30"] for i in range(3)],
    *[[f"RH{i}", "Highways", "37", "10", "", "27"] for i in range(3)],
]


def test_suppressed_fragmentation_pools_the_hidden_units() -> None:
    shown = run(SPLIT_EST, SPLIT_RESP, suppress=True)
    assert list(shown.suppression.column_totals) == [False, True, True]
    frag = {p.code: p for p in shown.fragmentation.processes}
    finance = frag["finance"]
    # Accountancy and Highways are one block of 3 * 30/37 + 3 * 27/37 FTE beside Finance's 8.
    block = (90 + 81) / 37
    assert finance.units_with_material_effort == 2
    assert finance.effective_units == pytest.approx(1 / ((8 / (8 + block)) ** 2 + (block / (8 + block)) ** 2))
    # The hidden units are a finance unit and a front-line one: the outside share would split the block.
    assert finance.outside_home == OutsideHome.HIDDEN and finance.outside_home_share is None
    # Enquiries belong in customer services, which neither hidden unit is: the block is all outside.
    assert frag["enquiries"].outside_home == OutsideHome.SHARE
    assert frag["enquiries"].outside_home_share == pytest.approx(1.0)
    assert shown.fragmentation.pooled_units == 2
    raw = {p.code: p for p in run(SPLIT_EST, SPLIT_RESP).fragmentation.processes}
    assert raw["finance"].units_with_material_effort == 3
    assert raw["finance"].outside_home_share == pytest.approx((81 / 37) / (8 + block))
    report = shown.report()["fragmentation"]["processes"]["finance"]
    assert report["outside_home"] == "hidden" and report["outside_home_share"] is None
    assert report["suppressed_because"] == "would reveal units of fewer than 5 respondents"


def test_the_pooled_block_counts_as_one_directorate() -> None:
    headers = [*EST_HEADERS, "directorate"]
    rows = [[*r, "Resources" if r[1] != "Highways" else "Place"] for r in SPLIT_EST]
    shown = run(rows, SPLIT_RESP, est_headers=headers, suppress=True)
    frag = {p.code: p for p in shown.fragmentation.processes}
    # Finance (Resources) and the block (Accountancy in Resources, Highways in Place) both reach 0.5 FTE.
    assert frag["finance"].directorates_with_material_effort == 2
    # Payments: only Accountancy (hidden) does any, 3 * 7/37 FTE, above the threshold.
    assert frag["payments"].directorates_with_material_effort == 1
    raw = {p.code: p for p in run(rows, SPLIT_RESP, est_headers=headers).fragmentation.processes}
    assert raw["finance"].directorates_with_material_effort == 2


def test_directorates_and_functions_from_columns() -> None:
    headers = [*EST_HEADERS, "directorate", "function"]
    rows = [
        [*r, d, f]
        for r, d, f in zip(
            EST_ROWS,
            ["Resources", "Resources", "Resources", "Resources", "Place"],
            ["", "customer-services", "Finance", "", "ict"],
            strict=True,
        )
    ]
    result = run(rows, est_headers=headers)
    assert result.ok, result.errors
    units = {u.name: u for u in result.baseline.units}
    assert units["Customer Services"].function == "customer-services"
    assert units["Highways"].function == "ict"
    assert units["Finance"].directorate == "Resources"
    frag = {p.code: p for p in result.fragmentation.processes}
    assert frag["finance"].directorates_with_material_effort == 1


def test_xlsx_input_gives_the_same_result() -> None:
    def xlsx(headers, rows) -> bytes:
        wb = Workbook()
        ws = wb.active
        ws.append(headers)
        for row in rows:
            ws.append([float(v) if v.replace(".", "").isdigit() else v for v in row])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    est = read_table("E.xlsx", xlsx(EST_HEADERS, EST_ROWS))
    resp = read_table("R.xlsx", xlsx(RESP_HEADERS, RESP_ROWS))
    result = run_baseline(est, resp)
    assert result.ok, result.errors
    assert result.baseline.allocated_cost == pytest.approx(120000)


def test_headers_are_matched_loosely_and_other_columns_warned() -> None:
    headers = [
        "Respondent ID",
        "Org Unit",
        "Contracted Hours",
        "Handling enquiries",
        "PAYMENTS",
        "finance",
        "Notes",
    ]
    result = run(resp_headers=headers, resp_rows=[[*r, "note"] for r in RESP_ROWS])
    assert result.ok, result.errors
    assert any("Notes" in w for w in result.warnings)
    assert any(w.startswith("Processes without a column") for w in result.warnings)


def test_blank_contracted_hours_mean_a_full_time_week() -> None:
    rows = [list(r) for r in RESP_ROWS]
    rows[2][2] = ""
    result = run(resp_rows=rows, full_time_hours=37)
    assert result.ok
    assert any("full-time week of 37 hours" in w for w in result.warnings)
    rows[2][2] = ""
    assert not run(resp_rows=rows, full_time_hours=30).ok


# Bad input: each gives an error naming file, row and column, and nothing is computed.
def test_missing_columns() -> None:
    headers = ["respondent_id", "org_unit", "enquiries"]
    result = run(resp_headers=headers, resp_rows=[[*r[:2], r[3]] for r in RESP_ROWS])
    assert errors_of(result) == ["R.csv, column contracted_hours: there is no contracted_hours column"]
    result = run(est_headers=["post_id", "org_unit", "job_title"], est_rows=[r[:3] for r in EST_ROWS])
    assert errors_of(result) == [
        "E.csv, column fte: there is no fte column",
        "E.csv, column annual_cost: there is no annual_cost column",
    ]


def test_no_process_columns() -> None:
    headers = ["respondent_id", "org_unit", "contracted_hours", "stuff"]
    result = run(resp_headers=headers, resp_rows=[r[:4] for r in RESP_ROWS])
    assert "there are no process columns" in errors_of(result)[0]


def test_text_where_numbers_belong() -> None:
    rows = [list(r) for r in RESP_ROWS]
    rows[0][3] = "lots"
    rows[1][2] = "full time"
    assert errors_of(run(resp_rows=rows)) == [
        "R.csv, row 2, column enquiries: 'lots' is not a number",
        "R.csv, row 3, column contracted_hours: 'full time' is not a number",
    ]
    est = [list(r) for r in EST_ROWS]
    est[0][4] = "one"
    est[1][5] = "lots"
    assert errors_of(run(est)) == [
        "E.csv, row 2, column fte: 'one' is not a number",
        "E.csv, row 3, column annual_cost: 'lots' is not an amount of money",
    ]


def test_negative_hours() -> None:
    rows = [list(r) for r in RESP_ROWS]
    rows[0][4] = "-7"
    assert errors_of(run(resp_rows=rows)) == [
        "R.csv, row 2, column payments: the hours cannot be negative (it is -7)"
    ]


def test_totals_must_match_contracted_hours_within_tolerance() -> None:
    rows = [list(r) for r in RESP_ROWS]
    rows[0][3] = "33"  # 40 hours against 37: 8% over, accepted
    assert run(resp_rows=rows).ok
    rows[0][3] = "34"  # 41 hours: 11% over
    assert errors_of(run(resp_rows=rows)) == [
        "R.csv, row 2, column contracted_hours: the hours add up to 41 but the contracted hours are 37; "
        "they must be within 10% of each other"
    ]
    assert run(resp_rows=rows, tolerance=0.15).ok
    rows[0][3], rows[0][4] = "", ""
    assert "the hours add up to 0 but" in errors_of(run(resp_rows=rows))[0]


def test_unknown_org_unit() -> None:
    rows = [list(r) for r in RESP_ROWS]
    rows[3][1] = "Finanse"
    assert errors_of(run(resp_rows=rows)) == [
        "R.csv, row 5, column org_unit: the org unit 'Finanse' is not in the establishment (E.csv)"
    ]


def test_duplicate_respondents_and_posts() -> None:
    rows = [list(r) for r in RESP_ROWS]
    rows[3][0] = "R1"
    assert errors_of(run(resp_rows=rows)) == [
        "R.csv, row 5, column respondent_id: the respondent ID 'R1' is also used on row 2"
    ]
    est = [list(r) for r in EST_ROWS]
    est[4][0] = "P1"
    assert errors_of(run(est)) == ["E.csv, row 6, column post_id: the post ID 'P1' is also used on row 2"]


def test_establishment_value_rules() -> None:
    est = [list(r) for r in EST_ROWS]
    est[0][4] = "2"
    est[1][5] = ""
    est[2][5] = "-5"
    est[3][1] = ""
    assert errors_of(run(est)) == [
        "E.csv, row 2, column fte: the FTE must be more than 0 and at most 1.5 (it is 2)",
        "E.csv, row 3, column annual_cost: the annual cost is blank",
        "E.csv, row 4, column annual_cost: the annual cost is negative",
        "E.csv, row 5, column org_unit: the org unit is blank",
    ]


def test_directorate_conflict_and_unknown_function() -> None:
    headers = [*EST_HEADERS, "directorate", "function"]
    rows = [[*r, "Resources", ""] for r in EST_ROWS]
    rows[1][6] = "People"
    rows[4][7] = "roads"
    messages = errors_of(run(rows, est_headers=headers))
    assert messages[0] == (
        "E.csv, row 3, column directorate: "
        "the org unit 'Customer Services' is in 'Resources' on an earlier row"
    )
    assert messages[1].startswith("E.csv, row 6, column function: 'roads' is not a function; use one of")


def test_every_error_is_reported_and_nothing_computed() -> None:
    rows = [list(r) for r in RESP_ROWS]
    rows[0][0] = ""
    rows[1][1] = "Nowhere"
    rows[2][5] = "-1"
    rows[3][0] = "R3"
    result = run(resp_rows=rows)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "respondent_id"),
        (3, "org_unit"),
        (4, "finance"),
        (5, "respondent_id"),
    ]
    assert result.baseline is None


def test_establishment_errors_stop_before_responses() -> None:
    est = [list(r) for r in EST_ROWS]
    est[0][4] = "x"
    rows = [list(r) for r in RESP_ROWS]
    rows[0][3] = "x"
    assert [e.file for e in run(est, rows).errors] == ["E.csv"]


def test_empty_files() -> None:
    assert "no rows of posts" in errors_of(run([]))[0]
    assert "no rows of responses" in errors_of(run(resp_rows=[]))[0]


# Properties.
UNIT_NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
PROCESSES = DEFAULT_PROCESSES[:6]


@st.composite
def inputs(draw) -> tuple[Establishment, Responses]:
    n_units = draw(st.integers(1, len(UNIT_NAMES)))
    units = tuple(
        OrgUnit(
            name=UNIT_NAMES[i],
            directorate="",
            function="service-delivery",
            fte=draw(st.integers(1, 5000)) / 100,
            cost=draw(st.integers(0, 10_000_000)) / 100,
            posts=1,
        )
        for i in range(n_units)
    )
    n = draw(st.integers(0, 30))
    unit_idx = np.array([draw(st.integers(0, n_units - 1)) for _ in range(n)], dtype=np.int64)
    hours = np.array(
        [[draw(st.integers(0, 80)) / 2 for _ in PROCESSES] for _ in range(n)], dtype=np.float64
    ).reshape(n, len(PROCESSES))
    hours[:, 0] += 1  # every respondent reports some hours
    est = Establishment("E.csv", (), units)
    responses = Responses(
        "R.csv", PROCESSES, tuple(f"R{i}" for i in range(n)), unit_idx, hours.sum(axis=1), hours
    )
    return est, responses


@settings(max_examples=150, deadline=None)
@given(inputs())
def test_allocated_plus_unallocated_is_the_establishment(data: tuple[Establishment, Responses]) -> None:
    est, responses = data
    b = compute_baseline(est, responses)
    assert b.allocated_fte + b.unallocated_fte == pytest.approx(est.fte, abs=1e-9)
    assert b.allocated_cost + b.unallocated_cost == pytest.approx(est.cost, abs=1e-6)
    # each allocated unit's effort is its establishment, exactly shared out
    for i, u in enumerate(est.units):
        expected = (u.fte, u.cost) if b.respondents[i] else (0.0, 0.0)
        assert b.fte[i].sum() == pytest.approx(expected[0], abs=1e-9)
        assert b.cost[i].sum() == pytest.approx(expected[1], abs=1e-6)
    assert (b.fte >= 0).all()
    # presented to the penny, the parts agree with the whole to rounding
    assert abs(fte(b.allocated_fte) + fte(b.unallocated_fte) - fte(est.fte)) <= Decimal("0.01")
    assert abs(money(b.allocated_cost) + money(b.unallocated_cost) - money(est.cost)) <= Decimal("0.01")
    frag = compute_fragmentation(b)
    for row in frag.processes:
        material = row.units_with_material_effort
        assert 0 <= material <= len(est.units)
        assert row.effective_units == 0 or 1 - 1e-9 <= row.effective_units <= len(est.units) + 1e-9
        assert row.outside_home_share is None or 0 <= row.outside_home_share <= 1 + 1e-12


def test_process_order_follows_the_taxonomy() -> None:
    b = run().baseline
    assert [p.code for p in b.processes] == [p.code for p in DEFAULT_PROCESSES]
    assert b.processes[0] is PROCESSES_BY_CODE[b.processes[0].code]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
            st.integers(-(10**7), 10**9).map(lambda n: n / 1000),  # many exact halves of a penny
        ),
        min_size=1,
        max_size=50,
    )
)
def test_a_table_rounds_to_the_penny_as_each_figure_does(values: list[float]) -> None:
    assert list(to_the_hundredth(np.array(values))) == [str(money(v)) for v in values]
