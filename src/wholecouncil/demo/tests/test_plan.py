"""The pure demo plan: deterministic, the stated sizes, and a line-management chain that holds together."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from wholecouncil.accounts.roles import Role
from wholecouncil.demo.catalogue import EXAMPLESHIRE_RULES, WESTMERE_RULES, assign_team, pick_catalogue
from wholecouncil.demo.generator import DemoError, demo_plan
from wholecouncil.demo.jobs import GRADE_PAY, annual_cost, salary_point
from wholecouncil.demo.plan import CouncilPlan, DemoPlan
from wholecouncil.demo.structure import COUNCILS

PlanFor = Callable[..., DemoPlan]


def _directorates(c: CouncilPlan) -> set[str]:
    return {p.org_path[0] for p in c.posts}


def test_same_seed_gives_the_same_plan(
    plan_for: PlanFor, lgsl_entries: tuple[tuple[int, str, str], ...]
) -> None:
    from wholecouncil.demo.plan import build_plan

    assert build_plan(2025, lgsl_entries) == build_plan(2025, lgsl_entries)
    assert plan_for(2025) == build_plan(2025, list(reversed(lgsl_entries)))


def test_a_different_seed_gives_different_data(plan_for: PlanFor) -> None:
    a, b = plan_for(2025), plan_for(7)
    assert a.council("exampleshire").posts != b.council("exampleshire").posts
    assert a.council("exampleshire").catalogue != b.council("exampleshire").catalogue
    # ...but the same organisation chart.
    assert a.council("exampleshire").team_paths == b.council("exampleshire").team_paths


@pytest.mark.parametrize("seed", [2025, 1, 99])
def test_exampleshire_is_the_stated_size(plan_for: PlanFor, seed: int) -> None:
    ex = plan_for(seed).council("exampleshire")
    assert ex.name == "Exampleshire County Council"
    assert len(_directorates(ex)) == 4
    assert 90 <= len(ex.team_paths) <= 110
    assert 3800 <= len(ex.posts) <= 4200
    assert 430 <= len(ex.catalogue) <= 470
    vacancy = sum(p.vacant for p in ex.posts) / len(ex.posts)
    assert 0.06 <= vacancy <= 0.08


def test_westmere_is_smaller(plan: DemoPlan) -> None:
    wm = plan.council("westmere")
    assert 1 <= len(_directorates(wm)) <= 2
    assert 8 <= len(wm.team_paths) <= 12
    assert 250 <= len(wm.posts) <= 350
    assert 100 <= len(wm.catalogue) < len(plan.council("exampleshire").catalogue)


def test_posts_have_plausible_grades_fte_and_costs(plan: DemoPlan) -> None:
    for council in plan.councils:
        refs = [p.post_ref for p in council.posts]
        assert len(set(refs)) == len(refs)
        fte = Counter(p.fte for p in council.posts)
        assert fte[Decimal("1.00")] / len(council.posts) > 0.7
        for post in council.posts:
            assert post.grade in GRADE_PAY
            assert Decimal("0.5") <= post.fte <= 1
            low, high = GRADE_PAY[post.grade]
            assert post.annual_cost is not None
            assert annual_cost(low, post.fte) <= post.annual_cost <= annual_cost(high, post.fte)
            assert post.annual_cost == post.annual_cost.quantize(Decimal("0.01"))


def test_on_costs() -> None:
    assert salary_point("Grade 7", 0) == 32_100
    assert salary_point("Grade 7", 3) == 36_100
    # 30,000 + 19.5% pension (5,850) + NI 15% of 25,000 (3,750)
    assert annual_cost(30_000, Decimal("1")) == Decimal("39600.00")
    assert annual_cost(30_000, Decimal("0.5")) == Decimal("19425.00")


def test_every_manager_ref_resolves_up_to_the_top(plan: DemoPlan) -> None:
    for council in plan.councils:
        posts = {p.post_ref: p for p in council.posts}
        tops = [p for p in council.posts if not p.manager_ref]
        assert len(tops) == 1
        for post in council.posts:
            seen = {post.post_ref}
            current = post
            while current.manager_ref:
                manager = posts[current.manager_ref]
                assert manager.post_ref not in seen, f"{post.post_ref}: management loop"
                seen.add(manager.post_ref)
                current = manager
            assert current is tops[0]
            assert len(seen) <= 7
    ex = plan.council("exampleshire")
    assert [p.job_title for p in ex.posts if not p.manager_ref] == ["Chief Executive"]


def test_team_staff_report_inside_their_team_and_leads_to_their_service_head(plan: DemoPlan) -> None:
    for council in plan.councils:
        posts = {p.post_ref: p for p in council.posts}
        leadership = {p.post_ref for p in council.posts if p.org_path[-1].endswith("Leadership Team")}
        leadership |= {p.post_ref for p in council.posts if p.org_path[-1] == "Joint Management Team"}
        for post in council.posts:
            if not post.manager_ref or post.post_ref in leadership:
                continue
            manager = posts[post.manager_ref]
            if len(post.org_path) == 2:  # head of service
                assert manager.post_ref in leadership
            elif manager.org_path != post.org_path:  # team lead
                assert manager.org_path == post.org_path[:2]


def test_the_same_support_roles_recur_across_teams_and_directorates(plan: DemoPlan) -> None:
    ex = plan.council("exampleshire")
    for title in (
        "Business Support Officer",
        "Customer Service Adviser",
        "Finance Officer",
        "Data Analyst",
        "Project Officer",
    ):
        paths = {p.org_path for p in ex.posts if p.job_title == title}
        assert len(paths) >= 5, title
        assert len({path[0] for path in paths}) >= 3, title


def test_shared_units_exist_and_shares_make_100(plan: DemoPlan) -> None:
    assert plan.partnership_name == "Exampleshire and Westmere Partnership"
    slugs = {c.slug for c in plan.councils}
    splits = set()
    for share in plan.shares:
        assert share.org_path in plan.council(share.host).team_paths.values()
        assert {slug for slug, _ in share.shares} <= slugs
        assert sum(pct for _, pct in share.shares) == 100
        splits.add(tuple(pct for _, pct in share.shares))
    assert len(plan.shares) >= 2
    assert {(Decimal(60), Decimal(40)), (Decimal(70), Decimal(30))} <= splits


def test_catalogue_services_are_assigned_to_real_teams(plan: DemoPlan) -> None:
    for council in plan.councils:
        teams = council.team_paths
        ids = [e.lgsl_id for e in council.catalogue]
        assert len(set(ids)) == len(ids)
        assigned = [e for e in council.catalogue if e.team]
        assert all(e.team in teams for e in assigned)
        assert 0.5 <= len(assigned) / len(council.catalogue) < 1


def test_rules_name_only_teams_that_exist() -> None:
    by_slug = {spec.slug: spec for spec in COUNCILS}
    for slug, rules in (("exampleshire", EXAMPLESHIRE_RULES), ("westmere", WESTMERE_RULES)):
        teams = {t.name for d in by_slug[slug].directorates for s in d.services for t in s.teams}
        assert {team for team, _ in rules} <= teams


def test_keyword_rules() -> None:
    assert assign_team("Fostering", EXAMPLESHIRE_RULES) == "Fostering Team"
    assert assign_team("Business grants", EXAMPLESHIRE_RULES) == "Economic Development"
    assert assign_team("Bus passes", EXAMPLESHIRE_RULES) == "Blue Badge and Concessionary Travel"
    assert assign_team("Electricity interconnector licence", EXAMPLESHIRE_RULES) == ""
    assert (
        assign_team("Bulky household waste collections", WESTMERE_RULES) == "Refuse and Recycling Collection"
    )


def test_pick_catalogue_is_capped_by_what_there_is() -> None:
    entries = [(i, f"Road {i}", "") for i in range(10)] + [(100 + i, f"Zebra {i}", "") for i in range(3)]
    picked = pick_catalogue(entries, EXAMPLESHIRE_RULES, random.Random(1), size=50, assigned_share=0.5)
    assert len(picked) == 13


def test_logins_cover_every_role(plan: DemoPlan) -> None:
    roles = {role for u in plan.users for slug, role in u.memberships if slug == "exampleshire"}
    assert roles == set(Role.values)
    director = next(u for u in plan.users if u.username == "partnership-director")
    assert dict(director.memberships) == {"exampleshire": Role.ADMIN, "westmere": Role.ADMIN}


def test_a_missing_service_list_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "lgsl.csv"
    with pytest.raises(DemoError, match=str(missing)):
        demo_plan(2025, missing)
