"""Running a survey: creating, opening (one link per filled post), saving, submitting once, closing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wholecouncil.activity.models import Process, Respondent, Survey
from wholecouncil.activity.services import survey as services
from wholecouncil.activity.survey_answers import Problem, number
from wholecouncil.activity.tests.survey_factories import full_week, open_survey, respondent, staff
from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.workforce.models import Post

pytestmark = pytest.mark.django_db


def test_create_makes_a_draft_and_audits_it(council: Council) -> None:
    survey = services.survey_create(council=council, title="  Spring survey ", actor=None)
    assert survey.status == Survey.Status.DRAFT
    assert survey.title == "Spring survey"
    assert survey.full_time_hours == Decimal("37")
    assert not survey.respondents.exists()
    event = AuditEvent.objects.get(council=council, action="survey.create")
    assert event.after["title"] == "Spring survey"


def test_opening_invites_one_respondent_per_filled_post(council: Council) -> None:
    staff(council, 12)
    survey = services.survey_create(council=council, title="S", actor=None, full_time_hours=Decimal("36"))
    invited = services.survey_open(survey=survey, actor=None)
    filled = Post.objects.filter(council=council, vacant=False)
    assert invited == filled.count() == 9
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.opened_at is not None
    by_ref = {r.ref: r for r in survey.respondents.all()}
    assert set(by_ref) == set(filled.values_list("post_ref", flat=True))
    for post in filled:
        r = by_ref[post.post_ref]
        assert r.post_id == post.pk and r.org_unit_id == post.org_unit_id and r.job_title == post.job_title
        assert r.contracted_hours == post.fte * Decimal("36")
        assert r.status == Respondent.Status.NOT_STARTED
        assert r.token and len(r.token) >= 32
    assert len({r.token for r in by_ref.values()}) == 9
    event = AuditEvent.objects.get(council=council, action="survey.open")
    assert event.after == {"status": "open", "respondents": 9, "processes": len(survey.processes)}


def test_opening_freezes_the_process_list(council: Council) -> None:
    survey = open_survey(council)
    assert len(survey.processes) == Process.objects.filter(council=council).count() >= 35
    first = survey.processes[0]
    assert set(first) >= {"code", "name", "description", "layer", "layer_code"}
    Process.objects.filter(council=council, code=first["code"]).update(name="Renamed later")
    survey.refresh_from_db()
    assert survey.processes[0]["name"] == first["name"]


def test_opening_thousands_of_posts_takes_a_handful_of_queries(council: Council) -> None:
    staff(council, 2500, vacant_every=0)
    survey = services.survey_create(council=council, title="S", actor=None)
    with CaptureQueriesContext(connection) as queries:
        assert services.survey_open(survey=survey, actor=None) == 2500
    # Inserts are batched: 1,000 rows a statement on PostgreSQL, fewer on SQLite (its variable limit).
    assert len(queries) < 60


def test_only_a_draft_opens_and_only_an_open_survey_closes(council: Council) -> None:
    survey = open_survey(council)
    with pytest.raises(services.SurveyError, match="Only a draft"):
        services.survey_open(survey=survey, actor=None)
    services.survey_close(survey=survey, actor=None)
    with pytest.raises(services.SurveyError, match="Only an open"):
        services.survey_close(survey=survey, actor=None)
    assert AuditEvent.objects.filter(council=council, action="survey.close").count() == 1


def test_opening_with_no_filled_posts_is_refused(council: Council) -> None:
    survey = services.survey_create(council=council, title="S", actor=None)
    with pytest.raises(services.SurveyError, match="no filled posts"):
        services.survey_open(survey=survey, actor=None)
    survey.refresh_from_db()
    assert survey.status == Survey.Status.DRAFT


def test_what_respondents_are_asked_is_fixed_once_open(council: Council) -> None:
    survey = open_survey(council)
    services.survey_update(survey=survey, actor=None, title="New title", closes_on=None)
    with pytest.raises(services.SurveyError, match="cannot change once the survey is open"):
        services.survey_update(survey=survey, actor=None, tolerance_hours=Decimal("2"))
    services.survey_update(survey=survey, actor=None, tolerance_hours=Decimal("0.50"))  # unchanged: fine
    event = AuditEvent.objects.get(council=council, action="survey.update")
    assert event.before == {"title": "Where our time goes"} and event.after == {"title": "New title"}


def test_save_keeps_answers_without_checking_the_total(council: Council) -> None:
    survey = open_survey(council)
    r = respondent(survey)
    services.respondent_save(respondent=r, raw={"enquiries": "10", "hr": " 2.5 "}, comment=" later ")
    r.refresh_from_db()
    assert r.status == Respondent.Status.IN_PROGRESS
    assert r.answers == {"enquiries": 10.0, "hr": 2.5}
    assert r.comment == "later" and r.saved_at is not None and r.submitted_at is None


def test_submit_checks_the_total_against_contracted_hours(council: Council) -> None:
    survey = open_survey(council)
    r = respondent(survey)
    with pytest.raises(services.AnswersInvalid) as caught:
        services.respondent_submit(respondent=r, raw={"enquiries": "30"})
    assert caught.value.check.problems == [
        Problem(None, "Your hours add up to 30 but must add up to your contracted 37 hours, give or take 0.5")
    ]
    r.refresh_from_db()
    assert r.status == Respondent.Status.NOT_STARTED and r.answers == {}
    # Within the tolerance is accepted.
    assert services.respondent_submit(respondent=r, raw={"enquiries": "30", "hr": "6.5", "finance": "0.4"})
    r.refresh_from_db()
    assert r.status == Respondent.Status.SUBMITTED and r.submitted_at is not None


def test_a_part_time_respondent_answers_for_their_own_hours(council: Council) -> None:
    survey = open_survey(council)
    r = respondent(survey, contracted="18.50")
    with pytest.raises(services.AnswersInvalid):
        services.respondent_submit(respondent=r, raw=full_week("37"))
    assert services.respondent_submit(respondent=r, raw=full_week("18.5"))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "Hours for Handling enquiries cannot be less than 0"),
        ("seven", "Hours for Handling enquiries must be a number, like 7.5"),
        ("7,5", "Hours for Handling enquiries must be a number, like 7.5"),
        ("1e3", "Hours for Handling enquiries must be a number, like 7.5"),
        ("NaN", "Hours for Handling enquiries must be a number, like 7.5"),
        ("7.125", "Hours for Handling enquiries must have no more than 2 decimal places"),
        ("169", "Hours for Handling enquiries must be 168 or less"),
    ],
)
def test_answers_must_be_numbers_from_zero(council: Council, typed: str, message: str) -> None:
    survey = open_survey(council)
    r = respondent(survey)
    for write in (services.respondent_save, services.respondent_submit):
        with pytest.raises(services.AnswersInvalid) as caught:
            write(respondent=r, raw={"enquiries": typed, "hr": "30"})
        assert caught.value.check.problems == [Problem("enquiries", message)]
    r.refresh_from_db()
    assert r.status == Respondent.Status.NOT_STARTED


def test_percent_mode_adds_up_to_one_hundred(council: Council) -> None:
    survey = open_survey(council, unit=Survey.Unit.PERCENT, tolerance_hours=Decimal("1"))
    r = respondent(survey, contracted="18.50")
    with pytest.raises(services.AnswersInvalid) as caught:
        services.respondent_submit(respondent=r, raw={"enquiries": "60%", "hr": "30"})
    assert caught.value.check.problems[0].message == "Your percentages add up to 90% but must add up to 100%"
    with pytest.raises(services.AnswersInvalid) as caught:
        services.respondent_submit(respondent=r, raw={"enquiries": "101"})
    message = caught.value.check.problems[0].message
    assert message == "The percentage for Handling enquiries must be 100% or less"
    assert services.respondent_submit(respondent=r, raw={"enquiries": "60%", "hr": "39.5"})
    r.refresh_from_db()
    assert r.answers == {"enquiries": 60.0, "hr": 39.5}
    assert r.answer_hours(survey) == pytest.approx({"enquiries": 11.1, "hr": 7.3075})


def test_submitting_twice_changes_nothing(council: Council) -> None:
    survey = open_survey(council)
    r = respondent(survey)
    assert services.respondent_submit(respondent=r, raw=full_week(), comment="first") is True
    first = Respondent.objects.get(pk=r.pk)
    again = Respondent.objects.select_related("survey").get(pk=r.pk)
    assert services.respondent_submit(respondent=again, raw={"hr": "37"}, comment="second") is False
    # A stale copy (loaded before the first submission) cannot overwrite it either.
    stale = Respondent.objects.select_related("survey").get(pk=r.pk)
    stale.status = Respondent.Status.IN_PROGRESS
    assert services.respondent_submit(respondent=stale, raw={"hr": "37"}, comment="stale") is False
    after = Respondent.objects.get(pk=r.pk)
    assert (after.answers, after.comment, after.submitted_at) == (first.answers, "first", first.submitted_at)
    with pytest.raises(services.SurveyError, match="already been sent"):
        services.respondent_save(respondent=after, raw={"hr": "1"})
    stale.status = Respondent.Status.IN_PROGRESS
    with pytest.raises(services.SurveyError, match="already been sent"):
        services.respondent_save(respondent=stale, raw={"hr": "1"})
    assert Respondent.objects.get(pk=r.pk).answers == first.answers


def test_a_closed_survey_refuses_politely_and_keeps_saved_answers(council: Council) -> None:
    survey = open_survey(council)
    r = respondent(survey)
    services.respondent_save(respondent=r, raw={"enquiries": "5"})
    stale = Respondent.objects.select_related("survey").get(pk=r.pk)
    services.survey_close(survey=survey, actor=None)
    # The survey closed after this respondent's page was loaded: the write itself checks.
    with pytest.raises(services.SurveyClosed):
        services.respondent_submit(respondent=stale, raw=full_week())
    with pytest.raises(services.SurveyClosed):
        services.respondent_save(respondent=stale, raw={"enquiries": "9"})
    fresh = Respondent.objects.select_related("survey").get(pk=r.pk)
    with pytest.raises(services.SurveyClosed):
        services.respondent_submit(respondent=fresh, raw=full_week())
    assert fresh.status == Respondent.Status.IN_PROGRESS and fresh.answers == {"enquiries": 5.0}


def test_a_comment_has_a_length_limit(council: Council) -> None:
    survey = open_survey(council)
    r = respondent(survey)
    with pytest.raises(services.AnswersInvalid) as caught:
        services.respondent_submit(respondent=r, raw=full_week(), comment="x" * 2001)
    assert caught.value.check.problems == [
        Problem("comment", "Your comment must be 2,000 characters or fewer")
    ]


def test_answers_are_never_written_to_the_audit_log(council: Council) -> None:
    survey = open_survey(council)
    before = AuditEvent.objects.count()
    r = respondent(survey)
    services.respondent_save(respondent=r, raw={"enquiries": "5"}, comment="private")
    services.respondent_submit(respondent=r, raw=full_week(), comment="private")
    assert AuditEvent.objects.count() == before


def test_numbers_are_written_as_people_write_them() -> None:
    assert [number(v) for v in (7.5, 37, 0.25, Decimal("18.50"), 100.0, 0)] == [
        "7.5",
        "37",
        "0.25",
        "18.5",
        "100",
        "0",
    ]
