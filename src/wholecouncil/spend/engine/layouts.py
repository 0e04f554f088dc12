"""Column layouts: the tables of one import grouped by their set of headers, each with its own mapping.

A year of monthly files is often one layout; a ZIP whose later files were published in another template is
two or more. Each layout is matched to the fields once (suggested from its headers, then changed by a person
or by `--columns` overrides), and every table is read with the mapping of its own layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wholecouncil.spend.engine.fields import SPEND_FIELDS, SpendField, suggest_for


@dataclass
class Layout:
    """Tables sharing one set of headers, and the mapping (field name -> header) they are read with."""

    headers: tuple[str, ...]
    tables: list[str] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)

    def fits(self, headers: Sequence[str]) -> bool:
        return frozenset(headers) == frozenset(self.headers)

    def as_dict(self) -> dict[str, Any]:
        return {"headers": list(self.headers), "tables": list(self.tables), "mapping": dict(self.mapping)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Layout:
        return cls(
            headers=tuple(data.get("headers", ())),
            tables=list(data.get("tables", ())),
            mapping=dict(data.get("mapping", {})),
        )


def with_columns(
    headers: Sequence[str],
    columns: Mapping[str, str] | None = None,
    fields: Sequence[SpendField] = SPEND_FIELDS,
) -> dict[str, str]:
    """The suggested mapping for `headers`, changed by `columns` where they apply to this table.

    An override (field -> header) is used where the table has that header; `field=""` leaves the field out
    everywhere; an override naming a header the table lacks leaves that table's suggestion in place.
    """
    mapping = suggest_for(headers, fields)
    known = set(headers)
    for name, header in (columns or {}).items():
        if not header:
            mapping.pop(name, None)
        elif header in known:
            for other in [n for n, h in mapping.items() if h == header and n != name]:
                del mapping[other]  # the header now holds the field the override names
            mapping[name] = header
    return {f.name: mapping[f.name] for f in fields if f.name in mapping}


def group_layouts(
    tables: Iterable[tuple[str, Sequence[str]]],
    columns: Mapping[str, str] | None = None,
    fields: Sequence[SpendField] = SPEND_FIELDS,
) -> list[Layout]:
    """The tables (name, headers) grouped by their set of headers, in order of first appearance, each
    layout with its suggested mapping (changed by `columns` where they apply)."""
    layouts: list[Layout] = []
    for name, headers in tables:
        found = next((layout for layout in layouts if layout.fits(headers)), None)
        if found is None:
            found = Layout(headers=tuple(headers), mapping=with_columns(headers, columns, fields))
            layouts.append(found)
        found.tables.append(name)
    return layouts


def layout_for(layouts: Sequence[Layout], headers: Sequence[str]) -> Layout | None:
    return next((layout for layout in layouts if layout.fits(headers)), None)
