"""The baselines opportunities draw on: computed by the activity and spend analyses where they
exist, otherwise entered by hand (`BaselineFigure`), otherwise missing.

The computed baselines come from two functions other modules provide:

- `wholecouncil.activity.selectors.layer_baseline(council)` -> {layer code: {"fte": Decimal,
  "cost": Decimal}}, or None when there are no survey responses;
- `wholecouncil.spend.selectors.spend_baseline(council)` -> {category name: Decimal}, or None.

They are looked up when called, so this module works (with entered figures only) before either exists, and
tests can pass their own functions in place of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from wholecouncil.cases.engine import BaselinePot, PotKind
from wholecouncil.cases.models import BaselineFigure
from wholecouncil.council.models import Council, Layer

LayerBaselineFn = Callable[[Council], "dict[str, dict[str, Decimal]] | None"]
SpendBaselineFn = Callable[[Council], "dict[str, Decimal] | None"]

ACTIVITY_SOURCE = "Activity analysis"
SPEND_SOURCE = "Spend analysis"
ENTERED_SOURCE = "Entered"


def _provided(module: str, name: str) -> Callable[[Council], Any] | None:
    """The function `name` of `module`, or None while that module or function does not exist."""
    try:
        found = importlib.import_module(module)
    except ImportError:
        return None
    fn = getattr(found, name, None)
    return fn if callable(fn) else None


def activity_provider() -> LayerBaselineFn | None:
    return _provided("wholecouncil.activity.selectors", "layer_baseline")


def spend_provider() -> SpendBaselineFn | None:
    return _provided("wholecouncil.spend.selectors", "spend_baseline")


def staff_pot_code(layer_code: str) -> str:
    return f"layer:{layer_code}"


def spend_pot_code(category: str) -> str:
    return f"spend:{category}"


@dataclass(frozen=True)
class Pot:
    """A baseline with where its figure came from: activity analysis, spend analysis or entered."""

    code: str
    name: str
    kind: PotKind
    key: str  # the layer code or the spend category
    amount: Decimal
    source: str
    fte: Decimal | None = None
    illustrative: bool = False

    def as_engine(self) -> BaselinePot:
        fte = self.fte if self.kind is PotKind.STAFF and self.fte else None
        return BaselinePot(self.code, self.name, self.amount, self.kind, fte)


@dataclass(frozen=True)
class Baselines:
    """Every baseline a council's opportunities can draw on, by pot code."""

    pots: dict[str, Pot] = field(default_factory=dict)
    has_activity: bool = False
    has_spend: bool = False
    layer_names: dict[str, str] = field(default_factory=dict)

    def staff(self, layer_code: str) -> Pot | None:
        return self.pots.get(staff_pot_code(layer_code))

    def spend(self, category: str) -> Pot | None:
        return self.pots.get(spend_pot_code(category))

    @property
    def spend_categories(self) -> list[str]:
        return sorted(p.key for p in self.pots.values() if p.kind is PotKind.SPEND)

    def engine_pots(self) -> tuple[BaselinePot, ...]:
        return tuple(p.as_engine() for p in self.pots.values())

    def engine_pot_map(self) -> dict[str, BaselinePot]:
        return {p.code: p.as_engine() for p in self.pots.values()}

    @property
    def average_cost_per_fte(self) -> Decimal | None:
        """Staff cost over FTE across the layers whose baseline gives both, or None."""
        staff = [p for p in self.pots.values() if p.kind is PotKind.STAFF and p.fte]
        fte = sum((p.fte for p in staff if p.fte), Decimal(0))
        if not fte:
            return None
        return sum((p.amount for p in staff), Decimal(0)) / fte


def _dec(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def council_baselines(
    council: Council,
    *,
    layer_baseline: LayerBaselineFn | None = None,
    spend_baseline: SpendBaselineFn | None = None,
) -> Baselines:
    """The council's baselines. Computed figures win over entered ones for the same layer or category.

    `layer_baseline` and `spend_baseline` default to the activity and spend modules' functions when they
    exist; pass functions to use others (tests do).
    """
    layer_fn = layer_baseline or activity_provider()
    spend_fn = spend_baseline or spend_provider()
    layers = {layer.code: layer.name for layer in Layer.objects.filter(council=council)}
    pots: dict[str, Pot] = {}
    for fig in BaselineFigure.objects.filter(council=council):
        if fig.kind == BaselineFigure.Kind.STAFF:
            name = f"Staff cost of {layers.get(fig.key, fig.key)} processes"
            pots[staff_pot_code(fig.key)] = Pot(
                staff_pot_code(fig.key),
                name,
                PotKind.STAFF,
                fig.key,
                fig.amount,
                fig.source or ENTERED_SOURCE,
                fig.fte,
                fig.illustrative,
            )
        else:
            pots[spend_pot_code(fig.key)] = Pot(
                spend_pot_code(fig.key),
                f"Spend: {fig.key}",
                PotKind.SPEND,
                fig.key,
                fig.amount,
                fig.source or ENTERED_SOURCE,
                None,
                fig.illustrative,
            )
    computed_layers = layer_fn(council) if layer_fn is not None else None
    for code, figures in (computed_layers or {}).items():
        pots[staff_pot_code(code)] = Pot(
            staff_pot_code(code),
            f"Staff cost of {layers.get(code, code)} processes",
            PotKind.STAFF,
            code,
            _dec(figures["cost"]),
            ACTIVITY_SOURCE,
            _dec(figures["fte"]) if figures.get("fte") is not None else None,
        )
    computed_spend = spend_fn(council) if spend_fn is not None else None
    for category, amount in (computed_spend or {}).items():
        pots[spend_pot_code(category)] = Pot(
            spend_pot_code(category),
            f"Spend: {category}",
            PotKind.SPEND,
            category,
            _dec(amount),
            SPEND_SOURCE,
        )
    return Baselines(
        pots=pots,
        has_activity=bool(computed_layers),
        has_spend=bool(computed_spend),
        layer_names=layers,
    )
