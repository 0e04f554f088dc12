"""A refused page is one line in the log; a server error keeps its traceback."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import Council
from wholecouncil.web.log import OneLineForClientErrors

pytestmark = pytest.mark.django_db


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(OneLineForClientErrors())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield out
    logger.removeHandler(handler)


def test_a_refused_page_is_logged_in_one_line(
    council: Council, client_for: Callable[..., Client], log: io.StringIO
) -> None:
    client = client_for(council, Role.COUNCILLOR)
    response = client.get(reverse("spend:import_upload", args=[council.slug]))
    assert response.status_code == 403
    text = log.getvalue()
    assert "Forbidden" in text and "Traceback" not in text
    assert len(text.strip().splitlines()) == 1


def test_a_server_error_keeps_its_traceback() -> None:
    record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Server error", (), None)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    record.status_code = 500
    assert OneLineForClientErrors().filter(record) and record.exc_info is not None
