"""Survey submissions through the web server on PostgreSQL, driven by wrk: submissions a second, none lost.

Creates a PostgreSQL database of its own (dropped first if it exists), loads an establishment of
`--respondents` filled posts, and serves the app on loopback with the project's own server, `wholecouncil
serve` (gunicorn, as `make demo` runs it), with `--workers` workers. Each run opens a new survey (one personal
link per post) and the load tool wrk (`apt-get install -y wrk`) POSTs every respondent's answers to that
respondent's own link, once, over `--connections` connections, with the Lua script
`survey_submissions.lua`.

CSRF stays on. The respondent's form gets its token from Django's `get_token` (the form's `{% csrf_token %}`):
a `csrftoken` cookie and a hidden field. Each run first opens one form through the server to check that it
still works that way and that a POST without them is refused (403); then each respondent gets a cookie and
token of its own from `get_token`, as opening their form would give them, and wrk sends both.

A submission is confirmed when its POST redirects to that link's confirmation page. Afterwards the database
is read: lost = submissions confirmed but not submitted in the database, plus submissions sent and never
confirmed; both must be 0. The rate is confirmed submissions over the time from wrk's first request to its
last response (wrk's own clock would include its fixed run time).

Prints each run and the median of the runs: submissions a second, wrk's latency percentiles and errors, lost,
and the CPU one submission costs in the web server, PostgreSQL and wrk (read from `/proc`), which does not
depend on what else the machine is doing. Target: at least 200 submissions a second with none lost.

    .venv/bin/python benchmarks/survey_submissions.py [--respondents 3000] [--connections 8] [--runs 3]
        [--workers 4] [--postgres postgres://postgres@127.0.0.1:5432] [--database surveybench]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
FORM = "application/x-www-form-urlencoded"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--respondents", type=int, default=3000)
    parser.add_argument(
        "--connections", type=int, default=5, help="wrk connections (and threads); at most --workers"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=5, help="web server worker processes (2 x cores + 1)")
    parser.add_argument("--stall", type=float, default=20, help="stop wrk after this long with no response")
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="surveybench")
    args = parser.parse_args()
    if args.connections > args.workers:
        # The server's sync workers close every connection, and wrk opens the next one as soon as a
        # response arrives; a wrk thread that has sent all its answers leaves that connection open and
        # idle, and a sync worker waits on it. With no more connections than workers, every connection
        # still sending always has a worker.
        parser.error("--connections must be at most --workers")
    return args


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


def start_server(database_url: str, port: int, workers: int, var_dir: Path) -> subprocess.Popen[bytes]:
    """The project's own server, as `make demo` runs it: `wholecouncil serve` (gunicorn, WhiteNoise).

    Its access log (one line a request, as in production) goes to /dev/null, and its error log to
    `var_dir/server.log`.
    """
    entry = Path(sys.executable).with_name("wholecouncil")
    var_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url, "WHOLECOUNCIL_VAR_DIR": str(var_dir)}
    log = (var_dir / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603 - the project's own command
        [str(entry), "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("wholecouncil serve did not start:\n" + (var_dir / "server.log").read_text()[-3000:])


def answers_for(hours: Decimal) -> dict[str, str]:
    first = (hours * Decimal("0.6")).quantize(Decimal("0.01"))
    return {"p-enquiries": str(first), "p-hr": str(hours - first)}


def check_the_form_uses_cookie_and_token(port: int, links: list[tuple[str, Decimal]]) -> None:
    """The respondent's form, opened as a browser does, sets a `csrftoken` cookie and has a hidden token
    (both from Django's `get_token`, which the form's `{% csrf_token %}` calls); a POST without them is
    refused. So the benchmark sends each respondent a cookie and token of its own made by `get_token`."""
    token, hours = links[0]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/s/{token}/")
    page = conn.getresponse()
    body = page.read()
    if page.status != 200 or not CSRF_COOKIE.search(page.getheader("Set-Cookie") or ""):
        raise SystemExit(f"the form did not set a CSRF cookie ({page.status})")
    if not CSRF_INPUT.search(body):
        raise SystemExit("the form has no CSRF token")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    form = urllib.parse.urlencode({**answers_for(hours), "action": "submit"})
    conn.request("POST", f"/s/{token}/", body=form, headers={"Content-Type": FORM})
    refused = conn.getresponse()
    refused.read()
    if refused.status != 403:
        raise SystemExit(f"a POST without the CSRF cookie and token was not refused ({refused.status})")


def write_requests(path: Path, links: list[tuple[str, Decimal]]) -> None:
    """One line per respondent for the wrk script: token, CSRF cookie, form body."""
    from django.middleware.csrf import get_token
    from django.test import RequestFactory

    factory = RequestFactory()
    with path.open("w") as out:
        for token, hours in links:
            request = factory.get(f"/s/{token}/")
            form_token = get_token(request)
            cookie = request.META["CSRF_COOKIE"]
            body = {
                **answers_for(hours),
                "action": "submit",
                "comment": "",
                "csrfmiddlewaretoken": form_token,
            }
            out.write(f"{token}\t{cookie}\t{urllib.parse.urlencode(body)}\n")


@dataclass
class Load:
    """What wrk saw: the tokens that got the confirmation, the others' statuses, and the times."""

    confirmed: set[str] = field(default_factory=set)
    refused: list[str] = field(default_factory=list)
    start: float = float("inf")
    end: float = 0.0
    wrk_output: str = ""

    @property
    def seconds(self) -> float:
        return max(self.end - self.start, 1e-9)


def run_wrk(
    port: int, data: Path, out_dir: Path, connections: int, stall_seconds: float
) -> tuple[Load, float]:
    """POST every respondent's answers with wrk; stop it once every thread is done (or nothing moves)."""
    script = Path(__file__).with_name("survey_submissions.lua")
    command = [
        "wrk",
        "-t",
        str(connections),
        "-c",
        str(connections),
        "-d",
        "3600s",
        "--timeout",
        "60s",
        "-s",
        str(script),
        f"http://127.0.0.1:{port}",
        "--",
        str(data),
        str(connections),
        str(out_dir),
    ]
    wrk = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)  # noqa: S603
    last_size, last_change = -1, time.monotonic()
    while len(list(out_dir.glob("done-*"))) < connections:
        time.sleep(0.1)
        size = sum(f.stat().st_size for f in out_dir.glob("thread-*.txt"))
        if size != last_size:
            last_size, last_change = size, time.monotonic()
        elif time.monotonic() - last_change > stall_seconds:
            waiting = sorted(
                p.name for p in out_dir.glob("thread-*.txt") if not (out_dir / f"done-{p.stem[7:]}").exists()
            )
            print(
                f"    no response for {stall_seconds:g} s: stopping wrk (still waiting: {', '.join(waiting)})"
            )
            for name in waiting:
                lines = (out_dir / name).read_text().splitlines()
                print(f"    {name}: {len(lines)} lines, last {lines[-1:]}")
            break
    wrk_pid = wrk.pid
    wrk_cpu = _process_cpu(wrk_pid)[1]
    wrk.send_signal(signal.SIGINT)
    output, _ = wrk.communicate(timeout=60)
    load = Load(wrk_output=output)
    for path in out_dir.glob("thread-*.txt"):
        for line in path.read_text().splitlines():
            kind, *rest = line.split()
            if kind == "start":
                load.start = min(load.start, float(rest[0]))
                continue
            load.end = max(load.end, float(rest[-1]))
            if kind == "ok":
                load.confirmed.add(rest[0])
            else:
                load.refused.append(f"POST /s/{rest[0][:6]}…/: {rest[1]}")
    return load, wrk_cpu


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu(pid: int) -> tuple[int, float]:
    """(parent pid, CPU seconds used so far) of a Linux process, from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return -1, 0.0
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_seconds(server_pid: int, database: str) -> dict[str, dict[int, float]]:
    """CPU used so far by each process of the web server and each PostgreSQL backend serving `database`.

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
    return {"web": web, "db": db}


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


def one_run(
    args: argparse.Namespace, council_id: int, server_pid: int, run: int, tmp: Path
) -> dict[str, float]:
    survey_id, links = open_survey(council_id, run)
    check_the_form_uses_cookie_and_token(args.port, links)
    data, out_dir = tmp / f"run-{run}.tsv", tmp / f"run-{run}"
    out_dir.mkdir()
    write_requests(data, links[1:])  # the first link answered the check above with a refusal only
    sent = {token for token, _ in links[1:]}
    before = cpu_seconds(server_pid, args.database)
    load, wrk_cpu = run_wrk(args.port, data, out_dir, args.connections, args.stall)
    after = cpu_seconds(server_pid, args.database)
    submitted = submitted_tokens(survey_id)
    cost = {k: v / max(len(load.confirmed), 1) * 1000 for k, v in cpu_used(before, after).items()}
    figures = {
        "rate": len(load.confirmed) / load.seconds,
        "confirmed": len(load.confirmed),
        # lost: confirmed but not in the database, or sent and never confirmed
        "lost_confirmed": len(load.confirmed - submitted),
        "lost_unconfirmed": len(sent - load.confirmed),
        "landed_unconfirmed": len(submitted - load.confirmed),
        "cpu_web": cost["web"],
        "cpu_db": cost["db"],
        "cpu_wrk": wrk_cpu / max(len(load.confirmed), 1) * 1000,
    }
    print(
        f"run {run}: {len(load.confirmed):,} of {len(sent):,} submissions confirmed in "
        f"{load.seconds:.2f} s = "
        f"{figures['rate']:,.0f} submissions/s; lost {figures['lost_confirmed']} confirmed but not saved, "
        f"{figures['lost_unconfirmed']} sent but never confirmed; CPU a submission: web "
        f"{cost['web']:.1f} ms, PostgreSQL {cost['db']:.1f} ms, wrk {figures['cpu_wrk']:.1f} ms"
    )
    print("    " + load.wrk_output.strip().splitlines()[-1])
    for problem in load.refused[:5]:
        print(f"    {problem}")
    return figures


def submitted_tokens(survey_id: int) -> set[str]:
    from wholecouncil.activity.models import Respondent

    rows = Respondent.objects.filter(survey_id=survey_id, status=Respondent.Status.SUBMITTED)
    return {str(t) for t in rows.values_list("token", flat=True)}


def main() -> None:
    args = parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit(
            "This benchmark drives the server with wrk, which is not installed. On Debian or Ubuntu: "
            "apt-get install -y wrk"
        )
    database_url = create_database(args.postgres, args.database)
    setup_django(database_url)
    council_id = load_establishment(args.respondents)
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        server = start_server(database_url, args.port, args.workers, tmp / "var")
        print(
            f"{args.respondents:,} respondents a run; wrk with {args.connections} connections "
            "(one a thread); "
            f"wholecouncil serve with {args.workers} workers; PostgreSQL database {args.database}"
        )
        runs: list[dict[str, float]] = []
        try:
            # Warm up: each worker loads the app, compiles its templates and connects to the database.
            _, links = open_survey(council_id, 0)
            write_requests(tmp / "warm.tsv", links[: args.workers * 20])
            (tmp / "warm").mkdir()
            run_wrk(args.port, tmp / "warm.tsv", tmp / "warm", args.connections, args.stall)
            for run in range(1, args.runs + 1):
                runs.append(one_run(args, council_id, server.pid, run, tmp))
        finally:
            server.terminate()
            server.wait(timeout=30)

    def median(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    lost = sum(r["lost_confirmed"] + r["lost_unconfirmed"] for r in runs)
    print(
        f"median of {len(runs)} runs: {median('rate'):,.0f} submissions/s; lost {lost:g} in all "
        f"(target: at least 200 submissions/s, lost 0); landed without a confirmation "
        f"{sum(r['landed_unconfirmed'] for r in runs):g}"
    )
    server_cpu = median("cpu_web") + median("cpu_db")
    cores = os.cpu_count() or 1
    print(
        f"CPU a submission: web {median('cpu_web'):.1f} ms + PostgreSQL {median('cpu_db'):.1f} ms "
        f"(+ wrk {median('cpu_wrk'):.1f} ms); machine load average {os.getloadavg()[0]:.1f} on {cores} "
        f"cores; with the CPU to themselves the web server and database would take "
        f"{cores * 1000 / server_cpu:,.0f} submissions/s"
    )


if __name__ == "__main__":
    main()
