"""Importing survey answers from a survey tool's export: one row per respondent, one column per process.

The file is checked whole by the same reader as `wholecouncil activity baseline`; any problem is reported by
file, row and column and nothing is imported. A clean file becomes a closed survey of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from wholecouncil.activity.engine import (
    Establishment,
    read_responses,
    suggest_response_mapping,
)
from wholecouncil.activity.engine import (
    OrgUnit as EngineUnit,
)
from wholecouncil.activity.models import Respondent, ResponseImport, Survey
from wholecouncil.activity.selectors import engine_processes
from wholecouncil.activity.services.processes import process_snapshot
from wholecouncil.council.audit import Actor, audit_record
from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.tabular import RowError, Table, TableError, read_table
from wholecouncil.workforce.models import Post

MAX_FILE_BYTES = 20 * 1024 * 1024
FIELDS = (
    ("respondent_id", "Respondent ID"),
    ("org_unit", "Org unit (team name, or its full path)"),
    ("contracted_hours", "Contracted hours a week"),
)


def _user_or_none(actor: Actor) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def import_upload(*, council: Council, file_name: str, content: bytes, actor: Actor) -> ResponseImport:
    """Keep the file and read its headers; raises TableError when it cannot be read as a table."""
    table = read_table(file_name, content)
    return ResponseImport.objects.create(
        council=council,
        file_name=file_name,
        content=content,
        uploaded_by=_user_or_none(actor),
        headers=list(table.headers),
    )


def import_table(imp: ResponseImport) -> Table:
    return read_table(imp.file_name, bytes(imp.content))


def suggested_mapping(imp: ResponseImport) -> dict[str, str]:
    dummy = Survey(council=imp.council, processes=process_snapshot(imp.council))
    return suggest_response_mapping(imp.headers, engine_processes(imp.council, dummy))


def _units(council: Council) -> tuple[Establishment, list[int]]:
    """The council's units with posts, named so an export can point at them: by name, or by full path
    when two units share a name."""
    units = {u.pk: u for u in OrgUnit.objects.filter(council=council)}
    with_posts = sorted(set(Post.objects.filter(council=council).values_list("org_unit_id", flat=True)))
    clashes = Counter(units[pk].name.casefold() for pk in with_posts)

    def path(pk: int) -> str:
        names = []
        current: OrgUnit | None = units[pk]
        while current is not None:
            names.append(current.name)
            current = units.get(current.parent_id) if current.parent_id else None
        return " / ".join(reversed(names))

    engine_units = []
    for pk in with_posts:
        name = units[pk].name if clashes[units[pk].name.casefold()] == 1 else path(pk)
        engine_units.append(EngineUnit(name=name, directorate="", function="", fte=0, cost=0, posts=0))
    return Establishment(file="establishment", posts=(), units=tuple(engine_units)), with_posts


def _mapped_twice(mapping: Mapping[str, str], file_name: str) -> list[RowError]:
    """One column can answer only one question: a column mapped to two fields or processes is an error."""
    uses: dict[str, list[str]] = {}
    for key, header in mapping.items():
        if header:
            uses.setdefault(header, []).append(key)
    return [
        RowError(
            file=file_name,
            row=None,
            column=header,
            message=f"the column '{header}' is chosen for {len(keys)} things ({', '.join(keys)}); "
            "choose it for one only",
        )
        for header, keys in uses.items()
        if len(keys) > 1
    ]


@transaction.atomic
def import_commit(
    *, imp: ResponseImport, mapping: Mapping[str, str], title: str, actor: Actor
) -> tuple[Survey | None, list[RowError]]:
    """Check the whole file with `mapping`; import it as a closed survey, or nothing and return errors.

    The import's row is locked first, so of two simultaneous commits of one upload the second waits and
    then finds the survey the first made: one upload lands once.
    """
    # Only the import's own row is read with the lock: a joined survey would come from before the wait.
    imp = ResponseImport.objects.select_for_update(of=("self",)).select_related("council").get(pk=imp.pk)
    if imp.status == ResponseImport.Status.COMPLETED and imp.survey_id is not None:
        return Survey.objects.get(pk=imp.survey_id), []
    duplicates = _mapped_twice(mapping, imp.file_name)
    if duplicates:
        return None, duplicates
    council = imp.council
    try:
        table = import_table(imp)
    except TableError as exc:
        return None, [RowError(file=exc.file, row=None, column="", message=exc.message)]
    snapshot = process_snapshot(council)
    processes = engine_processes(council, Survey(council=council, processes=snapshot))
    establishment, unit_ids = _units(council)
    if not establishment.units:
        error = RowError(
            file=imp.file_name,
            row=None,
            column="",
            message="Import the establishment first: it has no posts.",
        )
        return None, [error]
    result = read_responses(table, establishment, mapping, processes=processes)
    imp.mapping = dict(mapping)
    if result.value is None or result.errors:
        imp.status = ResponseImport.Status.FAILED
        imp.errors = [e.__dict__ for e in result.errors]
        imp.save(update_fields=["mapping", "status", "errors"])
        return None, result.errors
    responses = result.value
    now = timezone.now()
    survey = Survey.objects.create(
        council=council,
        title=title,
        status=Survey.Status.CLOSED,
        source=Survey.Source.IMPORT,
        processes=snapshot,
        created_by=_user_or_none(actor),
        opened_at=now,
        closed_at=now,
    )
    codes = [p.code for p in responses.processes]
    Respondent.objects.bulk_create(
        [
            Respondent(
                survey=survey,
                ref=responses.respondent_ids[i],
                org_unit_id=unit_ids[int(responses.unit[i])],
                contracted_hours=Decimal(repr(float(responses.contracted_hours[i]))).quantize(
                    Decimal("0.01")
                ),
                status=Respondent.Status.SUBMITTED,
                answers={
                    code: repr(float(responses.hours[i, j]))
                    for j, code in enumerate(codes)
                    if responses.hours[i, j] > 0
                },
                saved_at=now,
                submitted_at=now,
            )
            for i in range(len(responses))
        ],
        batch_size=1000,
    )
    imp.status = ResponseImport.Status.COMPLETED
    imp.survey = survey
    imp.errors = []
    imp.warnings = list(result.warnings)
    imp.save(update_fields=["mapping", "status", "errors", "warnings", "survey"])
    audit_record(
        council=council,
        actor=actor,
        action="survey.import",
        obj=survey,
        after={"file": imp.file_name, "respondents": len(responses), "title": title},
    )
    return survey, []
