"""Moving a benefit through its lifecycle: the facts each move depends on, gathered here, judged by the
engine's state machine, stored with a history row and an audit event in the same transaction."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wholecouncil.benefits.engine.categories import Kind
from wholecouncil.benefits.engine.lifecycle import Action, Facts, Refused, apply
from wholecouncil.benefits.engine.prudence import Claim, line_collision
from wholecouncil.benefits.models import Benefit, BudgetLine
from wholecouncil.benefits.services.common import BenefitError, actor_key, authorities_of, user_or_none
from wholecouncil.benefits.services.history import state_fields, status_change
from wholecouncil.benefits.services.register import line_claims
from wholecouncil.council.audit import Actor

ZERO = Decimal(0)
SIGN_OFFS = (Action.BOARD_SIGN_OFF, Action.FINANCE_SIGN_OFF)
# Moves that add a claim on the budget line (validation) or are judged against its claims (sign-offs).
LINE_MOVES = (Action.VALIDATE, *SIGN_OFFS)


def _line(pk: int, *, lock: bool) -> BudgetLine:
    """The benefit's budget line; locked for a move that claims it or is judged against its claims, so that
    such moves on one line happen one at a time and each sees the others' outcome."""
    lines = BudgetLine.objects.select_for_update() if lock else BudgetLine.objects
    return lines.get(pk=pk)


def validation_missing(benefit: Benefit) -> tuple[str, ...]:
    """What finance needs before it can validate the benefit."""
    missing: list[str] = []
    if not benefit.owner.strip():
        missing.append("name its owner")
    if benefit.kind is Kind.NON_FINANCIAL:
        if not benefit.measure.strip() or benefit.baseline_value is None or benefit.target_value is None:
            missing.append("enter its measure, baseline and target")
    else:
        if not benefit.full_year_value:
            missing.append("enter its full-year value")
        if not benefit.profile.filter(planned__gt=0).exists():
            missing.append("plan its profile by financial year")
    if benefit.kind is Kind.CASHABLE and benefit.budget_line_id is None:
        missing.append("choose the budget line it lands in")
    return tuple(missing)


def collision_message(benefit: Benefit) -> str:
    """Why signing the benefit off would claim its budget line more than once, or '' when it would not."""
    line = benefit.budget_line
    if benefit.kind is not Kind.CASHABLE or line is None:
        return ""
    subject = Claim(benefit.reference, benefit.title, benefit.full_year_value or ZERO)
    others = [Claim(b.reference, b.title, b.full_year_value or ZERO) for b in line_claims(line, benefit.pk)]
    found = line_collision(subject, others, line=str(line), baseline=line.baseline)
    return found.message if found is not None else ""


def facts_for(
    benefit: Benefit, action: Action, *, actor: Actor, role: str | None, reason: str = "", evidence: str = ""
) -> Facts:
    return Facts(
        actor=actor_key(actor),
        authorities=authorities_of(role),
        reason=reason,
        evidence=evidence,
        missing=validation_missing(benefit) if action is Action.VALIDATE else (),
        collision=collision_message(benefit) if action in SIGN_OFFS else "",
        financial=benefit.is_financial,
        actuals=benefit.actuals.count() if action is Action.REALISE else 0,
    )


@transaction.atomic
def benefit_transition(
    *,
    benefit: Benefit,
    action: Action,
    actor: Actor,
    role: str | None,
    reason: str = "",
    evidence: str = "",
) -> Benefit:
    """Make one lifecycle move, or raise BenefitError with the reason it is refused."""
    benefit = Benefit.objects.select_for_update(of=("self",)).select_related("council").get(pk=benefit.pk)
    if benefit.budget_line_id is not None:
        benefit.budget_line = _line(benefit.budget_line_id, lock=action in LINE_MOVES)
    before = benefit.state
    facts = facts_for(benefit, action, actor=actor, role=role, reason=reason, evidence=evidence)
    try:
        after = apply(before, action, facts)
    except Refused as exc:
        raise BenefitError(exc.reason) from exc
    for name, value in state_fields(after).items():
        setattr(benefit, name, value)
    now = timezone.now()
    if action is Action.BOARD_SIGN_OFF:
        benefit.board_signed_by = user_or_none(actor)
        benefit.board_signed_at = now
    elif action is Action.FINANCE_SIGN_OFF:
        benefit.finance_signed_by = user_or_none(actor)
        benefit.finance_signed_at = now
    elif action is Action.REALISE:
        benefit.evidence = evidence.strip()
    benefit.save()
    status_change(
        benefit=benefit, action=action, before=before, actor=actor, reason=(reason or evidence).strip()
    )
    return benefit
