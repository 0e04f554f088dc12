"""Monthly actuals with their evidence, and the year's figures they roll up into."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from wholecouncil.benefits.engine.performance import month_index
from wholecouncil.benefits.models import Benefit, MonthlyActual, ProfileYear
from wholecouncil.benefits.services.common import BenefitError, record, user_or_none
from wholecouncil.council.audit import Actor
from wholecouncil.council.engine import FinancialYear
from wholecouncil.web.files import Upload, UploadRefused, upload_type

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
Attachment = Upload


def _actual_dict(actual: MonthlyActual) -> dict[str, Any]:
    return {
        "month": f"{actual.month:%B %Y}",
        "amount": actual.amount,
        "evidence": actual.evidence,
        "attachment": actual.attachment_name,
    }


def rollup(benefit: Benefit, year: int) -> None:
    """Bring the year's actual total and last month reported up to date from the monthly actuals."""
    fy = FinancialYear(year)
    found = MonthlyActual.objects.filter(benefit=benefit, month__gte=fy.starts, month__lte=fy.ends).aggregate(
        total=Sum("amount"), last=Max("month")
    )
    total = found["total"] or Decimal(0)
    reported = month_index(found["last"]) if found["last"] else 0
    row = ProfileYear.objects.filter(benefit=benefit, year=year).first()
    if row is None:
        if reported:
            ProfileYear.objects.create(
                council=benefit.council, benefit=benefit, year=year, actual=total, reported=reported
            )
        return
    if not reported and not row.planned:
        row.delete()
        return
    row.actual, row.reported = total, reported
    row.save(update_fields=["actual", "reported"])


def _check_attachment(attachment: Attachment) -> str:
    try:
        return upload_type(attachment, max_bytes=MAX_ATTACHMENT_BYTES)
    except UploadRefused as exc:
        raise BenefitError(str(exc), "attachment") from exc


@transaction.atomic
def actual_record(
    *,
    benefit: Benefit,
    month: dt.date,
    amount: Decimal,
    evidence: str = "",
    attachment: Attachment | None = None,
    actor: Actor,
    today: dt.date | None = None,
) -> MonthlyActual:
    """Record (or replace) what the benefit delivered in `month`. Recording actuals never changes the
    benefit's status: that is finance's call through the lifecycle."""
    today = today or timezone.localdate()
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise BenefitError(f"{month:%B %Y} has not started yet, so it cannot have an actual.", "month")
    if amount is None:
        raise BenefitError("Enter the amount delivered in the month.", "amount")
    existing = MonthlyActual.objects.filter(benefit=benefit, month=month).first()
    before = _actual_dict(existing) if existing is not None else None
    actual = existing or MonthlyActual(council=benefit.council, benefit=benefit, month=month)
    actual.amount = amount
    actual.evidence = evidence.strip()
    if attachment is not None:
        actual.attachment_type = _check_attachment(attachment)
        actual.attachment = attachment.content
        actual.attachment_name = attachment.file_name
        actual.attachment_size = len(attachment.content)
    actual.recorded_by = user_or_none(actor)
    actual.save()
    rollup(benefit, FinancialYear.containing(month).start_year)
    record(
        council=benefit.council,
        actor=actor,
        action=f"actual.{'update' if before else 'create'}",
        obj=actual,
        before=before,
        after=_actual_dict(actual),
    )
    return actual


@transaction.atomic
def actual_delete(*, actual: MonthlyActual, actor: Actor) -> None:
    benefit = actual.benefit
    before = _actual_dict(actual)
    year = FinancialYear.containing(actual.month).start_year
    record(council=benefit.council, actor=actor, action="actual.delete", obj=actual, before=before)
    actual.delete()
    rollup(benefit, year)
