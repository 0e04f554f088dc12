"""The portfolio dashboard, the project list, programmes and workstreams."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.portfolio import charts, selectors, services
from wholecouncil.portfolio.engine.lifecycle import STATUS_LABELS, Status
from wholecouncil.portfolio.engine.status import RAG_DEFINITIONS, RAG_LABELS, RAG_TAGS, ROLL_UP_RULE, Rag
from wholecouncil.portfolio.forms import ProgrammeForm, WorkstreamForm
from wholecouncil.portfolio.models import Programme, Workstream
from wholecouncil.portfolio.views.common import own, today

PROJECTS_PER_PAGE = 50


def rag_context() -> dict[str, object]:
    return {
        "rag_definitions": [
            (RAG_LABELS[r], RAG_TAGS[r], RAG_DEFINITIONS[r]) for r in (Rag.GREEN, Rag.AMBER, Rag.RED)
        ],
        "roll_up_rule": ROLL_UP_RULE,
    }


@council_view(Perm.VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    board = selectors.dashboard(council, today())
    stage_chart = charts.bars([(f"{r.number} {r.name}", r.open) for r in board.stage_rows])
    context = {
        "board": board,
        "stage_chart": stage_chart,
        "trend_chart": charts.stacked_rag(board.trend),
        "status_rows": [(STATUS_LABELS[Status(s)], n) for s, n in board.status_totals.items()],
        "can_manage": can(request, Perm.MANAGE_PORTFOLIO),
        **rag_context(),
    }
    return render(request, "portfolio/overview.html", context)


@council_view(Perm.VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    qs = selectors.projects(council).order_by("code")
    filters = {
        "programme": request.GET.get("programme", ""),
        "stage": request.GET.get("stage", ""),
        "status": request.GET.get("status", ""),
        "rag": request.GET.get("rag", ""),
        "mine": request.GET.get("mine", ""),
    }
    if filters["programme"].isdigit():
        qs = qs.filter(programme_id=int(filters["programme"]))
    elif filters["programme"] == "none":
        qs = qs.filter(programme__isnull=True, workstream__isnull=True)
    if filters["stage"].isdigit():
        qs = qs.filter(stage=int(filters["stage"]))
    if filters["status"] in {s.value for s in Status}:
        qs = qs.filter(status=filters["status"])
    if filters["rag"] in {r.value for r in Rag}:
        qs = qs.filter(latest_rag=filters["rag"])
    if filters["mine"]:
        qs = qs.filter(manager_id=request.user.pk)
    page = Paginator(qs, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "programmes": Programme.objects.filter(council=council),
        "stages": selectors.stages(council),
        "statuses": [(s.value, STATUS_LABELS[s]) for s in Status],
        "rags": [(r.value, RAG_LABELS[r]) for r in Rag],
        "rag_tags": {r.value: RAG_TAGS[r] for r in Rag},
        "stage_names": selectors.stage_names(council),
        "can_manage": can(request, Perm.MANAGE_PORTFOLIO),
        "partner_projects": list(selectors.partner_projects(council)[:PROJECTS_PER_PAGE]),
    }
    return render(request, "portfolio/project_list.html", context)


@council_view(Perm.VIEW)
def programmes(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    context = {
        "programme_rows": selectors.programme_rows(council),
        "workstream_rows": selectors.workstream_rows(council),
        "unaligned": selectors.unaligned_count(council),
        "can_manage": can(request, Perm.MANAGE_PORTFOLIO),
        **rag_context(),
    }
    return render(request, "portfolio/programmes.html", context)


def _group(request: HttpRequest, model: type[Programme] | type[Workstream], pk: int) -> HttpResponse:
    council = current_council(request)
    group = own(request, model, pk)
    key = "programme" if model is Programme else "workstream"
    rows = selectors.group_projects(council, **{key: group})
    context = {
        "group": group,
        "kind": key,
        "projects": rows,
        "stage_names": selectors.stage_names(council),
        "rag_tags": {r.value: RAG_TAGS[r] for r in Rag},
        "reports": list(group.reports.order_by("-month")[:12]) if isinstance(group, Programme) else [],
        "trend": selectors.rag_trend(council, selectors.months_back(today(), 12), group)
        if isinstance(group, Programme)
        else [],
        "can_manage": can(request, Perm.MANAGE_PORTFOLIO),
        **rag_context(),
    }
    return render(request, "portfolio/group.html", context)


@council_view(Perm.VIEW)
def programme(request: HttpRequest, pk: int) -> HttpResponse:
    return _group(request, Programme, pk)


@council_view(Perm.VIEW)
def workstream(request: HttpRequest, pk: int) -> HttpResponse:
    return _group(request, Workstream, pk)


def _group_form(
    request: HttpRequest, model: type[Programme] | type[Workstream], pk: int | None
) -> HttpResponse:
    council = current_council(request)
    obj = own(request, model, pk) if pk is not None else None
    form_class = ProgrammeForm if model is Programme else WorkstreamForm
    label = "programme" if model is Programme else "enabling workstream"
    form = form_class(request.POST or None, instance=obj, council=council)
    if request.method == "POST" and form.is_valid():
        try:
            saved: Programme | Workstream
            if isinstance(obj, Workstream) or (obj is None and model is Workstream):
                saved = services.workstream_save(
                    council=council, data=form.cleaned_data, actor=request.user, workstream=obj
                )
            else:
                saved = services.programme_save(
                    council=council, data=form.cleaned_data, actor=request.user, programme=obj
                )
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"{saved.name} saved.")
            name = "portfolio:programme" if model is Programme else "portfolio:workstream"
            return redirect(name, council.slug, saved.pk)
    title = f"Change {obj.name}" if obj else f"Add a {label}"
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": title,
            "back_url": "portfolio:programmes",
            "back_text": "Programmes and workstreams",
        },
    )


@council_view(Perm.MANAGE_PORTFOLIO)
def programme_add(request: HttpRequest) -> HttpResponse:
    return _group_form(request, Programme, None)


@council_view(Perm.MANAGE_PORTFOLIO)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_form(request, Programme, pk)


@council_view(Perm.MANAGE_PORTFOLIO)
def workstream_add(request: HttpRequest) -> HttpResponse:
    return _group_form(request, Workstream, None)


@council_view(Perm.MANAGE_PORTFOLIO)
def workstream_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _group_form(request, Workstream, pk)
