"""The one `wholecouncil` command.

Every sub-command is a Django management command, so the web app, the CLI and the tests share one code path:
`wholecouncil migrate`, `wholecouncil demo`, `wholecouncil serve`, `wholecouncil council create SLUG NAME`,
`wholecouncil establishment import FILE --council SLUG`, `wholecouncil activity baseline ...`,
`wholecouncil case compute CASE.yaml`, and whatever later modules add.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wholecouncil.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    execute_from_command_line(["wholecouncil", *args])


if __name__ == "__main__":
    main()
