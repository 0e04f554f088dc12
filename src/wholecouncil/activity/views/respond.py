"""The respondent's pages: a member of staff answers the survey through their personal link, with no account.

The link's token is the only key: it opens that one respondent's form and nothing else. Pages are never cached
(they hold a person's answers) and carry no council navigation.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wholecouncil.activity.engine import DEFAULT_MINIMUM
from wholecouncil.activity.forms_survey import FIELD_PREFIX, AnswerForm
from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.selectors_survey import respondent_by_token
from wholecouncil.activity.services import survey as services
from wholecouncil.activity.survey_answers import number
from wholecouncil.web.public import public

MAX_TOKEN = 64


class LinkNotFound(Exception):
    """No respondent has this token."""


def _respondent(token: str, *, for_page: bool = True) -> Respondent:
    if len(token) > MAX_TOKEN:
        raise LinkNotFound
    try:
        return respondent_by_token(token, for_page=for_page)
    except Respondent.DoesNotExist as exc:
        raise LinkNotFound from exc


def _not_found(request: HttpRequest) -> HttpResponse:
    """A 404 in words for staff, who have no account to go back to."""
    return render(request, "activity/respond/not_found.html", {}, status=404)


def _context(respondent: Respondent, **extra: object) -> dict[str, object]:
    survey = respondent.survey
    return {
        "respondent": respondent,
        "survey": survey,
        "survey_council": survey.council,
        "minimum": DEFAULT_MINIMUM,
        **extra,
    }


def _closed(request: HttpRequest, respondent: Respondent) -> HttpResponse:
    return render(request, "activity/respond/closed.html", _context(respondent))


@public
@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        respondent = _respondent(token, for_page=request.method != "POST")
    except LinkNotFound:
        return _not_found(request)
    survey = respondent.survey
    if respondent.status == Respondent.Status.SUBMITTED:
        return redirect("respond:sent", token)
    if survey.status != Survey.Status.OPEN:
        return _closed(request, respondent)
    if request.method != "POST":
        return render(
            request, "activity/respond/form.html", _context(respondent, form=AnswerForm(survey, respondent))
        )
    raw = {code: str(request.POST.get(FIELD_PREFIX + code, "")) for code in survey.process_codes}
    comment = str(request.POST.get("comment", ""))
    try:
        if request.POST.get("action") == "save":
            services.respondent_save(respondent=respondent, raw=raw, comment=comment)
            messages.success(request, "Your answers have been saved. Use your link to come back to them.")
            return redirect("respond:answer", token)
        services.respondent_submit(respondent=respondent, raw=raw, comment=comment)
    except services.AnswersInvalid as exc:
        form = AnswerForm(survey, respondent, data=request.POST)
        form.show(exc.check)
        return render(request, "activity/respond/form.html", _context(respondent, form=form))
    except services.SurveyClosed:
        return _closed(request, respondent)
    except services.SurveyError:
        pass  # already submitted: the confirmation says so
    return redirect("respond:sent", token)


@public
@login_not_required
@never_cache
@require_http_methods(["GET"])
def sent(request: HttpRequest, token: str) -> HttpResponse:
    try:
        respondent = _respondent(token)
    except LinkNotFound:
        return _not_found(request)
    if respondent.status != Respondent.Status.SUBMITTED:
        return redirect("respond:answer", token)
    survey = respondent.survey
    answers = respondent.answers or {}
    rows = [(p["name"], number(answers[p["code"]])) for p in survey.processes if p["code"] in answers]
    total = number(sum(float(v) for v in answers.values()))
    return render(request, "activity/respond/sent.html", _context(respondent, rows=rows, total=total))
