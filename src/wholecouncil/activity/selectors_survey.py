"""Reading staff time surveys for their pages: the list, response rates by org unit, outstanding links.

Nothing here reads an answer: response rates count invitations and submissions only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from wholecouncil.activity.models import Process, Respondent, Survey
from wholecouncil.activity.taxonomy import DEFAULT_PROCESSES
from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.workforce.models import Post

Status = Respondent.Status


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

    Sending answers needs only the survey (the page is shown again only when there are problems), and this
    runs for every answer sent, so it joins no more than it needs.
    """
    related = ("survey", "survey__council", "org_unit") if for_page else ("survey",)
    return Respondent.objects.select_related(*related).get(token=token)


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
