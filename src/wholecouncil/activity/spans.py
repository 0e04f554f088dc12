"""Spans of control for a council, read from its establishment (see `engine.spans`)."""

from __future__ import annotations

from wholecouncil.activity.engine.spans import Line, Spans, compute_spans
from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.workforce.models import Post


def spans_of_control(council: Council) -> Spans | None:
    """None when the establishment has no posts with a line manager reference."""
    units = {u.pk: (u.parent_id, u.name) for u in OrgUnit.objects.filter(council=council)}

    def top(unit_id: int) -> str:
        parent, name = units[unit_id]
        seen = 0
        while parent is not None and parent in units and seen < len(units):
            unit_id = parent
            parent, name = units[unit_id]
            seen += 1
        return name

    tops: dict[int, str] = {}
    lines = []
    for ref, manager, unit_id in Post.objects.filter(council=council).values_list(
        "post_ref", "manager_ref", "org_unit_id"
    ):
        if unit_id not in tops:
            tops[unit_id] = top(unit_id)
        lines.append(Line(ref=ref, manager_ref=manager, group=tops[unit_id]))
    if not any(line.manager_ref for line in lines):
        return None
    return compute_spans(lines)
