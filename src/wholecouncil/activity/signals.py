"""Every new council starts with the default process list and the illustrative comparator."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from wholecouncil.council.models import Council
from wholecouncil.council.signals import council_created


@receiver(council_created, dispatch_uid="activity-seed-council")
def seed_new_council(sender: type[Council], council: Council, **_: Any) -> None:
    from wholecouncil.activity.services.comparators import ensure_illustrative_comparators
    from wholecouncil.activity.services.processes import ensure_processes

    ensure_processes(council)
    ensure_illustrative_comparators(council)
