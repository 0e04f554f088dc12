"""The demo plan, built once per seed: it is pure, so tests share it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from wholecouncil.council.services import read_lgsl
from wholecouncil.demo.plan import DEFAULT_SEED, DemoPlan, build_plan

LGSL = "reference/lgsl-services-2013.csv"


@cache
def _lgsl(path: Path) -> tuple[tuple[int, str, str], ...]:
    return tuple(read_lgsl(path))


@cache
def _plan(path: Path, seed: int) -> DemoPlan:
    return build_plan(seed, _lgsl(path))


@pytest.fixture
def lgsl_entries(shared_data_dir: Path) -> tuple[tuple[int, str, str], ...]:
    return _lgsl(shared_data_dir / LGSL)


@pytest.fixture
def plan_for(shared_data_dir: Path) -> Callable[..., DemoPlan]:
    def make(seed: int = DEFAULT_SEED) -> DemoPlan:
        return _plan(shared_data_dir / LGSL, seed)

    return make


@pytest.fixture
def plan(plan_for: Callable[..., DemoPlan]) -> DemoPlan:
    return plan_for()
