"""Dependencies between projects (or milestones) as a directed graph, and the loops a new one would make.

An edge (a, b) means "a depends on b": b must deliver before a can. A loop would mean nothing could start,
so a dependency that closes one is refused, naming the loop.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from wholecouncil.portfolio.engine.errors import CycleError

K = TypeVar("K", bound=Hashable)


def _adjacency(edges: Iterable[tuple[K, K]]) -> dict[K, list[K]]:
    graph: dict[K, list[K]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
        graph.setdefault(b, [])
    return graph


def path_between(edges: Iterable[tuple[K, K]], start: K, goal: K) -> list[K] | None:
    """A path start → ... → goal following the edges, or None. Iterative, so deep chains are fine."""
    graph = _adjacency(edges)
    if start not in graph:
        return None
    parent: dict[K, K | None] = {start: None}
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            path = [node]
            while (prev := parent[path[-1]]) is not None:
                path.append(prev)
            return path[::-1]
        for nxt in graph[node]:
            if nxt not in parent:
                parent[nxt] = node
                stack.append(nxt)
    return None


def check_new_dependency(
    edges: Iterable[tuple[K, K]], dependent: K, prerequisite: K, names: Mapping[K, str] | None = None
) -> None:
    """Refuse `dependent` depending on `prerequisite` when it would close a loop (or is the same item)."""

    def name(k: K) -> str:
        return names.get(k, str(k)) if names else str(k)

    if dependent == prerequisite:
        raise CycleError([name(dependent), name(dependent)])
    back = path_between(edges, prerequisite, dependent)
    if back is not None:
        raise CycleError([name(dependent), *(name(k) for k in back)])
