"""A council's own stages: adding, removing and reordering them (projects move with their stage), choosing
the design-principles gate, through the services and through the pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from wholecouncil.accounts.roles import Role
from wholecouncil.council.models import AuditEvent, Council, Membership
from wholecouncil.portfolio import selectors, services
from wholecouncil.portfolio.models import GateSubmission, Project, Stage
from wholecouncil.portfolio.services import PortfolioDomainError
from wholecouncil.portfolio.tests.helpers import assess, project, submit

pytestmark = pytest.mark.django_db


def names(council: Council) -> list[str]:
    return [str(s) for s in Stage.objects.filter(council=council)]


def stage(council: Council, number: int) -> Stage:
    return Stage.objects.get(council=council, number=number)


def at(council: Council, code: str) -> tuple[int, str]:
    p = Project.objects.get(council=council, code=code)
    return p.stage, p.status


def test_a_stage_added_in_the_middle_moves_the_later_stages_and_their_projects(council: Council) -> None:
    early, late = project(council, "EARLY"), project(council, "LATE", stage=3)
    assess(late)
    submit(late)
    services.stage_add(council=council, name="Prototype", purpose="Try it small", position=3, actor=None)
    assert names(council) == [
        "1 Inspiration",
        "2 Understand",
        "3 Prototype",
        "4 Innovate",
        "5 Change",
        "6 Embed",
    ]
    assert at(council, "EARLY") == (1, "in_stage") and at(council, "LATE") == (4, "at_gate")
    assert GateSubmission.objects.get(project=late).gate == 4, "the waiting submission follows its stage"
    assert services.stage_count(council) == 6 and early.stage == 1
    event = AuditEvent.objects.get(action="portfolio.stage.add")
    assert event.after["projects_moved"] == 1 and event.after["stages"][2] == "3 Prototype"
    with pytest.raises(PortfolioDomainError, match="the name 'Innovate' is used by another stage"):
        services.stage_add(council=council, name="innovate", purpose="", position=1, actor=None)


def test_reordering_swaps_two_stages_and_their_projects(council: Council) -> None:
    project(council, "TWO", stage=2), project(council, "THREE", stage=3)
    services.stage_move(stage=stage(council, 3), up=True, actor=None)
    assert names(council)[1:3] == ["2 Innovate", "3 Understand"]
    assert at(council, "TWO") == (3, "in_stage") and at(council, "THREE") == (2, "in_stage")
    with pytest.raises(PortfolioDomainError, match="Stage 1 Inspiration is already first"):
        services.stage_move(stage=stage(council, 1), up=True, actor=None)
    with pytest.raises(PortfolioDomainError, match="already last"):
        services.stage_move(stage=stage(council, 5), up=False, actor=None)


def test_a_stage_with_projects_at_it_is_not_removed(council: Council) -> None:
    project(council, "P-1", stage=2)
    stopped = project(council, "P-2", stage=2)
    services.project_stop(project=stopped, reason="Not needed", actor=None)
    project(council, "P-4", stage=4)
    with pytest.raises(
        PortfolioDomainError, match=r"Stage 2 Understand cannot be removed: 2 projects are at it \(P-1, P-2\)"
    ):
        services.stage_remove(stage=stage(council, 2), actor=None)
    with pytest.raises(PortfolioDomainError, match="design-principles gate: choose another gate"):
        services.stage_remove(stage=stage(council, 1), actor=None)
    services.stage_remove(stage=stage(council, 3), actor=None)
    assert names(council) == ["1 Inspiration", "2 Understand", "3 Change", "4 Embed"]
    assert at(council, "P-4") == (3, "in_stage")
    assert not Stage.objects.filter(council=council, name="Innovate").exists()
    services.stage_remove(stage=stage(council, 4), actor=None)
    with pytest.raises(PortfolioDomainError, match="cannot be removed: 1 project is at it"):
        services.stage_remove(stage=stage(council, 3), actor=None)


def test_a_council_keeps_at_least_two_stages(council: Council) -> None:
    services.stages_ensure(council=council)
    for n in (5, 4, 3):
        services.stage_remove(stage=stage(council, n), actor=None)
    with pytest.raises(PortfolioDomainError, match="between 2 and 10 stages; got 1"):
        services.stage_remove(stage=stage(council, 2), actor=None)


def test_the_design_principles_gate_can_be_another_gate(council: Council) -> None:
    p = project(council)
    services.design_gate_set(council=council, number=2, actor=None)
    assert services.stage_config(council) == (5, 2)
    submit(p)
    services.gate_decide(project=p, decision="approve", reasons="No assessment needed at gate 1", actor=None)
    p.refresh_from_db()
    with pytest.raises(
        PortfolioDomainError, match="cannot pass gate 2 without a design-principles assessment"
    ):
        submit(p)
    assess(p)
    submit(p)
    assert at(council, p.code) == (2, "at_gate")
    services.stage_move(stage=stage(council, 2), up=True, actor=None)
    assert services.design_gate(council) == 1, "the design gate moves with its stage"
    event = AuditEvent.objects.get(action="portfolio.stage.design_gate")
    assert (event.before, event.after) == ({"design_gate": 1}, {"design_gate": 2})


# --- the pages ------------------------------------------------------------------------------------


@pytest.fixture
def admin(council: Council, make_member: Callable[..., Membership]) -> Client:
    c = Client()
    c.force_login(make_member(council, Role.ADMIN).user)
    return c


def url(council: Council, name: str, *args: object) -> str:
    return reverse(f"portfolio:{name}", args=[council.slug, *args])


def test_the_stage_pages_add_move_remove_and_choose_the_design_gate(council: Council, admin: Client) -> None:
    project(council, "P-2", stage=2)
    page = admin.get(url(council, "stages")).content.decode()
    assert "Add a stage" in page and "Move up<span" in page
    assert "Design-principles gate" in page
    blank = admin.post(url(council, "stage_add"), {"name": "", "position": "2"})
    assert blank.status_code == 200 and "Enter the stage&#x27;s name" in blank.content.decode()
    added = admin.post(
        url(council, "stage_add"), {"name": "Discover", "purpose": "Find out", "position": "2"}
    )
    assert added.status_code == 302
    assert names(council)[1] == "2 Discover" and at(council, "P-2") == (3, "in_stage")
    removed = admin.post(url(council, "stage_remove", 3), follow=True)
    assert "cannot be removed: 1 project is at it (P-2)" in removed.content.decode()
    assert admin.post(url(council, "stage_move", 2), {"direction": "down"}).status_code == 302
    assert names(council)[1:3] == ["2 Understand", "3 Discover"] and at(council, "P-2") == (2, "in_stage")
    form = admin.get(url(council, "design_gate")).content.decode()
    assert "Gate 3, closing Discover" in form
    assert admin.post(url(council, "design_gate"), {"gate": "3"}).status_code == 302
    assert selectors.design_gate_of(selectors.stages(council)) == 3
    assert (
        "A project cannot pass gate 3 without a design-principles assessment"
        in admin.get(url(council, "stages")).content.decode()
    )
    assert admin.post(url(council, "stage_remove", 6), follow=True).status_code == 200
    assert names(council)[-1] == "5 Change"


@pytest.mark.parametrize("role", [Role.PROJECT_MANAGER, Role.COUNCILLOR])
def test_only_the_transformation_office_changes_stages(
    council: Council, make_member: Callable[..., Membership], role: str
) -> None:
    services.stages_ensure(council=council)
    c = Client()
    c.force_login(make_member(council, role).user)
    before = names(council)
    for name, args, data in (
        ("stage_add", (), {"name": "X", "position": "1"}),
        ("stage_move", (2,), {"direction": "up"}),
        ("stage_remove", (5,), {}),
        ("design_gate", (), {"gate": "2"}),
        ("stage_edit", (1,), {"name": "Renamed"}),
    ):
        assert c.post(url(council, name, *args), data).status_code == 403, name
    assert names(council) == before and services.design_gate(council) == 1
    assert "Add a stage" not in c.get(url(council, "stages")).content.decode()
