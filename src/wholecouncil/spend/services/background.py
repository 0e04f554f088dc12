"""Checking and importing large uploads in a background thread, and noticing one that died.

The check and the import are the same atomic `spend_check` and `spend_import_run` a small upload uses; the
import's status in the database says whether it is checking, running, done or failed. While the thread
works it writes a small progress file (rows read so far, and a heartbeat every few seconds) under
VAR_DIR/spend-progress, which feeds the progress bar of workers on the same machine.

If the process doing the work stops (a restart, a crash), its transaction is rolled back and nothing is
half-written, but the status would still say "running". `spend_import_reap` finds such an import — no
fresh heartbeat and, on PostgreSQL, no transaction holding the import's row — and marks it interrupted
with a message; its files are kept, so it can be checked or run again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from wholecouncil.council.audit import Actor
from wholecouncil.spend.models import SpendImport

logger = logging.getLogger(__name__)
Status = SpendImport.Status
HEARTBEAT_SECONDS = 5.0
WORKING = (Status.CHECKING, Status.RUNNING)
INTERRUPTED_MESSAGES = {
    "check": "The check stopped before it finished (the server was restarted or the process ended). "
    "Your files are kept: match the columns and check them again.",
    "import": "The import stopped before it finished (the server was restarted or the process ended), "
    "so nothing was imported. Your files are kept: try the import again.",
}


def stale_seconds() -> float:
    """A check or import with no sign of life for this long is taken to have stopped."""
    return float(getattr(settings, "SPEND_STALE_SECONDS", 90))


def _path(pk: int) -> Path:
    """The progress file of import `pk` of this database: two sites sharing a folder keep theirs apart."""
    db = connection.settings_dict
    where = f"{connection.vendor}:{db.get('HOST') or ''}:{db.get('PORT') or ''}:{db.get('NAME')}"
    folder = hashlib.sha256(where.encode()).hexdigest()[:12]
    return Path(settings.VAR_DIR) / "spend-progress" / folder / f"{pk}.json"


def progress_write(pk: int, done: int, total: int | None, step: str = "reading") -> None:
    path = _path(pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
    beat = {"done": done, "total": total, "step": step, "at": time.time(), "pid": os.getpid()}
    tmp.write_text(json.dumps(beat))
    tmp.replace(path)


def progress_read(pk: int) -> dict[str, Any] | None:
    try:
        return dict(json.loads(_path(pk).read_text()))
    except (OSError, ValueError):
        return None


def _clear(pk: int) -> None:
    _path(pk).unlink(missing_ok=True)


class _Heartbeat:
    """Writes the latest progress every few seconds, also while no rows are being read (suppliers,
    categories and duplicates come after the last row)."""

    def __init__(self, pk: int, total: int | None) -> None:
        self.pk, self.total, self.done, self.step = pk, total, 0, "reading"
        self._written = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"spend-heartbeat-{pk}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        progress_write(self.pk, 0, self.total)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=HEARTBEAT_SECONDS * 2)
        _clear(self.pk)

    def __call__(self, done: int, step: str = "reading") -> None:
        changed = step != self.step
        self.done, self.step = done, step
        if changed or time.monotonic() - self._written > 1.0:
            self._written = time.monotonic()
            progress_write(self.pk, done, self.total, step)

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_SECONDS):
            progress_write(self.pk, self.done, self.total, self.step)


def _work(pk: int, kind: str, actor: Actor, skip_rejected: bool) -> None:
    from wholecouncil.spend.services.imports import spend_check
    from wholecouncil.spend.services.running import spend_import_run

    try:
        imp = SpendImport.objects.select_related("council").get(pk=pk)
        total = imp.rows_read + imp.rejected_count if kind == "import" else None
        with _Heartbeat(pk, total) as beat:
            if kind == "check":
                spend_check(spend_import=imp, progress=beat)
            else:
                spend_import_run(
                    council=imp.council,
                    spend_import=imp,
                    actor=actor,
                    progress=beat,
                    skip_rejected=skip_rejected,
                )
    except Exception as exc:  # the thread must record any failure for the page to show
        logger.exception("Spend %s %s failed", kind, pk)
        failed = Status.UPLOADED if kind == "check" else Status.FAILED
        SpendImport.objects.filter(pk=pk).update(status=failed, error=f"The {kind} failed: {exc}")
    finally:
        close_old_connections()


def _start(spend_import: SpendImport, kind: str, allowed: Sequence[str], actor: Actor, skip: bool) -> bool:
    with transaction.atomic():
        updated = SpendImport.objects.filter(pk=spend_import.pk, status__in=allowed).update(
            status=Status.CHECKING if kind == "check" else Status.RUNNING,
            started_at=timezone.now(),
            error="",
        )
    if not updated:
        return False
    progress_write(spend_import.pk, 0, spend_import.rows_read if kind == "import" else None)
    spawn(_work, (spend_import.pk, kind, actor, skip), f"spend-{kind}-{spend_import.pk}")
    return True


def spawn(target: Callable[..., None], args: tuple[Any, ...], name: str) -> None:
    """Run `target(*args)` in a daemon thread of this process."""
    threading.Thread(target=target, args=args, name=name, daemon=True).start()


def start_in_background(*, spend_import: SpendImport, actor: Actor, skip_rejected: bool = False) -> bool:
    """Mark the import running (committed at once) and run it in a thread. False if it cannot be run."""
    allowed = [Status.CHECKED, Status.INTERRUPTED] + ([Status.FAILED] if skip_rejected else [])
    return _start(spend_import, "import", allowed, actor, skip_rejected)


def start_check_in_background(*, spend_import: SpendImport) -> bool:
    """Mark the import checking (committed at once) and read every row in a thread."""
    allowed = [Status.UPLOADED, Status.CHECKED, Status.FAILED, Status.INTERRUPTED]
    return _start(spend_import, "check", allowed, None, False)


def _row_is_locked(pk: int) -> bool:
    """PostgreSQL: whether a transaction (the one checking or importing) holds the import's row."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {SpendImport._meta.db_table} WHERE id = %s FOR UPDATE SKIP LOCKED",  # noqa: S608
            [pk],
        )
        return cursor.fetchone() is None


def is_working(spend_import: SpendImport) -> bool:
    """Whether some process is still checking or importing `spend_import`."""
    if spend_import.status not in WORKING:
        return False
    limit = stale_seconds()
    started = spend_import.started_at
    if started is not None and timezone.now() - started < dt.timedelta(seconds=limit):
        return True
    beat = progress_read(spend_import.pk)
    if beat is not None and time.time() - float(beat.get("at", 0)) < limit:
        return True
    return connection.vendor == "postgresql" and _row_is_locked(spend_import.pk)


def spend_import_reap(*, spend_import: SpendImport) -> SpendImport:
    """Mark a check or import that no process is working on as interrupted, with a message saying so.

    Nothing it did is kept (its transaction was rolled back); the uploaded files are, so it can be retried.
    """
    imp = spend_import
    if imp.status not in WORKING or is_working(imp):
        return imp
    kind = "check" if imp.status == Status.CHECKING else "import"
    options = {**imp.options, "interrupted": kind}
    updated = SpendImport.objects.filter(pk=imp.pk, status=imp.status).update(
        status=Status.INTERRUPTED, error=INTERRUPTED_MESSAGES[kind], options=options
    )
    if updated:
        _clear(imp.pk)
        logger.warning("Spend %s %s was interrupted", kind, imp.pk)
    imp.refresh_from_db()
    return imp
