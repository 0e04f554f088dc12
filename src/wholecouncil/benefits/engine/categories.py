"""Benefit categories, grouped by whether they are cashable, non-cashable or non-financial."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CASHABLE = "cashable"
    NON_CASHABLE = "non_cashable"
    NON_FINANCIAL = "non_financial"


KIND_LABELS: dict[Kind, str] = {
    Kind.CASHABLE: "Cashable",
    Kind.NON_CASHABLE: "Non-cashable",
    Kind.NON_FINANCIAL: "Non-financial",
}


class Category(StrEnum):
    STAFF_COST = "staff_cost"
    THIRD_PARTY_SPEND = "third_party_spend"
    INCOME = "income"
    COST_AVOIDANCE = "cost_avoidance"
    PRODUCTIVITY = "productivity"
    CUSTOMER_SATISFACTION = "customer_satisfaction"
    PROCESSING_TIME = "processing_time"
    DIGITAL_TAKE_UP = "digital_take_up"
    EARLY_INTERVENTION = "early_intervention"


CATEGORY_LABELS: dict[Category, str] = {
    Category.STAFF_COST: "Staff cost reduction",
    Category.THIRD_PARTY_SPEND: "Third-party spend reduction",
    Category.INCOME: "Income",
    Category.COST_AVOIDANCE: "Cost avoidance",
    Category.PRODUCTIVITY: "Productivity",
    Category.CUSTOMER_SATISFACTION: "Customer satisfaction",
    Category.PROCESSING_TIME: "Processing time",
    Category.DIGITAL_TAKE_UP: "Digital take-up",
    Category.EARLY_INTERVENTION: "Early intervention",
}

CATEGORY_KIND: dict[Category, Kind] = {
    Category.STAFF_COST: Kind.CASHABLE,
    Category.THIRD_PARTY_SPEND: Kind.CASHABLE,
    Category.INCOME: Kind.CASHABLE,
    Category.COST_AVOIDANCE: Kind.NON_CASHABLE,
    Category.PRODUCTIVITY: Kind.NON_CASHABLE,
    Category.CUSTOMER_SATISFACTION: Kind.NON_FINANCIAL,
    Category.PROCESSING_TIME: Kind.NON_FINANCIAL,
    Category.DIGITAL_TAKE_UP: Kind.NON_FINANCIAL,
    Category.EARLY_INTERVENTION: Kind.NON_FINANCIAL,
}


def kind_of(category: Category | str) -> Kind:
    return CATEGORY_KIND[Category(category)]


def is_financial(category: Category | str) -> bool:
    """Cashable and non-cashable benefits are measured in pounds; non-financial ones by their own measure."""
    return kind_of(category) is not Kind.NON_FINANCIAL
