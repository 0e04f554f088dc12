from __future__ import annotations

import pytest

from wholecouncil.activity.taxonomy import (
    ANYWHERE,
    DEFAULT_PROCESSES,
    FUNCTIONS_BY_CODE,
    LAYER_CODES,
    Process,
    check_taxonomy,
    find_function,
    function_of_unit,
)
from wholecouncil.council.defaults import SEVEN_LAYER


def test_between_35_and_40_processes_with_unique_codes() -> None:
    assert 35 <= len(DEFAULT_PROCESSES) <= 40
    codes = [p.code for p in DEFAULT_PROCESSES]
    assert len(set(codes)) == len(codes)
    assert check_taxonomy(DEFAULT_PROCESSES) == []


def test_the_named_processes_are_there() -> None:
    codes = {p.code for p in DEFAULT_PROCESSES}
    named = {
        "enquiries", "info-advice", "bookings", "payments", "applications", "complaints", "assessment",
        "case-management", "direct-delivery", "commissioning", "procurement", "contract-management", "hr",
        "finance", "ict", "legal", "property", "business-admin", "communications", "strategy-policy",
        "performance", "programme-change", "democratic-services", "data-analysis",
    }  # fmt: skip
    for code in sorted(named):
        assert code in codes


def test_layers_are_the_seven_layer_template_and_each_is_used() -> None:
    assert tuple(layer.code for layer in SEVEN_LAYER) == LAYER_CODES
    assert {p.layer for p in DEFAULT_PROCESSES} == set(LAYER_CODES)


def test_home_functions_are_known() -> None:
    for p in DEFAULT_PROCESSES:
        assert p.home_function == ANYWHERE or p.home_function in FUNCTIONS_BY_CODE
        assert p.description.endswith(".") and len(p.description) <= 110


@pytest.mark.parametrize(
    ("names", "function"),
    [
        (["Customer Services"], "customer-services"),
        (["Contact Centre Team"], "customer-services"),
        (["Finance & Business Support"], "finance"),
        (["HR Advisory"], "hr"),
        (["IT Service Desk"], "ict"),
        (["Legal Services"], "legal"),
        (["Highways"], "service-delivery"),
        (["Digital Team"], "ict"),
        (["Placements team", "Commissioning"], "commissioning"),
        (["Waste", "Place"], "service-delivery"),
        (["Democratic Services"], "democratic"),
    ],
)
def test_function_of_unit(names: list[str], function: str) -> None:
    assert function_of_unit(names) == function


def test_find_function_by_code_or_name() -> None:
    assert find_function("finance") == "finance"
    assert find_function("ICT and digital") == "ict"
    assert find_function("Customer-Services") == "customer-services"
    assert find_function("roads") is None


def test_check_taxonomy_reports_problems() -> None:
    bad = [
        Process("a", "A", "", "x", "finance"),
        Process("a", "B", "", "", "nowhere"),
        Process(" ", "C", "", "x", "finance"),
    ]
    assert check_taxonomy(bad) == [
        "the process code 'a' is used twice",
        "the process 'a' has no layer",
        "the process 'a' has an unknown home function 'nowhere'",
        "the process 'C' has no code",
    ]
