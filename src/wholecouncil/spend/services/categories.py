"""Categories: the council's rules, and proposals from its categorised history for uncategorised payments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from django.db import connection, transaction
from django.db.models import BigIntegerField, Max, Sum
from django.db.models.functions import Abs, Cast, Round

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.spend.engine.categories import (
    SOURCE_FILE,
    SOURCE_PURPOSE_HISTORY,
    SOURCE_RULE,
    SOURCE_SUPPLIER_HISTORY,
    Rule,
    dominant_categories,
    first_rule,
)
from wholecouncil.spend.models import Category, CategoryRule, Transaction

PROPOSED = (SOURCE_RULE, SOURCE_SUPPLIER_HISTORY, SOURCE_PURPOSE_HISTORY)
_CHUNK = 500


class CategoryError(DomainError):
    pass


def history_groups(council: Council, thing: str) -> list[tuple[Hashable, int, int]]:
    """(thing, category, pennies) of the council's spend categorised by files and rules, by `thing` (a
    column: supplier_id or purpose) and category; pennies are absolute values."""
    rows = (
        Transaction.objects.filter(council=council, category_source__in=[SOURCE_FILE, SOURCE_RULE])
        .values_list(thing, "category_id")
        .annotate(total=Sum(Cast(Round(Abs("amount") * 100), BigIntegerField())))  # exact pennies
        .order_by()
    )
    return [(t, c, int(total)) for t, c, total in rows if c is not None and t]


def _history(council: Council, thing: str) -> dict[Hashable, int]:
    return dominant_categories(history_groups(council, thing))


def categories_apply(*, council: Council, reset: bool = False) -> dict[str, int]:
    """Categorise the council's uncategorised payments: rules first, then the supplier's history, then the
    purpose's history. With reset, categories given by earlier rules and proposals are worked out afresh
    (categories from the files are never touched). Returns how many payments each step categorised."""
    if reset:
        Transaction.objects.filter(council=council, category_source__in=PROPOSED).update(
            category=None, category_source=""
        )
    counts = {SOURCE_RULE: 0, SOURCE_SUPPLIER_HISTORY: 0, SOURCE_PURPOSE_HISTORY: 0}
    open_rows = Transaction.objects.filter(council=council, category__isnull=True)
    if not open_rows.exists():
        return counts
    rules = [Rule(r.field, r.contains, r.category_id) for r in CategoryRule.objects.filter(council=council)]
    # Both histories are of the spend categorised before this run (by files and rules).
    by_supplier = _history(council, "supplier_id")
    by_purpose = _history(council, "purpose")
    if rules:
        chosen: dict[int, list[int]] = defaultdict(list)
        rows = open_rows.values_list("id", "alias__name", "purpose", "org_unit").order_by()
        for pk, name, purpose, org_unit in rows.iterator(chunk_size=20_000):
            rule = first_rule(rules, name, purpose, org_unit)
            if rule is not None:
                chosen[rule.category].append(pk)
        for category, ids in chosen.items():
            for i in range(0, len(ids), _CHUNK):
                Transaction.objects.filter(pk__in=ids[i : i + _CHUNK]).update(
                    category_id=category, category_source=SOURCE_RULE
                )
            counts[SOURCE_RULE] += len(ids)
    counts[SOURCE_SUPPLIER_HISTORY] = set_categories(
        council, "supplier_id", by_supplier, SOURCE_SUPPLIER_HISTORY
    )
    counts[SOURCE_PURPOSE_HISTORY] = set_categories(council, "purpose", by_purpose, SOURCE_PURPOSE_HISTORY)
    return counts


def set_categories(council: Council, column: str, categories: Mapping[Any, int], source: str) -> int:
    """Give each uncategorised payment whose `column` is in `categories` that category: one UPDATE over the
    council's payments, joined to a temporary table of the choices."""
    if not categories:
        return 0
    table = Transaction._meta.db_table
    kind = "BIGINT" if column.endswith("_id") else "VARCHAR(300)"
    temp = "wc_category_choice"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMPORARY TABLE {temp} (thing {kind} PRIMARY KEY, category BIGINT NOT NULL)")
        cursor.executemany(
            f"INSERT INTO {temp} (thing, category) VALUES (%s, %s)",  # noqa: S608
            [(thing, category) for thing, category in categories.items()],
        )
        cursor.execute(
            f"UPDATE {table} SET category_id = "  # noqa: S608
            f"(SELECT c.category FROM {temp} c WHERE c.thing = {table}.{column}), category_source = %s "
            f"WHERE council_id = %s AND category_id IS NULL AND {column} IN (SELECT thing FROM {temp})",
            [source, council.pk],
        )
        updated = cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
    return int(updated)


def _clean(text: str) -> str:
    return " ".join(text.split())


@transaction.atomic
def category_rule_add(
    *, council: Council, field: str, contains: str, category_name: str, actor: Actor
) -> CategoryRule:
    """Add a rule at the end of the council's list and re-apply rules and proposals."""
    contains, category_name = _clean(contains), _clean(category_name)
    if field not in CategoryRule.Field.values:
        raise CategoryError("Choose which field the rule looks at.")
    if not contains:
        raise CategoryError("Enter the text the rule looks for.")
    if not category_name:
        raise CategoryError("Enter the category.")
    for existing in CategoryRule.objects.filter(council=council, field=field).select_related("category"):
        if existing.contains.casefold() == contains[:200].casefold():
            raise CategoryError(f"There is already a rule for this: {existing}.")
    category, _ = Category.objects.get_or_create(council=council, name=category_name[:200])
    position = (CategoryRule.objects.filter(council=council).aggregate(m=Max("position"))["m"] or 0) + 1
    rule = CategoryRule.objects.create(
        council=council,
        field=field,
        contains=contains[:200],
        category=category,
        position=position,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,  # type: ignore[misc]
    )
    counts = categories_apply(council=council, reset=True)
    audit_record(
        council=council,
        actor=actor,
        action="spend.category_rule.add",
        obj=rule,
        object_type="category rule",
        object_repr=str(rule),
        before=None,
        after={"field": field, "contains": rule.contains, "category": category.name, "applied": counts},
    )
    return rule


@transaction.atomic
def category_rule_delete(*, rule: CategoryRule, actor: Actor) -> None:
    council = rule.council
    before = {"field": rule.field, "contains": rule.contains, "category": rule.category.name}
    text = str(rule)
    rule.delete()
    counts = categories_apply(council=council, reset=True)
    audit_record(
        council=council,
        actor=actor,
        action="spend.category_rule.delete",
        object_type="category rule",
        object_repr=text,
        before=before,
        after={"applied": counts},
    )


def category_ids(council: Council, names: Iterable[str]) -> dict[str, int]:
    found = dict(Category.objects.filter(council=council, name__in=list(names)).values_list("name", "id"))
    return found
