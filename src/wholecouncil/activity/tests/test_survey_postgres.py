"""Concurrent submissions of the same personal link: exactly one is recorded and nobody sees an error.

Runs on PostgreSQL (set DATABASE_URL), where requests really are concurrent; skipped on SQLite, which takes
one writer at a time anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from wholecouncil.activity.models import Respondent, Survey
from wholecouncil.activity.services import processes, response_import
from wholecouncil.activity.services import survey as services
from wholecouncil.activity.tests.survey_factories import full_week, open_survey
from wholecouncil.council.models import Council

THREADS = 8


@pytest.fixture
def postgres(transactional_db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (set DATABASE_URL)")


def race(work: Callable[[int], Any], threads: int = THREADS) -> tuple[list[Any], list[BaseException]]:
    """Run `work(i)` in `threads` threads released together; their results and any exceptions."""
    start = threading.Barrier(threads)
    results: list[Any] = [None] * threads
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except BaseException as exc:  # every failure is reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=60)
    return results, errors


def _load(pk: int) -> Respondent:
    return Respondent.objects.select_related("survey").get(pk=pk)


@pytest.mark.usefixtures("postgres")
def test_simultaneous_submissions_of_one_link_record_exactly_one(council: Council) -> None:
    survey = open_survey(council, posts=40)
    people = list(Respondent.objects.filter(survey=survey, contracted_hours=37).values_list("pk", flat=True))
    for pk in people[:6]:
        copies = [_load(pk) for _ in range(THREADS)]  # every request read the row before any wrote it

        def submit(i: int, copies: list[Respondent] = copies) -> bool:
            return services.respondent_submit(respondent=copies[i], raw=full_week(), comment=f"thread {i}")

        results, errors = race(submit)
        assert errors == []
        assert results.count(True) == 1 and results.count(False) == THREADS - 1
        row = Respondent.objects.get(pk=pk)
        assert row.status == Respondent.Status.SUBMITTED
        assert row.comment == f"thread {results.index(True)}"


@pytest.mark.usefixtures("postgres")
def test_a_save_racing_a_submit_never_undoes_the_submission(council: Council) -> None:
    survey = open_survey(council, posts=12)
    pk = Respondent.objects.filter(survey=survey, contracted_hours=37).values_list("pk", flat=True)[0]
    copies = [_load(pk) for _ in range(THREADS)]

    def work(i: int) -> str:
        if i % 2:
            return (
                "submitted" if services.respondent_submit(respondent=copies[i], raw=full_week()) else "again"
            )
        try:
            services.respondent_save(respondent=copies[i], raw={"hr": "1"})
        except services.SurveyError:
            return "refused"
        return "saved"

    results, errors = race(work)
    assert errors == []
    assert results.count("submitted") == 1
    row = Respondent.objects.get(pk=pk)
    assert row.status == Respondent.Status.SUBMITTED
    assert row.answers == {code: float(v) for code, v in full_week().items()}


@pytest.mark.usefixtures("postgres")
def test_two_simultaneous_commits_of_one_import_land_one_survey(council: Council) -> None:
    open_survey(council, posts=12)  # the establishment the export's units are checked against
    Survey.objects.filter(council=council).delete()
    processes.ensure_processes(council)
    header = "Respondent,Team,Weekly hours,enquiries,hr\n"
    content = (header + "".join(f"R{i},Team 0.0,37,30,7\n" for i in range(400))).encode()
    imp = response_import.import_upload(council=council, file_name="export.csv", content=content, actor=None)
    mapping = response_import.suggested_mapping(imp)

    def commit(_: int) -> int | None:
        survey, errors = response_import.import_commit(imp=imp, mapping=mapping, title="Twice", actor=None)
        assert errors == []
        return survey.pk if survey is not None else None

    results, errors = race(commit, threads=2)
    assert errors == []
    assert Survey.objects.filter(council=council).count() == 1
    assert results[0] is not None and results[0] == results[1]
    assert Respondent.objects.filter(survey_id=results[0]).count() == 400
