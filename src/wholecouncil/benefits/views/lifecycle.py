"""One page per lifecycle move: what it means, the reason the rules would refuse it, and the form."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wholecouncil.accounts.roles import Perm
from wholecouncil.benefits import services
from wholecouncil.benefits.engine.lifecycle import ACTION_HINTS, ACTION_LABELS, NEEDS, Action, refusal
from wholecouncil.benefits.forms import TransitionForm
from wholecouncil.benefits.services.lifecycle import facts_for
from wholecouncil.benefits.views.common import benefit_or_404, role_of
from wholecouncil.council.permissions import council_view, current_council

View = Callable[..., HttpResponse]


def _page(request: HttpRequest, pk: int, action: Action) -> HttpResponse:
    council = current_council(request)
    b = benefit_or_404(request, pk)
    form = TransitionForm(request.POST if request.method == "POST" else None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.benefit_transition(
                benefit=b,
                action=action,
                actor=request.user,
                role=role_of(request),
                reason=form.cleaned_data.get("reason", ""),
                evidence=form.cleaned_data.get("evidence", ""),
            )
        except services.BenefitError as exc:
            form.add_error(None, str(exc))
        else:
            b.refresh_from_db()
            messages.success(request, f"{b.reference}: {ACTION_LABELS[action].lower()} recorded.")
            return redirect("benefits:benefit", council.slug, b.pk)
    # Say up front why the move would be refused, apart from what the form itself asks for.
    facts = facts_for(b, action, actor=request.user, role=role_of(request), reason="-", evidence="-")
    blocked = refusal(b.state, action, facts) if request.method == "GET" else None
    context = {
        "benefit": b,
        "form": form,
        "title": ACTION_LABELS[action],
        "hint": ACTION_HINTS[action],
        "blocked": blocked,
    }
    return render(request, "benefits/transition.html", context)


def _view(action: Action) -> View:
    needed = {"benefits.edit": Perm.EDIT_BENEFITS, "benefits.validate": Perm.VALIDATE_BENEFITS}.get(
        NEEDS[action].value, Perm.SIGN_OFF_BENEFITS
    )

    @council_view(needed)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _page(request, pk, action)

    view.__name__ = f"benefit_{action.value}"
    view.__qualname__ = view.__name__
    return view


TRANSITION_VIEWS: dict[Action, View] = {a: _view(a) for a in Action if a is not Action.REVALIDATE}
