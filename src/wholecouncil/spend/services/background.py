"""Running a large import in a background thread, with its progress in a small file any web worker can read.

The import itself is the same atomic `spend_import_run`; the import's status in the database says whether
it is running, done or failed. The progress file only feeds the progress bar (rows read so far), so it is
kept under VAR_DIR/spend-progress and removed when the import ends. Deployments with workers on several
machines see the bar only on the machine doing the work; the status is right everywhere.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction

from wholecouncil.council.audit import Actor
from wholecouncil.spend.models import SpendImport

logger = logging.getLogger(__name__)
Status = SpendImport.Status


def _path(pk: int) -> Path:
    return Path(settings.VAR_DIR) / "spend-progress" / f"{pk}.json"


def progress_write(pk: int, done: int, total: int) -> None:
    path = _path(pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"done": done, "total": total, "at": time.time()}))
    tmp.replace(path)


def progress_read(pk: int) -> dict[str, Any] | None:
    try:
        return dict(json.loads(_path(pk).read_text()))
    except (OSError, ValueError):
        return None


def _clear(pk: int) -> None:
    _path(pk).unlink(missing_ok=True)


def _work(pk: int, actor: Actor, skip_rejected: bool) -> None:
    from wholecouncil.spend.services.imports import spend_import_run

    try:
        imp = SpendImport.objects.select_related("council").get(pk=pk)
        total = imp.rows_read + imp.rejected_count
        last = [0.0]

        def progress(done: int) -> None:
            if time.monotonic() - last[0] > 0.5:
                last[0] = time.monotonic()
                progress_write(pk, done, total)

        spend_import_run(
            council=imp.council, spend_import=imp, actor=actor, progress=progress, skip_rejected=skip_rejected
        )
    except Exception as exc:  # the thread must record any failure for the page to show
        logger.exception("Spend import %s failed", pk)
        SpendImport.objects.filter(pk=pk).update(status=Status.FAILED, error=f"The import failed: {exc}")
    finally:
        _clear(pk)
        close_old_connections()


def start_in_background(*, spend_import: SpendImport, actor: Actor, skip_rejected: bool = False) -> None:
    """Mark the import running (committed at once) and run it in a thread."""
    allowed = [Status.CHECKED, Status.FAILED] if skip_rejected else [Status.CHECKED]
    with transaction.atomic():
        updated = SpendImport.objects.filter(pk=spend_import.pk, status__in=allowed).update(
            status=Status.RUNNING
        )
    if not updated:
        return
    progress_write(spend_import.pk, 0, spend_import.rows_read)
    thread = threading.Thread(
        target=_work, args=(spend_import.pk, actor, skip_rejected), name=f"spend-import-{spend_import.pk}"
    )
    thread.daemon = True
    thread.start()
