from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from wholecouncil.council import services
from wholecouncil.council.models import Council


def lgsl_default_path() -> Path:
    return Path(settings.WHOLECOUNCIL_SHARED_DIR) / "data" / "reference" / "lgsl-services-2013.csv"


class Command(BaseCommand):
    help = (
        "Create and list councils. `wholecouncil council create SLUG NAME` sets one up with the default "
        "operating model."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a council with the default operating model")
        create.add_argument("slug", help="Short name used in web addresses, e.g. exampleshire")
        create.add_argument("name", help="Full name, e.g. 'Exampleshire County Council'")
        create.add_argument(
            "--services",
            type=Path,
            default=None,
            help="Service list CSV for the catalogue (default: the LGSL file in the shared data folder)",
        )
        create.add_argument(
            "--no-services", action="store_true", help="Start with an empty service catalogue"
        )
        sub.add_parser("list", help="List councils")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "list":
            for c in Council.objects.order_by("slug"):
                self.stdout.write(f"{c.slug}\t{c.name}{'  (fictional demo)' if c.is_demo else ''}")
            return
        try:
            council = services.council_create(slug=opts["slug"], name=opts["name"])
            self.stdout.write(self.style.SUCCESS(f"Created {council.name} ({council.slug})."))
            if not opts["no_services"]:
                path = opts["services"] or lgsl_default_path()
                added = services.services_import(
                    council=council, entries=services.read_lgsl(path), actor=None
                )
                self.stdout.write(f"Service catalogue: {added} services from {path.name}.")
        except services.DomainError as exc:
            raise CommandError(str(exc)) from exc
