"""Every write to the council spine goes through here: keyword-only, typed, atomic and audited."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max

from wholecouncil.accounts.roles import Role
from wholecouncil.council import defaults
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.engine import SharesError, validate_shares
from wholecouncil.council.models import (
    Council,
    DesignPrinciple,
    Layer,
    Lever,
    Membership,
    OperatingModel,
    OrgUnit,
    OrgUnitShare,
    Partnership,
    Service,
)


class DomainError(Exception):
    """A request the domain refuses, with a message fit to show the user."""


LAYER_FIELDS = ("code", "name", "description", "position")
LEVER_FIELDS = ("code", "name", "description", "position")
PRINCIPLE_FIELDS = ("code", "title", "summary", "we_will", "we_wont", "position")


# --- councils and members -------------------------------------------------------------------------


@transaction.atomic
def council_create(*, slug: str, name: str, is_demo: bool = False, actor: Actor = None) -> Council:
    if Council.objects.filter(slug=slug).exists():
        raise DomainError(f"A council with the short name '{slug}' already exists.")
    council = Council.objects.create(slug=slug, name=name, is_demo=is_demo)
    OperatingModel.objects.create(council=council, template=OperatingModel.Template.SEVEN_LAYER)
    for i, layer in enumerate(defaults.SEVEN_LAYER):
        Layer.objects.create(
            council=council, code=layer.code, name=layer.name, description=layer.description, position=i
        )
    for i, lever in enumerate(defaults.LEVERS):
        Lever.objects.create(
            council=council, code=lever.code, name=lever.name, description=lever.description, position=i
        )
    for i, p in enumerate(defaults.PRINCIPLES):
        DesignPrinciple.objects.create(
            council=council,
            code=p.code,
            title=p.title,
            summary=p.summary,
            we_will="\n".join(p.we_will),
            we_wont="\n".join(p.we_wont),
            position=i,
        )
    audit_record(
        council=council, actor=actor, action="council.create", obj=council, after={"slug": slug, "name": name}
    )
    return council


@transaction.atomic
def membership_set(
    *,
    council: Council,
    username: str,
    role: str,
    actor: Actor = None,
    email: str = "",
    password: str | None = None,
) -> Membership:
    """Give a user (created if new) a role in a council."""
    if role not in Role.values:
        raise DomainError(f"'{role}' is not a role. Choose one of: {', '.join(Role.values)}.")
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username, defaults={"email": email})
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    existing = Membership.objects.filter(council=council, user=user).first()
    before = {"role": existing.role} if existing else None
    membership, _ = Membership.objects.update_or_create(council=council, user=user, defaults={"role": role})
    audit_record(
        council=council,
        actor=actor,
        action="membership.set",
        obj=membership,
        object_repr=username,
        before=before,
        after={"role": role},
    )
    return membership


# --- operating model ------------------------------------------------------------------------------


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


@transaction.atomic
def layer_create(*, council: Council, code: str, name: str, description: str = "", actor: Actor) -> Layer:
    _unique_code(Layer, council, code)
    layer = Layer.objects.create(
        council=council,
        code=code,
        name=name,
        description=description,
        position=_next_position(Layer, council),
    )
    _mark_custom(council)
    audit_record(
        council=council, actor=actor, action="layer.create", obj=layer, after=snapshot(layer, LAYER_FIELDS)
    )
    return layer


@transaction.atomic
def layer_update(*, layer: Layer, actor: Actor, **changes: Any) -> Layer:
    return _update(layer, LAYER_FIELDS, "layer.update", actor, changes, mark_custom=True)


@transaction.atomic
def layer_delete(*, layer: Layer, actor: Actor) -> None:
    council = layer.council
    if council.layers.count() <= 1:
        raise DomainError("An operating model needs at least one layer.")
    before = snapshot(layer, LAYER_FIELDS)
    audit_record(council=council, actor=actor, action="layer.delete", obj=layer, before=before)
    layer.delete()
    _mark_custom(council)


@transaction.atomic
def lever_create(*, council: Council, code: str, name: str, description: str = "", actor: Actor) -> Lever:
    _unique_code(Lever, council, code)
    lever = Lever.objects.create(
        council=council,
        code=code,
        name=name,
        description=description,
        position=_next_position(Lever, council),
    )
    audit_record(
        council=council, actor=actor, action="lever.create", obj=lever, after=snapshot(lever, LEVER_FIELDS)
    )
    return lever


@transaction.atomic
def lever_update(*, lever: Lever, actor: Actor, **changes: Any) -> Lever:
    return _update(lever, LEVER_FIELDS, "lever.update", actor, changes)


@transaction.atomic
def lever_delete(*, lever: Lever, actor: Actor) -> None:
    audit_record(
        council=lever.council,
        actor=actor,
        action="lever.delete",
        obj=lever,
        before=snapshot(lever, LEVER_FIELDS),
    )
    lever.delete()


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
    _unique_code(DesignPrinciple, council, code)
    principle = DesignPrinciple.objects.create(
        council=council,
        code=code,
        title=title,
        summary=summary,
        we_will=we_will,
        we_wont=we_wont,
        position=_next_position(DesignPrinciple, council),
    )
    audit_record(
        council=council,
        actor=actor,
        action="principle.create",
        obj=principle,
        after=snapshot(principle, PRINCIPLE_FIELDS),
    )
    return principle


@transaction.atomic
def principle_update(*, principle: DesignPrinciple, actor: Actor, **changes: Any) -> DesignPrinciple:
    return _update(principle, PRINCIPLE_FIELDS, "principle.update", actor, changes)


@transaction.atomic
def principle_delete(*, principle: DesignPrinciple, actor: Actor) -> None:
    audit_record(
        council=principle.council,
        actor=actor,
        action="principle.delete",
        obj=principle,
        before=snapshot(principle, PRINCIPLE_FIELDS),
    )
    principle.delete()


_KIND_NAMES: dict[type, str] = {Layer: "layer", Lever: "lever", DesignPrinciple: "principle"}


@transaction.atomic
def item_move(*, item: Layer | Lever | DesignPrinciple, direction: int, actor: Actor) -> None:
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


# --- organisation and partnerships ------------------------------------------------------------------


@transaction.atomic
def partnership_create(
    *, name: str, councils: list[Council], description: str = "", actor: Actor
) -> Partnership:
    if len({c.pk for c in councils}) < 2:
        raise DomainError("A partnership needs at least two different councils.")
    partnership = Partnership.objects.create(name=name, description=description)
    partnership.councils.set(councils)
    for council in councils:
        audit_record(
            council=council,
            actor=actor,
            action="partnership.create",
            obj=partnership,
            after={"name": name, "councils": sorted(c.name for c in councils)},
        )
    return partnership


@transaction.atomic
def org_unit_create(
    *, council: Council, name: str, kind: str, parent: OrgUnit | None = None, code: str = "", actor: Actor
) -> OrgUnit:
    if parent is not None and parent.council_id != council.pk:
        raise DomainError("A unit's parent must belong to the same council.")
    if OrgUnit.objects.filter(council=council, parent=parent, name=name).exists():
        raise DomainError(f"There is already a unit called '{name}' there.")
    unit = OrgUnit.objects.create(council=council, name=name, kind=kind, parent=parent, code=code)
    audit_record(
        council=council,
        actor=actor,
        action="org_unit.create",
        obj=unit,
        after={"name": name, "kind": kind, "parent": str(parent) if parent else None},
    )
    return unit


@transaction.atomic
def org_unit_share(
    *, unit: OrgUnit, partnership: Partnership, shares: Mapping[Council, Decimal], actor: Actor
) -> OrgUnit:
    """Make `unit` a shared unit of `partnership`, with each council's percentage share of its cost."""
    members = set(partnership.councils.values_list("pk", flat=True))
    if unit.council_id not in members:
        raise DomainError(f"{unit.council} is not in the partnership {partnership}.")
    for council in shares:
        if council.pk not in members:
            raise DomainError(f"{council} is not in the partnership {partnership}.")
    try:
        validate_shares({c.name: Decimal(p) for c, p in shares.items()})
    except SharesError as exc:
        raise DomainError(str(exc)) from exc
    before = {s.council.name: str(s.percent) for s in unit.shares.select_related("council")}
    unit.shares.all().delete()
    OrgUnitShare.objects.bulk_create(
        [OrgUnitShare(org_unit=unit, council=c, percent=Decimal(p)) for c, p in shares.items()]
    )
    unit.partnership = partnership
    unit.save(update_fields=["partnership"])
    after = {c.name: str(Decimal(p)) for c, p in shares.items()}
    for council in {unit.council, *shares}:
        audit_record(
            council=council,
            actor=actor,
            action="org_unit.share",
            obj=unit,
            before=before or None,
            after=after,
        )
    return unit


# --- service catalogue ------------------------------------------------------------------------------


class CatalogueError(DomainError):
    pass


def read_lgsl(path: Path) -> list[tuple[int, str, str]]:
    """Read the Local Government Service List CSV: (identifier, label, description) for each service."""
    rows: list[tuple[int, str, str]] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            for field in ("Identifier", "Label"):
                if field not in (reader.fieldnames or []):
                    raise CatalogueError(f"{path.name}: no '{field}' column in the header row.")
            for line, row in enumerate(reader, start=2):
                ident = (row.get("Identifier") or "").strip()
                label = (row.get("Label") or "").strip()
                if not ident.isdigit():
                    raise CatalogueError(
                        f"{path.name}, row {line}, column Identifier: '{ident}' is not a number."
                    )
                if not label:
                    raise CatalogueError(f"{path.name}, row {line}, column Label: the service has no name.")
                rows.append((int(ident), label, (row.get("Description") or "").strip()))
    except FileNotFoundError as exc:
        raise CatalogueError(f"{path}: file not found.") from exc
    return rows


@transaction.atomic
def services_import(*, council: Council, entries: list[tuple[int, str, str]], actor: Actor) -> int:
    """Add catalogue entries the council lacks (matched by LGSL code); return how many were added."""
    have = set(
        Service.objects.filter(council=council, lgsl_id__isnull=False).values_list("lgsl_id", flat=True)
    )
    new = [Service(council=council, lgsl_id=i, name=n, description=d) for i, n, d in entries if i not in have]
    Service.objects.bulk_create(new, batch_size=500)
    if new:
        audit_record(
            council=council,
            actor=actor,
            action="services.import",
            object_type="service catalogue",
            object_repr=f"{len(new)} services",
            after={"added": len(new)},
        )
    return len(new)


@transaction.atomic
def services_assign(*, council: Council, assignments: Mapping[int, OrgUnit | None], actor: Actor) -> int:
    """Say which unit provides each catalogue service, by LGSL code. Returns how many services changed."""
    for target in {u for u in assignments.values() if u is not None}:
        if target.council_id != council.pk:
            raise DomainError(f"{target} does not belong to {council}.")
    services = {s.lgsl_id: s for s in Service.objects.filter(council=council, lgsl_id__in=list(assignments))}
    unknown = sorted(set(assignments) - set(services))
    if unknown:
        raise DomainError(f"No service with LGSL code {', '.join(map(str, unknown))} in the catalogue.")
    changed = []
    for lgsl_id, unit in assignments.items():
        service = services[lgsl_id]
        if service.org_unit_id != (unit.pk if unit else None):
            service.org_unit = unit
            changed.append(service)
    Service.objects.bulk_update(changed, ["org_unit"], batch_size=500)
    if changed:
        audit_record(
            council=council,
            actor=actor,
            action="services.assign",
            object_type="service catalogue",
            object_repr=f"{len(changed)} services assigned to units",
            after={s.name: (str(s.org_unit) if s.org_unit else None) for s in changed[:200]},
        )
    return len(changed)
