"""Reading the culture report: server time and HTML size of each report page.

For each organisation size, against a database of its own (`centricity_bench_read_<people>`,
written by bench/generate.py with `--generate`), the round's report is built in this
process (as the workers would) and then read as an executive, through Django's test
Client and the real middleware, with production settings (DEBUG off): the overview, the
largest top-level department, its smallest leaf department, a question, the comments'
first page and a filtered page of them (a question, a department and a word). Each page
is fetched once to warm up and then 20 times; the median is reported.

    .venv/bin/python bench/read.py --people 10000 100000 --generate

Each size runs in a process of its own (Django holds one database per process); the
parent prints the table side by side.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from environment import DEFAULTS, ROOT, configure

RUNS = 20
PAGES = ("overview", "top department", "leaf department", "question", "comments", "filtered")


def database_url(people: int) -> str:
    base = os.environ.get("DATABASE_URL", DEFAULTS["DATABASE_URL"])
    return base.rsplit("/", 1)[0] + f"/centricity_bench_read_{people}"


def generate(people: int) -> None:
    env = {**os.environ, "DATABASE_URL": database_url(people)}
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--people", str(people)],
        env=env,
        check=True,
    )


def build(round_) -> float:  # type: ignore[no-untyped-def]
    """The round's report, built as the workers would (every department, then the merge)."""
    from assessment.services.reports import (
        report_build_merge,
        report_build_start,
        report_part_compute,
    )

    began = time.perf_counter()
    started = report_build_start(round_=round_)
    for part in started.parts.all():
        report_part_compute(part_id=part.pk)
    report_build_merge(build_id=started.pk)
    return time.perf_counter() - began


def urls(round_) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    from assessment.models import RoundDepartment

    tree = list(RoundDepartment.objects.filter(round=round_))
    sizes = {d.path: round_.invitations.filter(department_id=d.department_id).count() for d in tree}
    below = {d.path: sum(n for p, n in sizes.items() if p.startswith(f"{d.path}/")) for d in tree}
    top = max((d for d in tree if d.parent_id is None), key=lambda d: below[d.path] + sizes[d.path])
    leaves = [
        d for d in tree if d.path.startswith(f"{top.path}/") and not below[d.path] and sizes[d.path]
    ]
    leaf = min(leaves, key=lambda d: sizes[d.path])
    pk = {"pk": round_.pk}
    comments = reverse("reports:comments", kwargs=pk)
    return {
        "overview": reverse("reports:overview", kwargs=pk),
        "top department": reverse(
            "reports:department", kwargs={**pk, "department": top.department_id}
        ),
        "leaf department": reverse(
            "reports:department", kwargs={**pk, "department": leaf.department_id}
        ),
        "question": reverse("reports:question", kwargs={**pk, "code": "checklist-01"}),
        "comments": comments,
        "filtered": f"{comments}?question=conversation-01"
        f"&department={top.department_id}&words=customer",
    }


def measure(people: int) -> dict[str, object]:
    """One size, in this process: build, then read every page."""
    os.environ["DATABASE_URL"] = database_url(people)
    # Production settings serve static files by their manifest: collect them once.
    os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="centricity-bench-static-"))
    configure()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from assessment.models import Membership, ReportSnapshot, Role, Round

    if settings.DEBUG:
        raise SystemExit("bench/read.py measures with production settings: DEBUG must be off")
    round_ = Round.objects.get()
    # An open round is built again only after new answers: read the published version.
    built = None if ReportSnapshot.objects.filter(round=round_).exists() else build(round_)
    user, _ = get_user_model().objects.get_or_create(username="bench-reader")
    Membership.objects.get_or_create(
        user=user, organisation=round_.organisation, defaults={"role": Role.EXECUTIVE}
    )
    client = Client(HTTP_HOST="127.0.0.1", secure=True)
    client.force_login(user)
    figures: dict[str, object] = {"people": people, "build": built}
    for name, url in urls(round_).items():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name} ({url}) answered {response.status_code}")
        times = []
        for _ in range(RUNS):
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        figures[name] = {
            "ms": statistics.median(times) * 1000,
            "kb": len(response.content) / 1000,
            "url": url,
        }
    return figures


def table(results: list[dict[str, object]]) -> str:
    head = "| page | " + " | ".join(f"{r['people']:,} people" for r in results) + " |"
    rule = "| --- |" + " --- |" * len(results)
    rows = [
        f"| {page} | "
        + " | ".join(
            f"{r[page]['ms']:.0f} ms, {r[page]['kb']:.0f} KB"  # type: ignore[index]
            for r in results
        )
        + " |"
        for page in PAGES
    ]
    build = "| (the build, in one process) | " + " | ".join(
        "built before" if r["build"] is None else f"{r['build']:.1f} s" for r in results
    )
    return "\n".join([head, rule, *rows, build + " |"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--generate", action="store_true", help="write each database first")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        print(json.dumps(measure(options.people[0])))
        return
    results = []
    for people in options.people:
        if options.generate:
            generate(people)
        env = {**os.environ, "DATABASE_URL": database_url(people)}
        done = subprocess.run(
            [sys.executable, __file__, "--one", "--people", str(people)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(table(results))


if __name__ == "__main__":
    main()
