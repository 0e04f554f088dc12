"""Reading staff time surveys for their pages: the list, response rates by org unit, outstanding links.

Nothing here reads an answer: response rates count invitations and submissions only.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, Model, Q, QuerySet

from wholecouncil.activity.models import Process, Respondent, Survey
from wholecouncil.activity.taxonomy import DEFAULT_PROCESSES
from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.workforce.models import Post

Status = Respondent.Status
M = TypeVar("M", bound=Model)


def surveys_for(council: Council) -> QuerySet[Survey]:
    """The council's surveys, newest first, each with `invited` and `submitted` counts (one query)."""
    return Survey.objects.filter(council=council).annotate(
        invited=Count("respondents"),
        submitted=Count("respondents", filter=Q(respondents__status=Status.SUBMITTED)),
    )


def survey_get(council: Council, pk: int) -> Survey:
    """One of the council's surveys; Survey.DoesNotExist for another council's."""
    return Survey.objects.select_related("created_by").get(council=council, pk=pk)


def invitable_posts(council: Council) -> int:
    """How many personal links opening a survey would create: one per filled post."""
    return Post.objects.filter(council=council, vacant=False).count()


def processes_to_freeze(council: Council) -> int:
    """How many processes opening a survey would ask about (the default list if the council has none yet)."""
    return Process.objects.filter(council=council).count() or len(DEFAULT_PROCESSES)


def respondent_by_token(token: str, *, for_page: bool = True) -> Respondent:
    """The respondent a personal link belongs to, with their survey and, for showing a page, council and unit.

    Sending answers (`for_page=False`) reads only what checking and saving them needs, in one statement
    (`_respondent_for_answers`); anything else is loaded if the page is shown again (when there are problems).
    """
    if not for_page:
        return _respondent_for_answers(token)
    return Respondent.objects.select_related("survey", "survey__council", "org_unit").get(token=token)


# What sending answers reads: the respondent's state and the survey's rules for answers, each in the
# order of the model's fields (as `Model.from_db` takes them).
_RESPONDENT_FIELDS = ("id", "survey_id", "contracted_hours", "status")
_SURVEY_FIELDS = ("id", "council_id", "status", "unit", "full_time_hours", "tolerance_hours", "processes")


def _respondent_for_answers(token: str) -> Respondent:
    """The respondent and their survey in one SELECT written out: it runs for every answer anyone sends.

    Building this query with the ORM costs the web server more CPU than the database spends running it (as
    the UPDATE that saves the answers, ADR 7). Fields not read here are loaded when first used.
    """
    ops = connection.ops
    respondents, surveys = ops.quote_name(Respondent._meta.db_table), ops.quote_name(Survey._meta.db_table)
    columns = [f"r.{ops.quote_name(f)}" for f in _RESPONDENT_FIELDS]
    columns += [f"s.{ops.quote_name(f)}" for f in _SURVEY_FIELDS]
    # Only names from the models are formatted in; the token is a bound parameter.
    sql = (
        f"SELECT {', '.join(columns)} FROM {respondents} r "  # noqa: S608
        f"JOIN {surveys} s ON s.id = r.survey_id WHERE r.token = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [token])
        row = cursor.fetchone()
    if row is None:
        raise Respondent.DoesNotExist("No respondent has this token")
    split = len(_RESPONDENT_FIELDS)
    respondent = _from_row(Respondent, _RESPONDENT_FIELDS, row[:split])
    respondent.survey = _from_row(Survey, _SURVEY_FIELDS, row[split:])
    respondent.token = token
    return respondent


def _from_row(model: type[M], names: tuple[str, ...], values: tuple[Any, ...]) -> M:
    """A model instance from database values, converted as the ORM converts them."""
    converted = []
    for (column, converters), value in zip(_converters(model, names, connection.vendor), values, strict=True):
        for converter in converters:
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, list(names), converted)


@functools.cache
def _converters(model: type[Model], names: tuple[str, ...], vendor: str) -> list[tuple[Any, list[Any]]]:
    """Each field named (as the compiler's column), with the ORM's converters for its values from `vendor`."""
    order = [f.attname for f in model._meta.concrete_fields if f.attname in names]
    if order != list(names):
        raise ValueError(f"{model.__name__} fields must be listed in the model's order: {order}")
    fields = {f.attname: f for f in model._meta.concrete_fields}
    result = []
    for name in names:
        column = fields[name].get_col(model._meta.db_table)
        converters = [*connection.ops.get_db_converters(column), *column.get_db_converters(connection)]
        result.append((column, converters))
    return result


@dataclass(frozen=True)
class ProcessGroup:
    layer: str
    processes: list[dict[str, str]]


def process_groups(survey: Survey) -> list[ProcessGroup]:
    """The survey's processes grouped by layer, layers in the order they first appear."""
    groups: dict[str, list[dict[str, str]]] = {}
    for process in survey.processes:
        groups.setdefault(process.get("layer") or "Other work", []).append(process)
    return [ProcessGroup(layer, items) for layer, items in groups.items()]


# --- response rates --------------------------------------------------------------------------------------


@dataclass
class Counts:
    invited: int = 0
    in_progress: int = 0
    submitted: int = 0

    def add(self, other: Counts) -> None:
        self.invited += other.invited
        self.in_progress += other.in_progress
        self.submitted += other.submitted

    @property
    def not_started(self) -> int:
        return self.invited - self.in_progress - self.submitted

    @property
    def outstanding(self) -> int:
        return self.invited - self.submitted

    @property
    def rate(self) -> int | None:
        """Whole per cent submitted, rounded down so 100% means everyone; None with no one invited."""
        return None if not self.invited else self.submitted * 100 // self.invited


@dataclass
class RateRow:
    id: int
    name: str
    kind: str
    parent: int | None
    depth: int = 0
    own: Counts = field(default_factory=Counts)
    total: Counts = field(default_factory=Counts)
    children: list[RateRow] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return OrgUnit.Kind(self.kind).label if self.kind in OrgUnit.Kind.values else self.kind

    @property
    def has_own_and_children(self) -> bool:
        return bool(self.children) and self.own.invited > 0


@dataclass
class RateReport:
    rows: list[RateRow]
    total: Counts


def _walk(row: RateRow, depth: int) -> Iterator[RateRow]:
    row.depth = depth
    yield row
    for child in row.children:
        yield from _walk(child, depth + 1)


def response_rates(survey: Survey) -> RateReport:
    """Invited, in progress and submitted by org unit, rolled up directorate -> service -> team (3 queries).

    Only units with someone invited in them or below them are listed; children are in name order.
    """
    counts: dict[int, Counts] = defaultdict(Counts)
    for unit_id, status, n in (
        Respondent.objects.filter(survey=survey)
        .values_list("org_unit_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        c = counts[unit_id]
        c.invited += n
        if status == Status.SUBMITTED:
            c.submitted += n
        elif status == Status.IN_PROGRESS:
            c.in_progress += n
    units = {
        u["id"]: u
        for u in OrgUnit.objects.filter(Q(council=survey.council_id) | Q(pk__in=list(counts))).values(
            "id", "name", "kind", "parent_id"
        )
    }
    rows = {pk: RateRow(pk, u["name"], u["kind"], u["parent_id"]) for pk, u in units.items()}
    for pk, c in counts.items():
        rows[pk].own = c
    # Roll up: each unit's counts reach every ancestor; only units with someone below them are kept.
    for pk, c in counts.items():
        seen: set[int] = set()
        current: int | None = pk
        while current is not None and current in rows and current not in seen:
            seen.add(current)
            rows[current].total.add(c)
            current = rows[current].parent
    kept = {pk: r for pk, r in rows.items() if r.total.invited}
    roots: list[RateRow] = []
    for row in sorted(kept.values(), key=lambda r: (r.name.casefold(), r.id)):
        parent = kept.get(row.parent) if row.parent is not None else None
        (parent.children if parent is not None else roots).append(row)
    ordered = [r for root in roots for r in _walk(root, 0)]
    total = Counts()
    for c in counts.values():
        total.add(c)
    return RateReport(ordered, total)


# --- outstanding links -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    ref: str
    directorate: str
    unit: str
    job_title: str
    status: str
    token: str


def outstanding_links(survey: Survey) -> list[LinkRow]:
    """Everyone invited who has not submitted, in reference order, with their unit and directorate."""
    parents: dict[int, tuple[str, int | None]] = {
        u["id"]: (u["name"], u["parent_id"])
        for u in OrgUnit.objects.filter(council=survey.council_id).values("id", "name", "parent_id")
    }
    rows: list[LinkRow] = []
    labels = dict(Status.choices)
    for ref, unit_id, unit_name, job_title, status, token in (
        Respondent.objects.filter(survey=survey, status__in=(Status.NOT_STARTED, Status.IN_PROGRESS))
        .exclude(token=None)
        .order_by("ref")
        .values_list("ref", "org_unit_id", "org_unit__name", "job_title", "status", "token")
    ):
        rows.append(
            LinkRow(ref, _top(parents, unit_id, unit_name), unit_name, job_title, labels[status], token or "")
        )
    return rows


def _top(parents: dict[int, tuple[str, int | None]], unit_id: int, name: str) -> str:
    seen: set[int] = set()
    current: Any = unit_id
    while current in parents and current not in seen:
        seen.add(current)
        name, up = parents[current]
        if up is None:
            return name
        current = up
    return name
