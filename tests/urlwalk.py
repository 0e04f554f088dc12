"""Every URL pattern the project serves, with how its view is guarded, for the meta-tests.

The walk reads the live resolver, so patterns that later modules add are covered without editing the tests.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, UUIDConverter
from django.urls.resolvers import RoutePattern

from wholecouncil.accounts.roles import Perm

MARKERS = ("wc_permission", "wc_public", "wc_signed_in_only")
COUNCIL_KWARG = "council_slug"
_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")

# Values for path parameters other than ints and the council slug, keyed by parameter name.
SAMPLE_PARAMS: dict[str, str] = {"kind": "layer"}


@dataclass(frozen=True)
class Route:
    """One URL pattern, flattened: its full route text, name and the view callable Django calls."""

    route: str
    name: str
    callback: Callable[..., Any]
    converters: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    is_regex: bool = False

    def __str__(self) -> str:
        return self.name or self.route

    @property
    def is_council_scoped(self) -> bool:
        return COUNCIL_KWARG in self.route

    def marker(self, attr: str) -> Any:
        return view_marker(self.callback, attr)

    @property
    def permission(self) -> Perm | None:
        return self.marker("wc_permission")

    @property
    def is_public(self) -> bool:
        return bool(self.marker("wc_public"))

    @property
    def is_signed_in_only(self) -> bool:
        return bool(self.marker("wc_signed_in_only"))

    def path(self, council_slug: str = "testshire", **values: object) -> str:
        """A concrete path for this route: the council slug, `values` where given, else dummy values."""
        assert not self.is_regex, f"{self.route}: a re_path() cannot be filled in here; use path() instead"

        def fill(match: re.Match[str]) -> str:
            name = match.group("name")
            if name == COUNCIL_KWARG:
                return council_slug
            if name in values:
                return str(values[name])
            converter = self.converters.get(name)
            if isinstance(converter, IntConverter):
                return "987654"
            if isinstance(converter, UUIDConverter):
                return str(uuid.UUID(int=987654))
            return SAMPLE_PARAMS.get(name, "sample")

        return "/" + _PARAM.sub(fill, self.route)


def view_marker(view: Callable[..., Any], attr: str) -> Any:
    """The marker `attr` on a view or on anything it wraps (functools.wraps chains, as_view classes)."""
    seen: set[int] = set()
    current: Any = view
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if hasattr(current, attr):
            return getattr(current, attr)
        view_class = getattr(current, "view_class", None)
        if view_class is not None and hasattr(view_class, attr):
            return getattr(view_class, attr)
        current = getattr(current, "__wrapped__", None)
    return None


def _walk(
    patterns: list[Any], prefix: str, namespace: str, converters: dict[str, Any], regex: bool = False
) -> Iterator[Route]:
    for entry in patterns:
        pattern = entry.pattern
        is_regex = regex or not isinstance(pattern, RoutePattern)
        route = prefix + str(pattern)
        found = {**converters, **getattr(pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(entry.url_patterns, route, inner, found, is_regex)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield Route(route=route, name=name, callback=entry.callback, converters=found, is_regex=is_regex)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", "", {}))


def route_named(name: str) -> Route:
    for route in all_routes():
        if route.name == name:
            return route
    raise LookupError(name)
