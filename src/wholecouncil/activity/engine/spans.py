"""Spans of control and management layers from the establishment's line-manager references.

Each post names its line manager's post (or nobody). A manager is a post at least one other post reports to;
its span is the number of posts reporting to it directly. A post's layer is 1 for a post with no manager (or a
manager not on the establishment) and one more than its manager's layer otherwise.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

SPAN_BANDS: tuple[tuple[str, int, int], ...] = (
    ("1", 1, 1),
    ("2", 2, 2),
    ("3 to 4", 3, 4),
    ("5 to 7", 5, 7),
    ("8 to 10", 8, 10),
    ("11 or more", 11, 10**9),
)
NARROW_SPAN = 3  # managers with fewer direct reports than this have a narrow span


@dataclass(frozen=True)
class Line:
    ref: str
    manager_ref: str
    group: str  # e.g. the directorate, for the breakdown


@dataclass(frozen=True)
class GroupSpans:
    name: str
    posts: int
    managers: int
    mean_span: float | None
    median_span: float | None
    narrow: int
    layers: int


@dataclass(frozen=True)
class Spans:
    posts: int
    with_manager_ref: int
    unknown_managers: int  # posts naming a manager that is not on the establishment
    in_cycles: int  # posts whose chain of managers loops back
    managers: int
    mean_span: float | None
    median_span: float | None
    narrow: int
    bands: tuple[tuple[str, int], ...]  # span band -> managers
    layers: tuple[tuple[int, int], ...]  # layer -> posts
    groups: tuple[GroupSpans, ...]

    @property
    def layer_count(self) -> int:
        return max((layer for layer, _ in self.layers), default=0)


def _layer_of(lines: Sequence[Line]) -> tuple[dict[str, int], int]:
    manager = {line.ref: line.manager_ref for line in lines}
    layer: dict[str, int] = {}
    cycles = 0
    for start in manager:
        chain: list[str] = []
        seen: set[str] = set()
        ref = start
        while ref in manager and ref not in layer:
            if ref in seen:
                break
            seen.add(ref)
            chain.append(ref)
            up = manager[ref]
            if not up or up not in manager:
                ref = ""
                break
            ref = up
        if ref and ref in seen:  # a loop: give every post on it no layer
            cycles += len(chain)
            for r in chain:
                layer[r] = 0
            continue
        base = layer.get(ref, 0) if ref else 0
        for r in reversed(chain):
            base += 1
            layer[r] = base
    return layer, cycles


def _span_stats(spans: list[int]) -> tuple[float | None, float | None, int]:
    if not spans:
        return None, None, 0
    return statistics.fmean(spans), float(statistics.median(spans)), sum(s < NARROW_SPAN for s in spans)


def compute_spans(lines: Sequence[Line]) -> Spans:
    refs = {line.ref for line in lines}
    reports = Counter(line.manager_ref for line in lines if line.manager_ref in refs)
    layer, cycles = _layer_of(lines)
    spans = [reports[line.ref] for line in lines if reports[line.ref]]
    mean, median, narrow = _span_stats(spans)
    bands = tuple((label, sum(lo <= s <= hi for s in spans)) for label, lo, hi in SPAN_BANDS)
    per_layer = Counter(v for v in layer.values() if v > 0)
    groups = []
    for name in sorted({line.group for line in lines}):
        members = [line for line in lines if line.group == name]
        group_spans = [reports[line.ref] for line in members if reports[line.ref]]
        g_mean, g_median, g_narrow = _span_stats(group_spans)
        groups.append(
            GroupSpans(
                name=name,
                posts=len(members),
                managers=len(group_spans),
                mean_span=g_mean,
                median_span=g_median,
                narrow=g_narrow,
                layers=max((layer.get(line.ref, 0) for line in members), default=0),
            )
        )
    return Spans(
        posts=len(lines),
        with_manager_ref=sum(bool(line.manager_ref) for line in lines),
        unknown_managers=sum(bool(line.manager_ref) and line.manager_ref not in refs for line in lines),
        in_cycles=cycles,
        managers=len(spans),
        mean_span=mean,
        median_span=median,
        narrow=narrow,
        bands=bands,
        layers=tuple(sorted(per_layer.items())),
        groups=tuple(groups),
    )
