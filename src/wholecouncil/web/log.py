"""Logging for the web app: a refused or missing page is one line in the log, not a traceback."""

from __future__ import annotations

import logging


class OneLineForClientErrors(logging.Filter):
    """Drop the traceback Django attaches to its 4xx warnings (403 Forbidden, 404 Not found): they are
    the expected answer to a request, not a fault. Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
