"""Employees answering the round through gunicorn, with locust on loopback. Run
bench/generate.py first (its 20,000 unanswered invitations are the links used here).

    .venv/bin/python bench/web.py                       # 50 employees, 3 runs of 60 s

Serves the site with production settings (static files collected, DEBUG off, the cache
and sessions as configured) by gunicorn, then runs locust headless (bench/locustfile.py):
each simulated employee opens an unused invitation link and answers every page of the
round, pausing between steps, then takes the next link. Prints, per kind of request and
in all, requests per second and the 50th, 95th and 99th percentiles of latency, the page
submissions per second (the POSTs of an answered page, and the final submit) and the
errors; the median of the runs. Gunicorn and locust share the machine's cores.
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from environment import ROOT, configure, median

KINDS = ["link", "welcome", "page", "page submit", "review", "submit", "thanks", "Aggregated"]


def plan(round_, links: int) -> dict:
    """Unused links, and what an employee posts on each page."""
    from assessment.models import Invitation, InvitationStatus, QuestionKind
    from assessment.selectors.answering import round_pages
    from assessment.services.invitations import token_for_salt

    salts = Invitation.objects.filter(round=round_, status=InvitationStatus.INVITED).values_list(
        "token_salt", flat=True
    )[:links]
    pages = []
    for section in round_pages(round_):
        answers: dict[str, object] = {}
        for number, question in enumerate(section.questions.all()):
            values = [c.value for c in question.choices.all()]
            if question.kind == QuestionKind.TEXT:
                answers[question.code] = "customers, guests"
            elif question.kind == QuestionKind.MULTI_CHOICE:
                answers[question.code] = values[:2]
            else:
                answers[question.code] = values[len(values) // 2]
            if question.allows_comment and number == 0:
                answers[f"{question.code}-comment"] = "We talk about them every week."
        pages.append(answers)
    return {"links": [f"/r/{token_for_salt(salt)}/" for salt in salts], "pages": pages}


def serve(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi", f"--bind=127.0.0.1:{port}"),
            *(f"--workers={workers}", "--worker-class=gthread", f"--threads={threads}"),
            "--backlog=1024",
        ],
        cwd=ROOT,
        env=os.environ,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/join/", timeout=2).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.3)


def load(port: int, options, plan_file: Path, out: Path) -> dict[str, dict]:
    subprocess.run(
        [
            *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py")),
            *("--headless", "--only-summary", "--host", f"http://127.0.0.1:{port}"),
            *("-u", str(options.users), "-r", str(options.users)),
            *("-t", f"{options.seconds}s", "--csv", str(out), "--loglevel", "WARNING"),
        ],
        env={
            **os.environ,
            "BENCH_PLAN": str(plan_file),
            "WAIT_MIN": str(options.wait[0]),
            "WAIT_MAX": str(options.wait[1]),
        },
        check=False,  # locust exits 1 on any failed request: counted below
        stdout=subprocess.DEVNULL,
    )
    with open(f"{out}_stats.csv", newline="") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wait", type=float, nargs=2, default=[0.1, 0.3], metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per worker")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="centricity-web-"))
    os.environ.setdefault("STATIC_ROOT", str(work / "static"))
    configure()
    from django.core.management import call_command

    from assessment.models import Round

    call_command("collectstatic", interactive=False, verbosity=0)
    round_ = Round.objects.get(organisation__slug="bench")
    port = 8765
    server = serve(port, options.workers, options.threads, work / "gunicorn.log")
    runs: list[dict[str, dict]] = []
    try:
        for run in range(options.runs):
            plan_file = work / f"plan-{run}.json"
            plan_file.write_text(json.dumps(plan(round_, 4000)))
            runs.append(load(port, options, plan_file, work / f"run-{run}"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"{options.users} employees for {options.seconds} s, pausing {options.wait[0]}–"
        f"{options.wait[1]} s per step; gunicorn {options.workers} × {options.threads} "
        f"threads; median of {options.runs} runs"
    )
    print(f"{'request':<12} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for kind in KINDS:
        rows = [r[kind] for r in runs if kind in r]
        if not rows:
            continue

        def m(column: str, rows=rows) -> float:
            return median([float(row[column]) for row in rows])

        print(
            f"{kind:<12} {m('Requests/s'):7.1f} {m('50%'):7.0f} {m('95%'):7.0f} "
            f"{m('99%'):7.0f} {int(sum(float(row['Failure Count']) for row in rows)):6d}"
        )
    submissions = median(
        [sum(float(r[k]["Requests/s"]) for k in ("page submit", "submit") if k in r) for r in runs]
    )
    print(f"page submissions per second: {submissions:.1f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
