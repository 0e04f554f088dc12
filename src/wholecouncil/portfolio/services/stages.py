"""A council's stages and their gates: the default five, renaming, adding, removing and reordering stages,
the gate that needs the design-principles assessment, and each gate's criteria. Every change is audited.

Projects move with their stage: when stages are reordered, added or removed, a project's stage number (and
a waiting submission's gate number) follows the stage it is in. A stage cannot be removed while any project
is at it. Past decisions keep the gate numbers they had when they were made.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Case, F, IntegerField, Max, Value, When

from wholecouncil.council.audit import Actor, snapshot
from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine.errors import PortfolioError
from wholecouncil.portfolio.engine.stages import (
    DEFAULT_STAGES,
    DESIGN_PRINCIPLES_GATE,
    StageDef,
    check_stages,
)
from wholecouncil.portfolio.models import GateCriterion, GateSubmission, Project, Stage
from wholecouncil.portfolio.services.common import PortfolioDomainError, record

# Stage numbers are moved out of the way by this much while they are renumbered (they are unique).
_SHIFT = 1000


@transaction.atomic
def stages_ensure(*, council: Council) -> list[Stage]:
    """The council's stages, creating the default five (with their gate criteria) the first time."""
    stages = list(Stage.objects.filter(council=council))
    if stages:
        return stages
    for d in DEFAULT_STAGES:
        stage = Stage.objects.create(
            council=council,
            number=d.number,
            name=d.name,
            purpose=d.purpose,
            needs_assessment=d.number == DESIGN_PRINCIPLES_GATE,
        )
        GateCriterion.objects.bulk_create(
            GateCriterion(
                council=council,
                stage=stage,
                text=text.replace(" (artefact)", ""),
                is_artefact="(artefact)" in text,
                position=i,
            )
            for i, text in enumerate(d.criteria)
        )
        stages.append(stage)
    return stages


def stage_config(council: Council) -> tuple[int, int]:
    """(How many stages the council has, the gate that needs the design-principles assessment), in one query.
    Before the council's stages exist these are the defaults."""
    rows = list(Stage.objects.filter(council=council).values_list("number", "needs_assessment"))
    if not rows:
        return len(DEFAULT_STAGES), DESIGN_PRINCIPLES_GATE
    return len(rows), next((n for n, needs in rows if needs), DESIGN_PRINCIPLES_GATE)


def stage_count(council: Council) -> int:
    return stage_config(council)[0]


def design_gate(council: Council) -> int:
    return stage_config(council)[1]


def _check(order: Sequence[Stage]) -> None:
    try:
        check_stages([StageDef(i, s.name, s.purpose) for i, s in enumerate(order, start=1)])
    except PortfolioError as exc:
        raise PortfolioDomainError(str(exc)) from exc


def _renumber(council: Council, order: Sequence[Stage]) -> dict[int, int]:
    """Number the stages in `order` 1..N; projects and waiting submissions move with their stage.
    Returns the old number -> new number of every stage that moved."""
    _check(order)
    moved = {s.number: i for i, s in enumerate(order, start=1) if s.pk and s.number != i}
    Stage.objects.filter(council=council).update(number=F("number") + _SHIFT)
    for i, stage in enumerate(order, start=1):
        stage.number = i
        stage.save()
    if moved:
        whens = [When(stage=old, then=Value(new)) for old, new in moved.items()]
        Project.objects.filter(council=council, stage__in=moved).update(
            stage=Case(*whens, output_field=IntegerField())
        )
        gates = [When(gate=old, then=Value(new)) for old, new in moved.items()]
        GateSubmission.objects.filter(
            council=council, status=GateSubmission.Status.PENDING, gate__in=moved
        ).update(gate=Case(*gates, output_field=IntegerField()))
    return moved


def _names(order: Sequence[Stage]) -> list[str]:
    return [f"{i} {s.name}" for i, s in enumerate(order, start=1)]


def _locked_stages(council: Council) -> list[Stage]:
    stages_ensure(council=council)
    return list(Stage.objects.select_for_update().filter(council=council).order_by("number"))


@transaction.atomic
def stage_rename(*, stage: Stage, name: str, purpose: str, actor: Actor) -> Stage:
    name = " ".join(name.split())
    if not name or len(name) > 60:
        raise PortfolioDomainError("A stage name needs 1 to 60 characters.")
    if Stage.objects.filter(council=stage.council, name__iexact=name).exclude(pk=stage.pk).exists():
        raise PortfolioDomainError(f"Another stage is already called {name!r}.")
    before = snapshot(stage, ("name", "purpose"))
    stage.name, stage.purpose = name, " ".join(purpose.split())[:200]
    stage.save(update_fields=["name", "purpose"])
    record(
        council=stage.council,
        actor=actor,
        action="stage.rename",
        obj=stage,
        before=before,
        after=snapshot(stage, ("name", "purpose")),
    )
    return stage


@transaction.atomic
def stage_add(*, council: Council, name: str, purpose: str, position: int, actor: Actor) -> Stage:
    """A new stage at `position` (1 = first); the stages from there on, and their projects, move down one."""
    order = _locked_stages(council)
    if not 1 <= position <= len(order) + 1:
        raise PortfolioDomainError(f"Choose a position from 1 to {len(order) + 1}.")
    before = _names(order)
    stage = Stage(council=council, name=" ".join(name.split()), purpose=" ".join(purpose.split())[:200])
    order.insert(position - 1, stage)
    moved = _renumber(council, order)
    after = {"stages": _names(order), "projects_moved": _moved_count(council, moved)}
    record(
        council=council, actor=actor, action="stage.add", obj=stage, before={"stages": before}, after=after
    )
    return stage


def _moved_count(council: Council, moved: dict[int, int]) -> int:
    """Projects now at a stage whose number changed (they moved with it)."""
    return Project.objects.filter(council=council, stage__in=moved.values()).count() if moved else 0


@transaction.atomic
def stage_remove(*, stage: Stage, actor: Actor) -> None:
    """Remove a stage and its gate criteria. Refused while any project is at it, or while it is the
    design-principles gate."""
    council = stage.council
    order = _locked_stages(council)
    stage = next(s for s in order if s.pk == stage.pk)
    at_it = list(Project.objects.filter(council=council, stage=stage.number).values_list("code", flat=True))
    if at_it:
        shown = ", ".join(at_it[:10]) + (f" and {len(at_it) - 10} more" if len(at_it) > 10 else "")
        raise PortfolioDomainError(
            f"Stage {stage.number} {stage.name} cannot be removed: {len(at_it)} project"
            f"{'s are' if len(at_it) != 1 else ' is'} at it ({shown}). Projects keep their stage, even once "
            "stopped or closed, so a stage in use can be renamed but not removed."
        )
    if stage.needs_assessment:
        raise PortfolioDomainError(
            f"Gate {stage.number} is the design-principles gate: choose another gate for the assessment "
            "before removing this stage."
        )
    before = _names(order)
    order.remove(stage)
    _check(order)
    later = Project.objects.filter(council=council, stage__gt=stage.number).count()
    after = {"stages": _names(order), "projects_moved": later}
    record(
        council=council, actor=actor, action="stage.remove", obj=stage, before={"stages": before}, after=after
    )
    stage.delete()
    _renumber(council, order)


@transaction.atomic
def stage_move(*, stage: Stage, up: bool, actor: Actor) -> Stage:
    """Swap a stage with the one before (up) or after it; the projects in both move with their stage."""
    council = stage.council
    order = _locked_stages(council)
    i = next(k for k, s in enumerate(order) if s.pk == stage.pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(order):
        raise PortfolioDomainError(
            f"Stage {order[i].number} {order[i].name} is already {'first' if up else 'last'}, "
            "so it cannot move further."
        )
    before = _names(order)
    order[i], order[j] = order[j], order[i]
    moved = _renumber(council, order)
    after = {"stages": _names(order), "projects_moved": _moved_count(council, moved)}
    record(
        council=council,
        actor=actor,
        action="stage.move",
        obj=order[j],
        before={"stages": before},
        after=after,
    )
    return order[j]


@transaction.atomic
def design_gate_set(*, council: Council, number: int, actor: Actor) -> Stage:
    """Choose the gate that cannot be passed without a design-principles assessment."""
    order = _locked_stages(council)
    chosen = next((s for s in order if s.number == number), None)
    if chosen is None:
        raise PortfolioDomainError(f"Choose one of the council's {len(order)} gates.")
    before = design_gate(council)
    Stage.objects.filter(council=council).exclude(pk=chosen.pk).update(needs_assessment=False)
    chosen.needs_assessment = True
    chosen.save(update_fields=["needs_assessment"])
    record(
        council=council,
        actor=actor,
        action="stage.design_gate",
        obj=chosen,
        before={"design_gate": before},
        after={"design_gate": chosen.number},
    )
    return chosen


@transaction.atomic
def criterion_add(
    *, stage: Stage, text: str, required: bool, is_artefact: bool, actor: Actor
) -> GateCriterion:
    text = " ".join(text.split())
    if not text:
        raise PortfolioDomainError("Enter the criterion.")
    top = stage.criteria.aggregate(m=Max("position"))["m"]
    criterion = GateCriterion.objects.create(
        council=stage.council,
        stage=stage,
        text=text[:300],
        required=required,
        is_artefact=is_artefact,
        position=0 if top is None else top + 1,
    )
    after = {"stage": stage.number, "text": criterion.text, "required": required, "artefact": is_artefact}
    record(council=stage.council, actor=actor, action="criterion.add", obj=criterion, after=after)
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: GateCriterion, actor: Actor) -> None:
    before = {"stage": criterion.stage.number, "text": criterion.text, "required": criterion.required}
    record(council=criterion.council, actor=actor, action="criterion.remove", obj=criterion, before=before)
    criterion.delete()
