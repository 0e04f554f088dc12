from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from wholecouncil.accounts.roles import Role
from wholecouncil.council import services
from wholecouncil.council.models import Council


class Command(BaseCommand):
    help = (
        "Add a user to a council with a role: `wholecouncil user add USERNAME --council SLUG --role admin`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Create the user if new and give them a role in a council")
        add.add_argument("username")
        add.add_argument("--council", required=True, help="Council slug")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--email", default="")
        add.add_argument(
            "--password-env",
            default="WHOLECOUNCIL_PASSWORD",
            help="Environment variable holding the new user's password (default WHOLECOUNCIL_PASSWORD); "
            "otherwise the account has no usable password until `wholecouncil changepassword` sets one",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        council = Council.objects.filter(slug=opts["council"]).first()
        if council is None:
            raise CommandError(f"No council with the short name '{opts['council']}'.")
        try:
            m = services.membership_set(
                council=council,
                username=opts["username"],
                role=opts["role"],
                email=opts["email"],
                password=os.environ.get(opts["password_env"]),
            )
        except services.DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"{m.user.get_username()} is now {m.get_role_display()} at {council}.")
        )
