from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.tabular import normalise_header, suggest_fields

SYNONYMS = {
    "job_title": ["Job title", "Post title", "Position"],
    "max_salary": ["Maximum salary", "Max salary"],
    "salary": ["Salary", "Annual salary"],
    "fte": ["FTE", "Full time equivalent"],
}


def test_normalise_header() -> None:
    assert normalise_header("Job Title") == normalise_header("job_title") == normalise_header("JOBTITLE")
    assert normalise_header("Terms & Conditions") == "termsandconditions"


def test_exact_matches_win_and_each_header_is_used_once() -> None:
    headers = ["JobTitle", "MaximumSalary", "Salary (£)", "F.T.E."]
    assert suggest_fields(headers, SYNONYMS) == {
        "job_title": "JobTitle",
        "max_salary": "MaximumSalary",
        "salary": "Salary (£)",
        "fte": "F.T.E.",
    }


def test_a_header_containing_a_long_synonym_is_suggested() -> None:
    assert suggest_fields(["Annual salary 2025/26"], SYNONYMS) == {"salary": "Annual salary 2025/26"}
    assert suggest_fields(["Nothing alike"], SYNONYMS) == {}


@given(st.lists(st.text(max_size=12), max_size=8, unique=True))
def test_suggestions_name_real_distinct_headers(headers: list[str]) -> None:
    found = suggest_fields(headers, SYNONYMS)
    assert set(found.values()) <= set(headers)
    assert len(set(found.values())) == len(found)
