"""Running a staff time survey: the list, creating and editing, opening, response rates, reminders, closing.

Anyone in the council sees the surveys and their response rates; creating, opening, closing and downloading
personal links need RUN_SURVEY (a link lets whoever holds it answer as that person).
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from wholecouncil.accounts.roles import Perm
from wholecouncil.activity import selectors_survey as selectors
from wholecouncil.activity.engine import DEFAULT_MINIMUM
from wholecouncil.activity.forms_survey import SurveyForm
from wholecouncil.activity.models import Survey
from wholecouncil.activity.services import survey as services
from wholecouncil.council.permissions import can, council_view, current_council
from wholecouncil.tabular.xlsx import new_workbook

LINK_HEADERS = ["ref", "directorate", "unit", "job_title", "status", "link"]


def _survey(request: HttpRequest, pk: int) -> Survey:
    try:
        return selectors.survey_get(current_council(request), pk)
    except Survey.DoesNotExist as exc:
        raise Http404("No such survey") from exc


def _detail(request: HttpRequest, survey: Survey) -> HttpResponse:
    return redirect("activity:survey_detail", current_council(request).slug, survey.pk)


@council_view(Perm.VIEW)
@require_GET
def surveys(request: HttpRequest) -> HttpResponse:
    council = current_council(request)
    context = {
        "surveys": selectors.surveys_for(council),
        "can_run": can(request, Perm.RUN_SURVEY),
        "minimum": DEFAULT_MINIMUM,
    }
    return render(request, "activity/survey/list.html", context)


@council_view(Perm.RUN_SURVEY)
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, initial={"unit": Survey.Unit.HOURS})
    if request.method == "POST" and form.is_valid():
        survey = services.survey_create(
            council=current_council(request), actor=request.user, **form.settings()
        )
        messages.success(request, "Survey created as a draft. Check it, then open it to create the links.")
        return _detail(request, survey)
    return render(request, "activity/survey/edit.html", {"form": form, "survey": None})


@council_view(Perm.RUN_SURVEY)
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if survey.status == Survey.Status.CLOSED or survey.source != Survey.Source.LINKS:
        messages.error(request, "This survey can no longer be changed.")
        return _detail(request, survey)
    fixed = survey.status != Survey.Status.DRAFT
    form = SurveyForm(request.POST or None, initial=SurveyForm.initial_for(survey), fixed=fixed)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(survey=survey, actor=request.user, **form.settings())
        except services.SurveyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Survey details saved.")
            return _detail(request, survey)
    return render(request, "activity/survey/edit.html", {"form": form, "survey": survey})


@council_view(Perm.VIEW)
@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    rates = selectors.response_rates(survey)
    context = {
        "survey": survey,
        "rates": rates,
        "can_run": can(request, Perm.RUN_SURVEY),
        "processes": len(survey.processes),
        "past_closing": bool(survey.closes_on and survey.closes_on < timezone.localdate()),
    }
    return render(request, "activity/survey/detail.html", context)


@council_view(Perm.RUN_SURVEY)
@require_http_methods(["GET", "POST"])
def survey_open(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if survey.status != Survey.Status.DRAFT:
        return _detail(request, survey)
    council = current_council(request)
    error = ""
    if request.method == "POST":
        try:
            invited = services.survey_open(survey=survey, actor=request.user)
        except services.SurveyError as exc:
            error = str(exc)
        else:
            messages.success(
                request, f"Survey opened: {invited:,} personal link{pluralize(invited)} created."
            )
            return _detail(request, survey)
    context = {
        "survey": survey,
        "posts": selectors.invitable_posts(council),
        "processes": selectors.processes_to_freeze(council),
        "error": error,
    }
    return render(request, "activity/survey/open.html", context)


@council_view(Perm.RUN_SURVEY)
@require_http_methods(["GET", "POST"])
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    if survey.status != Survey.Status.OPEN:
        return _detail(request, survey)
    if request.method == "POST":
        try:
            services.survey_close(survey=survey, actor=request.user)
        except services.SurveyError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Survey closed. Links no longer take answers.")
        return _detail(request, survey)
    rates = selectors.response_rates(survey)
    return render(request, "activity/survey/close.html", {"survey": survey, "rates": rates})


@council_view(Perm.RUN_SURVEY)
@require_GET
def survey_reminders(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    rates = selectors.response_rates(survey)
    return render(request, "activity/survey/reminders.html", {"survey": survey, "rates": rates})


def _link_rows(request: HttpRequest, survey: Survey) -> list[list[str]]:
    if survey.status != Survey.Status.OPEN:
        raise Http404("Links are only given out while the survey is open")
    base = request.build_absolute_uri(reverse("respond:answer", args=["TOKEN"]))
    return [
        [r.ref, r.directorate, r.unit, r.job_title, r.status, base.replace("TOKEN", r.token)]
        for r in selectors.outstanding_links(survey)
    ]


def _file_name(survey: Survey, extension: str) -> str:
    return f"survey-{survey.pk}-outstanding-links-{timezone.localdate().isoformat()}.{extension}"


def _spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not read as a formula (a unit or job title starting with =, +, - or @)."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


@council_view(Perm.RUN_SURVEY)
@require_GET
def survey_links_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    rows = _link_rows(request, survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(LINK_HEADERS)
    writer.writerows([_spreadsheet_safe(cell) for cell in row] for row in rows)
    services.links_exported(survey=survey, actor=request.user, count=len(rows), file_format="csv")
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(survey, "csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@council_view(Perm.RUN_SURVEY)
@require_GET
def survey_links_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    rows = _link_rows(request, survey)
    buffer = io.BytesIO()
    workbook = new_workbook(buffer)
    sheet = workbook.add_worksheet("Outstanding links")
    bold = workbook.add_format({"bold": True})
    for col, header in enumerate(LINK_HEADERS):
        sheet.write_string(0, col, header, bold)
    for r, row in enumerate(rows, start=1):
        for col, cell in enumerate(row):
            sheet.write_string(r, col, cell)  # always text: nothing is read as a formula
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 4, 30)
    sheet.set_column(5, 5, 70)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(LINK_HEADERS) - 1)
    workbook.close()
    services.links_exported(survey=survey, actor=request.user, count=len(rows), file_format="xlsx")
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(survey, "xlsx")}"'
    response["Cache-Control"] = "no-store"
    return response
