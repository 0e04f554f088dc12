from __future__ import annotations

from argparse import ArgumentParser
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wholecouncil.council import services
from wholecouncil.council.models import Council, OrgUnit, Partnership


class Command(BaseCommand):
    help = "Record partnerships between councils and the shares of their shared units."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="wholecouncil partnership create NAME --councils a,b")
        create.add_argument("name")
        create.add_argument("--councils", required=True, help="Comma-separated council slugs")
        create.add_argument("--description", default="")
        share = sub.add_parser(
            "share", help="wholecouncil partnership share NAME --unit ID --shares a=60,b=40"
        )
        share.add_argument("name")
        share.add_argument("--unit", type=int, required=True, help="Org unit id (shown on its page)")
        share.add_argument("--shares", required=True, help="slug=percent pairs adding up to 100")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "create":
                slugs = [s.strip() for s in opts["councils"].split(",") if s.strip()]
                councils = [self._council(s) for s in slugs]
                p = services.partnership_create(
                    name=opts["name"], councils=councils, description=opts["description"], actor=None
                )
                self.stdout.write(self.style.SUCCESS(f"Created partnership {p.name} (id {p.pk})."))
            else:
                found = Partnership.objects.filter(name=opts["name"]).first()
                if found is None:
                    raise CommandError(f"No partnership called '{opts['name']}'.")
                p = found
                unit = OrgUnit.objects.filter(pk=opts["unit"]).first()
                if unit is None:
                    raise CommandError(f"No org unit with id {opts['unit']}.")
                shares = {}
                for pair in opts["shares"].split(","):
                    slug, _, pct = pair.partition("=")
                    try:
                        shares[self._council(slug.strip())] = Decimal(pct.strip().rstrip("%"))
                    except InvalidOperation as exc:
                        raise CommandError(f"--shares: '{pair}' should look like slug=40") from exc
                services.org_unit_share(unit=unit, partnership=p, shares=shares, actor=None)
                self.stdout.write(self.style.SUCCESS(f"{unit} is now shared: {opts['shares']}."))
        except services.DomainError as exc:
            raise CommandError(str(exc)) from exc

    def _council(self, slug: str) -> Council:
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            raise CommandError(f"No council with the short name '{slug}'.")
        return council
