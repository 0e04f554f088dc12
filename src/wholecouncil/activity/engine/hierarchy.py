"""Small-group suppression over an organisation tree, so no published total reveals a small unit.

The activity pages publish figures for teams, for the services and directorates above them, and for the whole
council. Every figure of a node rests on the same respondents (all of its processes alike), so suppression is
decided per node. Each internal node gives one equation: its total is the sum of its children with
respondents (its own posts count as one more child); and the roots give one more, since the council's total
is published as well: the grand total is the sum of the roots. If exactly one entry of an equation were
hidden, it could be worked out by subtraction. The rule:

1. primary: hide every node based on at least one and fewer than `minimum` respondents;
2. complementary: while some equation has exactly one hidden entry, hide one more: the shown child with the
   fewest respondents (first in order on a tie), or the node's own total when no child is left to hide.

Nodes with no respondents are empty, not hidden: they publish nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wholecouncil.activity.engine.suppression import DEFAULT_MINIMUM


@dataclass(frozen=True)
class TreeSuppression:
    counts: tuple[int, ...]  # respondents per node, subtree included
    hidden: tuple[bool, ...]  # per node: its total (itself and everything below it) is hidden
    own_hidden: tuple[bool, ...]  # per node: the figures of its own posts are hidden
    grand_count: int = 0  # respondents in every root together: the whole council
    grand_hidden: bool = False  # the grand total (every root together) is hidden

    def shown(self, node: int) -> bool:
        return self.counts[node] > 0 and not self.hidden[node]


def subtree_counts(own: Sequence[int], parent: Sequence[int | None]) -> list[int]:
    """Respondents per node including every node below it. `parent[i]` is an index or None for a root."""
    counts = list(own)
    for node in _deepest_first(parent):
        up = parent[node]
        if up is not None:
            counts[up] += counts[node]
    return counts


def _deepest_first(parent: Sequence[int | None]) -> list[int]:
    depth = [0] * len(parent)
    for node in range(len(parent)):
        d, up, seen = 0, parent[node], 0
        while up is not None:
            d += 1
            up = parent[up]
            seen += 1
            if seen > len(parent):
                raise ValueError("the organisation tree has a cycle")
        depth[node] = d
    return sorted(range(len(parent)), key=lambda n: -depth[n])


def suppress_tree(
    own: Sequence[int], parent: Sequence[int | None], *, minimum: int = DEFAULT_MINIMUM
) -> TreeSuppression:
    """Which nodes to hide. `own[i]` is the respondents in node i itself (not below it).

    A node with respondents of its own and children is treated as having one more child: its own posts. That
    entry is published as the node's own row, so it is hidden along with the node when needed. The roots
    together make the grand total (the whole council), published beside them: one more equation, so a
    forest of directorates is suppressed as if it had a council above it.
    """
    n = len(own)
    if len(parent) != n:
        raise ValueError("own and parent must be the same length")
    counts = subtree_counts(own, parent)
    children: list[list[int]] = [[] for _ in range(n)]
    for node, up in enumerate(parent):
        if up is not None:
            children[up].append(node)
    # Entries: 0..n-1 the nodes (subtree totals); n..2n-1 each node's own posts (used when it has children);
    # 2n the grand total.
    grand = 2 * n
    roots = [node for node in range(n) if parent[node] is None]
    count = [*counts, *own, sum(counts[r] for r in roots)]
    hidden = [0 < c < minimum for c in count]
    equations = [(grand, [r for r in roots if counts[r] > 0])]
    for node in range(n):
        if not children[node]:
            hidden[n + node] = hidden[node]
            continue
        members = [c for c in children[node] if counts[c] > 0]
        if own[node] > 0:
            members.append(n + node)
        equations.append((node, members))
    changed = True
    while changed:
        changed = False
        for total, members in equations:
            if count[total] == 0 or sum(hidden[e] for e in (total, *members)) != 1:
                continue
            shown = [m for m in members if not hidden[m]]
            if shown:
                pick = min(shown, key=lambda m: (count[m], m))
                hidden[pick] = True
                if pick < n and not children[pick]:
                    hidden[n + pick] = True
            else:
                hidden[total] = True
            changed = True
    totals = tuple(hidden[i] or (not children[i] and hidden[n + i]) for i in range(n))
    own_rows = tuple(totals[i] if not children[i] else hidden[n + i] for i in range(n))
    return TreeSuppression(
        counts=tuple(counts),
        hidden=totals,
        own_hidden=own_rows,
        grand_count=count[grand],
        grand_hidden=hidden[grand],
    )
