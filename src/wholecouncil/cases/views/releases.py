"""A case's releases: add, change and remove the named releases lines can be phased by."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from wholecouncil.accounts.roles import Perm
from wholecouncil.cases import release_services, selectors
from wholecouncil.cases.case_forms import ReleaseForm
from wholecouncil.cases.models import BusinessCase, Release
from wholecouncil.cases.services import CaseInputError
from wholecouncil.council.permissions import council_view, current_council

EDIT = Perm.EDIT_CASE


def _back(case: BusinessCase) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("cases:case", args=[case.council.slug, case.pk]) + "#releases")


def _release_page(request: HttpRequest, pk: int, release_pk: int | None) -> HttpResponse:
    case = selectors.case_get(current_council(request), pk)
    release = get_object_or_404(Release.objects.filter(case=case), pk=release_pk) if release_pk else None
    initial = (
        {"code": release.code, "name": release.name, "go_live_year": release.go_live_year} if release else {}
    )
    form = ReleaseForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if release is None:
                release_services.release_create(case=case, actor=request.user, **form.cleaned_data)
            else:
                release_services.release_update(release=release, actor=request.user, **form.cleaned_data)
        except CaseInputError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Release {form.cleaned_data['code']} saved.")
            return _back(case)
    return render(request, "cases/release_form.html", {"form": form, "case": case, "release": release})


@council_view(EDIT)
def release_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _release_page(request, pk, None)


@council_view(EDIT)
def release_edit(request: HttpRequest, pk: int, release_pk: int) -> HttpResponse:
    return _release_page(request, pk, release_pk)


@council_view(EDIT)
def release_delete(request: HttpRequest, pk: int, release_pk: int) -> HttpResponse:
    case = selectors.case_get(current_council(request), pk)
    release = get_object_or_404(Release.objects.filter(case=case), pk=release_pk)
    error = ""
    if request.method == "POST":
        try:
            release_services.release_delete(release=release, actor=request.user)
        except CaseInputError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Release {release.code} removed.")
            return _back(case)
    return render(
        request,
        "web/confirm_remove.html",
        {
            "obj": release,
            "label": "release",
            "error": error,
            "cancel": reverse("cases:case", args=[case.council.slug, case.pk]),
        },
    )
