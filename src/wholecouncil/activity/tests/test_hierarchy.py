"""Suppression over the organisation tree: the council's own pages publish every level, and the whole council.

The trees here are forests, as the council's org units are: its directorates have no unit above them, and
the grand total over them is published beside them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wholecouncil.activity.engine.hierarchy import TreeSuppression, subtree_counts, suppress_tree


def test_a_small_team_and_its_sibling_are_hidden_but_the_directorate_shows() -> None:
    # directorate 0 -> teams 1 (3 respondents), 2 (20), 3 (8)
    parent = [None, 0, 0, 0]
    own = [0, 3, 20, 8]
    s = suppress_tree(own, parent)
    assert s.counts == (31, 3, 20, 8)
    assert s.hidden == (False, True, False, True)  # 8 is the smallest shown sibling
    assert s.grand_count == 31 and not s.grand_hidden


def test_a_directorate_of_four_hides_the_next_smallest_directorate() -> None:
    # Three directorates, no unit above them: 0 (4 respondents), 1 (6), 2 (30), each with one team.
    parent = [None, None, None, 0, 1, 2]
    own = [0, 0, 0, 4, 6, 30]
    s = suppress_tree(own, parent)
    # The whole council (40) is published, so 0 alone would be 40 - 6 - 30: directorate 1 goes too, and
    # with it its only team, whose figures equal its own.
    assert s.hidden == (True, True, False, True, True, False)
    assert s.grand_count == 40 and not s.grand_hidden


def test_two_small_directorates_cover_each_other() -> None:
    s = suppress_tree([3, 4, 30], [None, None, None])
    assert s.hidden == (True, True, False)


def test_a_lone_directorate_is_the_grand_total() -> None:
    s = suppress_tree([0, 3], [None, 0])
    assert s.hidden == (True, True) and s.grand_hidden
    s = suppress_tree([0, 3, 10], [None, 0, 0])
    assert s.hidden == (False, True, True) and not s.grand_hidden


def test_own_posts_of_a_service_count_as_a_member() -> None:
    # service 0 has 3 respondents of its own and a team 1 with 10
    parent = [None, 0]
    own = [3, 10]
    s = suppress_tree(own, parent)
    assert s.own_hidden[0]
    assert s.hidden[1]  # otherwise service total - team = the service's own posts
    assert not s.hidden[0]


def test_no_respondents_publish_nothing_and_hide_nothing() -> None:
    s = suppress_tree([0, 0, 0], [None, 0, None])
    assert s.hidden == (False, False, False)
    assert not s.shown(1) and s.grand_count == 0 and not s.grand_hidden


@st.composite
def forests(draw: st.DrawFn) -> tuple[list[int], list[int | None]]:
    """Up to 25 nodes; each node's parent is an earlier node, or none (another directorate)."""
    n = draw(st.integers(1, 25))
    parent: list[int | None] = [None]
    for i in range(1, n):
        parent.append(draw(st.one_of(st.none(), st.integers(0, i - 1))))
    own = draw(st.lists(st.integers(0, 12), min_size=n, max_size=n))
    return own, parent


def equations(own: list[int], parent: list[int | None], s: TreeSuppression) -> list[list[bool]]:
    """Each published sum as the hidden flags of its entries: total first, then its members."""
    counts = subtree_counts(own, parent)
    n = len(own)
    result = []
    roots = [r for r in range(n) if parent[r] is None and counts[r] > 0]
    if sum(counts) and roots:
        result.append([s.grand_hidden] + [s.hidden[r] for r in roots])
    for node in range(n):
        kids = [c for c in range(n) if parent[c] == node and counts[c] > 0]
        if not kids or counts[node] == 0:
            continue
        entries = [s.hidden[node]] + [s.hidden[c] for c in kids]
        if own[node] > 0:
            entries.append(s.own_hidden[node])
        result.append(entries)
    return result


@settings(max_examples=400, deadline=None)
@given(forests(), st.integers(2, 6))
def test_no_equation_reveals_a_hidden_figure(tree: tuple[list[int], list[int | None]], minimum: int) -> None:
    own, parent = tree
    s = suppress_tree(own, parent, minimum=minimum)
    counts = subtree_counts(own, parent)
    assert s.grand_count == sum(counts[r] for r in range(len(own)) if parent[r] is None)
    if 0 < s.grand_count < minimum:
        assert s.grand_hidden
    for node in range(len(own)):
        # primary: a small group is never shown
        if 0 < counts[node] < minimum:
            assert s.hidden[node]
        if 0 < own[node] < minimum:
            assert s.own_hidden[node]
    for entries in equations(own, parent, s):
        # an equation with exactly one hidden entry would give it away by subtraction
        assert sum(entries) != 1
