"""Writes to the register: budget lines, savings required, and benefits with their profile and shares.

A change to a benefit that finance has validated sends it back for validation (and so out of the MTFP), once
the user has confirmed it; the change and the status move are both audited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from wholecouncil.benefits.engine.categories import Category, Kind, kind_of
from wholecouncil.benefits.engine.lifecycle import Action, BenefitState, Facts, Refused, apply
from wholecouncil.benefits.engine.prudence import claims_budget_line
from wholecouncil.benefits.models import Benefit, BenefitShare, BudgetLine, ProfileYear, SavingsRequirement
from wholecouncil.benefits.services.common import (
    BenefitError,
    NeedsRevalidation,
    actor_key,
    authorities_of,
    record,
)
from wholecouncil.benefits.services.history import state_fields, status_change
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.engine import FinancialYear, SharesError, validate_shares
from wholecouncil.council.models import Council, Partnership
from wholecouncil.portfolio.models import Project

ZERO = Decimal(0)
BUDGET_LINE_FIELDS = ("code", "name", "baseline", "notes")
BENEFIT_FIELDS = (
    "reference",
    "title",
    "description",
    "feature",
    "category",
    "owner",
    "opportunity",
    "milestone",
    "budget_line",
    "measure",
    "baseline_value",
    "target_value",
    "full_year_value",
    "dis_benefits",
    "tolerance_pct",
)
FIELD_LABELS = {
    "projects": "projects",
    "profile": "profile",
    "shares": "partnership split",
    "full_year_value": "full-year value",
    "budget_line": "budget line",
    "baseline_value": "baseline",
    "target_value": "target",
    "dis_benefits": "dis-benefits",
    "tolerance_pct": "tolerance",
}


# --- Budget lines ---------------------------------------------------------------------------------------


def line_claims(line: BudgetLine, exclude: int | None = None) -> list[Benefit]:
    """The benefits claiming the line: cashable, validated or later, not undeliverable."""
    found = Benefit.objects.filter(budget_line=line).order_by("reference")
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return [b for b in found if claims_budget_line(b.kind, b.state) and b.full_year_value]


@transaction.atomic
def budget_line_save(
    *, council: Council, data: Mapping[str, Any], actor: Actor, line: BudgetLine | None = None
) -> BudgetLine:
    if line is not None and line.council_id != council.pk:
        raise BenefitError("That budget line belongs to another council.")
    if line is not None:  # judged against the claims on it: one change on a line at a time
        line = BudgetLine.objects.select_for_update().get(pk=line.pk)
    before = snapshot(line, BUDGET_LINE_FIELDS) if line is not None else None
    obj = line or BudgetLine(council=council)
    for name in BUDGET_LINE_FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    obj.code = str(obj.code).strip()
    if not obj.code:
        raise BenefitError("Enter the cost centre code.", "code")
    if BudgetLine.objects.filter(council=council, code=obj.code).exclude(pk=obj.pk).exists():
        raise BenefitError(f"There is already a budget line with the code {obj.code}.", "code")
    if obj.baseline is None or Decimal(obj.baseline) < 0:
        raise BenefitError("Enter the baseline budget as 0 or more.", "baseline")
    if obj.pk:
        claims = line_claims(obj)
        claimed = sum((b.full_year_value or ZERO for b in claims), ZERO)
        if claimed > obj.baseline:
            names = "; ".join(f"{b.reference} (£{b.full_year_value:,.2f})" for b in claims)
            raise BenefitError(
                f"Validated benefits already claim £{claimed:,.2f} from this line ({names}), more than a "
                f"baseline of £{Decimal(obj.baseline):,.2f}.",
                "baseline",
            )
    obj.save()
    record(
        council=council,
        actor=actor,
        action=f"budget_line.{'update' if before else 'create'}",
        obj=obj,
        before=before,
        after=snapshot(obj, BUDGET_LINE_FIELDS),
    )
    return obj


# --- Savings required -----------------------------------------------------------------------------------


@transaction.atomic
def savings_required_set(*, council: Council, amounts: Mapping[int, Decimal | None], actor: Actor) -> None:
    """Set (or, with None, clear) the savings the MTFP requires in each year given."""
    existing = {r.year: r for r in SavingsRequirement.objects.filter(council=council, year__in=list(amounts))}
    before = {str(FinancialYear(y)): str(r.amount) for y, r in sorted(existing.items())}
    for year, amount in amounts.items():
        if amount is not None and amount < 0:
            raise BenefitError(
                f"The savings required in {FinancialYear(year)} must be 0 or more.", f"y{year}"
            )
        row = existing.get(year)
        if amount is None:
            if row is not None:
                row.delete()
        elif row is None:
            SavingsRequirement.objects.create(council=council, year=year, amount=amount)
        elif row.amount != amount:
            row.amount = amount
            row.save(update_fields=["amount"])
    after = {str(FinancialYear(y)): str(a) for y, a in sorted(amounts.items()) if a is not None}
    if before != after:
        audit_record(
            council=council,
            actor=actor,
            action="benefits.savings_required.set",
            object_type="savings required",
            object_repr="Savings required by the MTFP",
            before=before,
            after=after,
        )


# --- Benefits -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitInput:
    values: Mapping[str, Any]
    projects: Sequence[Project] = ()
    profile: Mapping[int, Decimal] = field(default_factory=dict)
    shares: Mapping[Council, Decimal] = field(default_factory=dict)


def benefit_snapshot(benefit: Benefit) -> dict[str, Any]:
    out = snapshot(benefit, BENEFIT_FIELDS)
    if benefit.pk:
        out["projects"] = sorted(p.code for p in benefit.projects.all())
        out["profile"] = {
            str(FinancialYear(y)): str(a)
            for y, a in benefit.profile.filter(planned__gt=0).values_list("year", "planned")
        }
        out["shares"] = {s.council.slug: str(s.pct) for s in benefit.shares.select_related("council")}
    return out


def partners_of(council: Council) -> list[Council]:
    """The councils that share a partnership with `council` (not counting itself)."""
    partnerships = Partnership.objects.filter(councils=council)
    return list(Council.objects.filter(partnerships__in=partnerships).exclude(pk=council.pk).distinct())


def _check_links(council: Council, benefit: Benefit, projects: Sequence[Project]) -> None:
    for name in ("opportunity", "milestone", "budget_line"):
        linked = getattr(benefit, name)
        if linked is not None and linked.council_id != council.pk:
            raise BenefitError(f"The {FIELD_LABELS.get(name, name)} belongs to another council.", name)
    for project in projects:
        if project.council_id != council.pk:
            raise BenefitError("A chosen project belongs to another council.", "projects")
    milestone = benefit.milestone
    if milestone is not None and milestone.project_id not in {p.pk for p in projects}:
        raise BenefitError(
            f"The delivering milestone '{milestone.name}' is in project {milestone.project}, which is not "
            "one of the benefit's projects. Choose that project too.",
            "milestone",
        )


def _check_values(council: Council, benefit: Benefit, profile: Mapping[int, Decimal]) -> None:
    benefit.reference = str(benefit.reference).strip()
    if not benefit.reference:
        raise BenefitError("Enter the benefit's reference.", "reference")
    if Benefit.objects.filter(council=council, reference=benefit.reference).exclude(pk=benefit.pk).exists():
        raise BenefitError(f"There is already a benefit with the reference {benefit.reference}.", "reference")
    if not str(benefit.title).strip():
        raise BenefitError("Enter the benefit's title.", "title")
    if not str(benefit.feature).strip():
        raise BenefitError("Enter the feature of the change that gives rise to the benefit.", "feature")
    if benefit.category not in set(Category):
        raise BenefitError("Choose the benefit's category.", "category")
    tolerance = Decimal(benefit.tolerance_pct if benefit.tolerance_pct is not None else -1)
    if not ZERO <= tolerance <= 100:
        raise BenefitError("Enter a tolerance from 0% to 100%.", "tolerance_pct")
    value = benefit.full_year_value
    if value is not None and value < 0:
        raise BenefitError("Enter the full-year value as 0 or more.", "full_year_value")
    for year, amount in sorted(profile.items()):
        if amount < 0:
            raise BenefitError(f"The amount planned in {FinancialYear(year)} must be 0 or more.", f"y{year}")
        if kind_of(benefit.category) is not Kind.NON_FINANCIAL and value is not None and amount > value:
            raise BenefitError(
                f"The amount planned in {FinancialYear(year)} (£{amount:,.2f}) is more than the full-year "
                f"value (£{value:,.2f}): each year's figure is the saving in force that year.",
                f"y{year}",
            )


def _set_savings_start(benefit: Benefit) -> None:
    first = benefit.profile.filter(planned__gt=0).order_by("year").values_list("year", flat=True).first()
    start = FinancialYear(first).starts if first is not None else None
    if benefit.savings_start != start:
        benefit.savings_start = start
        benefit.save(update_fields=["savings_start"])


def _set_profile(benefit: Benefit, profile: Mapping[int, Decimal]) -> None:
    rows = {r.year: r for r in benefit.profile.all()}
    for year, old in rows.items():
        if year not in profile:
            if old.actual or old.reported:
                if old.planned:
                    old.planned = ZERO
                    old.save(update_fields=["planned"])
            else:
                old.delete()
    for year, amount in profile.items():
        row = rows.get(year)
        if row is None:
            if amount:
                ProfileYear.objects.create(
                    council=benefit.council, benefit=benefit, year=year, planned=amount
                )
        elif row.planned != amount:
            row.planned = amount
            row.save(update_fields=["planned"])


def _set_shares(benefit: Benefit, shares: Mapping[Council, Decimal]) -> None:
    if shares:
        try:
            validate_shares({c.name: pct for c, pct in shares.items()})
        except SharesError as exc:
            raise BenefitError(str(exc), "shares") from exc
        if benefit.council not in shares:
            raise BenefitError(f"The split must include {benefit.council.name}'s own share.", "shares")
        allowed = {c.pk for c in partners_of(benefit.council)} | {benefit.council.pk}
        for council in shares:
            if council.pk not in allowed:
                raise BenefitError(
                    f"{council.name} is not in a partnership with {benefit.council.name}.", "shares"
                )
    current = {s.council_id: s for s in benefit.shares.all()}
    wanted = {c.pk: pct for c, pct in shares.items()}
    for council_id, old in current.items():
        if council_id not in wanted:
            old.delete()
    for council_id, pct in wanted.items():
        share = current.get(council_id)
        if share is None:
            BenefitShare.objects.create(benefit=benefit, council_id=council_id, pct=pct)
        elif share.pct != pct:
            share.pct = pct
            share.save(update_fields=["pct"])


def _write(benefit: Benefit, data: BenefitInput) -> None:
    for name in BENEFIT_FIELDS:
        if name in data.values:
            setattr(benefit, name, data.values[name])
    _check_values(benefit.council, benefit, data.profile)
    _check_links(benefit.council, benefit, data.projects)
    benefit.save()
    benefit.projects.set(data.projects)
    _set_profile(benefit, data.profile)
    _set_savings_start(benefit)
    _set_shares(benefit, data.shares)


@transaction.atomic
def benefit_create(*, council: Council, data: BenefitInput, actor: Actor) -> Benefit:
    benefit = Benefit(council=council)
    _write(benefit, data)
    benefit.refresh_from_db()
    record(
        council=council, actor=actor, action="benefit.create", obj=benefit, after=benefit_snapshot(benefit)
    )
    return benefit


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return [k for k in after if before.get(k) != after.get(k)]


@transaction.atomic
def benefit_update(
    *, benefit: Benefit, data: BenefitInput, actor: Actor, role: str | None, confirmed: bool = False
) -> Benefit:
    """Change a benefit. A benefit finance has validated goes back for validation: the caller must confirm
    that (NeedsRevalidation is raised, and nothing is saved, until it does)."""
    benefit = Benefit.objects.select_for_update().get(pk=benefit.pk)
    before = benefit_snapshot(benefit)
    state = benefit.state
    _write(benefit, data)
    benefit.refresh_from_db()  # compare values as stored, so 120000 and 120000.00 are the same
    after = benefit_snapshot(benefit)
    changed = changed_fields(before, after)
    if not changed:
        return benefit
    if state.is_validated and not confirmed:
        raise NeedsRevalidation([FIELD_LABELS.get(c, c.replace("_", " ")) for c in changed])
    record(
        council=benefit.council, actor=actor, action="benefit.update", obj=benefit, before=before, after=after
    )
    if state.is_validated:
        names = ", ".join(FIELD_LABELS.get(c, c.replace("_", " ")) for c in changed)
        reason = f"Changed after validation ({names}): back for finance to validate again."
        facts = Facts(actor=actor_key(actor), authorities=authorities_of(role), reason=reason)
        try:
            new_state = apply(state, Action.REVALIDATE, facts)
        except Refused as exc:
            raise BenefitError(exc.reason) from exc
        _store_state(benefit, new_state)
        status_change(benefit=benefit, action=Action.REVALIDATE, before=state, actor=actor, reason=reason)
    return benefit


def _store_state(benefit: Benefit, state: BenefitState) -> None:
    for name, value in state_fields(state).items():
        setattr(benefit, name, value)
    benefit.save()
