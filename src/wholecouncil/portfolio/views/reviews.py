"""Reprioritisation reviews: choose projects, decide each, conclude and see the capacity released."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.engine.capacity import Capacity, released
from wholecouncil.portfolio.forms import ReviewForm, ReviewItemForm
from wholecouncil.portfolio.models import ReprioritisationReview, ReviewItem
from wholecouncil.portfolio.views.common import own


@council_view(Perm.VIEW)
def reviews(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    return render(
        request,
        "portfolio/reviews.html",
        {"reviews": list(selectors.reviews(council)), "can_manage": can(request, Perm.MANAGE_PORTFOLIO)},
    )


@council_view(Perm.MANAGE_PORTFOLIO)
def review_add(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = ReviewForm(request.POST or None)
    candidates = list(selectors.projects(council).filter(status__in=selectors.OPEN_STATUSES).order_by("code"))
    chosen = set(request.POST.getlist("projects")) if request.method == "POST" else set()
    error = ""
    if request.method == "POST" and form.is_valid():
        picked = [p for p in candidates if str(p.pk) in chosen]
        try:
            review = services.review_create(
                council=council, projects=picked, actor=request.user, **form.cleaned_data
            )
        except services.PortfolioDomainError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Review started with {len(picked)} projects.")
            return redirect("portfolio:review", council.slug, review.pk)
    context = {"form": form, "candidates": candidates, "chosen": chosen, "projects_error": error}
    return render(request, "portfolio/review_form.html", context)


@council_view(Perm.VIEW)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    obj = own(request, ReprioritisationReview, pk)
    items = list(obj.items.select_related("project", "programme", "workstream"))
    if obj.status == ReprioritisationReview.Status.DRAFT:
        capacity = services.capacity_of([i.project for i in items])
        rows = [(i, capacity[i.project_id]) for i in items]
        total = released((i.outcome, c) for i, c in rows if i.outcome)
    else:
        rows = [(i, Capacity(i.people, i.fte, i.budget)) for i in items]
        total = Capacity(obj.released_people, obj.released_fte, obj.released_budget)
    outcomes: dict[str, int] = {}
    for i in items:
        label = i.get_outcome_display() or "Not decided"
        outcomes[label] = outcomes.get(label, 0) + 1
    context = {
        "review": obj,
        "rows": rows,
        "total": total,
        "outcomes": sorted(outcomes.items()),
        "can_manage": can(request, Perm.MANAGE_PORTFOLIO)
        and obj.status == ReprioritisationReview.Status.DRAFT,
    }
    return render(request, "portfolio/review.html", context)


@council_view(Perm.MANAGE_PORTFOLIO)
def review_item(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    item = (
        ReviewItem.objects.select_related("review", "project").filter(review__council=council, pk=pk).first()
    )
    if item is None:
        raise Http404("No such item")
    initial = {
        "outcome": item.outcome,
        "rationale": item.rationale,
        "programme": item.programme_id,
        "workstream": item.workstream_id,
    }
    form = ReviewItemForm(request.POST or None, council=council, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_item_set(item=item, data=form.cleaned_data, actor=request.user)
        except services.PortfolioDomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Outcome for {item.project.code} saved.")
            return redirect("portfolio:review", council.slug, item.review_id)
    return render(
        request,
        "portfolio/form.html",
        {
            "form": form,
            "title": f"Decide {item.project.code}",
            "caption": item.review.name,
            "intro": str(item.project),
            "back_review": item.review,
        },
    )


@council_view(Perm.MANAGE_PORTFOLIO)
@require_POST
def review_conclude(request: HttpRequest, pk: int) -> HttpResponse:
    obj = own(request, ReprioritisationReview, pk)
    try:
        services.review_conclude(review=obj, actor=request.user)
    except services.PortfolioDomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Review concluded: pauses, stops and alignments applied.")
    return redirect("portfolio:review", current_council(request).slug, obj.pk)
