"""The activity baseline read from the database, its pages, its export and importing answers from a file."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from wholecouncil.accounts.roles import Role
from wholecouncil.activity import selectors
from wholecouncil.activity.models import Comparator, Process, Respondent, ResponseImport, Survey
from wholecouncil.activity.services import comparators, processes, response_import
from wholecouncil.activity.tests.analysis_factories import establishment, survey_with_answers
from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.council.services import DomainError
from wholecouncil.tabular import read_table

# Two directorates. Big team: 10 posts, all answer. Small team: 3 posts, 3 answer. Quiet team: 4 posts, none.
TEAMS = {
    ("People", "Big team"): (10, "30000"),
    ("People", "Small team"): (3, "40000"),
    ("Place", "Quiet team"): (4, "25000"),
    ("Place", "Roads team"): (6, "35000"),
}


def _establishment(council: Council) -> None:
    establishment(council, TEAMS)


def _survey(council: Council, answered: dict[str, dict[str, str]], **kwargs: str) -> Survey:
    return survey_with_answers(council, answered, **kwargs)


ANSWERS = {
    "Big team": {"enquiries": "20", "case-management": "17"},
    "Small team": {"hr": "37"},
    "Roads team": {"direct-delivery": "30", "enquiries": "7"},
}


@pytest.fixture
def surveyed(council: Council) -> Survey:
    _establishment(council)
    return _survey(council, ANSWERS)


def test_the_baseline_applies_each_units_shares_to_its_establishment(
    council: Council, surveyed: Survey
) -> None:
    result = selectors.survey_baseline(council, surveyed)
    totals = result.totals()
    assert totals["establishment_fte"] == Decimal("23.00")
    assert totals["unallocated_fte"] == Decimal("4.00")  # the quiet team: reported, never guessed
    assert totals["unallocated_cost"] == Decimal("100000.00")
    assert totals["allocated_fte"] == Decimal("19.00")
    rows = {r["code"]: r for r in result.process_rows()}
    # Big team: 20/37 of 10 FTE; Roads: 7/37 of 6 FTE
    assert rows["enquiries"]["fte"] == (Decimal(10 * 20 + 6 * 7) / 37).quantize(Decimal("0.01"))
    assert rows["hr"]["fte"] == Decimal("3.00")
    # each figure is rounded on its own, so the parts may differ from the total by pennies
    assert abs(sum(r["fte"] for r in rows.values()) - Decimal("19.00")) <= Decimal("0.05")


def test_a_team_of_fewer_than_five_is_hidden_with_a_complement(council: Council, surveyed: Survey) -> None:
    result = selectors.survey_baseline(council, surveyed)
    units = {r["node"].name: r for r in result.unit_rows()}
    assert units["Small team"]["hidden"] and units["Small team"]["respondents"] is None
    # People = Big + Small: with Small hidden, Big must go too, or People - Big gives Small away.
    assert units["Big team"]["hidden"]
    assert not units["Roads team"]["hidden"] and units["Roads team"]["respondents"] == 6
    assert not units["Quiet team"]["allocated"]
    columns, rows = result.by_directorate()
    people = [c.name for c in columns].index("People")
    hr = next(r for r in rows if r["code"] == "hr")
    assert hr["cells"][people].fte is not None  # the directorate has 13 respondents: shown
    by_unit = {r["node"].name: r for r in result.process_by_unit("hr")}
    assert by_unit["Small team"]["hidden"] and by_unit["Small team"]["fte"] is None


def test_fewer_than_five_respondents_in_all_shows_no_figures(council: Council) -> None:
    _establishment(council)
    survey = _survey(council, {"Small team": {"hr": "37"}})
    result = selectors.survey_baseline(council, survey)
    assert result.everyone_hidden
    assert all(r["fte"] is None for r in result.process_rows())
    assert all(r["fte"] is None for r in result.layer_rows())
    assert result.fragmentation_rows() == []
    assert selectors.layer_baseline(council) is None


def test_layer_baseline_for_the_business_case(council: Council, surveyed: Survey) -> None:
    layers = selectors.layer_baseline(council)
    assert layers is not None
    assert layers["customer-management"]["fte"] == (Decimal(10 * 20 + 6 * 7) / 37).quantize(Decimal("0.01"))
    assert abs(sum(v["fte"] for v in layers.values()) - Decimal("19.00")) <= Decimal("0.05")


def test_the_process_list_is_seeded_once_and_edits_are_audited(council: Council) -> None:
    first = processes.ensure_processes(council)
    assert len(first) == 40 and len(processes.ensure_processes(council)) == 40
    enquiries = Process.objects.get(council=council, code="enquiries")
    assert enquiries.layer is not None and enquiries.layer.code == "customer-management"
    processes.process_update(process=enquiries, actor=None, name="Answering enquiries")
    event = AuditEvent.objects.filter(council=council, action="process.update").get()
    assert event.before == {"name": "Handling enquiries"}
    assert event.after == {"name": "Answering enquiries"}
    with pytest.raises(DomainError, match="already has the code"):
        processes.process_create(council=council, code="hr", name="Another", layer=None, actor=None)


def test_comparator_shares_are_checked_by_row(council: Council) -> None:
    table = read_table("shares.csv", b"code,share\nprovision-cycle,50%\nenabling-support,0.3\nnowhere,0.1\n")
    shares, errors = comparators.read_shares(table, {"provision-cycle", "enabling-support"})
    assert shares == {}
    assert [(e.row, e.column) for e in errors] == [(4, "code")]
    table = read_table("shares.csv", b"code,share\nprovision-cycle,50%\nenabling-support,0.3\n")
    shares, errors = comparators.read_shares(table, {"provision-cycle", "enabling-support"})
    assert "80.0%" in errors[0].message


def _export(rows: list[list[object]]) -> bytes:
    return "\n".join(",".join(str(v) for v in row) for row in rows).encode()


def test_importing_a_survey_tools_export(council: Council) -> None:
    _establishment(council)
    good = _export(
        [
            ["Respondent", "Team", "Weekly hours", "enquiries", "hr"],
            *[[f"R{i}", "Big team", 37, 30, 7] for i in range(6)],
        ]
    )
    imp = response_import.import_upload(council=council, file_name="export.csv", content=good, actor=None)
    mapping = response_import.suggested_mapping(imp)
    assert mapping["respondent_id"] == "Respondent" and mapping["enquiries"] == "enquiries"
    survey, errors = response_import.import_commit(imp=imp, mapping=mapping, title="Imported", actor=None)
    assert errors == [] and survey is not None
    assert survey.source == Survey.Source.IMPORT and survey.respondents.count() == 6
    result = selectors.survey_baseline(council, survey)
    assert {r["code"]: r["fte"] for r in result.process_rows()}["enquiries"] == (
        Decimal(10 * 30) / 37
    ).quantize(Decimal("0.01"))


def test_a_bad_export_imports_nothing_and_names_each_row(council: Council) -> None:
    _establishment(council)
    bad = _export(
        [
            ["Respondent", "Team", "Weekly hours", "enquiries", "hr"],
            ["R1", "Big team", 37, 30, 7],
            ["R1", "Big team", 37, 30, 7],
            ["R3", "No such team", 37, 30, 7],
            ["R4", "Big team", 37, "lots", 7],
            ["R5", "Big team", 37, -3, 40],
        ]
    )
    imp = response_import.import_upload(council=council, file_name="bad.csv", content=bad, actor=None)
    survey, errors = response_import.import_commit(
        imp=imp, mapping=response_import.suggested_mapping(imp), title="Bad", actor=None
    )
    assert survey is None
    assert Survey.objects.filter(council=council).count() == 0 and Respondent.objects.count() == 0
    assert {e.row for e in errors} >= {3, 4, 5, 6}
    assert all(e.file == "bad.csv" for e in errors)
    imp.refresh_from_db()
    assert imp.status == ResponseImport.Status.FAILED


def test_pages_show_the_baseline_and_the_export_keeps_cells_hidden(
    council: Council, surveyed: Survey, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.COUNCILLOR)
    base = f"/c/{council.slug}/activity/"
    for path in [
        "",
        "processes/",
        "processes/enquiries/",
        "directorates/",
        "fragmentation/",
        "units/",
        "spans-of-control/",
        "process-list/",
        "comparators/",
    ]:
        response = client.get(base + path)
        assert response.status_code == 200, path
    assert "Small group" in client.get(base + "units/").content.decode()
    response = client.get(base + "export.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    units = {row[0]: row for row in book["Units"].iter_rows(min_row=2, values_only=True)}
    assert units["People / Small team"][4] == "[hidden]"
    assert units["Place / Roads team"][4] == 6
    processes_sheet = {row[0]: row for row in book["By process"].iter_rows(min_row=2, values_only=True)}
    assert processes_sheet["hr"][3] == pytest.approx(3.0)


def test_the_illustrative_comparator_is_labelled_where_it_is_used(
    council: Council, surveyed: Survey, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.ADMIN)
    client.get(f"/c/{council.slug}/activity/")
    comparator = Comparator.objects.get(council=council, illustrative=True)
    page = client.get(f"/c/{council.slug}/activity/?comparator={comparator.pk}").content.decode()
    assert "Illustrative comparator: made-up figures" in page
    assert "points" in page


def test_another_councils_process_is_not_found(
    council: Council, make_council: Callable[..., Council], client_for: Callable[..., Client]
) -> None:
    other = make_council("other")
    theirs = processes.ensure_processes(other)[0]
    client = client_for(council, Role.ADMIN)
    assert client.get(f"/c/{council.slug}/activity/process-list/{theirs.pk}/").status_code == 404
    assert client.post(f"/c/{council.slug}/activity/process-list/{theirs.pk}/remove/").status_code == 404
    assert Process.objects.filter(pk=theirs.pk).exists()


def test_the_process_list_can_be_changed_on_the_web(
    council: Council, client_for: Callable[..., Client]
) -> None:
    client = client_for(council, Role.ADMIN)
    processes.ensure_processes(council)
    response = client.post(
        f"/c/{council.slug}/activity/process-list/add/",
        {
            "code": "licensing",
            "name": "Licensing",
            "description": "",
            "layer": "",
            "home_function": "anywhere",
        },
    )
    assert response.status_code == 302
    added = Process.objects.get(council=council, code="licensing")
    assert added.layer is None
    response = client.post(
        f"/c/{council.slug}/activity/process-list/add/",
        {"code": "licensing", "name": "Again", "description": "", "layer": "", "home_function": "anywhere"},
    )
    assert "already has the code" in response.content.decode()


def test_the_cached_layer_baseline_follows_new_answers(council: Council, surveyed: Survey) -> None:
    first = selectors.layer_baseline(council)
    assert first is not None and selectors.layer_baseline(council) == first
    quiet = Respondent.objects.filter(survey=surveyed, org_unit__name="Quiet team")
    for r in quiet:
        r.status = Respondent.Status.SUBMITTED
        r.answers = {"direct-delivery": "37"}
        r.save()
    second = selectors.layer_baseline(council)
    assert second is not None
    assert second["provision-cycle"]["fte"] > first["provision-cycle"]["fte"]


RESULT_PAGES = ["", "processes/", "directorates/", "fragmentation/", "units/"]


def test_an_open_survey_shows_no_results_until_it_closes(
    council: Council, client_for: Callable[..., Client]
) -> None:
    _establishment(council)
    survey = _survey(council, ANSWERS, status=Survey.Status.OPEN)
    client = client_for(council, Role.ADMIN)
    base = f"/c/{council.slug}/activity/"
    assert selectors.surveys_with_results(council) == []
    assert selectors.layer_baseline(council) is None  # the business case waits for the survey to close
    for path in RESULT_PAGES:
        response = client.get(base + path)
        assert response.status_code == 200, path
        assert response.context["result"] is None, path
        page = response.content.decode()
        assert "Its results appear here once it is closed" in page, path
        assert "19 of 23 staff have answered" in page, path
    assert client.get(base + "processes/enquiries/").status_code == 404
    assert client.get(base + "export.xlsx").status_code == 404
    assert client.get(base + f"?survey={survey.pk}").status_code == 404
    detail = client.get(base + f"surveys/{survey.pk}/").content.decode()
    assert "Results appear on the" in detail and "when the survey is closed" in detail

    # Closed, the same answers are the results.
    survey.status = Survey.Status.CLOSED
    survey.save()
    response = client.get(base)
    assert response.context["result"] is not None
    assert response.context["result"].submitted == 19
    assert selectors.layer_baseline(council) is not None


def test_a_newer_open_survey_leaves_the_closed_ones_results_showing(
    council: Council, surveyed: Survey, client_for: Callable[..., Client]
) -> None:
    newer = _survey(council, {"Big team": {"enquiries": "37"}}, status=Survey.Status.OPEN)
    response = client_for(council, Role.COUNCILLOR).get(f"/c/{council.slug}/activity/processes/")
    assert response.context["survey"] == surveyed
    assert response.context["in_progress"] == [newer]
    assert f'The survey <a class="govuk-link" href="/c/{council.slug}/activity/surveys/{newer.pk}/">' in (
        response.content.decode()
    )
    layers = selectors.layer_baseline(council)
    assert layers is not None
    assert layers["customer-management"]["fte"] == (Decimal(10 * 20 + 6 * 7) / 37).quantize(Decimal("0.01"))


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_results_pages_read_a_fixed_number_of_queries(
    council: Council, client_for: Callable[..., Client]
) -> None:
    """No query per unit, process or answer: a council three times the size reads the same queries."""
    client = client_for(council, Role.COUNCILLOR)
    base = f"/c/{council.slug}/activity/"
    pages = [base + p for p in [*RESULT_PAGES, "processes/enquiries/"]]
    _establishment(council)
    survey = _survey(council, ANSWERS)
    small = {page: _queries(client, page) for page in pages}
    survey.delete()
    bigger = {
        **TEAMS,
        **{(f"Directorate {d}", f"Team {d}.{t}"): (6, "31000") for d in range(3) for t in range(3)},
    }
    establishment(council, bigger)
    _survey(council, {**ANSWERS, **{f"Team {d}.{t}": {"hr": "37"} for d in range(3) for t in range(3)}})
    assert {page: _queries(client, page) for page in pages} == small
