"""Survey submissions through the web server on PostgreSQL: submissions a second, latency, and nothing lost.

Creates a PostgreSQL database of its own (dropped first if it exists), loads an establishment of
`--respondents` filled posts, and serves the app with gunicorn on loopback. Each run opens a new survey (one
personal link per post) and a load client of `--concurrency` threads answers it the way browsers do: each
respondent's page is opened with a GET (which sets that respondent's CSRF cookie and form token), then the
answers are POSTed with that cookie and token. The GETs are done first, then all the POSTs, so the submission
endpoint's own rate is measured; the rate of whole journeys (GET + POST) is printed too. A submission counts
when the POST redirects to the confirmation page. Afterwards the submitted rows in the database are counted:
lost = successful submissions - rows submitted (must be 0).

Prints each run and the median of the runs: submissions a second, POST latency p50 and p95, errors, lost.
Target: at least 200 submissions a second with none lost.

    .venv/bin/python benchmarks/survey_submissions.py [--respondents 3000] [--concurrency 16] [--runs 3]
        [--workers 4] [--threads 1] [--postgres postgres://postgres@127.0.0.1:5432] [--database surveybench]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--respondents", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (more than 1: gthread)")
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="surveybench")
    return parser.parse_args()


def create_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wholecouncil.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def load_establishment(posts: int) -> int:
    from wholecouncil.council.services import council_create
    from wholecouncil.workforce.engine import PostRow
    from wholecouncil.workforce.services import establishment_replace

    council = council_create(slug="benchshire", name="Benchshire Council (benchmark)")
    rows = [
        PostRow(
            post_ref=f"B{i:06d}",
            org_path=(f"Directorate {i % 6}", f"Service {i % 30}", f"Team {i % 150}"),
            job_title="Officer",
            fte=Decimal("1") if i % 4 else Decimal("0.6"),
            annual_cost=Decimal("32000"),
        )
        for i in range(posts)
    ]
    establishment_replace(council=council, rows=rows, actor=None)
    return council.pk


def open_survey(council_id: int, run: int) -> tuple[int, list[tuple[str, Decimal]]]:
    from wholecouncil.activity.models import Respondent
    from wholecouncil.activity.services import survey as services
    from wholecouncil.council.models import Council

    council = Council.objects.get(pk=council_id)
    survey = services.survey_create(council=council, title=f"Benchmark run {run}", actor=None)
    services.survey_open(survey=survey, actor=None)
    links = list(Respondent.objects.filter(survey=survey).values_list("token", "contracted_hours"))
    return survey.pk, [(str(token), hours) for token, hours in links]


def submitted_rows(survey_id: int) -> int:
    from wholecouncil.activity.models import Respondent

    return Respondent.objects.filter(survey_id=survey_id, status=Respondent.Status.SUBMITTED).count()


def start_server(database_url: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"}
    server = subprocess.Popen(  # noqa: S603 - our own interpreter running gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "wholecouncil.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            *(["--worker-tmp-dir", "/dev/shm"] if Path("/dev/shm").is_dir() else []),  # noqa: S108
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def answers_for(hours: Decimal) -> dict[str, str]:
    first = (hours * Decimal("0.6")).quantize(Decimal("0.01"))
    return {"p-enquiries": str(first), "p-hr": str(hours - first)}


@dataclass
class Result:
    ok: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    forms: list[tuple[str, str, str, Decimal]] = field(
        default_factory=list
    )  # token, cookie, form token, hours


def get_form(conn: http.client.HTTPConnection, link: tuple[str, Decimal], result: Result) -> None:
    """What a browser does first: open the link, keeping the CSRF cookie and the form's token."""
    token, hours = link
    started = time.perf_counter()
    conn.request("GET", f"/s/{token}/")
    page = conn.getresponse()
    body = page.read()
    cookie = CSRF_COOKIE.search(page.getheader("Set-Cookie") or "")
    form_token = CSRF_INPUT.search(body)
    if page.status != 200 or cookie is None or form_token is None:
        result.errors.append(f"GET /s/{token[:6]}…/: {page.status}")
        return
    result.ok += 1
    result.seconds.append(time.perf_counter() - started)
    result.forms.append((token, cookie[1], form_token[1].decode(), hours))


def submit(conn: http.client.HTTPConnection, form: tuple[str, str, str, Decimal], result: Result) -> None:
    """Then: send the answers with that cookie. A submission counts when it lands on the confirmation page."""
    token, cookie, form_token, hours = form
    body = {**answers_for(hours), "action": "submit", "comment": "", "csrfmiddlewaretoken": form_token}
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"}
    started = time.perf_counter()
    conn.request("POST", f"/s/{token}/", body=urllib.parse.urlencode(body), headers=headers)
    response = conn.getresponse()
    response.read()
    if response.status == 302 and response.getheader("Location", "").endswith(f"/s/{token}/sent/"):
        result.ok += 1
        result.seconds.append(time.perf_counter() - started)
    else:
        result.errors.append(f"POST /s/{token[:6]}…/: {response.status}")


def drive(port: int, items: list[Any], concurrency: int, step: Callable[..., None]) -> tuple[Result, float]:
    """`step(conn, item, result)` for every item, from `concurrency` threads each with its own connection."""
    result = Result()
    lock = threading.Lock()
    queue = iter(items)

    def worker() -> None:
        local = Result()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                item = next(queue, None)
            if item is None:
                break
            try:
                step(conn, item, local)
            except (OSError, http.client.HTTPException) as exc:
                local.errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()
        with lock:
            result.ok += local.ok
            result.errors += local.errors
            result.seconds += local.seconds
            result.forms += local.forms

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return result, time.perf_counter() - start


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds used so far) of a Linux process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return -1, 0.0
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_seconds(server_pid: int, database: str) -> dict[str, dict[int, float]]:
    """CPU used so far by each gunicorn process and each PostgreSQL backend serving `database`, by pid.

    Measured this way, the CPU a submission costs does not depend on what else the machine is doing.
    """
    from django.db import connection

    web: dict[int, float] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if entry.name.isdigit():
            parent, used = _process_cpu(int(entry.name))
            if server_pid in (parent, int(entry.name)):
                web[int(entry.name)] = used
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        )
        db = {row[0]: _process_cpu(row[0])[1] for row in cursor.fetchall()}
    return {"web": web, "db": db, "client": {0: time.process_time()}}


def cpu_used(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    """CPU seconds used between two readings; a process that started in between counts from zero."""
    return {
        kind: sum(used - before[kind].get(pid, 0.0) for pid, used in after[kind].items()) for kind in after
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    database_url = create_database(args.postgres, args.database)
    setup_django(database_url)
    council_id = load_establishment(args.respondents)
    server = start_server(database_url, args.port, args.workers, args.threads)
    print(
        f"{args.respondents:,} respondents a run, {args.concurrency} client threads, "
        f"gunicorn with {args.workers} workers of {args.threads} thread{'s' if args.threads > 1 else ''}, "
        f"PostgreSQL database {args.database}"
    )
    runs: list[dict[str, float]] = []
    try:
        # Warm up: each worker compiles its templates and opens its database connection.
        _, links = open_survey(council_id, 0)
        warm, _ = drive(args.port, links[: args.workers * 10], args.concurrency, get_form)
        drive(args.port, warm.forms, args.concurrency, submit)
        for run in range(1, args.runs + 1):
            survey_id, links = open_survey(council_id, run)
            forms, form_seconds = drive(args.port, links, args.concurrency, get_form)
            before = cpu_seconds(server.pid, args.database)
            sent, sent_seconds = drive(args.port, forms.forms, args.concurrency, submit)
            after = cpu_seconds(server.pid, args.database)
            rows = submitted_rows(survey_id)
            cost = {k: v / max(sent.ok, 1) * 1000 for k, v in cpu_used(before, after).items()}
            figures = {
                "rate": sent.ok / sent_seconds,
                "journeys": sent.ok / (form_seconds + sent_seconds),
                "p50": percentile(sent.seconds, 0.5) * 1000,
                "p95": percentile(sent.seconds, 0.95) * 1000,
                "get_p50": percentile(forms.seconds, 0.5) * 1000,
                "errors": len(forms.errors) + len(sent.errors),
                "lost": sent.ok - rows,
                "cpu_web": cost["web"],
                "cpu_db": cost["db"],
                "cpu_client": cost["client"],
            }
            runs.append(figures)
            print(
                f"run {run}: {sent.ok:,} submitted in {sent_seconds:.2f} s = "
                f"{figures['rate']:,.0f} submissions/s (POST p50 {figures['p50']:.1f} ms, "
                f"p95 {figures['p95']:.1f} ms); forms opened first at {forms.ok / form_seconds:,.0f}/s "
                f"(GET p50 {figures['get_p50']:.1f} ms); "
                f"whole journeys {figures['journeys']:,.0f}/s; errors {figures['errors']}; "
                f"rows submitted {rows:,}; lost {figures['lost']}; "
                f"CPU a submission: web {cost['web']:.1f} ms, PostgreSQL {cost['db']:.1f} ms, "
                f"load client {cost['client']:.1f} ms"
            )
            for error in (forms.errors + sent.errors)[:5]:
                print(f"    {error}")
    finally:
        server.terminate()
        server.wait(timeout=30)

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    lost = sum(abs(r["lost"]) for r in runs)
    print(
        f"median of {len(runs)} runs: {median('rate'):,.0f} submissions/s; "
        f"latency p50 {median('p50'):.1f} ms, p95 {median('p95'):.1f} ms; "
        f"whole journeys (GET + POST) {median('journeys'):,.0f}/s; lost {lost:g} "
        "(target: at least 200 submissions/s, lost 0)"
    )
    server_cpu = median("cpu_web") + median("cpu_db")
    cores = os.cpu_count() or 1
    alone = cores * 1000 / server_cpu
    with_client = cores * 1000 / (server_cpu + median("cpu_client"))
    print(
        f"CPU a submission: web {median('cpu_web'):.1f} ms + PostgreSQL {median('cpu_db'):.1f} ms "
        f"(+ load client {median('cpu_client'):.1f} ms); machine load average {os.getloadavg()[0]:.1f} on "
        f"{cores} cores; with the CPU to themselves the web server and database would take "
        f"{alone:,.0f} submissions/s ({with_client:,.0f}/s with the load client on the same cores)"
    )


if __name__ == "__main__":
    main()
