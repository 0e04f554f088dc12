"""The demo's activity survey: closed, about four in five answered, so every results page has figures."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from wholecouncil.accounts.roles import Role
from wholecouncil.activity import selectors
from wholecouncil.activity.models import Survey
from wholecouncil.demo import activity, steps
from wholecouncil.demo.generator import DemoContext
from wholecouncil.demo.plan import DEFAULT_SEED, DemoPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(plan: DemoPlan) -> DemoContext:
    ctx = DemoContext(seed=DEFAULT_SEED, plan=plan, log=lambda _: None)
    steps.councils(ctx)
    steps.establishment(ctx)
    activity.activity_survey(ctx)
    return ctx


def test_each_demo_council_has_a_closed_survey_with_results(demo: DemoContext) -> None:
    assert set(demo.councils) == {"exampleshire", "westmere"}
    for council in demo.councils.values():
        survey = Survey.objects.get(council=council)
        assert survey.status == Survey.Status.CLOSED
        assert selectors.surveys_with_results(council) == [survey]
        result = selectors.survey_baseline(council, survey)
        totals = result.totals()
        assert 0.75 <= totals["submitted"] / totals["invited"] <= 0.85
        assert not result.everyone_hidden
        assert sum(r["fte"] for r in result.process_rows()) > 0
        _, rows = result.by_directorate()
        shown = [d for d in result.directorates if result.node_shown(d)]
        assert len(shown) >= 2, council.slug
        assert any(c.fte for r in rows for c in r["cells"] if not c.hidden)
        fragmentation = result.fragmentation_rows()
        assert any(r["outside_home_share"] for r in fragmentation)
        assert any((r["directorates"] or 0) >= 2 for r in fragmentation)
        assert selectors.layer_baseline(council) is not None


def test_every_results_page_of_the_demo_shows_figures(
    demo: DemoContext, client_for: Callable[..., Client]
) -> None:
    council = demo.councils["exampleshire"]
    client = client_for(council, Role.COUNCILLOR)
    base = f"/c/{council.slug}/activity/"
    for path in ["", "processes/", "processes/enquiries/", "directorates/", "fragmentation/", "units/"]:
        response = client.get(base + path)
        assert response.status_code == 200, path
        assert response.context["result"] is not None, path
        assert "Hidden: fewer than" not in response.content.decode(), path
    assert client.get(base + "export.xlsx").status_code == 200
