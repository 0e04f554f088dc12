from __future__ import annotations

import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web app with gunicorn and WhiteNoise: `wholecouncil serve [--bind 127.0.0.1:8000]`"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("WHOLECOUNCIL_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Serving on http://{opts['bind']}/ — press Ctrl+C to stop.")
        sys.stdout.flush()
        os.execvp(  # noqa: S606 - replaces this process with the WSGI server
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wholecouncil.wsgi:application",
                "--bind",
                opts["bind"],
                "--workers",
                str(opts["workers"]),
                "--access-logfile",
                "-",
            ],
        )
