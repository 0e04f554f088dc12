"""Recording a benefit's status: the model fields of an engine state, and one history row per move."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from wholecouncil.benefits.engine.lifecycle import ACTION_LABELS, STATUS_LABELS, Action, BenefitState
from wholecouncil.benefits.models import Benefit, StatusChange
from wholecouncil.benefits.services.common import record, user_or_none
from wholecouncil.council.audit import Actor, actor_label


def state_fields(state: BenefitState) -> dict[str, Any]:
    """The benefit's status fields for `state`. Sign-offs the state no longer holds are cleared."""
    out: dict[str, Any] = {
        "status": state.status.value,
        "resume_status": state.resume.value if state.resume is not None else "",
    }
    if not state.board_signed_by:
        out.update(board_signed_by=None, board_signed_at=None)
    if not state.finance_signed_by:
        out.update(finance_signed_by=None, finance_signed_at=None)
    return out


def _state_dict(state: BenefitState) -> dict[str, Any]:
    return {
        "status": STATUS_LABELS[state.status],
        "returns to": STATUS_LABELS[state.resume] if state.resume else "",
        "board signed off": bool(state.board_signed_by),
        "finance signed off": bool(state.finance_signed_by),
    }


def status_change(
    *, benefit: Benefit, action: Action, before: BenefitState, actor: Actor, reason: str = ""
) -> StatusChange:
    after = benefit.state
    change = StatusChange.objects.create(
        council=benefit.council,
        benefit=benefit,
        action=action.value,
        from_status=before.status.value,
        to_status=after.status.value,
        actor=user_or_none(actor),
        actor_label=actor_label(actor),
        reason=reason,
    )
    record(
        council=benefit.council,
        actor=actor,
        action=f"benefit.{action.value}",
        obj=benefit,
        before=_state_dict(before),
        after={**_state_dict(after), "action": ACTION_LABELS[action], "reason": reason},
    )
    return change


def now() -> Any:
    return timezone.now()
