"""Every write of a staff time survey: create, edit, open and close it; a respondent saving and submitting.

A survey's life is draft -> open -> closed, each move made here, audited, and refused with a `SurveyError`
from the wrong state. Opening freezes the council's process list into the survey and creates one respondent
with a personal link per filled post, in a few batched inserts.

A respondent moves not started -> in progress (saved) -> submitted. Saving and submitting are single
conditional UPDATEs (`WHERE status <> 'submitted' AND the survey is open`), so a double submit or several
concurrent ones leave exactly one submission and never an error, on SQLite and on PostgreSQL. Respondents'
answers are not written to the audit log: the log is readable by every role, and answers are anonymous in
every report. The respondent row records when it was saved and submitted.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from wholecouncil.activity.models import Respondent, Survey, new_token
from wholecouncil.activity.services.processes import process_snapshot
from wholecouncil.activity.survey_answers import (
    HOURS_PLACES,
    AnswerCheck,
    check_answers,
    comment_text,
)
from wholecouncil.council.audit import Actor, audit_record, snapshot
from wholecouncil.council.models import Council
from wholecouncil.council.services import DomainError
from wholecouncil.workforce.models import Post

AUDITED = (
    "title",
    "introduction",
    "unit",
    "full_time_hours",
    "tolerance_hours",
    "closes_on",
)
# Settings that decide what respondents are asked; fixed once the survey is open.
FIXED_WHEN_OPEN = ("unit", "full_time_hours", "tolerance_hours")
BATCH_SIZE = 1000

OUTSTANDING = (Respondent.Status.NOT_STARTED, Respondent.Status.IN_PROGRESS)


class SurveyError(DomainError):
    """A change to a survey the domain refuses, with a message fit to show the user."""


class SurveyClosed(SurveyError):
    """The survey is not open, so it takes no answers; answers already saved stay saved."""


class AnswersInvalid(SurveyError):
    """The answers have problems (`check.problems`); nothing was saved."""

    def __init__(self, check: AnswerCheck) -> None:
        super().__init__("There is a problem with the answers")
        self.check = check


# --- the survey's life: create, edit, open, close -----------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    council: Council,
    title: str,
    actor: Actor,
    introduction: str = "",
    unit: str = Survey.Unit.HOURS,
    full_time_hours: Decimal = Decimal("37"),
    tolerance_hours: Decimal = Decimal("0.5"),
    closes_on: dt.date | None = None,
) -> Survey:
    """A draft survey sent by personal links. Nothing is sent until it is opened."""
    if unit not in Survey.Unit.values:
        raise SurveyError(f"'{unit}' is not a unit answers can be given in.")
    user: Any = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    survey = Survey.objects.create(
        council=council,
        title=title.strip(),
        introduction=introduction.strip(),
        source=Survey.Source.LINKS,
        unit=unit,
        full_time_hours=full_time_hours,
        tolerance_hours=tolerance_hours,
        closes_on=closes_on,
        created_by=user,
    )
    audit_record(
        council=council, actor=actor, action="survey.create", obj=survey, after=snapshot(survey, AUDITED)
    )
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, actor: Actor, **changes: Any) -> Survey:
    """Change a survey's settings. Its unit, full-time hours and tolerance are fixed once it is open."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status == Survey.Status.CLOSED:
        raise SurveyError("A closed survey cannot be changed.")
    before = snapshot(survey, AUDITED)
    changed = []
    for name, value in changes.items():
        if name not in AUDITED:
            raise SurveyError(f"'{name}' cannot be changed here.")
        value = value.strip() if isinstance(value, str) else value
        if getattr(survey, name) == value:
            continue
        if name in FIXED_WHEN_OPEN and survey.status != Survey.Status.DRAFT:
            raise SurveyError(
                "The unit, full-time hours and tolerance cannot change once the survey is open."
            )
        setattr(survey, name, value)
        changed.append(name)
    if not changed:
        return survey
    survey.save(update_fields=changed)
    after = snapshot(survey, AUDITED)
    if after != before:
        audit_record(
            council=survey.council,
            actor=actor,
            action="survey.update",
            obj=survey,
            before={k: v for k, v in before.items() if after[k] != v},
            after={k: v for k, v in after.items() if before[k] != v},
        )
    return survey


def frozen_processes(council: Council) -> list[dict[str, str]]:
    """The council's process list as a survey keeps it (`processes.process_snapshot`)."""
    return process_snapshot(council)


@transaction.atomic
def survey_open(*, survey: Survey, actor: Actor) -> int:
    """Open a draft survey: freeze the process list and create a personal link per filled post.

    Returns how many respondents were invited. The inserts are batched, so the number of queries grows by
    one per thousand posts.
    """
    survey = Survey.objects.select_for_update().select_related("council").get(pk=survey.pk)
    if survey.status != Survey.Status.DRAFT:
        raise SurveyError(f"Only a draft survey can be opened; this one is {survey.get_status_display()}.")
    if survey.source != Survey.Source.LINKS:
        raise SurveyError("A survey of imported responses has no personal links to open.")
    processes = frozen_processes(survey.council)
    if not processes:
        raise SurveyError("The council's process list is empty: add processes before opening a survey.")
    posts = list(
        Post.objects.filter(council=survey.council, vacant=False)
        .order_by("post_ref")
        .values_list("id", "post_ref", "org_unit_id", "job_title", "fte")
    )
    if not posts:
        raise SurveyError("There are no filled posts to invite: import the establishment first.")
    full_time = survey.full_time_hours
    Respondent.objects.bulk_create(
        (
            Respondent(
                survey=survey,
                ref=ref,
                token=new_token(),
                post_id=post_id,
                org_unit_id=unit_id,
                job_title=job_title,
                contracted_hours=(fte * full_time).quantize(HOURS_PLACES, rounding=ROUND_HALF_UP),
            )
            for post_id, ref, unit_id, job_title, fte in posts
        ),
        batch_size=BATCH_SIZE,
    )
    survey.status = Survey.Status.OPEN
    survey.processes = processes
    survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "processes", "opened_at"])
    audit_record(
        council=survey.council,
        actor=actor,
        action="survey.open",
        obj=survey,
        before={"status": Survey.Status.DRAFT.value},
        after={"status": survey.status, "respondents": len(posts), "processes": len(processes)},
    )
    return len(posts)


@transaction.atomic
def survey_close(*, survey: Survey, actor: Actor) -> Survey:
    """Close an open survey: links stop taking answers; everything submitted or saved is kept."""
    survey = Survey.objects.select_for_update().select_related("council").get(pk=survey.pk)
    if survey.status != Survey.Status.OPEN:
        raise SurveyError(f"Only an open survey can be closed; this one is {survey.get_status_display()}.")
    survey.status = Survey.Status.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at"])
    submitted = survey.respondents.filter(status=Respondent.Status.SUBMITTED).count()
    audit_record(
        council=survey.council,
        actor=actor,
        action="survey.close",
        obj=survey,
        before={"status": Survey.Status.OPEN.value},
        after={"status": survey.status, "submitted": submitted, "invited": survey.respondents.count()},
    )
    return survey


def links_exported(*, survey: Survey, actor: Actor, count: int, file_format: str) -> None:
    """Record that someone downloaded outstanding personal links: each link lets its holder answer."""
    audit_record(
        council=survey.council,
        actor=actor,
        action="survey.export_links",
        obj=survey,
        after={"links": count, "format": file_format},
    )


# --- a respondent's answers ---------------------------------------------------------------------------


def _write_answers(
    respondent: Respondent, *, status: str, answers: dict[str, float], comment: str, now: dt.datetime
) -> bool:
    """The one conditional UPDATE behind saving and submitting; True if it changed the row.

    It matches only while the respondent has not submitted and their survey is open, so of several
    simultaneous writes to one respondent at most one submission lands, and nothing lands after it (ADR 7).
    Written in SQL: it runs for every answer every member of staff sends, and the ORM would spend several
    times longer building it than the database spends running it.
    """
    ops = connection.ops
    respondents, surveys = ops.quote_name(Respondent._meta.db_table), ops.quote_name(Survey._meta.db_table)
    json_value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    stamp = ops.adapt_datetimefield_value(now)
    submitted = stamp if status == Respondent.Status.SUBMITTED else None
    # Only the table names are formatted in (from the models); every value is a bound parameter.
    sql = (
        f"UPDATE {respondents} SET status = %s, "  # noqa: S608
        f"answers = {json_value}, comment = %s, saved_at = %s, submitted_at = COALESCE(%s, submitted_at) "
        "WHERE id = %s AND status IN (%s, %s) "
        f"AND EXISTS (SELECT 1 FROM {surveys} s WHERE s.id = {respondents}.survey_id AND s.status = %s)"
    )
    params = [status, json.dumps(answers), comment, stamp, submitted, respondent.pk, *OUTSTANDING]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, Survey.Status.OPEN])
        return cursor.rowcount == 1


def _why_not_written(respondent: Respondent) -> bool:
    """After a conditional update changed nothing: True if already submitted; SurveyClosed if closed."""
    current = Respondent.objects.select_related("survey").get(pk=respondent.pk)
    if current.status == Respondent.Status.SUBMITTED:
        return True
    if current.survey.status != Survey.Status.OPEN:
        raise SurveyClosed("This survey has closed.")
    raise SurveyError("Your answers could not be saved. Try again.")  # pragma: no cover - no other cause


def respondent_save(*, respondent: Respondent, raw: Mapping[str, str], comment: str = "") -> AnswerCheck:
    """Keep a respondent's answers so far (status in progress). The total is not checked yet.

    Raises AnswersInvalid (nothing saved) when an answer is not a number or out of range, SurveyClosed when
    the survey is not open, and SurveyError when the answers were already submitted.
    """
    survey = respondent.survey
    if respondent.status == Respondent.Status.SUBMITTED:
        raise SurveyError("Your answers have already been sent.")
    if survey.status != Survey.Status.OPEN:
        raise SurveyClosed("This survey has closed.")
    check = check_answers(survey=survey, contracted_hours=respondent.contracted_hours, raw=raw, final=False)
    text = comment_text(comment, check)
    if not check.ok:
        raise AnswersInvalid(check)
    now = timezone.now()
    written = _write_answers(
        respondent, status=Respondent.Status.IN_PROGRESS, answers=check.answers, comment=text, now=now
    )
    if not written and _why_not_written(respondent):
        raise SurveyError("Your answers have already been sent.")
    respondent.status, respondent.answers, respondent.comment = (
        Respondent.Status.IN_PROGRESS,
        check.answers,
        text,
    )
    respondent.saved_at = now
    return check


def respondent_submit(*, respondent: Respondent, raw: Mapping[str, str], comment: str = "") -> bool:
    """Submit a respondent's answers, once. Returns True if this call submitted them.

    Idempotent: if they were already submitted (by an earlier request, or a concurrent one that won), nothing
    changes and the result is False. Raises AnswersInvalid (nothing saved) when the answers are wrong or do
    not add up, and SurveyClosed when the survey is not open.
    """
    survey = respondent.survey
    if respondent.status == Respondent.Status.SUBMITTED:
        return False
    if survey.status != Survey.Status.OPEN:
        raise SurveyClosed("This survey has closed.")
    check = check_answers(survey=survey, contracted_hours=respondent.contracted_hours, raw=raw, final=True)
    text = comment_text(comment, check)
    if not check.ok:
        raise AnswersInvalid(check)
    now = timezone.now()
    written = _write_answers(
        respondent, status=Respondent.Status.SUBMITTED, answers=check.answers, comment=text, now=now
    )
    if not written:
        _why_not_written(respondent)
        respondent.refresh_from_db()
        return False
    respondent.status, respondent.answers, respondent.comment = (
        Respondent.Status.SUBMITTED,
        check.answers,
        text,
    )
    respondent.saved_at = respondent.submitted_at = now
    return True
