"""Reading typed values out of parsed YAML or JSON, with each problem recorded against its field path."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from wholecouncil.cases.engine.money import ZERO
from wholecouncil.council.engine import FinancialYear

E = TypeVar("E", bound=str)


class FieldReader:
    """Reads values out of parsed YAML or JSON, collecting every problem with the path of its field."""

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def mapping(
        self, value: Any, path: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            self.fail(path, f"must be a mapping of fields ({', '.join(allowed)})")
            return None
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; the fields are {', '.join(allowed)}"
                self.fail(join(path, str(key)), f"is not a field here{hint}")
        for key in required:
            if value.get(key) is None:
                self.fail(join(path, key), "is required")
        return {str(k): v for k, v in value.items()}

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "must be a list")
            return []
        return value

    def number(
        self, value: Any, path: str, *, low: Decimal | None = None, high: Decimal | None = None
    ) -> Decimal | None:
        if value is None:
            return None
        parsed: Decimal | None = None
        if isinstance(value, bool):
            parsed = None
        elif isinstance(value, int | float):
            parsed = Decimal(str(value))
        elif isinstance(value, str):
            cleaned = value.strip().replace(",", "").replace("£", "").removesuffix("%").strip()
            try:
                parsed = Decimal(cleaned)
            except InvalidOperation:
                parsed = None
        if parsed is None or not parsed.is_finite():
            self.fail(path, f"must be a number (it is {value!r})")
            return None
        if low is not None and high is not None and not low <= parsed <= high:
            self.fail(path, f"must be between {low} and {high} (it is {parsed})")
            return None
        if low is not None and parsed < low:
            self.fail(path, f"must be {low} or more (it is {parsed})")
            return None
        return parsed

    def text(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if isinstance(value, bool | list | dict):
            self.fail(path, "must be text")
            return ""
        return str(value).strip()

    def choice(self, value: Any, path: str, kind: Callable[[str], E], options: tuple[str, ...]) -> E | None:
        if value is None:
            return None
        if str(value) not in options:
            self.fail(path, f"must be one of {', '.join(options)} (it is {value!r})")
            return None
        return kind(str(value))

    def year(self, value: Any, path: str) -> FinancialYear | None:
        try:
            return FinancialYear.parse(str(value))
        except ValueError as exc:
            self.fail(path, str(exc))
            return None

    def by_year(
        self, value: Any, path: str, first: FinancialYear | None, years: int, *, high: Decimal | None = None
    ) -> tuple[Decimal, ...]:
        """A list of figures from the first year, or a mapping of financial year to figure."""
        if value is None:
            return ()
        out = [ZERO] * years
        if isinstance(value, list):
            if len(value) > years:
                self.fail(path, f"has {len(value)} figures but the case has {years} years")
            for i, v in enumerate(value[:years]):
                out[i] = self.number(v, f"{path}[{i}]", low=ZERO, high=high) or ZERO
            return tuple(out)
        if not isinstance(value, Mapping):
            self.fail(path, "must be a list of figures by year, or a mapping such as {2025/26: 100000}")
            return ()
        for key, v in value.items():
            where = f"{path}[{key}]"
            year = self.year(key, where)
            if year is None or first is None:
                continue
            index = year.start_year - first.start_year
            if not 0 <= index < years:
                self.fail(where, f"is outside the case's years {first} to {first + (years - 1)}")
                continue
            out[index] = self.number(v, where, low=ZERO, high=high) or ZERO
        return tuple(out)

    def pct_range(
        self, value: Any, path: str, *, pivot: Decimal | None = None
    ) -> tuple[Decimal, Decimal] | None:
        if value is None:
            return None
        if not isinstance(value, list) or len(value) != 2:
            self.fail(path, "must be a pair [low, high]")
            return None
        low = self.number(value[0], f"{path}[0]", low=ZERO)
        high = self.number(value[1], f"{path}[1]", low=ZERO)
        if low is None or high is None:
            return None
        if low > high:
            self.fail(path, f"low ({low}) must not be more than high ({high})")
            return None
        if pivot is not None and not low <= pivot <= high:
            self.fail(path, f"must run from at most {pivot} to at least {pivot}")
            return None
        return low, high


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
