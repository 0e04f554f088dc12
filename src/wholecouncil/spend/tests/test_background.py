"""Large uploads are checked and imported in the background; an import whose process died is shown as
interrupted, its files kept for another try."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import Council
from wholecouncil.spend.engine import suggest_mapping
from wholecouncil.spend.models import SpendFile, SpendImport, Transaction
from wholecouncil.spend.services import background
from wholecouncil.spend.tests.helpers import HEADERS, csv_bytes

pytestmark = pytest.mark.django_db
Status = SpendImport.Status


@pytest.fixture
def in_background(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Background work runs at once, in the test's own database transaction; the names of the threads
    that would have been started are listed."""
    settings.VAR_DIR = tmp_path
    settings.SPEND_BACKGROUND_ROWS = 2
    settings.SPEND_BACKGROUND_BYTES = 1
    started: list[str] = []

    def now(target: Callable[..., None], args: tuple[Any, ...], name: str) -> None:
        started.append(name)
        target(*args)

    monkeypatch.setattr(background, "spawn", now)
    monkeypatch.setattr(background, "close_old_connections", lambda: None)  # the test's connection stays
    return started


def _mapped(client: Client, council: Council) -> SpendImport:
    client.post(
        reverse("spend:import_upload", args=[council.slug]),
        {"spend_files": [SimpleUploadedFile("big.csv", csv_bytes())]},
    )
    imp = SpendImport.objects.get(council=council)
    data = {f"layout0-{k}": v for k, v in imp.layouts[0]["mapping"].items()}
    response = client.post(
        reverse("spend:import_map", args=[council.slug, imp.pk]), {**data, "window_days": "14"}
    )
    assert response["Location"] == reverse("spend:import_detail", args=[council.slug, imp.pk])
    imp.refresh_from_db()
    return imp


def test_a_large_upload_is_checked_and_imported_in_the_background(
    council: Council, client_for: Callable[..., Client], in_background: list[str]
) -> None:
    client = client_for(council, Role.FINANCE)
    imp = _mapped(client, council)
    assert in_background == [f"spend-check-{imp.pk}"]
    assert imp.status == Status.CHECKED and imp.rows_read == 5
    page = client.get(reverse("spend:import_detail", args=[council.slug, imp.pk]))
    assert b"Check and confirm the import" in page.content
    client.post(reverse("spend:import_confirm", args=[council.slug, imp.pk]))
    assert in_background[-1] == f"spend-import-{imp.pk}"
    imp.refresh_from_db()
    assert imp.status == Status.COMPLETED and Transaction.objects.filter(council=council).count() == 5
    assert background.progress_read(imp.pk) is None  # the progress file is cleared


def test_progress_is_written_while_the_work_runs(tmp_path: Path, settings: Any) -> None:
    settings.VAR_DIR = tmp_path
    with background._Heartbeat(7, 100) as beat:
        beat(40)
        found = background.progress_read(7)
        assert found is not None and (found["done"], found["total"]) == (40, 100)
        assert time.time() - found["at"] < 5
    assert background.progress_read(7) is None


def _running(council: Council, status: str, minutes_ago: int) -> SpendImport:
    imp = SpendImport.objects.create(
        council=council,
        status=status,
        started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        file_names=["big.csv"],
        layouts=[{"headers": HEADERS, "tables": ["big.csv"], "mapping": suggest_mapping(HEADERS)}],
        rows_read=5,
    )
    SpendFile.objects.create(spend_import=imp, name="big.csv", content=csv_bytes(), size=10)
    return imp


def test_an_import_whose_process_died_is_shown_as_interrupted_and_can_be_retried(
    council: Council, client_for: Callable[..., Client], in_background: list[str]
) -> None:
    imp = _running(council, Status.RUNNING, minutes_ago=10)
    client = client_for(council, Role.FINANCE)
    page = client.get(reverse("spend:import_detail", args=[council.slug, imp.pk]))
    imp.refresh_from_db()
    assert imp.status == Status.INTERRUPTED and imp.options["interrupted"] == "import"
    assert (
        b"The import stopped before it finished" in page.content and b"Try the import again" in page.content
    )
    assert SpendFile.objects.filter(spend_import=imp).exists()  # the user's file is kept
    client.post(reverse("spend:import_confirm", args=[council.slug, imp.pk]))
    imp.refresh_from_db()
    assert imp.status == Status.COMPLETED and imp.rows_imported == 5 and imp.error == ""


def test_an_interrupted_check_sends_the_user_back_to_matching_columns(
    council: Council, client_for: Callable[..., Client], in_background: list[str]
) -> None:
    imp = _running(council, Status.CHECKING, minutes_ago=10)
    client = client_for(council, Role.ADMIN)
    page = client.get(reverse("spend:imports", args=[council.slug]))
    assert b"Interrupted" in page.content
    imp.refresh_from_db()
    assert imp.status == Status.INTERRUPTED and imp.options["interrupted"] == "check"
    page = client.get(reverse("spend:import_detail", args=[council.slug, imp.pk]))
    assert b"The check stopped before it finished" in page.content
    assert reverse("spend:import_map", args=[council.slug, imp.pk]).encode() in page.content


def test_work_with_a_recent_start_or_heartbeat_is_left_running(
    council: Council, in_background: list[str]
) -> None:
    just_started = _running(council, Status.RUNNING, minutes_ago=0)
    assert background.spend_import_reap(spend_import=just_started).status == Status.RUNNING
    beating = _running(council, Status.RUNNING, minutes_ago=30)
    background.progress_write(beating.pk, 3, 5)
    assert background.spend_import_reap(spend_import=beating).status == Status.RUNNING
    silent = _running(council, Status.RUNNING, minutes_ago=30)
    assert background.spend_import_reap(spend_import=silent).status == Status.INTERRUPTED


def test_the_progress_page_names_the_step_the_import_is_on(
    council: Council, client_for: Callable[..., Client], in_background: list[str]
) -> None:
    imp = _running(council, Status.RUNNING, minutes_ago=0)
    client = client_for(council, Role.COUNCILLOR)
    page_url = reverse("spend:import_detail", args=[council.slug, imp.pk])
    seen: list[str] = []
    with background._Heartbeat(imp.pk, 5) as beat:
        beat(2)
        seen.append(client.get(page_url).content.decode())
        beat(5, step="writing")  # a change of step is written at once
        seen.append(client.get(page_url).content.decode())
        beat(5, step="duplicates")
        seen.append(client.get(page_url).content.decode())
    reading, writing, duplicates = seen
    assert "Step 1 of 4: Reading the files" in reading and "2 of 5 rows read (40%)" in reading
    assert "Step 2 of 4: Adding the payments" in writing and "All 5 rows have been read." in writing
    assert '<progress max="100" aria-label="Adding the payments"></progress>' in writing  # no value: busy
    assert "Step 4 of 4: Looking for duplicate payments" in duplicates
    for page in seen:
        assert "wc/progress.js" in page and "data-wc-progress-toggle" in page
        assert "Rows found by the check" in page
