"""Every write to opportunities, baselines, cases, options and costs: keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max

from wholecouncil.cases import claims
from wholecouncil.cases import engine as E
from wholecouncil.cases.baselines import (
    ACTIVITY_SOURCE,
    SPEND_SOURCE,
    Baselines,
    council_baselines,
    spend_pot_code,
    staff_pot_code,
)
from wholecouncil.cases.convert import engine_opportunity, missing_baseline
from wholecouncil.cases.engine.money import fmt_pounds
from wholecouncil.cases.models import (
    BaselineFigure,
    BusinessCase,
    CaseOption,
    CostLine,
    Opportunity,
    OptionLine,
    Point,
    Release,
)
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council, Layer, Lever
from wholecouncil.council.services.errors import DomainError

HUNDRED = Decimal(100)
ZERO = Decimal(0)

OPPORTUNITY_FIELDS = (
    "code",
    "name",
    "layer",
    "lever",
    "basis",
    "spend_category",
    "baseline_amount",
    "saving",
    "low_pct",
    "high_pct",
    "low_amount",
    "high_amount",
    "staff_pct",
    "rationale",
    "source",
    "illustrative",
)
CASE_FIELDS = (
    "name",
    "first_year",
    "years",
    "discount_rate_pct",
    "optimism_bias_pct",
    "mtfp_gap",
    "turnover_fte",
    "average_cost_per_fte",
    "turnover_capture_pct",
    "redeployment_pct",
    "average_redundancy_cost",
    "redundancy_in_costs",
    "risk_distribution",
    "discount_rate_low_pct",
    "discount_rate_high_pct",
    "optimism_bias_low_pct",
    "optimism_bias_high_pct",
    "strategic_context",
    "commercial_approach",
    "management_arrangements",
)
CASE_SNAPSHOT = (*CASE_FIELDS, "illustrative_defaults")
# Assumptions with a built-in default that is illustrative, not evidence: marked so until someone sets them.
ILLUSTRATIVE_DEFAULTS = ("turnover_capture_pct", "redeployment_pct")
OPTION_FIELDS = ("name", "description", "point")
COST_FIELDS = ("name", "kind", "amounts", "low_pct", "high_pct")
BASELINE_FIELDS = ("kind", "key", "amount", "fte", "source", "illustrative")


class CaseInputError(DomainError):
    """A refused change; `field` names the form field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _money_list(values: Sequence[object] | None) -> list[str]:
    return [str(Decimal(str(v))) for v in (values or [])]


# --- baselines --------------------------------------------------------------------------------------


@transaction.atomic
def baseline_figure_set(
    *,
    council: Council,
    kind: str,
    key: str,
    amount: Decimal | None,
    actor: Actor,
    fte: Decimal | None = None,
    source: str = "",
    illustrative: bool = False,
) -> BaselineFigure | None:
    """Enter (or with amount None, remove) the baseline of one layer's staff cost or one spend category."""
    if kind not in BaselineFigure.Kind.values:
        raise CaseInputError(f"There is no kind of baseline called '{kind}'.", "kind")
    key = key.strip()
    if not key:
        raise CaseInputError("Enter the layer or spend category the baseline is for.", "key")
    if kind == BaselineFigure.Kind.STAFF and not Layer.objects.filter(council=council, code=key).exists():
        raise CaseInputError(f"There is no layer with the short code '{key}'.", "key")
    if amount is not None and amount < 0:
        raise CaseInputError("A baseline must not be negative.", "amount")
    found = BaselineFigure.objects.select_for_update().filter(council=council, kind=kind, key=key).first()
    before = snapshot(found, BASELINE_FIELDS) if found else None
    if amount is None:
        if found is not None:
            audit_record(
                council=council, actor=actor, action="case_baseline.delete", obj=found, before=before
            )
            found.delete()
        return None
    fig, _ = BaselineFigure.objects.update_or_create(
        council=council,
        kind=kind,
        key=key,
        defaults={"amount": amount, "fte": fte, "source": source, "illustrative": illustrative},
    )
    after = snapshot(fig, BASELINE_FIELDS)
    if before != after:
        _check_baseline_claims(council, kind, key)
        action = "case_baseline.update" if found else "case_baseline.create"
        audit_record(council=council, actor=actor, action=action, obj=fig, before=before, after=after)
    return fig


@dataclass(frozen=True)
class BaselineInput:
    kind: str
    key: str
    amount: Decimal | None
    fte: Decimal | None = None
    source: str = ""
    illustrative: bool = False


@transaction.atomic
def baselines_set(*, council: Council, figures: Sequence[BaselineInput], actor: Actor) -> None:
    """Enter several baselines at once: all are saved or none (an amount of None removes one)."""
    for f in figures:
        baseline_figure_set(
            council=council,
            kind=f.kind,
            key=f.key,
            amount=f.amount,
            fte=f.fte,
            source=f.source,
            illustrative=f.illustrative,
            actor=actor,
        )


# --- opportunities ----------------------------------------------------------------------------------


def _check_opportunity(opp: Opportunity) -> None:
    """The shape of one assumption, with the form field at fault."""
    percent = opp.saving == Opportunity.Saving.PERCENT
    if opp.layer is None:
        raise CaseInputError("Choose the layer of the operating model.", "layer")
    if opp.lever is None:
        raise CaseInputError("Choose the lever.", "lever")
    if opp.basis == Opportunity.Basis.SPEND and not opp.spend_category.strip():
        raise CaseInputError("Enter the spend category the saving comes from.", "spend_category")
    if opp.basis == Opportunity.Basis.ENTERED:
        if opp.baseline_amount is None:
            raise CaseInputError("Enter the baseline in pounds.", "baseline_amount")
        if opp.baseline_amount < 0:
            raise CaseInputError("The baseline must not be negative.", "baseline_amount")
    if percent:
        if opp.basis == Opportunity.Basis.NONE:
            raise CaseInputError(
                "A percentage saving needs a baseline: choose one, or enter the saving in pounds.", "saving"
            )
        for name in ("low_pct", "high_pct"):
            value = getattr(opp, name)
            if value is None:
                raise CaseInputError(f"Enter the {name.split('_')[0]} percentage.", name)
            if not ZERO <= value <= HUNDRED:
                raise CaseInputError("Enter a percentage between 0 and 100.", name)
        if opp.low_pct > opp.high_pct:  # type: ignore[operator]
            raise CaseInputError("The low percentage must not be more than the high percentage.", "low_pct")
        opp.low_amount = opp.high_amount = None
    else:
        for name in ("low_amount", "high_amount"):
            value = getattr(opp, name)
            if value is None:
                raise CaseInputError(f"Enter the {name.split('_')[0]} saving in pounds.", name)
            if value < 0:
                raise CaseInputError("A saving must not be negative.", name)
        if opp.low_amount > opp.high_amount:  # type: ignore[operator]
            raise CaseInputError("The low saving must not be more than the high saving.", "low_amount")
        opp.low_pct = opp.high_pct = None
    if opp.staff_pct is not None and not ZERO <= opp.staff_pct <= HUNDRED:
        raise CaseInputError("Enter a percentage between 0 and 100.", "staff_pct")
    if opp.basis != Opportunity.Basis.SPEND:
        opp.spend_category = ""
    if opp.basis != Opportunity.Basis.ENTERED:
        opp.baseline_amount = None


def _check_no_overlap(council: Council, changed: Opportunity, baselines: Baselines) -> None:
    """Refuse a change that makes the council's opportunities claim more than 100% of one baseline."""
    others = (
        Opportunity.objects.filter(council=council).exclude(pk=changed.pk).select_related("layer", "lever")
    )
    messages, codes = claims.overlap_messages([*others, changed], baselines)
    if messages and changed.code in codes:
        field = "high_pct" if changed.saving == Opportunity.Saving.PERCENT else "high_amount"
        raise CaseInputError(" ".join(messages), field)


def _check_baseline_claims(council: Council, kind: str, key: str) -> None:
    """Refuse a baseline figure that the opportunities drawing on it would claim more than 100% of."""
    basis = Opportunity.Basis.ACTIVITY if kind == BaselineFigure.Kind.STAFF else Opportunity.Basis.SPEND
    drawing = Opportunity.objects.filter(council=council, basis=basis).select_related("layer", "lever")
    drawing = (
        drawing.filter(layer__code=key)
        if basis == Opportunity.Basis.ACTIVITY
        else drawing.filter(spend_category=key)
    )
    if not drawing.filter(saving=Opportunity.Saving.AMOUNT).exists():
        return  # percentage claims do not depend on the figure
    pot = staff_pot_code(key) if kind == BaselineFigure.Kind.STAFF else spend_pot_code(key)
    baselines = council_baselines(council)
    used = baselines.pots.get(pot)
    if used is None or used.source in (ACTIVITY_SOURCE, SPEND_SOURCE):
        return  # an analysis's figure takes the place of the entered one
    for error in claims.overlaps(drawing, baselines):
        if error.pot == pot:
            raise CaseInputError(f"{error} Lower those claims before entering this baseline.", "amount")


def _check_code(council: Council, code: str, exclude: int | None) -> None:
    clash = Opportunity.objects.filter(council=council, code=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise CaseInputError(f"The code '{code}' is already used by another opportunity.", "code")


def _own(council: Council, layer: Layer | None, lever: Lever | None) -> None:
    if layer is not None and layer.council_id != council.pk:
        raise CaseInputError("Choose one of your council's layers.", "layer")
    if lever is not None and lever.council_id != council.pk:
        raise CaseInputError("Choose one of your council's levers.", "lever")


@transaction.atomic
def opportunity_create(
    *, council: Council, actor: Actor, baselines: Baselines | None = None, **values: Any
) -> Opportunity:
    unknown = set(values) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot set {', '.join(sorted(unknown))}.")
    opp = Opportunity(council=council, **values)
    _own(council, opp.layer, opp.lever)
    _check_code(council, opp.code, None)
    _check_opportunity(opp)
    _check_no_overlap(council, opp, baselines or council_baselines(council))
    top = Opportunity.objects.filter(council=council).aggregate(m=Max("position"))["m"]
    opp.position = 0 if top is None else top + 1
    opp.save()
    audit_record(
        council=council,
        actor=actor,
        action="opportunity.create",
        obj=opp,
        after=snapshot(opp, OPPORTUNITY_FIELDS),
    )
    return opp


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, actor: Actor, baselines: Baselines | None = None, **changes: Any
) -> Opportunity:
    unknown = set(changes) - set(OPPORTUNITY_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot change {', '.join(sorted(unknown))}.")
    # Read the stored row: a bound ModelForm may already have set the new values on the instance.
    opp = Opportunity.objects.select_for_update().select_related("council").get(pk=opportunity.pk)
    before = snapshot(opp, OPPORTUNITY_FIELDS)
    for name, value in changes.items():
        setattr(opp, name, value)
    _own(opp.council, opp.layer, opp.lever)
    _check_code(opp.council, opp.code, opp.pk)
    _check_opportunity(opp)
    _check_no_overlap(opp.council, opp, baselines or council_baselines(opp.council))
    opp.save()
    after = snapshot(opp, OPPORTUNITY_FIELDS)
    if before != after:
        audit_record(
            council=opp.council, actor=actor, action="opportunity.update", obj=opp, before=before, after=after
        )
    return opp


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, actor: Actor) -> None:
    used = sorted(
        {
            f"{line.option.case.name}: {line.option.name}"
            for line in opportunity.option_lines.select_related("option__case")
        }
    )
    if used:
        raise CaseInputError(
            f"{opportunity.code} is chosen in {'; '.join(used)}. Take it out of those options first."
        )
    audit_record(
        council=opportunity.council,
        actor=actor,
        action="opportunity.delete",
        obj=opportunity,
        before=snapshot(opportunity, OPPORTUNITY_FIELDS),
    )
    opportunity.delete()


# --- business cases ---------------------------------------------------------------------------------


def _check_case(case: BusinessCase) -> None:
    if not 1 <= case.years <= 30:
        raise CaseInputError("A case runs for 1 to 30 years.", "years")
    if not 2000 <= case.first_year <= 2100:
        raise CaseInputError("Enter the first financial year, like 2025/26.", "first_year")
    if case.discount_rate_pct <= -HUNDRED or case.discount_rate_pct > HUNDRED:
        raise CaseInputError("Enter a discount rate between -100% and 100%.", "discount_rate_pct")
    if case.optimism_bias_pct < 0:
        raise CaseInputError("Optimism bias must not be negative.", "optimism_bias_pct")
    for name in ("turnover_capture_pct", "redeployment_pct"):
        if not ZERO <= getattr(case, name) <= HUNDRED:
            raise CaseInputError("Enter a percentage between 0 and 100.", name)
    if case.average_cost_per_fte is not None and case.average_cost_per_fte <= 0:
        raise CaseInputError("The average cost per FTE must be more than 0.", "average_cost_per_fte")
    if case.average_redundancy_cost < 0:
        raise CaseInputError("The average redundancy cost must not be negative.", "average_redundancy_cost")
    for what, label in (("discount_rate", "discount rate"), ("optimism_bias", "optimism bias")):
        low, high = getattr(case, f"{what}_low_pct"), getattr(case, f"{what}_high_pct")
        if (low is None) != (high is None):
            raise CaseInputError(f"Enter both ends of the {label}'s range, or neither.", f"{what}_low_pct")
        if low is not None and (low > high or low < (0 if what == "optimism_bias" else -HUNDRED)):
            raise CaseInputError(
                f"The {label}'s range must run from its low end up to its high end.", f"{what}_low_pct"
            )
    case.mtfp_gap = _money_list(case.mtfp_gap)[: case.years]
    case.turnover_fte = _money_list(case.turnover_fte)[: case.years]
    if any(Decimal(v) < 0 for v in case.turnover_fte):
        raise CaseInputError("Turnover must not be negative.", "turnover_fte")
    if case.pk is not None:
        last = FinancialYear(case.first_year) + (case.years - 1)
        outside = [
            r.code
            for r in Release.objects.filter(case=case)
            if not case.first_year <= r.go_live_year <= last.start_year
        ]
        if outside:
            raise CaseInputError(
                f"Releases {', '.join(outside)} would go live outside the case's years; change their go-live "
                "years first.",
                "years",
            )
    if case.redundancy_in_costs and case.pk is not None:
        entered = CostLine.objects.filter(option__case=case, kind=CostLine.Kind.REDUNDANCY)
        if entered.exists():
            raise CaseInputError(
                "Redundancy costs are entered as cost lines, so they cannot also be worked out from the "
                "workforce impact; remove those cost lines first.",
                "redundancy_in_costs",
            )


@transaction.atomic
def case_create(*, council: Council, name: str, first_year: int, actor: Actor, **values: Any) -> BusinessCase:
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot set {', '.join(sorted(unknown))}.")
    case = BusinessCase(council=council, name=name, first_year=first_year, **values)
    case.illustrative_defaults = [f for f in ILLUSTRATIVE_DEFAULTS if f not in values]
    _check_case(case)
    case.save()
    audit_record(
        council=council,
        actor=actor,
        action="business_case.create",
        obj=case,
        after=snapshot(case, CASE_SNAPSHOT),
    )
    return case


@transaction.atomic
def case_update(
    *, case: BusinessCase, actor: Actor, confirm_defaults: bool = False, **changes: Any
) -> BusinessCase:
    """Change a case's assumptions. An illustrative default stops being marked so once it is changed, or
    when `confirm_defaults` says the figures shown are the council's own."""
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot change {', '.join(sorted(unknown))}.")
    case = BusinessCase.objects.select_for_update().select_related("council").get(pk=case.pk)
    before = snapshot(case, CASE_SNAPSHOT)
    stored = {name: getattr(case, name) for name in ILLUSTRATIVE_DEFAULTS}
    for name, value in changes.items():
        setattr(case, name, value)
    case.illustrative_defaults = (
        []
        if confirm_defaults
        else [f for f in case.illustrative_defaults or [] if f not in changes or changes[f] == stored.get(f)]
    )
    _check_case(case)
    case.save()
    if "years" in changes:
        _trim_years(case)
    after = snapshot(case, CASE_SNAPSHOT)
    if before != after:
        audit_record(
            council=case.council,
            actor=actor,
            action="business_case.update",
            obj=case,
            before=before,
            after=after,
        )
    return case


def _trim_years(case: BusinessCase) -> None:
    """Figures by year beyond a shortened case's last year are dropped."""
    for line in OptionLine.objects.filter(option__case=case):
        if len(line.phasing) > case.years:
            line.phasing = line.phasing[: case.years]
            line.save(update_fields=["phasing"])
    for cost in CostLine.objects.filter(option__case=case):
        if len(cost.amounts) > case.years:
            cost.amounts = cost.amounts[: case.years]
            cost.save(update_fields=["amounts"])


@transaction.atomic
def case_recommend(*, case: BusinessCase, option: CaseOption | None, reasons: str, actor: Actor) -> None:
    if option is not None and option.case_id != case.pk:
        raise CaseInputError("Choose one of this case's options.", "option")
    if option is not None and not reasons.strip():
        raise CaseInputError("Give the reasons for recommending this option.", "reasons")
    before = {
        "recommended_option": case.recommended_option,
        "recommendation_reasons": case.recommendation_reasons,
    }
    case.recommended_option = option
    case.recommendation_reasons = reasons.strip()
    case.save(update_fields=["recommended_option", "recommendation_reasons", "updated_at"])
    after = {"recommended_option": option, "recommendation_reasons": case.recommendation_reasons}
    audit_record(
        council=case.council,
        actor=actor,
        action="business_case.recommend",
        obj=case,
        before=before,
        after=after,
    )


# --- options ----------------------------------------------------------------------------------------


@transaction.atomic
def option_create(
    *, case: BusinessCase, name: str, actor: Actor, description: str = "", point: str = Point.MID
) -> CaseOption:
    if point not in Point.values:
        raise CaseInputError("Choose low, mid, high or custom.", "point")
    top = case.options.aggregate(m=Max("position"))["m"]
    option = CaseOption.objects.create(
        council=case.council,
        case=case,
        name=name,
        description=description,
        point=point,
        position=0 if top is None else top + 1,
    )
    audit_record(
        council=case.council,
        actor=actor,
        action="case_option.create",
        obj=option,
        after=snapshot(option, OPTION_FIELDS),
    )
    return option


@transaction.atomic
def option_update(*, option: CaseOption, actor: Actor, **changes: Any) -> CaseOption:
    unknown = set(changes) - set(OPTION_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot change {', '.join(sorted(unknown))}.")
    if "point" in changes and changes["point"] not in Point.values:
        raise CaseInputError("Choose low, mid, high or custom.", "point")
    option = CaseOption.objects.select_for_update().select_related("council").get(pk=option.pk)
    before = snapshot(option, OPTION_FIELDS)
    for name, value in changes.items():
        setattr(option, name, value)
    if option.point == Point.CUSTOM and before["point"] != Point.CUSTOM:
        stored = option.lines.select_related("opportunity__layer", "opportunity__lever")
        _check_custom(
            option, [LineInput(ln.opportunity, [], ln.point, ln.custom_amount) for ln in stored], None
        )
    option.save()
    after = snapshot(option, OPTION_FIELDS)
    if before != after:
        audit_record(
            council=option.council,
            actor=actor,
            action="case_option.update",
            obj=option,
            before=before,
            after=after,
        )
    return option


@transaction.atomic
def option_save(
    *, option: CaseOption, lines: Sequence[LineInput], actor: Actor, **changes: Any
) -> CaseOption:
    """Change an option and the opportunities it chooses together: both are saved or neither."""
    option_lines_set(option=option, lines=lines, actor=actor, point=changes.get("point"))
    return option_update(option=option, actor=actor, **changes)


@transaction.atomic
def option_delete(*, option: CaseOption, actor: Actor) -> None:
    audit_record(
        council=option.council,
        actor=actor,
        action="case_option.delete",
        obj=option,
        before={**snapshot(option, OPTION_FIELDS), "lines": _lines_snapshot(option)},
    )
    option.delete()


@dataclass(frozen=True)
class LineInput:
    """One opportunity chosen in an option: phasing as fractions (0-1) by year, or shares (percent) of its
    full-year saving by release totalling 100, and its own point."""

    opportunity: Opportunity
    phasing: Sequence[Decimal]
    point: str = ""
    custom_amount: Decimal | None = None
    release_shares: Mapping[Release, Decimal] = field(default_factory=dict)


def _lines_snapshot(option: CaseOption) -> dict[str, Any]:
    return {
        line.opportunity.code: {
            "phasing": list(line.phasing),
            "release_shares": dict(line.release_shares),
            "point": line.point,
            "custom_amount": None if line.custom_amount is None else str(line.custom_amount),
        }
        for line in option.lines.select_related("opportunity")
    }


def _check_line(case: BusinessCase, option: CaseOption, line: LineInput) -> None:
    code = line.opportunity.code
    if line.opportunity.council_id != option.council_id:
        raise CaseInputError(f"{code} is not one of this council's opportunities.")
    if len(line.phasing) > case.years:
        raise CaseInputError(f"{code}: phasing has more years than the case.")
    if any(f < 0 or f > 1 for f in line.phasing):
        raise CaseInputError(f"{code}: each year's phasing must be between 0% and 100%.")
    if sum(line.phasing, ZERO) > 1:
        raise CaseInputError(f"{code}: the phasing adds up to more than 100% of the full-year saving.")
    if line.release_shares:
        if any(line.phasing):
            raise CaseInputError(f"{code}: phase it by year or by release, not both.")
        if any(r.case_id != case.pk for r in line.release_shares):
            raise CaseInputError(f"{code}: choose releases of this case.")
        if any(not ZERO <= v <= HUNDRED for v in line.release_shares.values()):
            raise CaseInputError(f"{code}: each release's share must be between 0% and 100%.")
        summed = sum(line.release_shares.values(), ZERO)
        if summed != HUNDRED:
            raise CaseInputError(
                f"{code}: the release shares add up to {summed.normalize():f}%; they must total 100%."
            )
    if line.point and line.point not in Point.values:
        raise CaseInputError(f"{code}: choose low, mid, high or custom.")


def _check_custom(
    option: CaseOption, lines: Sequence[LineInput], baselines: Baselines | None, point: str | None = None
) -> None:
    """A custom point needs an amount within the opportunity's low-high range. `point` is the option's
    point when it is about to change."""
    default = point or option.point
    custom = [ln for ln in lines if ln.point == Point.CUSTOM or (not ln.point and default == Point.CUSTOM)]
    if not custom:
        return
    found = baselines or council_baselines(option.council)
    for line in custom:
        code = line.opportunity.code
        if line.custom_amount is None:
            raise CaseInputError(f"{code}: a custom point needs an amount.")
        problem = missing_baseline(line.opportunity, found)
        if problem:
            raise CaseInputError(
                f"{code}: a custom amount cannot be checked against its range yet. {problem}"
            )
        rng = E.size_opportunity(engine_opportunity(line.opportunity, found), found.engine_pot_map())
        if not rng.low <= line.custom_amount <= rng.high:
            raise CaseInputError(
                f"{code}: the custom amount {fmt_pounds(line.custom_amount)} is outside its range "
                f"{fmt_pounds(rng.low)} to {fmt_pounds(rng.high)}."
            )


@transaction.atomic
def option_lines_set(
    *,
    option: CaseOption,
    lines: Sequence[LineInput],
    actor: Actor,
    baselines: Baselines | None = None,
    point: str | None = None,
) -> None:
    """Replace the opportunities an option chooses and their phasing (by year or by release). `point` is
    the option's point when it is changing at the same time (see option_save)."""
    case = option.case
    seen: set[int] = set()
    for line in lines:
        if line.opportunity.pk in seen:
            raise CaseInputError(f"{line.opportunity.code} is chosen twice.")
        seen.add(line.opportunity.pk)
        _check_line(case, option, line)
    _check_custom(option, lines, baselines, point)
    before = _lines_snapshot(option)
    option.lines.all().delete()
    OptionLine.objects.bulk_create(
        OptionLine(
            council=option.council,
            option=option,
            opportunity=line.opportunity,
            phasing=[] if line.release_shares else [str(f) for f in line.phasing],
            release_shares={str(r.pk): str(v) for r, v in line.release_shares.items()},
            point=line.point,
            custom_amount=line.custom_amount,
        )
        for line in lines
    )
    after = _lines_snapshot(option)
    if before != after:
        audit_record(
            council=option.council,
            actor=actor,
            action="case_option.choose",
            obj=option,
            before=before,
            after=after,
        )


# --- costs ------------------------------------------------------------------------------------------


def _check_cost(case: BusinessCase, cost: CostLine) -> None:
    if not cost.name.strip():
        raise CaseInputError("Enter the cost's name.", "name")
    if cost.kind not in CostLine.Kind.values:
        raise CaseInputError("Choose the type of cost.", "kind")
    if cost.kind == CostLine.Kind.REDUNDANCY and case.redundancy_in_costs:
        raise CaseInputError(
            "This case works out redundancy costs from its workforce impact, so they are not entered as "
            "well. Change that in the case's assumptions to enter them by hand.",
            "kind",
        )
    cost.amounts = _money_list(cost.amounts)
    if len(cost.amounts) > case.years:
        raise CaseInputError("There are more years of figures than the case has.", "amounts")
    if any(Decimal(a) < 0 for a in cost.amounts):
        raise CaseInputError("Costs must not be negative.", "amounts")
    if not ZERO <= cost.low_pct <= HUNDRED:
        raise CaseInputError("The low end of the range is between 0% and 100%.", "low_pct")
    if cost.high_pct < HUNDRED:
        raise CaseInputError("The high end of the range is 100% or more.", "high_pct")


@transaction.atomic
def cost_create(*, option: CaseOption, actor: Actor, **values: Any) -> CostLine:
    unknown = set(values) - set(COST_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot set {', '.join(sorted(unknown))}.")
    cost = CostLine(council=option.council, option=option, **values)
    _check_cost(BusinessCase.objects.get(pk=option.case_id), cost)
    top = option.costs.aggregate(m=Max("position"))["m"]
    cost.position = 0 if top is None else top + 1
    cost.save()
    audit_record(
        council=option.council,
        actor=actor,
        action="case_cost.create",
        obj=cost,
        after=snapshot(cost, COST_FIELDS),
    )
    return cost


@transaction.atomic
def cost_update(*, cost: CostLine, actor: Actor, **changes: Mapping[str, Any] | Any) -> CostLine:
    unknown = set(changes) - set(COST_FIELDS)
    if unknown:
        raise CaseInputError(f"Cannot change {', '.join(sorted(unknown))}.")
    cost = CostLine.objects.select_for_update().select_related("option__case").get(pk=cost.pk)
    before = snapshot(cost, COST_FIELDS)
    for name, value in changes.items():
        setattr(cost, name, value)
    _check_cost(cost.option.case, cost)
    cost.save()
    after = snapshot(cost, COST_FIELDS)
    if before != after:
        audit_record(
            council=cost.council, actor=actor, action="case_cost.update", obj=cost, before=before, after=after
        )
    return cost


@transaction.atomic
def cost_delete(*, cost: CostLine, actor: Actor) -> None:
    audit_record(
        council=cost.council,
        actor=actor,
        action="case_cost.delete",
        obj=cost,
        before=snapshot(cost, COST_FIELDS),
    )
    cost.delete()
