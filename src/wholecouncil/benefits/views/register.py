"""The register, a benefit's page, and adding or changing a benefit."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.accounts.roles import Perm
from wholecouncil.benefits import selectors, services
from wholecouncil.benefits.engine.categories import CATEGORY_LABELS
from wholecouncil.benefits.engine.lifecycle import ACTION_LABELS, STATUS_LABELS, Status, available
from wholecouncil.benefits.engine.mtfp import SAVING_RAG_COLOURS, SAVING_RAG_LABELS
from wholecouncil.benefits.engine.performance import YearPerformance
from wholecouncil.benefits.engine.prudence import counts_towards_mtfp
from wholecouncil.benefits.forms import BenefitForm
from wholecouncil.benefits.models import Benefit
from wholecouncil.benefits.views.common import benefit_or_404, role_of, today
from wholecouncil.council.permissions import can, council_view, current_council

PER_PAGE = 50
STATUS_FILTER_LABELS = {Status.AT_RISK: "At risk (marked, or its delivering milestone slipped)"}


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@council_view(Perm.VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    filters = {k: request.GET.get(k, "") for k in ("status", "category", "programme")}
    status = filters["status"] if filters["status"] in STATUS_LABELS else ""
    category = filters["category"] if filters["category"] in CATEGORY_LABELS else ""
    found = selectors.benefits_for(
        council, status=status, category=category, programme=_int(filters["programme"])
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    slipped = selectors.slips(Benefit.objects.filter(pk__in=[b.pk for b in page.object_list]))
    context = {
        "page": page,
        "slipped": slipped,
        "filters": filters,
        "statuses": [(s.value, STATUS_FILTER_LABELS.get(s, label)) for s, label in STATUS_LABELS.items()],
        "categories": [(c.value, label) for c, label in CATEGORY_LABELS.items()],
        "programmes": selectors.programmes_of(council),
        "can_edit": can(request, Perm.EDIT_BENEFITS),
        "can_validate": can(request, Perm.VALIDATE_BENEFITS),
    }
    return render(request, "benefits/register.html", context)


@council_view(Perm.VIEW)
def benefit(request: HttpRequest, pk: int) -> HttpResponse:
    b = benefit_or_404(request, pk)
    day = today()
    held = {p.value for p in Perm if can(request, p)}
    actions = [(f"benefits:{a.value}", ACTION_LABELS[a]) for a in available(b.state, held)]
    context = {
        "benefit": b,
        "performance": _with_rags(b, day),
        "kpis": [] if b.is_financial else selectors.kpi_years(b),
        "actuals": list(selectors.actuals_of(b)),
        "history": list(b.history.all()[:50]),
        "shares": list(b.shares.select_related("council")),
        "projects": list(b.projects.select_related("programme")),
        "slip": selectors.slips(Benefit.objects.filter(pk=b.pk)).get(b.pk),
        "banked": counts_towards_mtfp(b.kind, b.status),
        "actions": actions,
        "can_edit": can(request, Perm.EDIT_BENEFITS),
        "missing": services.validation_missing(b) if b.status == "identified" else (),
    }
    return render(request, "benefits/benefit.html", context)


def _with_rags(b: Benefit, day: dt.date) -> list[tuple[YearPerformance, str, str]]:
    """Each year's plan, actuals and forecast, with the RAG of the year's saving in the MTFP (its label and
    tag colour)."""
    if not b.is_financial:
        return []
    rags = selectors.saving_rags(b, day)
    out = []
    for y in selectors.performance_of(b, day):
        rag = rags.get(y.year.start_year)
        out.append((y, SAVING_RAG_LABELS[rag] if rag else "", SAVING_RAG_COLOURS[rag] if rag else ""))
    return out


def _form_page(request: HttpRequest, b: Benefit | None) -> HttpResponse:
    council = current_council(request)
    years = selectors.profile_years(b, council, today())
    partners = services.partners_of(council)
    profile = dict(b.profile.values_list("year", "planned")) if b else {}
    shares = {s.council_id: s.pct for s in b.shares.all()} if b else {}
    ask_confirm = request.method == "POST" and "confirm" in request.POST

    def make(confirm: bool) -> BenefitForm:
        return BenefitForm(
            request.POST or None,
            instance=b,
            council=council,
            years=years,
            partners=partners,
            profile=profile,
            shares=shares,
            ask_confirm=confirm,
        )

    form = make(ask_confirm)
    changed: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = services.BenefitInput(
            values={k: form.cleaned_data[k] for k in form.Meta.fields if k != "projects"},
            projects=list(form.cleaned_data["projects"]),
            profile=form.profile(),
            shares=form.shares(),
        )
        try:
            if b is None:
                saved = services.benefit_create(council=council, data=data, actor=request.user)
            else:
                saved = services.benefit_update(
                    benefit=b,
                    data=data,
                    actor=request.user,
                    role=role_of(request),
                    confirmed=bool(form.cleaned_data.get("confirm")),
                )
        except services.NeedsRevalidation as exc:
            changed = exc.changed
            form = make(True)
        except services.BenefitError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc))
        else:
            messages.success(request, f"{saved.reference} saved.")
            return redirect("benefits:benefit", council.slug, saved.pk)
    context = {
        "form": form,
        "benefit": b,
        "changed": changed,
        "title": f"Change {b.reference}" if b else "Add a benefit",
        "years": years,
        "partners": partners,
    }
    return render(request, "benefits/benefit_form.html", context)


@council_view(Perm.EDIT_BENEFITS)
def benefit_add(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@council_view(Perm.EDIT_BENEFITS)
def benefit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _form_page(request, benefit_or_404(request, pk))
