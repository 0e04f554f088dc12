"""The demo's core steps: councils, establishment, service catalogue, partnership and logins.

Each step writes through the owning app's services, so the demo data is what a user importing the same
figures would get, audit trail included.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from wholecouncil.activity.models import Survey
from wholecouncil.council import services as council_services
from wholecouncil.council.models import Council, OrgUnit
from wholecouncil.workforce import services as workforce_services
from wholecouncil.workforce.models import Post

if TYPE_CHECKING:
    from wholecouncil.demo.generator import DemoContext


def unit_paths(council: Council) -> dict[tuple[str, ...], OrgUnit]:
    """Every org unit of the council by its path of names from the top, e.g. ("People", "Adult Care")."""
    units = {u.pk: u for u in OrgUnit.objects.filter(council=council)}
    paths: dict[int, tuple[str, ...]] = {}

    def path(unit: OrgUnit) -> tuple[str, ...]:
        if unit.pk not in paths:
            parent = units.get(unit.parent_id) if unit.parent_id else None
            paths[unit.pk] = (*path(parent), unit.name) if parent else (unit.name,)
        return paths[unit.pk]

    return {path(u): u for u in units.values()}


def councils(ctx: DemoContext) -> None:
    for plan in ctx.plan.councils:
        ctx.councils[plan.slug] = council_services.council_create(
            slug=plan.slug, name=plan.name, is_demo=True
        )
        ctx.log(f"Created {plan.name} (fictional).")


def establishment(ctx: DemoContext) -> None:
    for plan in ctx.plan.councils:
        workforce_services.establishment_replace(council=ctx.councils[plan.slug], rows=plan.posts, actor=None)
        teams = len(plan.team_paths)
        ctx.log(f"{plan.name}: {len(plan.posts):,} posts in {teams} teams.")


def catalogue(ctx: DemoContext) -> None:
    for plan in ctx.plan.councils:
        council = ctx.councils[plan.slug]
        entries = [(e.lgsl_id, e.name, e.description) for e in plan.catalogue]
        council_services.services_import(council=council, entries=entries, actor=None)
        units = unit_paths(council)
        assignments = {e.lgsl_id: units[plan.team_paths[e.team]] for e in plan.catalogue if e.team}
        assigned = council_services.services_assign(council=council, assignments=assignments, actor=None)
        ctx.log(f"{plan.name}: {len(entries)} services in the catalogue, {assigned} assigned to a team.")


def partnership(ctx: DemoContext) -> None:
    plan = ctx.plan
    ctx.partnership = council_services.partnership_create(
        name=plan.partnership_name,
        councils=[ctx.councils[c.slug] for c in plan.councils],
        description=plan.partnership_description,
        actor=None,
    )
    for share in plan.shares:
        unit = unit_paths(ctx.councils[share.host])[share.org_path]
        council_services.org_unit_share(
            unit=unit,
            partnership=ctx.partnership,
            shares={ctx.councils[slug]: pct for slug, pct in share.shares},
            actor=None,
        )
        split = " / ".join(f"{slug} {pct}%" for slug, pct in share.shares)
        ctx.log(f"Shared {unit.name}: {split}.")


def logins(ctx: DemoContext) -> None:
    for user in ctx.plan.users:
        for slug, role in user.memberships:
            council_services.membership_set(
                council=ctx.councils[slug], username=user.username, role=role, password=ctx.plan.password
            )


def delete_council_data(councils: Iterable[Council]) -> None:
    """Rows that protect themselves from a cascading delete, removed before their councils are."""
    councils = list(councils)
    Survey.objects.filter(council__in=councils).delete()  # its answers protect the org units they name
    Post.objects.filter(council__in=councils).delete()
