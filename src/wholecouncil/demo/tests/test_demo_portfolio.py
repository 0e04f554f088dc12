"""The demo portfolio is shaped like the seed papers: four whole-council programmes and four enabling
workstreams (with two service-change programmes), about sixty projects across every stage and status, full
RAID logs, milestones that depend on each other, a year of project and programme highlight reports, and the
records its pages show."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Count, F
from django.test import Client
from django.urls import reverse

from wholecouncil.council.models import AuditEvent, Council
from wholecouncil.demo import portfolio as demo_portfolio
from wholecouncil.demo import steps
from wholecouncil.demo.generator import DemoContext
from wholecouncil.demo.plan import DemoPlan
from wholecouncil.portfolio import selectors
from wholecouncil.portfolio.models import (
    Assumption,
    Condition,
    Decision,
    Dependency,
    GateDecision,
    GateSubmission,
    HighlightReport,
    Issue,
    MilestoneDependency,
    MilestoneRebaseline,
    Programme,
    Project,
    ReprioritisationReview,
    Risk,
    SubmissionArtefact,
)

pytestmark = pytest.mark.django_db

SEED_PROGRAMMES = {
    "Strategic and enabling services",
    "Commissioning and procurement",
    "Customer experience",
    "Business support and ways of working",
}
SEED_WORKSTREAMS = {"Building transformation capability", "Communications", "People and change", "Finance"}


@pytest.fixture
def exampleshire(plan: DemoPlan, settings: Any, shared_data_dir: Path) -> Council:
    """The demo's councils, partnership and logins, then its portfolio step."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = DemoContext(seed=plan.seed, plan=plan, log=lambda _: None)
    for step in (
        steps.councils,
        steps.establishment,
        steps.partnership,
        steps.logins,
        demo_portfolio.portfolio,
    ):
        step(ctx)
    return ctx.councils["exampleshire"]


def test_the_demo_portfolio_has_the_seed_papers_shape(exampleshire: Council) -> None:
    programmes = Programme.objects.filter(council=exampleshire)
    assert set(programmes.filter(kind="whole_council").values_list("name", flat=True)) == SEED_PROGRAMMES
    assert programmes.filter(kind="service_change").count() == 2
    assert set(exampleshire.workstreams.values_list("name", flat=True)) == SEED_WORKSTREAMS
    projects = Project.objects.filter(council=exampleshire)
    assert 55 <= projects.count() <= 65
    assert set(projects.values_list("stage", flat=True)) == {1, 2, 3, 4, 5}
    statuses = dict(projects.values_list("status").annotate(n=Count("id")).order_by())
    assert set(statuses) == {"in_stage", "at_gate", "paused", "stopped", "closed"}
    assert statuses["at_gate"] >= 5 and statuses["closed"] >= 2
    assert projects.filter(workstream__isnull=False).count() >= 8
    assert projects.filter(councils__slug="westmere").exists(), "some projects serve the partner council"
    assert ReprioritisationReview.objects.get(council=exampleshire).status == "concluded"


def test_every_waiting_project_has_its_submission_with_documents(exampleshire: Council) -> None:
    waiting = Project.objects.filter(council=exampleshire, status="at_gate")
    pending = GateSubmission.objects.filter(council=exampleshire, status="pending")
    assert set(pending.values_list("project", flat=True)) == set(waiting.values_list("pk", flat=True))
    assert SubmissionArtefact.objects.filter(submission__in=pending).exclude(file_name="").exists()
    assert SubmissionArtefact.objects.filter(council=exampleshire).exclude(link="").exists()
    assert GateDecision.objects.filter(council=exampleshire, decision="approve_with_conditions").exists()
    assert Condition.objects.filter(council=exampleshire, status="open").exists()
    assert Condition.objects.filter(council=exampleshire, status="met").exists()
    assert GateDecision.objects.filter(council=exampleshire, decision="stop").exists()
    decided = set(
        GateDecision.objects.filter(council=exampleshire).values_list("decided_at__date", flat=True)
    )
    assert len(decided) > 20, "decisions are spread over the projects' lives"


def test_the_raid_logs_and_dependencies_are_full(exampleshire: Council) -> None:
    portfolio = Project.objects.filter(council=exampleshire, code__startswith="TP-")
    assert all(p.risks.count() == 3 and p.milestones.count() == 4 for p in portfolio)
    open_projects = portfolio.filter(status__in=selectors.OPEN_STATUSES)
    assert all(p.allocations.count() == 2 for p in open_projects)
    assert Risk.objects.filter(council=exampleshire, status="open", score__gte=12).exists()
    assert Assumption.objects.filter(council=exampleshire).values("status").distinct().count() == 3
    assert Issue.objects.filter(council=exampleshire, status="open").exists()
    assert Issue.objects.filter(council=exampleshire, status="resolved").exists()
    assert Decision.objects.filter(council=exampleshire).count() >= len(open_projects)
    assert Dependency.objects.filter(council=exampleshire).count() == 6
    links = MilestoneDependency.objects.filter(council=exampleshire)
    assert links.count() >= 10
    assert links.exclude(milestone__project=F("depends_on__project")).exists()
    assert selectors.out_of_order(exampleshire).count() >= 1
    assert MilestoneRebaseline.objects.filter(council=exampleshire).count() == 2
    assert (
        AuditEvent.objects.filter(council=exampleshire, action="portfolio.milestone.rebaseline").count() == 2
    )


def test_a_year_of_project_and_programme_reports_with_drafts(exampleshire: Council) -> None:
    reports = HighlightReport.objects.filter(council=exampleshire)
    months = set(reports.values_list("month", flat=True))
    assert len(months) == 12 and max(months) == dt.date.today().replace(day=1)
    programme_reports = reports.filter(programme__isnull=False)
    assert programme_reports.values("programme").distinct().count() == 6
    assert programme_reports.count() == 6 * 12
    assert programme_reports.filter(status="draft").count() == 6
    assert reports.filter(project__isnull=False, status="draft").exists()
    assert reports.filter(status="approved").exclude(approved_by=None).count() > 300
    for p in Project.objects.filter(council=exampleshire).exclude(latest_rag=""):
        latest = p.reports.exclude(status="draft").order_by("-month").first()
        assert (latest.rag, latest.month) == (p.latest_rag, p.latest_report_month), p.code


def test_the_demo_portfolio_pages_open(exampleshire: Council) -> None:
    client = Client()
    client.force_login(exampleshire.memberships.get(user__username="exampleshire-councillor").user)
    slug = exampleshire.slug
    p = Project.objects.filter(council=exampleshire, status="at_gate").first()
    for url in (
        reverse("portfolio:overview", args=[slug]),
        reverse("portfolio:programmes", args=[slug]),
        reverse("portfolio:timeline", args=[slug]),
        reverse("portfolio:project", args=[slug, p.pk]),
        reverse("portfolio:plan", args=[slug, p.pk]),
        reverse("portfolio:raid", args=[slug, p.pk]),
    ):
        assert client.get(url).status_code == 200, url
    westmere = Client()
    westmere.force_login(
        Council.objects.get(slug="westmere").memberships.get(user__username="westmere-admin").user
    )
    served = Project.objects.filter(council=exampleshire, councils__slug="westmere").first()
    assert westmere.get(reverse("portfolio:project", args=["westmere", served.pk])).status_code == 200
