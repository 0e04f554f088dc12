from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from wholecouncil.council.management.commands.council import lgsl_default_path
from wholecouncil.council.models import Membership
from wholecouncil.council.services import DomainError
from wholecouncil.demo import generator
from wholecouncil.demo.plan import DEFAULT_SEED, DEMO_PASSWORD, USERS

URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Load the fictional demo councils (Exampleshire and Westmere) if they are not there yet. "
        "--reset deletes the demo councils and loads them again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Seed for the demo data (default {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo councils (only councils marked as demo) and load them again",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            self._run(seed=opts["seed"], reset=opts["reset"])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self._print_logins()

    def _run(self, *, seed: int, reset: bool) -> None:
        state = generator.demo_state()
        if state == "present" and not reset:
            self.stdout.write("The demo councils are already loaded; nothing was changed.")
            self.stdout.write("Run `wholecouncil demo --reset` to delete them and load them afresh.")
            return
        if state == "partial" and not reset:
            raise CommandError(
                "Only part of the demo is in the database. Run `wholecouncil demo --reset` to reload it."
            )
        plan = generator.demo_plan(seed, lgsl_default_path())
        started = time.perf_counter()
        with transaction.atomic():  # a reset that fails keeps the demo that was there
            if state != "absent":
                deleted = generator.demo_delete()
                self.stdout.write(f"Deleted {deleted} demo council(s).")
            self.stdout.write(f"Loading the fictional demo (seed {seed}):")
            generator.demo_load(plan, log=self.stdout.write)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Demo loaded in {elapsed:.1f} s. Every name and figure is made up.")
        )

    def _print_logins(self) -> None:
        usernames = [name for name, _ in USERS]
        memberships = (
            Membership.objects.filter(user__username__in=usernames, council__is_demo=True)
            .select_related("user", "council")
            .order_by("user__username", "council__name")
        )
        rows = [(m.user.username, m.council.name, m.get_role_display()) for m in memberships]
        order = {name: i for i, name in enumerate(usernames)}
        rows.sort(key=lambda r: (order[r[0]], r[1]))
        self.stdout.write("")
        self.stdout.write(f"Open {URL} and sign in as one of these (password: {DEMO_PASSWORD}):")
        headers = ("Login", "Council", "Role")
        widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        for row in (headers, tuple("-" * w for w in widths), *rows):
            self.stdout.write(line.format(*row).rstrip())
