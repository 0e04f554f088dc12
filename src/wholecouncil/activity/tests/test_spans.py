from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wholecouncil.activity.engine.spans import Line, compute_spans


def test_a_small_hierarchy() -> None:
    lines = [
        Line("CEO", "", "Chief executive's office"),
        Line("D1", "CEO", "People"),
        Line("D2", "CEO", "Place"),
        Line("M1", "D1", "People"),
        *(Line(f"S{i}", "M1", "People") for i in range(6)),
        Line("X", "NOT-THERE", "Place"),
    ]
    s = compute_spans(lines)
    assert s.managers == 3  # CEO (2), D1 (1), M1 (6)
    assert s.mean_span == 3.0
    assert s.median_span == 2.0
    assert s.narrow == 2
    assert dict(s.bands) == {"1": 1, "2": 1, "3 to 4": 0, "5 to 7": 1, "8 to 10": 0, "11 or more": 0}
    assert dict(s.layers) == {1: 2, 2: 2, 3: 1, 4: 6}
    assert s.layer_count == 4
    assert s.unknown_managers == 1
    people = next(g for g in s.groups if g.name == "People")
    assert people.layers == 4 and people.managers == 2


def test_a_loop_is_counted_not_followed_forever() -> None:
    s = compute_spans([Line("A", "B", "g"), Line("B", "A", "g"), Line("C", "A", "g")])
    assert s.in_cycles == 2


@given(st.lists(st.integers(0, 30), min_size=1, max_size=60))
def test_every_post_reporting_to_a_known_post_is_in_some_span(managers: list[int]) -> None:
    lines = [Line(f"P{i}", f"P{m}" if m < i else "", "g") for i, m in enumerate(managers)]
    s = compute_spans(lines)
    assert sum(count for _, count in s.layers) == len(lines)  # a tree: every post has a layer
    reporting = sum(1 for line in lines if line.manager_ref)
    assert s.mean_span is None or round(s.mean_span * s.managers) == reporting
