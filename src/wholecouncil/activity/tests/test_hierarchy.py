from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.activity.engine.hierarchy import subtree_counts, suppress_tree


def test_a_small_team_and_its_sibling_are_hidden_but_the_directorate_shows() -> None:
    # 0 council -> 1 directorate -> teams 2 (3 respondents), 3 (20), 4 (8)
    parent = [None, 0, 1, 1, 1]
    own = [0, 0, 3, 20, 8]
    s = suppress_tree(own, parent)
    assert s.counts == (31, 31, 3, 20, 8)
    assert s.hidden == (False, False, True, False, True)  # 8 is the smallest shown sibling


def test_a_small_directorate_hides_a_second_directorate() -> None:
    parent = [None, 0, 0, 0, 1, 2, 3]
    own = [0, 0, 0, 0, 4, 6, 30]
    s = suppress_tree(own, parent)
    # directorate 1 (4) is primary; the council's equation needs one more: directorate 2 (6), whose only team
    # then goes too, since its team's figures equal its own.
    assert s.hidden[1] and s.hidden[4]
    assert s.hidden[2] and s.hidden[5]
    assert not s.hidden[0] and not s.hidden[3] and not s.hidden[6]


def test_own_posts_of_a_service_count_as_a_member() -> None:
    # service 1 has 3 respondents of its own and a team 2 with 10
    parent = [None, 0, 1]
    own = [0, 3, 10]
    s = suppress_tree(own, parent)
    assert s.own_hidden[1]
    assert s.hidden[2]  # otherwise service total - team = the service's own posts
    assert not s.hidden[1]


def test_no_respondents_publish_nothing_and_hide_nothing() -> None:
    s = suppress_tree([0, 0, 0], [None, 0, 0])
    assert s.hidden == (False, False, False)
    assert not s.shown(1)


@st.composite
def trees(draw: st.DrawFn) -> tuple[list[int], list[int | None]]:
    n = draw(st.integers(1, 25))
    parent: list[int | None] = [None]
    for i in range(1, n):
        parent.append(draw(st.integers(0, i - 1)))
    own = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    return own, parent


@settings(max_examples=300, deadline=None)
@given(trees(), st.integers(2, 6))
def test_no_equation_reveals_a_hidden_figure(tree: tuple[list[int], list[int | None]], minimum: int) -> None:
    own, parent = tree
    s = suppress_tree(own, parent, minimum=minimum)
    counts = subtree_counts(own, parent)
    n = len(own)
    for node in range(n):
        # primary: a small group is never shown
        if 0 < counts[node] < minimum:
            assert s.hidden[node]
        if 0 < own[node] < minimum:
            assert s.own_hidden[node]
        kids = [c for c in range(n) if parent[c] == node and counts[c] > 0]
        if not kids or counts[node] == 0:
            continue
        entries = [s.hidden[node]] + [s.hidden[c] for c in kids]
        if own[node] > 0:
            entries.append(s.own_hidden[node])
        # an equation with exactly one hidden entry would give it away by subtraction
        assert sum(entries) != 1
