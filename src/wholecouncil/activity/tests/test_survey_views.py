"""Survey pages for council staff: who may do what, another council's surveys, rates, reminders, closing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from wholecouncil.accounts.roles import Role
from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.services import survey as services
from wholecouncil.activity.tests.survey_factories import full_week, open_survey, respondent, staff
from wholecouncil.council.models import AuditEvent, Council

pytestmark = pytest.mark.django_db


def url(name: str, survey: Survey | None = None, slug: str = "testshire") -> str:
    return reverse(f"activity:{name}", args=[slug] if survey is None else [slug, survey.pk])


CREATE = {
    "title": "Spring survey",
    "introduction": "Why we ask",
    "unit": "hours",
    "full_time_hours": "36",
    "tolerance_hours": "1",
    "closes_day": "27",
    "closes_month": "3",
    "closes_year": "2026",
}


def test_an_admin_creates_opens_and_closes_a_survey(council: Council, admin_client_: Client) -> None:
    staff(council, 12)
    assert admin_client_.get(url("surveys")).status_code == 200
    page = admin_client_.get(url("survey_create"))
    assert page.status_code == 200 and b"Create a survey" in page.content
    response = admin_client_.post(url("survey_create"), CREATE)
    survey = Survey.objects.get(council=council)
    assert response.status_code == 302 and response["Location"] == url("survey_detail", survey)
    assert (survey.title, str(survey.full_time_hours), str(survey.closes_on)) == (
        "Spring survey",
        "36.0",
        "2026-03-27",
    )
    detail = admin_client_.get(url("survey_detail", survey))
    assert b"Not open yet" in detail.content and b"Open the survey" in detail.content
    confirm = admin_client_.get(url("survey_open", survey))
    assert b"each of the <strong>9</strong> filled posts" in confirm.content
    assert admin_client_.post(url("survey_open", survey)).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and survey.respondents.count() == 9
    detail = admin_client_.get(url("survey_detail", survey))
    assert b"Response rates by directorate, service and team" in detail.content
    assert b"Close the survey" in detail.content
    assert b"Are you sure" in admin_client_.get(url("survey_close", survey)).content
    assert admin_client_.post(url("survey_close", survey)).status_code == 302
    survey.refresh_from_db()
    assert survey.status == Survey.Status.CLOSED
    actions = set(AuditEvent.objects.filter(council=council).values_list("action", flat=True))
    assert {"survey.create", "survey.open", "survey.close"} <= actions


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "id_title", "Enter a title for the survey"),
        ({"full_time_hours": "lots"}, "id_full_time_hours", "Hours in a full-time week must be a number"),
        ({"tolerance_hours": "-1"}, "id_tolerance_hours", "The tolerance must be 0 or more"),
        ({"closes_day": "31", "closes_month": "2"}, "id_closes_day", "The closing date must be a real date"),
        ({"closes_year": ""}, "id_closes_day", "The closing date must include a year"),
    ],
)
def test_the_create_form_names_each_problem(
    admin_client_: Client, changes: dict[str, str], field: str, message: str
) -> None:
    response = admin_client_.post(url("survey_create"), {**CREATE, **changes})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Error: " in text
    assert f'href="#{field}"' in text and message in text
    assert not Survey.objects.exists()


def test_an_open_surveys_unit_cannot_be_changed(council: Council, admin_client_: Client) -> None:
    survey = open_survey(council)
    page = admin_client_.get(url("survey_edit", survey)).content.decode()
    assert "Fixed while the survey is open" in page and 'name="unit"' not in page
    data = {**CREATE, "title": "Renamed", "unit": "percent", "full_time_hours": "20"}
    assert admin_client_.post(url("survey_edit", survey), data).status_code == 302
    survey.refresh_from_db()
    assert survey.title == "Renamed" and survey.unit == "hours" and str(survey.full_time_hours) == "37.0"


@pytest.mark.parametrize("role", [Role.PROGRAMME_LEAD, Role.PROJECT_MANAGER, Role.COUNCILLOR])
def test_read_only_roles_see_rates_but_cannot_run_the_survey(
    council: Council, client_for: Callable[..., Client], role: str
) -> None:
    survey = open_survey(council)
    client = client_for(council, role)
    listing = client.get(url("surveys"))
    assert listing.status_code == 200 and b"Where our time goes" in listing.content
    assert b"Create a survey" not in listing.content
    detail = client.get(url("survey_detail", survey))
    assert detail.status_code == 200 and b"Response rates" in detail.content
    assert b"Close the survey" not in detail.content and b"Send reminders" not in detail.content
    for name in ("survey_open", "survey_close", "survey_edit", "survey_reminders"):
        assert client.get(url(name, survey)).status_code == 403
        assert client.post(url(name, survey)).status_code == 403
    for name in ("survey_links_csv", "survey_links_xlsx"):
        assert client.get(url(name, survey)).status_code == 403
    assert client.post(url("survey_create"), CREATE).status_code == 403
    survey.refresh_from_db()
    assert survey.status == Survey.Status.OPEN and Survey.objects.count() == 1


def test_finance_can_run_a_survey(council: Council, client_for: Callable[..., Client]) -> None:
    survey = open_survey(council)
    client = client_for(council, Role.FINANCE)
    assert client.get(url("survey_links_csv", survey)).status_code == 200
    assert client.post(url("survey_close", survey)).status_code == 302


def test_another_councils_survey_is_not_found(
    council: Council, make_council: Callable[..., Council], client_for: Callable[..., Client]
) -> None:
    rival = make_council(slug="rivalford", name="Rivalford Borough")
    theirs = open_survey(rival)
    client = client_for(council, Role.ADMIN)
    for name in (
        "survey_detail",
        "survey_edit",
        "survey_open",
        "survey_close",
        "survey_reminders",
        "survey_links_csv",
        "survey_links_xlsx",
    ):
        path = reverse(f"activity:{name}", args=[council.slug, theirs.pk])
        assert client.get(path).status_code == 404, name
        assert client.post(path).status_code in {404, 405}, name
    theirs.refresh_from_db()
    assert theirs.status == Survey.Status.OPEN
    assert b"Where our time goes" not in client.get(url("surveys")).content


def test_rates_roll_up_by_unit_and_never_show_answers(council: Council, admin_client_: Client) -> None:
    survey = open_survey(council)
    people = list(Respondent.objects.select_related("survey").filter(survey=survey).order_by("ref"))
    for r in people[:3]:
        services.respondent_submit(respondent=r, raw=full_week(str(r.contracted_hours)), comment="SECRET")
    services.respondent_save(respondent=people[3], raw={"enquiries": "12.75"})
    page = admin_client_.get(url("survey_detail", survey)).content.decode()
    assert "SECRET" not in page and "12.75" not in page and "27.75" not in page
    from wholecouncil.activity.selectors_survey import response_rates

    report = response_rates(survey)
    assert (report.total.invited, report.total.submitted, report.total.in_progress) == (9, 3, 1)
    names = [(row.depth, row.name) for row in report.rows]
    assert names == [
        (0, "Directorate 0"),
        (1, "Service 0"),
        (2, "Team 0.1"),  # Team 0.0 has only vacant posts: nobody to invite, so not listed
        (0, "Directorate 1"),
        (1, "Service 1"),
        (2, "Team 1.0"),
        (2, "Team 1.1"),
    ]
    directorates = [row for row in report.rows if row.depth == 0]
    assert sum(row.total.invited for row in directorates) == 9
    assert sum(row.total.submitted for row in directorates) == 3
    assert f"{3 * 100 // 9}%" in page


def test_pages_take_a_fixed_number_of_queries(council: Council, admin_client_: Client) -> None:
    survey = open_survey(council, posts=40)
    for i in range(3):
        services.survey_create(council=council, title=f"Draft {i}", actor=None)
    for name, target in (("surveys", None), ("survey_detail", survey)):
        admin_client_.get(url(name, target))
        with CaptureQueriesContext(connection) as queries:
            assert admin_client_.get(url(name, target)).status_code == 200
        assert len(queries) <= 8, [q["sql"] for q in queries.captured_queries]


def _csv_rows(response: object) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def test_outstanding_links_are_exported_with_the_request_host(
    council: Council, admin_client_: Client, settings: object
) -> None:
    settings.ALLOWED_HOSTS = ["testserver", "survey.example.org"]  # type: ignore[attr-defined]
    survey = open_survey(council)
    done = respondent(survey)
    services.respondent_submit(respondent=done, raw=full_week())
    response = admin_client_.get(url("survey_links_csv", survey), HTTP_HOST="survey.example.org")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="survey-')
    assert response["Cache-Control"] == "no-store"
    rows = _csv_rows(response)
    assert rows[0] == ["ref", "directorate", "unit", "job_title", "status", "link"]
    assert len(rows) == 1 + 8
    assert done.ref not in {r[0] for r in rows}
    first = Respondent.objects.get(survey=survey, ref=rows[1][0])
    assert rows[1][1:5] == ["Directorate 0", first.org_unit.name, first.job_title, "Not started"]
    assert rows[1][5] == f"http://survey.example.org/s/{first.token}/"
    workbook = load_workbook(io.BytesIO(admin_client_.get(url("survey_links_xlsx", survey)).content))
    sheet = workbook["Outstanding links"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == rows[0] and len(values) == 9
    assert values[1][5] == f"http://testserver/s/{first.token}/"
    exports = AuditEvent.objects.filter(council=council, action="survey.export_links").order_by("pk")
    assert [e.after for e in exports] == [{"links": 8, "format": "csv"}, {"links": 8, "format": "xlsx"}]


def test_exported_text_never_becomes_a_formula(council: Council, admin_client_: Client) -> None:
    survey = open_survey(council)
    Respondent.objects.filter(survey=survey).update(job_title='=HYPERLINK("http://evil")')
    rows = _csv_rows(admin_client_.get(url("survey_links_csv", survey)))
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'


def test_links_are_only_exported_while_open(council: Council, admin_client_: Client) -> None:
    survey = open_survey(council)
    services.survey_close(survey=survey, actor=None)
    assert admin_client_.get(url("survey_links_csv", survey)).status_code == 404
    page = admin_client_.get(url("survey_reminders", survey))
    assert b"only given out while the survey is open" in page.content
