"""Keeping open rows of pairs (duplicate candidates, merge proposals) when they are found again, so their ids,
and the pages open on them, survive each new search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import models

Row = TypeVar("Row", bound=models.Model)


def keep_found(
    model: type[Row],
    open_rows: Mapping[Any, Row],
    found: Iterable[tuple[Row | None, dict[str, Any], dict[str, Any]]],
    *,
    limit: int,
    fields: Sequence[str],
) -> int:
    """Bring `model`'s open rows in line with what a search `found`: (the open row found again or None,
    the values it should have, what identifies a new row). A row found again keeps its id, its `values`
    brought up to date (`fields`: their names for the update); open rows not found again are deleted; the
    rest are created. At most `limit` are kept or made (`found` is read no further). Returns how many."""
    new: list[Row] = []
    changed: list[Row] = []
    kept: set[Any] = set()
    for row, values, identity in found:
        if row is None:
            new.append(model(**identity, **values))
        else:
            kept.add(row.pk)
            if any(getattr(row, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(row, name, value)
                changed.append(row)
        if len(new) + len(kept) >= limit:
            break
    gone = [row.pk for row in open_rows.values() if row.pk not in kept]
    for start in range(0, len(gone), 1000):
        model._default_manager.filter(pk__in=gone[start : start + 1000]).delete()
    model._default_manager.bulk_update(changed, list(fields), batch_size=500)
    model._default_manager.bulk_create(new, batch_size=500)
    return len(new) + len(kept)
