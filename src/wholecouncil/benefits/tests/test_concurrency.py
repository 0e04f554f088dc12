"""Moves judged against a budget line's claims happen one at a time on PostgreSQL: a sign-off waits while
another transaction holds the line, then judges the claims as that transaction left them.

Row locks are PostgreSQL's (SQLite locks the whole database), so these run only there; CI runs the suite on
both databases.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections, transaction

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits import services
from wholecouncil.benefits.engine.lifecycle import Action
from wholecouncil.benefits.models import Benefit, BudgetLine
from wholecouncil.benefits.tests.helpers import benefit, line
from wholecouncil.council.models import Council, Membership

D = Decimal
pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 1.5  # seconds the first transaction holds the line


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are tested on PostgreSQL (CI runs the suite on PostgreSQL too).")


class Holder(threading.Thread):
    """Runs `work` in its own transaction on its own connection and keeps the transaction open until
    released, so that whatever `work` locked stays locked."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.locked = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.work()
                self.locked.set()
                self.release.wait(10)
        except BaseException as exc:  # reported to the test
            self.error = exc
            self.locked.set()
        finally:
            connections.close_all()


class Mover(threading.Thread):
    """Makes one move in its own connection and records when it finished and what it raised."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self.work = work
        self.finished_at = 0.0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.work()
        except BaseException as exc:
            self.error = exc
        finally:
            self.finished_at = time.monotonic()
            connections.close_all()


@pytest.fixture
def people(council: Council, make_member: Callable[..., Membership]) -> dict[str, Membership]:
    return {
        "finance": make_member(council, Role.FINANCE, username="fin-1"),
        "finance2": make_member(council, Role.FINANCE, username="fin-2"),
        "lead": make_member(council, Role.PROGRAMME_LEAD, username="lead"),
    }


def _run(holder: Holder, mover: Mover) -> float:
    """Start the holder, then the mover once the holder has its lock; release the holder after WAIT. Returns
    the time the holder was released."""
    holder.start()
    assert holder.locked.wait(10)
    assert holder.error is None, holder.error
    mover.start()
    time.sleep(WAIT)
    assert mover.is_alive(), "the move did not wait for the budget line"
    released = time.monotonic()
    holder.release.set()
    holder.join(10)
    mover.join(10)
    assert holder.error is None, holder.error
    return released


@pytest.fixture
def waiting(council: Council, people: dict[str, Membership]) -> Iterator[dict[str, Benefit]]:
    """BEN-1 (£300,000) validated and signed off by the board, waiting for finance; BEN-2 (£300,000)
    identified, on the same £500,000 line."""
    r100 = line(council, "R100", "500000")
    first = benefit(council, "BEN-1", budget_line=r100, value="300000", profile={2026: "300000"})
    finance, lead = people["finance"], people["lead"]
    services.benefit_transition(benefit=first, action=Action.VALIDATE, actor=finance.user, role=finance.role)
    services.benefit_transition(benefit=first, action=Action.BOARD_SIGN_OFF, actor=lead.user, role=lead.role)
    second = benefit(council, "BEN-2", budget_line=r100, value="300000", profile={2026: "300000"})
    yield {"first": first, "second": second}


def test_a_sign_off_waits_for_a_validation_on_the_same_line(
    waiting: dict[str, Benefit], people: dict[str, Membership]
) -> None:
    other, finance = people["finance2"], people["finance"]
    holder = Holder(
        lambda: services.benefit_transition(
            benefit=waiting["second"], action=Action.VALIDATE, actor=other.user, role=other.role
        )
    )
    mover = Mover(
        lambda: services.benefit_transition(
            benefit=waiting["first"], action=Action.FINANCE_SIGN_OFF, actor=finance.user, role=finance.role
        )
    )
    released = _run(holder, mover)
    assert mover.finished_at >= released
    # Judged after the validation committed: BEN-2's claim is on the line, so the sign-off is refused.
    assert isinstance(mover.error, services.BenefitError)
    assert "together with BEN-2" in str(mover.error)
    assert Benefit.objects.get(pk=waiting["first"].pk).status == "validated"
    assert Benefit.objects.get(pk=waiting["second"].pk).status == "validated"


def test_a_sign_off_waits_for_a_change_to_the_lines_baseline(
    council: Council, waiting: dict[str, Benefit], people: dict[str, Membership]
) -> None:
    finance = people["finance"]
    services.benefit_transition(
        benefit=waiting["second"], action=Action.VALIDATE, actor=finance.user, role=finance.role
    )
    r100 = BudgetLine.objects.get(council=council, code="R100")
    holder = Holder(
        lambda: services.budget_line_save(
            council=council, line=r100, data={"baseline": D("600000")}, actor=finance.user
        )
    )
    mover = Mover(
        lambda: services.benefit_transition(
            benefit=waiting["first"], action=Action.FINANCE_SIGN_OFF, actor=finance.user, role=finance.role
        )
    )
    released = _run(holder, mover)
    assert mover.finished_at >= released
    # Judged against the raised baseline: the two claims (£600,000) now fit, so BEN-1 is in delivery.
    assert mover.error is None, mover.error
    assert Benefit.objects.get(pk=waiting["first"].pk).status == "in_delivery"
