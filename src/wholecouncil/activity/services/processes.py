"""The council's own process list: seeded from the default taxonomy, then edited by the council."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from wholecouncil.activity.models import Process
from wholecouncil.activity.taxonomy import ANYWHERE, DEFAULT_PROCESSES, FUNCTIONS_BY_CODE, SERVICE_DELIVERY
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.models import Council, Layer
from wholecouncil.council.services import DomainError

AUDITED = ("code", "name", "description", "layer", "home_function", "position")

HOME_FUNCTIONS: list[tuple[str, str]] = [
    (ANYWHERE, "Anywhere: belongs in every team"),
    (SERVICE_DELIVERY, "Front-line services"),
    *((f.code, f.name) for f in FUNCTIONS_BY_CODE.values()),
]


def ensure_processes(council: Council) -> list[Process]:
    """The council's processes, creating the default list the first time (mapped to layers by code)."""
    existing = list(Process.objects.filter(council=council).select_related("layer"))
    if existing:
        return existing
    with transaction.atomic():
        if Process.objects.select_for_update().filter(council=council).exists():
            return list(Process.objects.filter(council=council).select_related("layer"))
        layers = {layer.code: layer for layer in Layer.objects.filter(council=council)}
        Process.objects.bulk_create(
            [
                Process(
                    council=council,
                    code=p.code,
                    name=p.name,
                    description=p.description,
                    layer=layers.get(p.layer),
                    home_function=p.home_function,
                    position=i,
                )
                for i, p in enumerate(DEFAULT_PROCESSES)
            ]
        )
    return list(Process.objects.filter(council=council).select_related("layer"))


def _check(council: Council, code: str, layer: Layer | None, home_function: str, exclude: int | None) -> None:
    if layer is not None and layer.council_id != council.pk:
        raise DomainError("That layer belongs to another council.")
    if home_function not in dict(HOME_FUNCTIONS):
        raise DomainError(f"'{home_function}' is not a known home function.")
    clash = Process.objects.filter(council=council, code=code)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise DomainError(f"Another process already has the code '{code}'. Codes must be unique.")


@transaction.atomic
def process_create(
    *,
    council: Council,
    code: str,
    name: str,
    description: str = "",
    layer: Layer | None,
    home_function: str = ANYWHERE,
    actor: Actor,
) -> Process:
    ensure_processes(council)
    _check(council, code, layer, home_function, None)
    position = (Process.objects.filter(council=council).aggregate(m=Max("position"))["m"] or 0) + 1
    process = Process.objects.create(
        council=council,
        code=code,
        name=name,
        description=description,
        layer=layer,
        home_function=home_function,
        position=position,
    )
    audit_record(
        council=council, actor=actor, action="process.create", obj=process, after=snapshot(process, AUDITED)
    )
    return process


@transaction.atomic
def process_update(*, process: Process, actor: Actor, **changes: Any) -> Process:
    before = snapshot(process, AUDITED)
    for name, value in changes.items():
        if name not in AUDITED:
            raise DomainError(f"'{name}' cannot be changed here.")
        setattr(process, name, value)
    _check(process.council, process.code, process.layer, process.home_function, process.pk)
    process.save()
    after = snapshot(process, AUDITED)
    if after != before:
        audit_record(
            council=process.council,
            actor=actor,
            action="process.update",
            obj=process,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return process


@transaction.atomic
def process_delete(*, process: Process, actor: Actor) -> None:
    if Process.objects.filter(council=process.council).count() <= 1:
        raise DomainError("The last process cannot be removed: a survey needs at least one.")
    before = snapshot(process, AUDITED)
    audit_record(council=process.council, actor=actor, action="process.delete", obj=process, before=before)
    process.delete()


def process_snapshot(council: Council) -> list[dict[str, str]]:
    """The council's process list as a survey freezes it when it opens."""
    return [
        {
            "code": p.code,
            "name": p.name,
            "description": p.description,
            "layer_code": p.layer.code if p.layer is not None else "",
            "layer": p.layer.name if p.layer is not None else "",
            "home_function": p.home_function,
        }
        for p in sorted(ensure_processes(council), key=lambda p: (p.position, p.pk))
    ]
