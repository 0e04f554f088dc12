from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from wholecouncil.cases.engine import CostType, Point, PotKind, compute_case
from wholecouncil.cases.engine.fileformat import CaseFileError, load_case, parse_case, parse_case_text

EXAMPLE = Path(__file__).resolve().parents[4] / "docs" / "examples" / "case.yaml"
D = Decimal


def minimal() -> dict[str, Any]:
    return {
        "case": {"name": "Small", "first_year": "2025/26", "years": 3},
        "baseline_pots": [{"code": "staff", "name": "Staff", "kind": "staff", "amount": 1_000_000}],
        "opportunities": [
            {
                "code": "A",
                "layer": "enabling-support",
                "lever": "automation-technology",
                "pot": "staff",
                "low_pct": 10,
                "high_pct": 20,
            },
            {
                "code": "B",
                "layer": "provision-cycle",
                "lever": "spend-income",
                "low_amount": "£50,000",
                "high_amount": 90000,
            },
        ],
        "chosen": [
            {"opportunity": "A", "phasing": {"2025/26": 0.5, "2026/27": 0.5}},
            {"opportunity": "B", "phasing": [0, 1], "point": "custom", "amount": 60000},
        ],
    }


def problems(data: Any, name: str = "case.yaml") -> list[str]:
    with pytest.raises(CaseFileError) as caught:
        parse_case(data, name)
    return str(caught.value).splitlines()


def test_the_example_loads_and_computes() -> None:
    loaded = load_case(EXAMPLE)
    assert loaded.council == "Northmoor County Council (fictional)"
    assert all(o.illustrative for o in loaded.case.opportunities)
    result = compute_case(loaded.case)
    assert [str(y.year) for y in result.years] == ["2025/26", "2026/27", "2027/28", "2028/29", "2029/30"]
    assert D(30_000_000) < result.total_low < result.total_mid < result.total_high < D(60_000_000)
    assert result.payback_year is not None


def test_minimal_case_reads_years_points_and_defaults() -> None:
    case = parse_case(minimal(), "case.yaml").case
    assert case.discount_rate_pct == D("3.5") and case.point is Point.MID
    assert case.pots[0].kind is PotKind.STAFF
    a, b = case.opportunities
    assert a.staff_pct == 100 and b.staff_pct == 0 and b.low_amount == D(50_000)
    assert case.chosen[0].phasing == (D("0.5"), D("0.5"), D(0))
    assert case.chosen[1].point is Point.CUSTOM and case.chosen[1].custom_amount == D(60_000)
    # A: mid 150,000 at 0.5 + 0.5; B: 60,000 in year 2 -> cumulative 75,000, 210,000, 210,000
    result = compute_case(case)
    assert [y.cumulative_recurring for y in result.years] == [D(75_000), D(210_000), D(210_000)]


def test_percentages_out_of_range_name_the_field() -> None:
    data = minimal()
    data["opportunities"].append(
        {"code": "C", "layer": "l", "lever": "v", "baseline": 1000, "low_pct": 140, "high_pct": 150}
    )
    found = problems(data)
    assert "case.yaml: opportunities[2].low_pct: must be between 0 and 100 (it is 140)" in found
    assert "case.yaml: opportunities[2].high_pct: must be between 0 and 100 (it is 150)" in found


def test_every_problem_is_reported_with_its_path() -> None:
    data = minimal()
    data["case"]["years"] = 2
    data["case"]["pointt"] = "mid"
    data["opportunities"][0]["low_pct"] = 30
    data["opportunities"][1]["pot"] = "nowhere"
    data["chosen"][0]["phasing"] = {"2025/26": 0.7, "2026/27": 0.6, "2031/32": 0.1}
    data["chosen"][1]["amount"] = 95000
    data["one_off_costs"] = [
        {"name": "Team", "type": "consultants", "amounts": ["lots"], "range_pct": [110, 130]}
    ]
    found = problems(data)
    expected = [
        "case.yaml: case.pointt: is not a field here; did you mean 'point'?",
        "case.yaml: opportunities[0].low_pct: must not be more than high_pct (30 > 20)",
        "case.yaml: opportunities[1].pot: there is no baseline pot 'nowhere' (the pots are: staff)",
        "case.yaml: chosen[0].phasing[2031/32]: is outside the case's years 2025/26 to 2026/27",
        "case.yaml: chosen[0].phasing: adds up to 1.3; the fractions may add up to at most 1",
        "case.yaml: one_off_costs[0].type: must be one of implementation, technology, change-support, "
        "redundancy (it is 'consultants')",
        "case.yaml: one_off_costs[0].amounts[0]: must be a number (it is 'lots')",
        "case.yaml: one_off_costs[0].range_pct: must run from at most 100 to at least 100",
    ]
    for line in expected:
        assert line in found, (line, found)


def test_custom_amount_outside_range_and_unknown_opportunity() -> None:
    data = minimal()
    data["chosen"][1]["amount"] = 95000
    data["chosen"].append({"opportunity": "Z", "phasing": [1]})
    found = problems(data)
    range_message = "must be within the opportunity's range 50000.00 to 90000.00 (it is 95000)"
    assert f"case.yaml: chosen[1].amount: {range_message}" in found
    assert "case.yaml: chosen[2].opportunity: there is no opportunity 'Z' (or it has errors above)" in found


def test_overlap_is_reported_against_the_opportunities() -> None:
    data = minimal()
    data["opportunities"].append(
        {"code": "C", "layer": "l", "lever": "v", "pot": "staff", "low_pct": 50, "high_pct": 85}
    )
    (line,) = problems(data)
    assert line.startswith("case.yaml: opportunities[0], opportunities[2]: Opportunities A (20%), C (85%)")
    assert "together claim 105% of the baseline pot 'staff'" in line


def test_required_fields_wrong_shapes_and_redundancy_twice() -> None:
    found = problems({"case": {"name": "x"}, "opportunities": "none"})
    assert "case.yaml: case.first_year: is required" in found
    assert "case.yaml: case.years: is required" in found
    assert "case.yaml: chosen: is required" in found
    assert "case.yaml: opportunities: must be a list" in found
    data = minimal()
    data["workforce"] = {"average_cost_per_fte": 0, "turnover_fte": [10]}
    data["one_off_costs"] = [{"name": "Exit", "type": "redundancy", "amounts": [1]}]
    found = problems(data)
    assert "case.yaml: workforce.average_cost_per_fte: must be more than 0" in found
    assert any(
        f.startswith("case.yaml: one_off_costs[0].type: redundancy costs are worked out") for f in found
    )
    assert problems([1, 2]) == ["case.yaml: must be a mapping of fields (" + ", ".join(
        ("case", "mtfp_gap", "baseline_pots", "releases", "opportunities", "chosen", "one_off_costs",
         "recurring_costs", "workforce", "risk")) + ")"]  # fmt: skip


def test_syntax_errors_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match=r"^case\.yaml: line 3, column 3: not valid YAML"):
        parse_case_text("case:\n  name: x\n  - y: 1\n", "case.yaml")
    with pytest.raises(CaseFileError, match=r"^case\.json: line 1, column 2: not valid JSON"):
        parse_case_text("{oops}", "case.json")
    with pytest.raises(CaseFileError, match=r"^missing\.yaml: no such file$"):
        load_case(tmp_path / "missing.yaml")


def test_json_and_yaml_read_the_same(tmp_path: Path) -> None:
    import json

    data = minimal()
    data["one_off_costs"] = [{"name": "Team", "type": "implementation", "amounts": {"2025/26": 1000}}]
    (tmp_path / "c.json").write_text(json.dumps(data))
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(data))
    a, b = load_case(tmp_path / "c.json"), load_case(tmp_path / "c.yaml")
    assert a == b
    assert a.case.one_off_costs[0].kind is CostType.IMPLEMENTATION


def test_releases_phase_the_chosen_lines_by_share() -> None:
    data = minimal()
    data["releases"] = [
        {"code": "R1", "name": "Release 1: digital front door", "go_live": "2026/27"},
        {"code": "R2", "go_live": "2027/28"},
    ]
    data["chosen"][0] = {"opportunity": "A", "releases": {"R1": "40%", "R2": 60}}
    found = parse_case(data, "case.yaml").case
    assert [r.code for r in found.releases] == ["R1", "R2"]
    assert found.chosen[0].releases == (("R1", D(40)), ("R2", D(60)))
    result = compute_case(found)
    # A at mid £150,000: 40% in 2026/27, 60% in 2027/28
    assert result.lines[0].phasing == (D(0), D("0.4"), D("0.6"))
    assert [y.recurring_in_year for y in result.years][1:] == [D(60_000) + D(60_000), D(90_000)]


def test_release_problems_name_the_field() -> None:
    data = minimal()
    data["releases"] = [{"code": "R1", "go_live": "2026/27"}, {"code": "R2", "go_live": "2031/32"}]
    data["chosen"][0] = {"opportunity": "A", "releases": {"R1": 40, "R7": 50}}
    data["chosen"][1]["releases"] = {"R1": 100}
    found = problems(data)
    assert "case.yaml: releases[1].go_live: is outside the case's years 2025/26 to 2027/28" in found
    assert "case.yaml: chosen[0].releases[R7]: there is no release 'R7' (the releases are: R1)" in found
    assert (
        "case.yaml: chosen[0].releases: adds up to 40%; the shares of the releases must total 100%" in found
    )
    assert (
        "case.yaml: chosen[1]: give phasing (fractions by year) or releases (shares by release), not both"
        in found
    )
