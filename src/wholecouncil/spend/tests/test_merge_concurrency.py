"""A merge decision while an import holds the council is refused at once with a message, on PostgreSQL
(row locks are PostgreSQL's; SQLite has one writer at a time). CI runs the suite on both databases."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from wholecouncil.council.models import Council
from wholecouncil.spend import services
from wholecouncil.spend.models import MergeDecision
from wholecouncil.spend.tests.helpers import csv_bytes, run

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Row locks are tested on PostgreSQL (CI runs the suite on PostgreSQL too).")


def test_a_decision_during_an_import_is_refused_with_a_message(council: Council) -> None:
    rows = [["Northern Cleaning Ltd", "5", "01/04/2024", "", "", "", "GB812311286"]]
    rows.append(["Northern Cleaning UK Services", "6", "01/04/2024", "", "", "", "812311286"])
    run(council, {"a.csv": csv_bytes(rows)})
    decision = MergeDecision.objects.get(council=council, status=MergeDecision.Status.PROPOSED)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:  # as an import does: the council's row, for as long as it runs
        try:
            with transaction.atomic():
                Council.objects.select_for_update().filter(pk=council.pk).first()
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold, daemon=True)
    holder.start()
    assert locked.wait(10)
    try:
        with pytest.raises(services.SupplierError, match="decide once the import has finished"):
            services.merge_decide(decision=decision, accept=True, actor=None)
    finally:
        release.set()
        holder.join(10)
    decision.refresh_from_db()
    assert decision.status == MergeDecision.Status.PROPOSED  # nothing was decided
    services.merge_decide(decision=decision, accept=True, actor=None)  # and once it has, it is
    decision.refresh_from_db()
    assert decision.status == MergeDecision.Status.ACCEPTED
