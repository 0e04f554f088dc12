"""`wholecouncil demo`: loads what the plan says, leaves an existing demo alone, and --reset reloads it."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from wholecouncil.council import services
from wholecouncil.council.models import Council, Membership, OrgUnit, OrgUnitShare, Partnership, Service
from wholecouncil.demo.plan import DemoPlan
from wholecouncil.workforce.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any, shared_data_dir: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {
        "councils": Council.objects.count(),
        "posts": Post.objects.count(),
        "units": OrgUnit.objects.count(),
        "services": Service.objects.count(),
        "partnerships": Partnership.objects.count(),
        "shares": OrgUnitShare.objects.count(),
        "memberships": Membership.objects.count(),
        "users": get_user_model().objects.count(),
    }


def _post_values(council: Council) -> list[tuple[object, ...]]:
    return [
        (p.post_ref, p.job_title, p.grade, p.fte, p.annual_cost, p.vacant, p.contract_type, p.manager_ref)
        for p in Post.objects.filter(council=council).order_by("post_ref")
    ]


def test_load_matches_the_plan_and_a_second_run_changes_nothing_until_reset(plan: DemoPlan) -> None:
    output = _demo()
    assert "http://127.0.0.1:8000/" in output
    assert "demo-password-2025" in output
    assert "partnership-director" in output

    councils = {c.slug: c for c in Council.objects.all()}
    assert set(councils) == {"exampleshire", "westmere"}
    assert all(c.is_demo for c in councils.values())
    for council_plan in plan.councils:
        council = councils[council_plan.slug]
        expected = [
            (r.post_ref, r.job_title, r.grade, r.fte, r.annual_cost, r.vacant, r.contract_type, r.manager_ref)
            for r in council_plan.posts
        ]
        assert _post_values(council) == expected
        refs = {p[0] for p in expected}
        assert all(p[-1] in refs for p in expected if p[-1])
        assert council.services.count() == len(council_plan.catalogue)
        assert council.services.filter(org_unit__isnull=False).count() == sum(
            1 for e in council_plan.catalogue if e.team
        )

        # A closed activity survey of every filled post, about four in five answered.
        survey = council.surveys.get()
        invited = survey.respondents.count()
        assert invited == sum(1 for r in council_plan.posts if not r.vacant)
        answered = survey.respondents.filter(status="submitted").count()
        assert 0.75 <= answered / invited <= 0.85

    partnership = Partnership.objects.get(name="Exampleshire and Westmere Partnership")
    assert set(partnership.councils.values_list("slug", flat=True)) == {"exampleshire", "westmere"}
    shared = list(partnership.shared_units.all())
    assert len(shared) >= 2
    for unit in shared:
        assert sum(s.percent for s in unit.shares.all()) == 100
    director = Membership.objects.filter(user__username="partnership-director")
    assert {m.council.slug: m.role for m in director} == {"exampleshire": "admin", "westmere": "admin"}
    assert get_user_model().objects.get(username="exampleshire-admin").check_password("demo-password-2025")

    # A user's change survives a second run, which adds nothing.
    before = _counts()
    Post.objects.filter(post_ref="EX00001").update(job_title="Chief Executive and Head of Paid Service")
    assert "already loaded" in _demo()
    assert _counts() == before
    assert Post.objects.get(council__slug="exampleshire", post_ref="EX00001").job_title.endswith(
        "Paid Service"
    )

    # --reset puts the demo back as generated, without duplicating anything.
    output = _demo("--reset")
    assert "Deleted 2 demo council(s)" in output
    assert _counts() == before
    assert _post_values(Council.objects.get(slug="exampleshire"))[0][1] == "Chief Executive"


def test_reset_with_another_seed_gives_other_posts(plan: DemoPlan) -> None:
    _demo("--seed", "7")
    exampleshire = Council.objects.get(slug="exampleshire")
    seven = _post_values(exampleshire)
    expected = [(r.post_ref, r.job_title) for r in plan.council("exampleshire").posts]
    assert [p[:2] for p in seven] != expected
    _demo("--reset")
    assert [p[:2] for p in _post_values(Council.objects.get(slug="exampleshire"))] == expected


def test_a_real_council_is_never_touched() -> None:
    real = services.council_create(slug="westmere", name="Westmere (real)")
    other = services.council_create(slug="elsewhere", name="Elsewhere Council")
    with pytest.raises(CommandError, match="not a demo council"):
        _demo("--reset")
    assert set(Council.objects.values_list("pk", flat=True)) == {real.pk, other.pk}
    assert not Council.objects.filter(is_demo=True).exists()


def test_a_missing_service_list_stops_the_load_and_names_the_file(settings: Any, tmp_path: Path) -> None:
    settings.WHOLECOUNCIL_SHARED_DIR = tmp_path
    with pytest.raises(CommandError, match=str(tmp_path / "data" / "reference" / "lgsl-services-2013.csv")):
        _demo()
    assert not Council.objects.exists()
