"""The respondent's pages: answering through a personal link, with no account."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.services import survey as services
from wholecouncil.activity.tests.survey_factories import full_week, open_survey, respondent
from wholecouncil.council.models import Council

pytestmark = pytest.mark.django_db


def form_url(r: Respondent) -> str:
    return reverse("respond:answer", args=[r.token])


def sent_url(r: Respondent) -> str:
    return reverse("respond:sent", args=[r.token])


def answers(values: dict[str, str], action: str = "submit", comment: str = "") -> dict[str, str]:
    return {**{f"p-{code}": v for code, v in values.items()}, "action": action, "comment": comment}


@pytest.fixture
def survey(council: Council) -> Survey:
    return open_survey(council)


@pytest.fixture
def person(survey: Survey) -> Respondent:
    return respondent(survey)


def test_the_form_shows_every_process_by_layer_and_only_this_person(
    client: Client, survey: Survey, person: Respondent
) -> None:
    response = client.get(form_url(person))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"<strong>{person.job_title}</strong> in <strong>{person.org_unit.name}</strong>" in text
    for process in survey.processes:
        assert f'id="p-{process["code"]}"' in text
    assert "Customer management" in text and "<legend" in text
    assert "contracted 37 hours a week, give or take 0.5" in text
    others = Respondent.objects.filter(survey=survey).exclude(pk=person.pk)
    assert not any(o.job_title in text or o.token in text for o in others)
    assert 'aria-label="Menu"' not in text and "Sign out" not in text
    assert response["Cache-Control"].startswith("max-age=0") and "no-store" in response["Cache-Control"]
    assert "wc/survey.js" in text


def test_save_then_come_back_then_submit(client: Client, person: Respondent) -> None:
    response = client.post(form_url(person), answers({"enquiries": "20", "hr": ""}, "save", "note"))
    assert response.status_code == 302 and response["Location"] == form_url(person)
    back = client.get(form_url(person)).content.decode()
    assert "Your answers have been saved" in back
    assert "You last saved your answers on" in back and "They have not been sent yet." in back
    assert 'id="p-enquiries" name="p-enquiries" type="text"' in back and 'value="20"' in back
    assert ">note</textarea>" in back
    assert "17 hours left to account for" in back
    person.refresh_from_db()
    assert person.status == Respondent.Status.IN_PROGRESS
    response = client.post(form_url(person), answers({"enquiries": "20", "hr": "17"}, comment="note"))
    assert response.status_code == 302 and response["Location"] == sent_url(person)
    done = client.get(sent_url(person)).content.decode()
    assert "Your answers have been sent" in done and "Handling enquiries" in done and ">37<" in done
    person.refresh_from_db()
    assert person.status == Respondent.Status.SUBMITTED and person.answers == {"enquiries": 20.0, "hr": 17.0}


def test_errors_are_summarised_and_name_the_fields(client: Client, person: Respondent) -> None:
    response = client.post(form_url(person), answers({"enquiries": "lots", "hr": "-2", "finance": "3"}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Error: " in text and "There is a problem" in text
    assert '<a href="#p-enquiries">Hours for Handling enquiries must be a number, like 7.5</a>' in text
    assert "Hours for HR and recruitment cannot be less than 0" in text
    assert 'value="lots"' in text and 'aria-describedby="p-enquiries-hint p-enquiries-error"' in text
    person.refresh_from_db()
    assert person.status == Respondent.Status.NOT_STARTED and person.answers == {}
    short = client.post(form_url(person), answers({"enquiries": "30"})).content.decode()
    assert "Your hours add up to 30 but must add up to your contracted 37 hours, give or take 0.5" in short
    assert "wc-survey-total--error" in short


def test_a_double_submit_shows_the_same_confirmation_and_changes_nothing(
    client: Client, person: Respondent
) -> None:
    first = client.post(form_url(person), answers(full_week(), comment="one"))
    person.refresh_from_db()
    kept = (person.answers, person.comment, person.submitted_at)
    second = client.post(form_url(person), answers({"hr": "37"}, comment="two"))
    assert first["Location"] == second["Location"] == sent_url(person)
    person.refresh_from_db()
    assert (person.answers, person.comment, person.submitted_at) == kept
    assert client.get(form_url(person))["Location"] == sent_url(person)


def test_a_closed_survey_refuses_politely(client: Client, survey: Survey, person: Respondent) -> None:
    client.post(form_url(person), answers({"enquiries": "5"}, "save"))
    services.survey_close(survey=survey, actor=None)
    for response in (client.get(form_url(person)), client.post(form_url(person), answers(full_week()))):
        assert response.status_code == 200
        text = response.content.decode()
        assert "This survey has closed" in text and "The answers you saved have been kept" in text
    person.refresh_from_db()
    assert person.status == Respondent.Status.IN_PROGRESS and person.answers == {"enquiries": 5.0}


def test_unknown_tokens_are_not_found(client: Client, person: Respondent) -> None:
    for token in ("nope", person.token[:-1], person.token + "x", "x" * 200):
        page = client.get(reverse("respond:answer", args=[token]))
        assert page.status_code == 404 and b"Survey link not recognised" in page.content
        assert b"Testshire" not in page.content
        assert client.post(reverse("respond:answer", args=[token]), answers(full_week())).status_code == 404
        assert client.get(reverse("respond:sent", args=[token])).status_code == 404


def test_a_link_opens_only_its_own_respondent(
    client: Client, council: Council, make_council: Callable[..., Council], person: Respondent
) -> None:
    other = respondent(open_survey(make_council(slug="otherton", name="Otherton Council")))
    text = client.get(form_url(other)).content.decode()
    assert "Otherton Council" in text and "Testshire" not in text
    client.post(form_url(other), answers(full_week()))
    other.refresh_from_db()
    person.refresh_from_db()
    assert other.status == Respondent.Status.SUBMITTED and person.status == Respondent.Status.NOT_STARTED
    # A token is not a key to anything else: council pages still need signing in.
    for path in (
        reverse("activity:surveys", args=[council.slug]),
        reverse("activity:survey_detail", args=["otherton", other.survey_id]),
    ):
        assert client.get(path).status_code == 302
    assert client.get(sent_url(person))["Location"] == form_url(person)


def test_the_sent_page_waits_for_a_submission(client: Client, person: Respondent) -> None:
    assert client.get(sent_url(person))["Location"] == form_url(person)


def test_the_form_needs_the_csrf_token(person: Respondent) -> None:
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(form_url(person), answers(full_week())).status_code == 403
    page = browser.get(form_url(person))
    token = page.context["csrf_token"]
    response = browser.post(form_url(person), {**answers(full_week()), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.status == Respondent.Status.SUBMITTED


def test_percent_survey_form(client: Client, council: Council) -> None:
    survey = open_survey(council, unit=Survey.Unit.PERCENT)
    person = respondent(survey, contracted="18.50")
    text = client.get(form_url(person)).content.decode()
    assert "Your percentages must add up to 100%." in text and "% left to account for" in text
    response = client.post(form_url(person), answers({"enquiries": "50", "hr": "50%"}))
    assert response.status_code == 302
    done = client.get(sent_url(person)).content.decode()
    assert "Percentage of your week" in done and "100%" in done


def test_a_signed_in_user_answering_sees_no_council_navigation(
    council: Council, client_for: Callable[..., Client], person: Respondent
) -> None:
    client = client_for(council, Role.ADMIN)
    text = client.get(form_url(person)).content.decode()
    assert 'aria-label="Menu"' not in text and "Sign out" not in text


def test_sending_answers_reads_one_row_and_writes_one(
    client: Client, person: Respondent, django_assert_num_queries: Callable[..., object]
) -> None:
    """Every member of staff sends answers, so the submission is one SELECT and one conditional UPDATE."""
    with django_assert_num_queries(2):  # type: ignore[attr-defined]
        response = client.post(form_url(person), answers(full_week(), comment="Mostly phones"))
    assert response["Location"] == sent_url(person)
    person.refresh_from_db()
    assert person.status == Respondent.Status.SUBMITTED and person.comment == "Mostly phones"
    assert person.answers == {"enquiries": 27.75, "hr": 9.25}


def test_the_answers_read_for_sending_are_the_stored_ones(person: Respondent) -> None:
    from wholecouncil.activity.selectors_survey import respondent_by_token

    quick = respondent_by_token(person.token, for_page=False)
    full = Respondent.objects.select_related("survey").get(pk=person.pk)
    assert (quick.pk, quick.status, quick.contracted_hours, quick.survey_id) == (
        full.pk,
        full.status,
        full.contracted_hours,
        full.survey_id,
    )
    survey = quick.survey
    assert (survey.status, survey.unit, survey.tolerance_hours, survey.processes) == (
        full.survey.status,
        full.survey.unit,
        full.survey.tolerance_hours,
        full.survey.processes,
    )
    assert survey.title == full.survey.title  # fields not read at first are loaded when used
    with pytest.raises(Respondent.DoesNotExist):
        respondent_by_token("no-such-token", for_page=False)
