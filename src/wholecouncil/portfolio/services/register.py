"""Importing a project register: upload, map the columns, check every row, then import all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from wholecouncil.council.audit import Actor
from wholecouncil.council.models import Council
from wholecouncil.portfolio.engine.register import (
    RegisterResult,
    RegisterRow,
    parse_register,
    suggest_mapping,
)
from wholecouncil.portfolio.models import Programme, Project, ProjectImport, Stage, Workstream
from wholecouncil.portfolio.services.common import PortfolioDomainError, record, user_or_none
from wholecouncil.portfolio.services.structure import project_create, stages_ensure
from wholecouncil.tabular import RowError, TableError, read_table

MAX_FILE_BYTES = 10 * 1024 * 1024
Status = ProjectImport.Status


def register_upload(
    *, council: Council, file_name: str, content: bytes, actor: Actor, sheet: str | None = None
) -> ProjectImport:
    name = PurePath(file_name.replace("\\", "/")).name[:255] or "upload"
    if len(content) > MAX_FILE_BYTES:
        raise PortfolioDomainError(f"{name}: the file is larger than 10 MB")
    try:
        table = read_table(name, content, sheet=sheet)
    except TableError as exc:
        raise PortfolioDomainError(str(exc)) from exc
    return ProjectImport.objects.create(
        council=council,
        file_name=name,
        content=content,
        sheet=table.sheet,
        headers=list(table.headers),
        mapping=suggest_mapping(table.headers),
        row_count=len(table.rows),
        uploaded_by=user_or_none(actor),
    )


def _resolve(imp: ProjectImport, result: RegisterResult) -> list[tuple[RegisterRow, dict[str, object]]]:
    """Look up programmes, workstreams, managers and stages; add a RowError for each that is not found."""
    council = imp.council
    file, mapping = imp.file_name, imp.mapping

    def keyed(model: type[Programme] | type[Workstream]) -> dict[str, object]:
        out: dict[str, object] = {}
        for obj in model.objects.filter(council=council):
            out[obj.code.casefold()] = obj
            out[obj.name.casefold()] = obj
        return out

    programmes, workstreams = keyed(Programme), keyed(Workstream)
    users = {
        u.get_username().casefold(): u for u in get_user_model().objects.filter(memberships__council=council)
    }
    stages = {s.number: s for s in Stage.objects.filter(council=council)} or {
        s.number: s for s in stages_ensure(council=council)
    }
    by_name = {s.name.casefold(): s.number for s in stages.values()}
    existing = {c.casefold() for c in Project.objects.filter(council=council).values_list("code", flat=True)}
    resolved = []
    for row in result.rows:
        found: dict[str, object] = {}

        def err(name: str, message: str, row: RegisterRow = row) -> None:
            result.errors.append(RowError(file, row.row, mapping.get(name, ""), message))

        if row.code.casefold() in existing:
            err("code", f"a project with the code {row.code} already exists")
        for key, table, label in (
            ("programme", programmes, "programme"),
            ("workstream", workstreams, "workstream"),
        ):
            value = getattr(row, key)
            if value:
                if value.casefold() not in table:
                    err(key, f"there is no {label} called {value!r}; add it first or leave the cell blank")
                found[key] = table.get(value.casefold())
        if row.manager:
            if row.manager.casefold() not in users:
                err("manager", f"{row.manager!r} is not a member of {council.name}")
            found["manager"] = users.get(row.manager.casefold())
        stage = 1
        if row.stage:
            if row.stage.isdigit() and int(row.stage) in stages:
                stage = int(row.stage)
            elif row.stage.casefold() in by_name:
                stage = by_name[row.stage.casefold()]
            else:
                names = ", ".join(f"{s.number} {s.name}" for s in stages.values())
                err("stage", f"{row.stage!r} is not a stage; use one of {names}")
        found["stage"] = stage
        resolved.append((row, found))
    return resolved


def _check(imp: ProjectImport) -> tuple[RegisterResult, list[tuple[RegisterRow, dict[str, object]]]]:
    try:
        table = read_table(imp.file_name, bytes(imp.content), sheet=imp.sheet or None)
    except TableError as exc:
        return RegisterResult(errors=[RowError(imp.file_name, None, "", exc.message)]), []
    result = parse_register(imp.file_name, table.headers, table.rows, imp.mapping)
    resolved = _resolve(imp, result)
    result.errors.sort(key=lambda e: (e.row or 0, e.column))
    return result, resolved


@transaction.atomic
def register_check(*, imp: ProjectImport, mapping: Mapping[str, str]) -> ProjectImport:
    imp = ProjectImport.objects.select_for_update().select_related("council").get(pk=imp.pk)
    if imp.status == Status.COMPLETED:
        raise PortfolioDomainError("This file has already been imported.")
    imp.mapping = {k: v for k, v in mapping.items() if v}
    result, _ = _check(imp)
    imp.errors = [e.as_dict() for e in result.errors[:1000]]
    imp.status = Status.CHECKED if result.ok else Status.FAILED
    imp.save(update_fields=["mapping", "errors", "status"])
    return imp


@transaction.atomic
def register_commit(*, imp: ProjectImport, actor: Actor) -> int:
    """Create every project of a checked register in one transaction, or none."""
    imp = ProjectImport.objects.select_for_update().select_related("council").get(pk=imp.pk)
    if imp.status != Status.CHECKED:
        raise PortfolioDomainError("Only a checked file with no errors can be imported.")
    result, resolved = _check(imp)
    if not result.ok:
        raise PortfolioDomainError(f"The file no longer checks cleanly: {result.errors[0]}")
    for row, found in resolved:
        data = {
            "code": row.code,
            "name": row.name,
            "programme": found.get("programme"),
            "workstream": found.get("workstream"),
            "manager": found.get("manager"),
            "sponsor": row.sponsor,
            "scope": row.scope,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "budget": row.budget,
        }
        try:
            project_create(council=imp.council, data=data, actor=actor, stage=int(found["stage"]))  # type: ignore[call-overload]
        except PortfolioDomainError as exc:
            raise PortfolioDomainError(
                f"{imp.file_name}, row {row.row}: {exc} Nothing has been imported."
            ) from exc
    imp.status = Status.COMPLETED
    imp.projects_imported = len(resolved)
    imp.completed_at = timezone.now()
    imp.save(update_fields=["status", "projects_imported", "completed_at"])
    record(
        council=imp.council,
        actor=actor,
        action="register.import",
        obj=imp,
        after={"file": imp.file_name, "projects": len(resolved)},
    )
    return len(resolved)
