"""Benefit categories, grouped by whether they are cashable, non-cashable or non-financial."""

from __future__ import annotations

from decimal import Decimal
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


# Words that mark a business-case lever as generating income (the default lever is "Spend reduction and
# income generation"; a council's own levers may be named otherwise).
INCOME_WORDS = ("income", "charging", "charges", "fees", "trading", "commercial")
HALF = Decimal(50)


def generates_income(lever: str) -> bool:
    """True when a lever's code or name speaks of income, charging, fees or trading."""
    text = lever.lower()
    return any(word in text for word in INCOME_WORDS)


def category_from_case(*, staff_pct: Decimal, lever: str, spend_based: bool) -> Category:
    """The category of a benefit made from a business-case opportunity: staff cost reduction when at least
    half of its saving is staff cost; otherwise income when its lever generates income and it is not sized
    from a spend category (a saving on a spend category reduces third-party spend, whatever the lever);
    otherwise third-party spend reduction."""
    if staff_pct >= HALF:
        return Category.STAFF_COST
    if generates_income(lever) and not spend_based:
        return Category.INCOME
    return Category.THIRD_PARTY_SPEND
