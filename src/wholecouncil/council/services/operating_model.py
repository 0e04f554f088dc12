"""Editing the operating model: layer templates, layers, levers and design principles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max

from wholecouncil.council import defaults
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.models import Council, DesignPrinciple, Layer, Lever, OperatingModel
from wholecouncil.council.services.errors import DomainError

LAYER_FIELDS = ("code", "name", "description", "position")
LEVER_FIELDS = ("code", "name", "description", "position")
PRINCIPLE_FIELDS = ("code", "title", "summary", "we_will", "we_wont", "position")


def _next_position(model: type[Layer] | type[Lever] | type[DesignPrinciple], council: Council) -> int:
    top = model.objects.filter(council=council).aggregate(m=Max("position"))["m"]
    return 0 if top is None else top + 1


@transaction.atomic
def operating_model_apply_template(*, council: Council, template: str, actor: Actor) -> OperatingModel:
    """Replace the council's layers with a template's. Layers with the same code keep their identity."""
    if template not in defaults.LAYER_TEMPLATES:
        raise DomainError(f"There is no layer template called '{template}'.")
    model = OperatingModel.objects.select_for_update().get(council=council)
    wanted = defaults.LAYER_TEMPLATES[template]
    before = {"template": model.template, "layers": [layer.name for layer in council.layers.all()]}
    wanted_codes = {d.code for d in wanted}
    council.layers.exclude(code__in=wanted_codes).delete()
    for i, d in enumerate(wanted):
        Layer.objects.update_or_create(
            council=council,
            code=d.code,
            defaults={"name": d.name, "description": d.description, "position": i},
        )
    model.template = template
    model.save(update_fields=["template", "updated_at"])
    after = {"template": template, "layers": [d.name for d in wanted]}
    audit_record(
        council=council,
        actor=actor,
        action="operating_model.apply_template",
        obj=model,
        before=before,
        after=after,
    )
    return model


def _mark_custom(council: Council) -> None:
    OperatingModel.objects.filter(council=council).update(template=OperatingModel.Template.CUSTOM)


def _unique_code(
    model: type[Layer] | type[Lever] | type[DesignPrinciple],
    council: Council,
    code: str,
    exclude_pk: int | None = None,
) -> None:
    clash = model.objects.filter(council=council, code=code)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise DomainError(f"The short code '{code}' is already used; choose another.")


Item = Layer | Lever | DesignPrinciple
_FIELDS: dict[type, tuple[str, ...]] = {
    Layer: LAYER_FIELDS,
    Lever: LEVER_FIELDS,
    DesignPrinciple: PRINCIPLE_FIELDS,
}
_KIND_NAMES: dict[type, str] = {Layer: "layer", Lever: "lever", DesignPrinciple: "principle"}


def _create(model: type[Item], council: Council, actor: Actor, **values: str) -> Any:
    _unique_code(model, council, values["code"])
    item = model.objects.create(council=council, position=_next_position(model, council), **values)
    audit_record(
        council=council,
        actor=actor,
        action=f"{_KIND_NAMES[model]}.create",
        obj=item,
        after=snapshot(item, _FIELDS[model]),
    )
    return item


def _delete(item: Item, actor: Actor) -> None:
    audit_record(
        council=item.council,
        actor=actor,
        action=f"{_KIND_NAMES[type(item)]}.delete",
        obj=item,
        before=snapshot(item, _FIELDS[type(item)]),
    )
    item.delete()


@transaction.atomic
def layer_create(*, council: Council, code: str, name: str, description: str = "", actor: Actor) -> Layer:
    layer: Layer = _create(Layer, council, actor, code=code, name=name, description=description)
    _mark_custom(council)
    return layer


@transaction.atomic
def layer_update(*, layer: Layer, actor: Actor, **changes: Any) -> Layer:
    return _update(layer, LAYER_FIELDS, "layer.update", actor, changes, mark_custom=True)


@transaction.atomic
def layer_delete(*, layer: Layer, actor: Actor) -> None:
    council = layer.council
    if council.layers.count() <= 1:
        raise DomainError("An operating model needs at least one layer.")
    _delete(layer, actor)
    _mark_custom(council)


@transaction.atomic
def lever_create(*, council: Council, code: str, name: str, description: str = "", actor: Actor) -> Lever:
    lever: Lever = _create(Lever, council, actor, code=code, name=name, description=description)
    return lever


@transaction.atomic
def lever_update(*, lever: Lever, actor: Actor, **changes: Any) -> Lever:
    return _update(lever, LEVER_FIELDS, "lever.update", actor, changes)


@transaction.atomic
def lever_delete(*, lever: Lever, actor: Actor) -> None:
    _delete(lever, actor)


@transaction.atomic
def principle_create(
    *,
    council: Council,
    code: str,
    title: str,
    summary: str,
    we_will: str = "",
    we_wont: str = "",
    actor: Actor,
) -> DesignPrinciple:
    principle: DesignPrinciple = _create(
        DesignPrinciple,
        council,
        actor,
        code=code,
        title=title,
        summary=summary,
        we_will=we_will,
        we_wont=we_wont,
    )
    return principle


@transaction.atomic
def principle_update(*, principle: DesignPrinciple, actor: Actor, **changes: Any) -> DesignPrinciple:
    return _update(principle, PRINCIPLE_FIELDS, "principle.update", actor, changes)


@transaction.atomic
def principle_delete(*, principle: DesignPrinciple, actor: Actor) -> None:
    _delete(principle, actor)


@transaction.atomic
def item_move(*, item: Item, direction: int, actor: Actor) -> None:
    """Move a layer, lever or principle one place up (-1) or down (+1)."""
    siblings = list(type(item).objects.filter(council=item.council).order_by("position", "id"))
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index + direction
    if not 0 <= target < len(siblings):
        return
    before = [str(s) for s in siblings]
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for pos, s in enumerate(siblings):
        if s.position != pos:
            type(item).objects.filter(pk=s.pk).update(position=pos)
    if isinstance(item, Layer):
        _mark_custom(item.council)
    audit_record(
        council=item.council,
        actor=actor,
        action=f"{_KIND_NAMES[type(item)]}.reorder",
        obj=item,
        before={"order": before},
        after={"order": [str(s) for s in siblings]},
    )


def _update(
    obj: Any,
    fields: tuple[str, ...],
    action: str,
    actor: Actor,
    changes: Mapping[str, Any],
    mark_custom: bool = False,
) -> Any:
    unknown = set(changes) - set(fields)
    if unknown:
        raise DomainError(f"Cannot change {', '.join(sorted(unknown))}.")
    if "code" in changes:
        _unique_code(type(obj), obj.council, changes["code"], exclude_pk=obj.pk)
    # Read the stored row: a bound ModelForm may already have set the new values on the instance.
    obj = type(obj).objects.select_for_update().select_related("council").get(pk=obj.pk)
    before = snapshot(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.full_clean(exclude=["council"])
    obj.save()
    after = snapshot(obj, fields)
    if before != after:
        if mark_custom:
            _mark_custom(obj.council)
        audit_record(council=obj.council, actor=actor, action=action, obj=obj, before=before, after=after)
    return obj
