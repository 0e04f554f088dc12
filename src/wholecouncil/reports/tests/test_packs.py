"""The board packs as pages and PDFs: who may read them, what each kind shows, the figures on a small
portfolio and benefits register, the period chosen, another council's data, and query counts."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from wholecouncil.accounts.roles import Role
from wholecouncil.benefits.selectors import mtfp_position
from wholecouncil.cases.document import PdfUnavailable
from wholecouncil.council.engine import FinancialYear
from wholecouncil.council.models import Council, Membership
from wholecouncil.portfolio import selectors as portfolio
from wholecouncil.portfolio.models import GateSubmission
from wholecouncil.reports import packs
from wholecouncil.reports.engine import KINDS, period_containing
from wholecouncil.reports.tests.helpers import World, build

D = Decimal
pytestmark = pytest.mark.django_db
PACKS = list(KINDS)
HEADING = re.compile(r'<h2 class="govuk-heading-l" id="s-[a-z_]+">([^<]+)</h2>')


def url(council: Council, kind: str, suffix: str = "") -> str:
    return reverse(f"reports:board_pack{'_pdf' if suffix else ''}", args=[council.slug, kind])


@pytest.fixture
def world(council: Council, make_member: Callable[..., Membership]) -> World:
    return build(council, make_member)


@pytest.fixture
def councillor(council: Council, client_for: Callable[..., Client]) -> Client:
    return client_for(council, Role.COUNCILLOR)


def months_so_far(world: World, start: Any) -> int:
    """Months from `start` to this one, each with an actual of £9,000 on the banked benefit."""
    today = world.today
    return (today.year - start.year) * 12 + today.month - start.month + 1


@pytest.mark.parametrize("role", [Role.ADMIN, Role.FINANCE, Role.PROGRAMME_LEAD, Role.PROJECT_MANAGER])
def test_every_role_reads_the_reports_page_and_every_pack(
    world: World, client_for: Callable[..., Client], role: str
) -> None:
    client = client_for(world.council, role)
    index = client.get(reverse("reports:index", args=[world.council.slug]))
    assert index.status_code == 200
    for kind in PACKS:
        assert url(world.council, kind) in index.content.decode()
        assert client.get(url(world.council, kind)).status_code == 200


def test_the_board_page_links_to_every_pack(world: World, councillor: Client) -> None:
    page = councillor.get(reverse("portfolio:board", args=[world.council.slug])).content.decode()
    assert all(url(world.council, kind) in page for kind in PACKS)


def test_another_councils_members_and_wrong_addresses_are_not_found(
    world: World, make_council: Callable[..., Council], client_for: Callable[..., Client], councillor: Client
) -> None:
    outsider = client_for(make_council(slug="elsewhere"), Role.ADMIN)
    for kind in PACKS:
        assert outsider.get(url(world.council, kind)).status_code == 404
        assert outsider.get(url(world.council, kind, ".pdf")).status_code == 404
    assert outsider.get(reverse("reports:index", args=[world.council.slug])).status_code == 404
    assert councillor.get(url(world.council, "weekly")).status_code == 404
    assert councillor.get(url(world.council, "monthly") + "?period=2025-13").status_code == 404
    future = period_containing("monthly", world.today).shifted(1)
    assert councillor.get(url(world.council, "monthly") + f"?period={future.key}").status_code == 404


def test_each_kind_of_pack_has_its_own_sections_in_order(world: World, councillor: Client) -> None:
    pages = {kind: councillor.get(url(world.council, kind)).content.decode() for kind in PACKS}
    for kind, page in pages.items():
        assert HEADING.findall(page) == [s.heading for s in KINDS[kind].sections]
    assert "Red and Amber projects" in pages["monthly"] and "Red and Amber projects" not in pages["quarterly"]
    assert "Narrative of project 0" in pages["monthly"]
    # Members read plain words: no project codes and no operational narratives.
    for kind in ("quarterly", "annual"):
        assert "Narrative of project" not in pages[kind]
    assert "P-001" not in pages["quarterly"]
    assert "Projects completed and stopped" in pages["annual"]


def test_the_monthly_pack_figures(world: World, councillor: Client) -> None:
    ctx = councillor.get(url(world.council, "monthly")).context
    year = FinancialYear.containing(world.today)
    assert ctx["waiting"].total == 1 and ctx["waiting"].rows[0].project == world.projects[0]
    assert ctx["decisions"].total == 1
    assert dict(ctx["decision_rows"]) == {
        "Approve": 0,
        "Approve with conditions": 1,
        "Defer": 0,
        "Reject": 0,
        "Stop": 0,
    }
    assert ctx["conditions"].total == 1 and ctx["board"].open_conditions == 1
    assert ctx["risks"].total == 3 and ctx["risks"].rows[0].title == "Risk number 2"
    assert ctx["slipped"].total == 3 and ctx["slipped"].rows[0].slip_days == 40 + 2
    assert [r.rag for r in ctx["concerns"].rows] == ["red", "amber"]
    assert ctx["this_year"].year == year
    assert (ctx["this_year"].required, ctx["this_year"].banked) == (D(200000), D(120000))
    assert ctx["this_year"].shortfall == D(80000)
    assert (ctx["at_risk"].listing.total, ctx["at_risk"].value) == (1, D(60000))
    assert ctx["awaiting"].counts == {"identified": 1, "validated": 1}
    assert ctx["awaiting"].values == {"identified": D(40000), "validated": D(30000)}
    assert [(b.reference, why) for b, why in ctx["awaiting"].listing.rows] == [
        ("BEN-4", "Sign-off by finance"),
        ("BEN-3", "Validation by finance"),
    ]
    page = councillor.get(url(world.council, "monthly")).content.decode()
    assert "£120,000 against £200,000 required: a shortfall of £80,000" in page


def test_the_quarterly_and_annual_figures(world: World, councillor: Client) -> None:
    quarter = period_containing("quarterly", world.today)
    ctx = councillor.get(url(world.council, "quarterly")).context
    # The banked £120,000 and the at-risk £60,000 (signed off before it went at risk) spread over 12 months.
    assert ctx["quarter_planned"] == D(15000) * 3
    assert ctx["quarter_actual"] == D(9000) * months_so_far(world, quarter.start)
    assert (ctx["completed"], ctx["stopped"]) == (0, 1)
    programmes = {g.group.name: (g.open_projects, r) for g, r in ctx["programmes"]}
    months = months_so_far(world, FinancialYear.containing(world.today).starts)
    assert programmes["Business support"][0] == 1
    assert programmes["Business support"][1].actual_to_date == D(9000) * months
    assert programmes["Customer experience"][1].actual_to_date == D(0)

    ctx = councillor.get(url(world.council, "annual")).context
    assert (ctx["year_planned"], ctx["year_actual"]) == (D(180000), D(9000) * months)
    assert ctx["closures"].stopped.total == 1 and ctx["closures"].stopped.rows == [world.projects[2]]
    assert ctx["closures"].completed.total == 0
    digital = next(o for o in ctx["outcomes"] if o.name == "Digital")
    assert (digital.stopped_in_period, digital.stopped, digital.open) == (1, 1, 0)
    assert ctx["next_position"].required == D(300000)
    assert ctx["next_position"].pipeline == D(70000)


def test_a_headline_count_is_the_whole_count_when_the_list_is_cut_short(
    world: World, councillor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(packs, "MILESTONES", 1)
    response = councillor.get(url(world.council, "monthly"))
    assert response.context["slipped"].total == 3 and len(response.context["slipped"].rows) == 1
    page = response.content.decode()
    assert "Showing 1 of 3." in page
    assert re.search(r"Open milestones slipped</dt><dd[^>]*>3<", page)


def test_an_earlier_period_shows_that_periods_business(world: World, councillor: Client) -> None:
    earlier = period_containing("monthly", world.today).shifted(-1)
    response = councillor.get(url(world.council, "monthly") + f"?period={earlier.key}")
    assert response.context["period"] == earlier
    assert response.context["decisions"].total == 0
    page = response.content.decode()
    assert f"The board made no gate decisions in {earlier.label}." in page
    assert f'<option value="{earlier.key}" selected>' in page
    assert f"{url(world.council, 'monthly', '.pdf')}?period={earlier.key}" in page


def test_another_councils_data_stays_out(
    world: World,
    make_council: Callable[..., Council],
    make_member: Callable[..., Membership],
    councillor: Client,
) -> None:
    build(make_council(slug="neighbourton"), make_member, projects=4, label="Neighbour ")
    for kind in PACKS:
        response = councillor.get(url(world.council, kind))
        assert "Neighbour " not in response.content.decode()
    ctx = councillor.get(url(world.council, "monthly")).context
    assert (ctx["waiting"].total, ctx["risks"].total, ctx["this_year"].banked) == (1, 3, D(120000))


def pdf_text(client: Client, council: Council, kind: str) -> str:
    response = client.get(url(council, kind, ".pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"{council.slug}-{kind}-board-pack-" in response["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return re.sub(r"\s+", " ", text)


def test_the_pdfs_read_back_with_every_heading_and_the_selectors_figures(
    world: World, councillor: Client
) -> None:
    council = world.council
    this_year = next(
        y
        for y in mtfp_position(council, world.today).position.years
        if y.year == FinancialYear.containing(world.today)
    )
    board = portfolio.dashboard(council, world.today)
    texts = {kind: pdf_text(councillor, council, kind) for kind in PACKS}
    for kind, text in texts.items():
        for section in KINDS[kind].sections:
            assert section.heading in text, f"{kind}: {section.heading}"
        assert f"£{this_year.banked:,.0f}" in text and f"£{this_year.required:,.0f}" in text
    monthly = texts["monthly"]
    waiting = GateSubmission.objects.filter(council=council, status=GateSubmission.Status.PENDING).count()
    assert f"Gate submissions waiting {waiting}" in monthly
    assert f"Open conditions {board.open_conditions} ({board.overdue_conditions} overdue)" in monthly
    assert f"Open milestones slipped {board.slipping_milestones}" in monthly
    assert f"a shortfall of £{this_year.shortfall:,.0f}" in monthly
    assert "Narrative of project 0" in monthly
    assert f"£{this_year.shortfall:,.0f} still has to be found" in texts["quarterly"]
    assert "Projects stopped in the year 1" in texts["annual"]


def test_the_pdf_says_plainly_when_it_cannot_be_made(
    world: World, councillor: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable(context: dict[str, Any]) -> bytes:
        raise PdfUnavailable("PDFs cannot be made on this server.")

    monkeypatch.setattr("wholecouncil.reports.views.pack_pdf", unavailable)
    response = councillor.get(url(world.council, "monthly", ".pdf"))
    assert response.status_code == 503 and b"cannot be made" in response.content


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("kind", PACKS)
def test_a_pack_makes_the_same_number_of_queries_however_much_there_is(
    make_council: Callable[..., Council],
    make_member: Callable[..., Membership],
    client_for: Callable[..., Client],
    kind: str,
) -> None:
    small, large = make_council(slug="smallshire"), make_council(slug="largeshire")
    build(small, make_member, projects=3)
    build(large, make_member, projects=15, extra_benefits=8)
    counts = [queries(client_for(c, Role.COUNCILLOR), url(c, kind)) for c in (small, large)]
    assert counts[0] == counts[1], counts
    assert counts[0] <= 60
