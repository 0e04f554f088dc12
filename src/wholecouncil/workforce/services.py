"""Every write to the establishment: uploading, checking and committing an import, and replacing the posts.

Each service is keyword-only and atomic. Loading an establishment is all or nothing: the posts and any new
org units are written in one transaction with one audit event, or nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePath
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.council.services import DomainError
from wholecouncil.tabular import RowError, TableError, read_table
from wholecouncil.workforce.engine import (
    FTE_PLACES,
    MAX_FTE,
    MAX_UNIT_NAME,
    PENNY,
    EstablishmentResult,
    ImportOptions,
    PostRow,
    parse_establishment,
    suggest_mapping,
)
from wholecouncil.workforce.models import EstablishmentImport, Post
from wholecouncil.workforce.selectors import import_table

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_STORED_ERRORS = 1000
BATCH_SIZE = 1000
AUDIT_ACTION = "establishment.import"


class EstablishmentError(DomainError):
    """An establishment import the domain refuses, with a message fit to show the user."""


@dataclass(frozen=True)
class ReplaceSummary:
    """What establishment_replace did: totals before and after, and how many org units it created."""

    before: dict[str, Any]
    after: dict[str, Any]
    units_created: int

    @property
    def posts(self) -> int:
        return int(self.after["posts"])


# --- the import flow: upload, check, commit ----------------------------------------------------------


def _user_or_none(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def establishment_upload(
    *, council: Council, file_name: str, content: bytes, actor: Actor, sheet: str | None = None
) -> EstablishmentImport:
    """Keep an uploaded establishment file and suggest which column holds which field."""
    name = PurePath(file_name.replace("\\", "/")).name[:255] or "upload"
    if len(content) > MAX_FILE_BYTES:
        raise EstablishmentError(f"{name}: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        table = read_table(name, content, sheet=sheet)
    except TableError as exc:
        raise EstablishmentError(str(exc)) from exc
    return EstablishmentImport.objects.create(
        council=council,
        file_name=name,
        content=content,
        uploaded_by=_user_or_none(actor),
        headers=list(table.headers),
        mapping=suggest_mapping(table.headers),
        options={**ImportOptions().as_dict(), "sheet": table.sheet},
        row_count=len(table.rows),
    )


def _clean_mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    return {name: header for name, header in mapping.items() if header}


def _parse(
    imp: EstablishmentImport, mapping: Mapping[str, str], options: ImportOptions
) -> EstablishmentResult:
    try:
        table = import_table(imp)
    except TableError as exc:
        result = EstablishmentResult()
        result.errors = [RowError(imp.file_name, None, "", exc.message)]
        return result
    return parse_establishment(table.name, table.headers, table.rows, mapping, options)


@transaction.atomic
def establishment_check(
    *, imp: EstablishmentImport, mapping: Mapping[str, str], options: ImportOptions | Mapping[str, Any]
) -> EstablishmentImport:
    """Read every row with `mapping` and record the errors, warnings and totals. Imports nothing."""
    imp = EstablishmentImport.objects.select_for_update().get(pk=imp.pk)
    if imp.status == EstablishmentImport.Status.COMPLETED:
        raise EstablishmentError("This file has already been imported. Upload it again to import it again.")
    opts = options if isinstance(options, ImportOptions) else ImportOptions.from_dict(options)
    clean = _clean_mapping(mapping)
    result = _parse(imp, clean, opts)
    errors = [e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]]
    if len(result.errors) > MAX_STORED_ERRORS:
        more = len(result.errors) - MAX_STORED_ERRORS
        errors.append(RowError(imp.file_name, None, "", f"and {more} more errors not listed").as_dict())
    imp.mapping = clean
    imp.options = {**opts.as_dict(), "sheet": (imp.options or {}).get("sheet", "")}
    imp.errors = errors
    imp.warnings = result.warnings
    imp.row_count = result.row_count
    imp.summary = result.totals.as_dict() if result.ok else {}
    imp.status = EstablishmentImport.Status.CHECKED if result.ok else EstablishmentImport.Status.FAILED
    imp.save(update_fields=["mapping", "options", "errors", "warnings", "row_count", "summary", "status"])
    return imp


@transaction.atomic
def establishment_commit(*, imp: EstablishmentImport, actor: Actor) -> ReplaceSummary:
    """Replace the council's establishment with the posts of a checked import that has no errors."""
    imp = EstablishmentImport.objects.select_for_update().select_related("council").get(pk=imp.pk)
    if imp.status != EstablishmentImport.Status.CHECKED or imp.errors:
        if imp.status == EstablishmentImport.Status.COMPLETED:
            raise EstablishmentError("This file has already been imported.")
        raise EstablishmentError("Only a checked file with no errors can be imported.")
    result = _parse(imp, imp.mapping, ImportOptions.from_dict(imp.options))
    if not result.ok:
        raise EstablishmentError(f"The file no longer checks cleanly: {result.errors[0]}")
    summary = establishment_replace(council=imp.council, rows=result.posts, actor=actor, source=imp)
    imp.status = EstablishmentImport.Status.COMPLETED
    imp.posts_imported = summary.posts
    imp.completed_at = timezone.now()
    imp.save(update_fields=["status", "posts_imported", "completed_at"])
    return summary


# --- replacing the establishment ---------------------------------------------------------------------


def _clean_name(name: str) -> str:
    return " ".join(str(name).split())


def _check_rows(rows: Sequence[PostRow]) -> None:
    seen: set[str] = set()
    for row in rows:
        where = f"Post {row.post_ref!r}"
        if not row.post_ref or len(row.post_ref) > 60:
            raise EstablishmentError(f"{where}: a post reference must have 1 to 60 characters.")
        if row.post_ref in seen:
            raise EstablishmentError(f"{where}: the post reference is used more than once.")
        seen.add(row.post_ref)
        if not row.job_title.strip():
            raise EstablishmentError(f"{where}: the job title is blank.")
        path = [_clean_name(p) for p in row.org_path]
        if not path or not all(path) or any(len(p) > MAX_UNIT_NAME for p in path):
            raise EstablishmentError(
                f"{where}: the org unit path needs 1 or more names of 1 to 200 characters."
            )
        if not Decimal("0") < row.fte <= MAX_FTE:
            raise EstablishmentError(f"{where}: the FTE must be more than 0 and at most {MAX_FTE}.")
        if row.annual_cost is not None and row.annual_cost < 0:
            raise EstablishmentError(f"{where}: the annual cost cannot be negative.")


def _kind(depth: int) -> str:
    return {1: OrgUnit.Kind.DIRECTORATE, 2: OrgUnit.Kind.SERVICE}.get(depth, OrgUnit.Kind.TEAM)


def _ensure_units(council: Council, paths: set[tuple[str, ...]]) -> tuple[dict[tuple[str, ...], int], int]:
    """The id of the unit at each path (keys in case-folded form), creating missing units level by level."""
    by_parent: dict[tuple[int | None, str], int] = {}
    existing = OrgUnit.objects.filter(council=council).values_list("id", "parent_id", "name")
    for pk, parent_id, name in existing:
        by_parent.setdefault((parent_id, _clean_name(name).casefold()), pk)
    wanted: dict[tuple[str, ...], str] = {}
    for path in paths:
        for depth in range(1, len(path) + 1):
            key = tuple(p.casefold() for p in path[:depth])
            wanted.setdefault(key, path[depth - 1])
    ids: dict[tuple[str, ...], int] = {}
    created = 0
    for depth in range(1, max((len(k) for k in wanted), default=0) + 1):
        new: list[tuple[tuple[str, ...], OrgUnit]] = []
        for key in sorted(k for k in wanted if len(k) == depth):
            parent = ids[key[:-1]] if depth > 1 else None
            found = by_parent.get((parent, key[-1]))
            if found is not None:
                ids[key] = found
            else:
                unit = OrgUnit(council=council, parent_id=parent, name=wanted[key], kind=_kind(depth))
                new.append((key, unit))
        if new:
            OrgUnit.objects.bulk_create([unit for _, unit in new], batch_size=BATCH_SIZE)
            for key, unit in new:
                assert unit.pk is not None, "the database did not return the new org unit ids"
                ids[key] = unit.pk
            created += len(new)
    return ids, created


def establishment_totals(council: Council) -> dict[str, Any]:
    """Posts, FTE and annual cost of the council's establishment as it stands."""
    row = Post.objects.filter(council=council).aggregate(
        posts=Count("id"), fte=Sum("fte"), cost=Sum("annual_cost")
    )
    return {
        "posts": row["posts"] or 0,
        "fte": str((row["fte"] or Decimal("0")).quantize(FTE_PLACES)),
        "annual_cost": str((row["cost"] or Decimal("0")).quantize(PENNY)),
    }


@transaction.atomic
def establishment_replace(
    *,
    council: Council,
    rows: Sequence[PostRow],
    actor: Actor,
    source: EstablishmentImport | None = None,
) -> ReplaceSummary:
    """Make `rows` the council's whole establishment, atomically and with one audit event.

    Org units missing from the council's structure are created from each row's org_path (depth 1 a
    directorate, 2 a service, deeper a team; names match existing units ignoring case). Every existing post
    is removed and the rows are inserted in batches. The number of queries does not grow with the rows.
    Raises EstablishmentError, changing nothing, when a row is invalid (blank or repeated post reference,
    empty path, FTE outside 0-1.5, negative cost).
    """
    _check_rows(rows)
    Council.objects.select_for_update().filter(pk=council.pk).first()
    before = establishment_totals(council)
    paths = {tuple(_clean_name(p) for p in row.org_path) for row in rows}
    unit_ids, created = _ensure_units(council, paths)
    Post.objects.filter(council=council).delete()
    posts = []
    fte_total = Decimal("0")
    cost_total = Decimal("0")
    for row in rows:
        fte = row.fte.quantize(FTE_PLACES, rounding=ROUND_HALF_UP)
        cost = None if row.annual_cost is None else row.annual_cost.quantize(PENNY, rounding=ROUND_HALF_UP)
        fte_total += fte
        cost_total += cost or Decimal("0")
        key = tuple(_clean_name(p).casefold() for p in row.org_path)
        posts.append(
            Post(
                council=council,
                org_unit_id=unit_ids[key],
                post_ref=row.post_ref,
                job_title=_clean_name(row.job_title)[:300],
                grade=row.grade[:60],
                fte=fte,
                annual_cost=cost,
                cost_basis=row.cost_basis[:120],
                vacant=row.vacant,
                contract_type=row.contract_type[:60],
                manager_ref=row.manager_ref[:60],
                source=source,
            )
        )
    Post.objects.bulk_create(posts, batch_size=BATCH_SIZE)
    after = {"posts": len(posts), "fte": str(fte_total), "annual_cost": str(cost_total)}
    audit_record(
        council=council,
        actor=actor,
        action=AUDIT_ACTION,
        obj=source,
        object_type="establishment",
        object_repr=f"Establishment from {source.file_name}" if source else "Establishment",
        before=before,
        after=after,
    )
    return ReplaceSummary(before=before, after=after, units_created=created)
