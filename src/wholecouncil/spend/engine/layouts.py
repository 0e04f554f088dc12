"""Column layouts: the tables of one import grouped by their set of headers, each with its own mapping.

A year of monthly files is often one layout; a ZIP whose later files were published in another template is
two or more. Each layout is matched to the fields once (suggested from its headers, then changed by a person
or by `--columns` overrides), and every table is read with the mapping of its own layout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wholecouncil.spend.engine.fields import SPEND_FIELDS, SpendField, already_used, shareable, suggest_for


class ColumnsError(ValueError):
    """Overrides (`--columns`) that cannot be applied, with a message fit to show the user."""


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


def _loose(text: str) -> str:
    return " ".join(text.split()).casefold()


def find_header(headers: Sequence[str], wanted: str) -> str | None:
    """The header of `headers` that `wanted` names: written exactly so, else the same ignoring case and
    runs of spaces ("net  amount" names "Net Amount"). Raises ColumnsError when it names several."""
    if wanted in headers:
        return wanted
    matches = [h for h in headers if _loose(h) == _loose(wanted)]
    if len(matches) > 1:
        listed = ", ".join(f"'{h}'" for h in matches)
        raise ColumnsError(
            f"--columns: '{wanted}' could be any of the columns {listed}: write it as the file does"
        )
    return matches[0] if matches else None


def with_columns(
    headers: Sequence[str],
    columns: Mapping[str, str] | None = None,
    fields: Sequence[SpendField] = SPEND_FIELDS,
) -> dict[str, str]:
    """The suggested mapping for `headers`, changed by `columns` where they apply to this table.

    An override (field -> header) is used where the table has that header (see `find_header`); `field=""`
    leaves the field out everywhere; an override naming a header the table lacks leaves that table's
    suggestion in place (`group_layouts` refuses a header no table has). Raises ColumnsError when two
    overrides name one column (only a category's label and code may share one).
    """
    mapping = suggest_for(headers, fields)
    chosen: dict[str, str] = {}
    for name, header in (columns or {}).items():
        if not header:
            mapping.pop(name, None)
        elif (found := find_header(headers, header)) is not None:
            chosen[name] = found
    by_name = {f.name: f for f in fields}
    holder: dict[str, str] = {}
    for name, header in chosen.items():
        other = holder.setdefault(header, name)
        if other != name and not shareable(name, other):
            raise ColumnsError(f"--columns: {already_used(by_name, name, header, other)}")
    for name, header in chosen.items():
        for other in [n for n, h in mapping.items() if h == header and n not in chosen]:
            del mapping[other]  # the header now holds the field the override names
        mapping[name] = header
    return {f.name: mapping[f.name] for f in fields if f.name in mapping}


def unmatched_columns(headers: Sequence[str], columns: Mapping[str, str] | None) -> dict[str, str]:
    """The overrides (field -> header) naming a header that `headers` lack."""
    return {name: h for name, h in (columns or {}).items() if h and find_header(headers, h) is None}


def check_columns_apply(
    tables: Sequence[tuple[str, Sequence[str]]], columns: Mapping[str, str] | None
) -> None:
    """Raise ColumnsError for an override naming a header that none of the tables (name, headers) has,
    listing the headers each set of tables does have."""
    missing = {name: header for name, header in (columns or {}).items() if header}
    for _name, headers in tables:
        missing = {n: h for n, h in missing.items() if find_header(headers, h) is None}
    if not missing:
        return
    named = ", ".join(f"'{h}' (for {n})" for n, h in missing.items())
    groups: dict[frozenset[str], tuple[list[str], Sequence[str]]] = {}
    for name, headers in tables:
        groups.setdefault(frozenset(headers), ([], headers))[0].append(name)
    listed = []
    for names, headers in groups.values():
        which = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        listed.append(f"{which} {'has' if len(names) == 1 else 'have'} the columns: {', '.join(headers)}")
    plural = "s" if len(missing) > 1 else ""
    hint = ""
    if any("=" in h for h in missing.values()):
        hint = (
            " (a field=Header pair after a comma starts with one of the fields: `wholecouncil spend fields`)"
        )
    raise ColumnsError(f"--columns: no file has the column{plural} {named}{hint}. " + "; ".join(listed))


def group_layouts(
    tables: Iterable[tuple[str, Sequence[str]]],
    columns: Mapping[str, str] | None = None,
    fields: Sequence[SpendField] = SPEND_FIELDS,
) -> list[Layout]:
    """The tables (name, headers) grouped by their set of headers, in order of first appearance, each
    layout with its suggested mapping (changed by `columns` where they apply). Raises ColumnsError for
    overrides that cannot be applied (`with_columns`, `check_columns_apply`)."""
    listed = list(tables)
    check_columns_apply(listed, columns)
    layouts: list[Layout] = []
    for name, headers in listed:
        found = next((layout for layout in layouts if layout.fits(headers)), None)
        if found is None:
            found = Layout(headers=tuple(headers), mapping=with_columns(headers, columns, fields))
            layouts.append(found)
        found.tables.append(name)
    return layouts


def layout_for(layouts: Sequence[Layout], headers: Sequence[str]) -> Layout | None:
    return next((layout for layout in layouts if layout.fits(headers)), None)
