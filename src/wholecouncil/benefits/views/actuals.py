"""Recording monthly actuals with evidence, downloading an evidence file, and removing an actual."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from wholecouncil.accounts.roles import Perm
from wholecouncil.benefits import services
from wholecouncil.benefits.forms import ActualForm
from wholecouncil.benefits.models import MonthlyActual
from wholecouncil.benefits.views.common import benefit_or_404, today
from wholecouncil.council.permissions import council_view, current_council
from wholecouncil.web.files import stored_file_response


def _own_actual(request: HttpRequest, pk: int) -> MonthlyActual:
    found = (
        MonthlyActual.objects.filter(council=current_council(request), pk=pk)
        .select_related("benefit")
        .first()
    )
    if found is None:
        raise Http404("No such actual")
    return found


@council_view(Perm.EDIT_BENEFITS)
def actual_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = current_council(request)
    b = benefit_or_404(request, pk)
    form = ActualForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("attachment")
        attachment = services.Attachment(upload.name, upload.read()) if upload is not None else None
        try:
            services.actual_record(
                benefit=b,
                month=form.cleaned_data["month"],
                amount=form.cleaned_data["amount"],
                evidence=form.cleaned_data["evidence"],
                attachment=attachment,
                actor=request.user,
                today=today(),
            )
        except services.BenefitError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, str(exc))
        else:
            messages.success(request, f"Actual for {form.cleaned_data['month']:%B %Y} recorded.")
            return redirect("benefits:benefit", council.slug, b.pk)
    return render(request, "benefits/actual_form.html", {"benefit": b, "form": form})


@council_view(Perm.VIEW)
def actual_file(request: HttpRequest, pk: int) -> HttpResponse:
    actual = _own_actual(request, pk)
    if not actual.attachment_name or actual.attachment is None:
        raise Http404("No file")
    return stored_file_response(actual.attachment, actual.attachment_name, actual.attachment_type)


@council_view(Perm.EDIT_BENEFITS)
@require_POST
def actual_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actual = _own_actual(request, pk)
    benefit_pk = actual.benefit_id
    services.actual_delete(actual=actual, actor=request.user)
    messages.success(request, "Actual removed.")
    return redirect("benefits:benefit", current_council(request).slug, benefit_pk)
