"""What every benefits service shares: the domain error, audit shorthand and what a role allows."""

from __future__ import annotations

from typing import Any

from django.db import models

from wholecouncil.accounts.roles import ROLE_PERMISSIONS
from wholecouncil.benefits.engine.lifecycle import Authority
from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError


class BenefitError(DomainError):
    """A change to the benefits register the rules refuse; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NeedsRevalidation(BenefitError):
    """A change to a validated benefit that the user has not yet confirmed (it goes back for validation)."""

    def __init__(self, changed: list[str]) -> None:
        self.changed = changed
        super().__init__(
            "This benefit has been validated by finance. Saving these changes sends it back to be validated "
            "again and takes any signed-off saving out of the MTFP until it is signed off once more. "
            "Confirm to save."
        )


def authorities_of(role: str | None) -> frozenset[str]:
    """The benefits authorities a role holds (the benefits permissions, as strings)."""
    held = ROLE_PERMISSIONS.get(role or "", frozenset())
    wanted = {a.value for a in Authority}
    return frozenset(str(p) for p in held if str(p) in wanted)


def user_or_none(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def actor_key(actor: Actor) -> str:
    user = user_or_none(actor)
    return str(user.pk) if user is not None else "system"


def record(
    *,
    council: Council,
    actor: Actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit_record(
        council=council, actor=actor, action=f"benefits.{action}", obj=obj, before=before, after=after
    )
