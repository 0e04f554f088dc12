"""What the benefits views share."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from django.utils.http import content_disposition_header

from wholecouncil.benefits import selectors
from wholecouncil.benefits.models import Benefit
from wholecouncil.council.permissions import current_council


def today() -> dt.date:
    return timezone.localdate()


def benefit_or_404(request: HttpRequest, pk: int) -> Benefit:
    """The council's own benefit, or 404: another council's ids are never found."""
    return selectors.benefit_get(current_council(request), pk)


def role_of(request: HttpRequest) -> str | None:
    membership = getattr(request, "membership", None)
    return membership.role if membership is not None else None


def disposition(as_attachment: bool, filename: str) -> str:
    return content_disposition_header(as_attachment, filename) or "attachment"
