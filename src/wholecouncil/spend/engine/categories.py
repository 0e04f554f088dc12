"""Categorising payments that arrive without a category: the council's own rules, then its history.

Order of precedence for a payment: the file's own category (such as ProClass) when it has one; else the
first rule (in the council's order) whose text appears in the chosen field; else the category most of the
council's categorised spend with the same supplier has (at least 60% of it by value); else the category
most of its spend with the same purpose text has (same threshold); else it stays uncategorised.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

RULE_FIELDS = {"supplier": "Supplier name", "purpose": "Expense type or purpose", "org_unit": "Org unit"}
DOMINANT_SHARE = 0.6

SOURCE_FILE = "file"
SOURCE_RULE = "rule"
SOURCE_SUPPLIER_HISTORY = "history-supplier"
SOURCE_PURPOSE_HISTORY = "history-purpose"


@dataclass(frozen=True)
class Rule:
    field: str  # one of RULE_FIELDS
    contains: str
    category: int  # the category's id

    def matches(self, supplier: str, purpose: str, org_unit: str) -> bool:
        text = {"supplier": supplier, "purpose": purpose, "org_unit": org_unit}.get(self.field, "")
        return bool(self.contains) and self.contains.casefold() in text.casefold()


def first_rule(rules: Sequence[Rule], supplier: str, purpose: str, org_unit: str) -> Rule | None:
    """The first rule that matches the payment, or None."""
    for rule in rules:
        if rule.matches(supplier, purpose, org_unit):
            return rule
    return None


def dominant_categories(
    spend: Iterable[tuple[Hashable, int, int]], *, share: float = DOMINANT_SHARE
) -> dict[Hashable, int]:
    """From (thing, category, pennies) of categorised spend, each thing's category holding at least `share`
    of its spend (by absolute value). Things with no such category are left out."""
    by_thing: dict[Hashable, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for thing, category, pennies in spend:
        by_thing[thing][category] += abs(pennies)
    found: dict[Hashable, int] = {}
    for thing, categories in by_thing.items():
        total = sum(categories.values())
        category, amount = max(categories.items(), key=lambda item: (item[1], -item[0]))
        if total and amount >= share * total:
            found[thing] = category
    return found
