"""Finance's decisions: supplier merges, duplicate candidates and category rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.spend import selectors, services
from wholecouncil.spend.forms import DuplicateReviewForm, MergeDecisionForm, RuleForm, error_list
from wholecouncil.spend.models import CategoryRule, DuplicateCandidate, MergeDecision

PER_PAGE = 25


@council_view(Perm.VIEW)
def merges(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    status = request.GET.get("status", MergeDecision.Status.PROPOSED)
    if status not in MergeDecision.Status.values:
        status = MergeDecision.Status.PROPOSED
    page = Paginator(selectors.merge_proposals(council, status), PER_PAGE).get_page(request.GET.get("page"))
    ids = {i for m in page for i in (m.first_id, m.second_id) if i}
    context = {
        "page": page,
        "status": status,
        "statuses": MergeDecision.Status.choices,
        "names": selectors.names_of(council, ids),
        "spend": selectors.supplier_spend(council, ids),
        "can_review": can(request, Perm.REVIEW_SPEND),
    }
    return render(request, "spend/merges.html", context)


@council_view(Perm.REVIEW_SPEND)
@require_POST
def merge_decide(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    try:
        decision = selectors.merge_get(council, pk)
    except MergeDecision.DoesNotExist:
        messages.error(
            request,
            "That proposal is no longer listed: a later import changed the proposals. Nothing was decided.",
        )
        return redirect("spend:merges", council.slug)
    form = MergeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to merge the suppliers or keep them apart.")
    else:
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.merge_decide(decision=decision, accept=accept, actor=request.user)
        except services.SupplierError as exc:
            messages.error(request, str(exc))
        else:
            done = "Merged" if accept else "Kept apart"
            messages.success(request, f"{done}: {decision.first_key} and {decision.second_key}.")
    return redirect("spend:merges", council.slug)


@council_view(Perm.VIEW)
def duplicates(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    outcome = request.GET.get("outcome", DuplicateCandidate.Outcome.OPEN)
    if outcome not in DuplicateCandidate.Outcome.values:
        outcome = DuplicateCandidate.Outcome.OPEN
    page = Paginator(selectors.duplicates(council, outcome), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "outcome": outcome,
        "outcomes": DuplicateCandidate.Outcome.choices,
        "counts": selectors.duplicate_counts(council),
        "can_review": can(request, Perm.REVIEW_SPEND),
    }
    return render(request, "spend/duplicates.html", context)


@council_view(Perm.VIEW)
def duplicate_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Anyone in the council sees the candidate and its outcome; finance and admins review it (POST)."""
    council = current_council(request)
    can_review = can(request, Perm.REVIEW_SPEND)
    if request.method == "POST" and not can_review:
        raise PermissionDenied("Your role cannot review duplicate payments.")
    try:
        candidate = selectors.duplicate_get(council, pk)
    except DuplicateCandidate.DoesNotExist as exc:
        if request.method != "POST":
            raise Http404("No such candidate") from exc
        note = " ".join(request.POST.get("note", "").split())[:500]
        messages.error(
            request,
            "That possible duplicate is no longer listed: a later import or merge decision changed the "
            "candidates, and the review was not recorded." + (f" Your note was: {note}" if note else ""),
        )
        return redirect("spend:duplicates", council.slug)
    form = DuplicateReviewForm(request.POST or None, candidate=candidate)
    if request.method == "POST" and form.is_valid():
        try:
            services.duplicate_review(
                candidate=candidate,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except services.DuplicateError as exc:
            form.add_error("outcome", str(exc))
        else:
            messages.success(request, "Review recorded.")
            return redirect("spend:duplicates", council.slug)
    context = {
        "candidate": candidate,
        "form": form if can_review else None,
        "errors": error_list([form]),
    }
    return render(request, "spend/duplicate_review.html", context)


@council_view(Perm.REVIEW_SPEND)
def rule_add(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.category_rule_add(
                council=council,
                field=form.cleaned_data["field"],
                contains=form.cleaned_data["contains"],
                category_name=form.cleaned_data["category"],
                actor=request.user,
            )
        except services.CategoryError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                "Rule added. Every payment without a category from its file now takes the first rule that "
                "matches it, before any proposal from history.",
            )
            return redirect("spend:categories", council.slug)
    return render(request, "spend/rule_form.html", {"form": form})


@council_view(Perm.REVIEW_SPEND)
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    try:
        rule = CategoryRule.objects.select_related("council", "category").get(council=council, pk=pk)
    except CategoryRule.DoesNotExist as exc:
        raise Http404("No such rule") from exc
    services.category_rule_delete(rule=rule, actor=request.user)
    messages.success(request, "Rule removed; payments it categorised were worked out again.")
    return redirect("spend:categories", council.slug)
