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


def find_cycle(edges: Iterable[tuple[K, K]]) -> list[K] | None:
    """One loop in the graph as [a, b, ..., a], or None when there is none."""
    graph = _adjacency(edges)
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    for root in graph:
        if colour[root] != white:
            continue
        stack: list[tuple[K, int]] = [(root, 0)]
        trail: list[K] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                colour[node] = grey
                trail.append(node)
            children = graph[node]
            if i < len(children):
                stack.append((node, i + 1))
                child = children[i]
                if colour[child] == grey:
                    return [*trail[trail.index(child) :], child]
                if colour[child] == white:
                    stack.append((child, 0))
            else:
                colour[node] = black
                trail.pop()
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


def topological_order(edges: Iterable[tuple[K, K]]) -> list[K]:
    """Prerequisites first. Raises CycleError if the graph has a loop."""
    graph = _adjacency(edges)
    cycle = find_cycle((a, b) for a, bs in graph.items() for b in bs)
    if cycle:
        raise CycleError([str(k) for k in cycle])
    order: list[K] = []
    seen: set[K] = set()
    for root in graph:
        if root in seen:
            continue
        stack: list[tuple[K, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
                continue
            if node in seen:
                continue
            seen.add(node)
            stack.append((node, True))
            stack.extend((child, False) for child in graph[node] if child not in seen)
    return order
