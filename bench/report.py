"""How long the culture report takes through Celery, against PostgreSQL's own time for
the same counts. Run bench/generate.py first.

    .venv/bin/python bench/report.py              # one worker, then two; 5 builds each

For each number of workers (separate `celery worker` processes, one pool process each, on
Redis): builds the report of the generated round from start (`report_build_start`, as the
page's button does) to the published snapshot, several times, and takes the median; reads
each worker's peak memory (VmHWM of the worker and its pool process) and counts, from the
workers' logs, how many department tasks each one ran. Against that, the median time of one
hand-written SQL query that computes the same counts per question × department × level ×
answer, and the mean per question × department × level, over the same table.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from environment import ROOT, configure, median

# Production settings: the default queue, on the benchmarks' own Redis database.
QUEUE = "celery"
# What PostgreSQL does at best: every count and mean the departments' tasks compute, in
# one statement, the answers read once.
SQL = """
SELECT department_id, level_id, question_id, value, count(*), avg(value)
FROM assessment_answer
WHERE round_id = %s
GROUP BY GROUPING SETS ((department_id, level_id, question_id, value),
                        (department_id, level_id, question_id))
"""


def sql_seconds(round_id: int, runs: int) -> tuple[float, int]:
    from django.db import connection

    times, rows = [], 0
    with connection.cursor() as cursor:
        cursor.execute(SQL, [round_id])  # warm: both sides read a cached table
        for _ in range(runs):
            began = time.perf_counter()
            cursor.execute(SQL, [round_id])
            rows = len(cursor.fetchall())
            times.append(time.perf_counter() - began)
    return median(times), rows


class Worker:
    def __init__(self, name: str, log: Path) -> None:
        self.name = name
        self.log = log
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO"),
                *("--concurrency=1", "--without-gossip", "--without-mingle"),
                *("--without-heartbeat", "-Q", QUEUE, "-n", f"{name}@%h"),
            ],
            cwd=ROOT,
            env={**os.environ, "LOG_LEVEL": "INFO"},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while b"ready." not in self.log.read_bytes():
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(self.log.read_text())
            time.sleep(0.2)

    def peak_mib(self) -> float:
        """The largest peak resident memory of the worker's processes, in MiB."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        pids += [int(pid) for pid in children.read_text().split()]
        peaks = []
        for pid in pids:
            status = Path(f"/proc/{pid}/status").read_text()
            peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
        return max(peaks)

    def parts_done(self) -> int:
        return len(re.findall(rb"report_part_task\[[^\]]+\] succeeded", self.log.read_bytes()))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def build_seconds(round_) -> float:
    from assessment.models import ReportBuild, ReportBuildStatus, ReportSnapshot
    from assessment.services.reports import report_build_start

    # A build left by an interrupted run would be joined; and a provisional report is
    # rebuilt only after new answers, and then moves on only where a group has enough
    # new people: each run starts from no report at all, so that it counts and
    # publishes everything, as the first build of a round does.
    ReportSnapshot.objects.filter(round=round_).delete()
    ReportBuild.objects.filter(round=round_).delete()
    began = time.perf_counter()
    build = report_build_start(round_=round_)
    while True:
        status = ReportBuild.objects.values_list("status", flat=True).get(pk=build.pk)
        if status in (ReportBuildStatus.DONE, ReportBuildStatus.FAILED):
            break
        time.sleep(0.01)
    took = time.perf_counter() - began
    if status != ReportBuildStatus.DONE:
        raise RuntimeError(ReportBuild.objects.get(pk=build.pk).error)
    return took


@contextmanager
def running_workers(prefix: str, count: int, logs: Path) -> Iterator[list["Worker"]]:
    """`count` Celery workers, ready before the block and stopped after it."""
    workers = [Worker(f"{prefix}{n}", logs / f"{prefix}{n}.log") for n in range(count)]
    try:
        for worker in workers:
            worker.wait_ready()
        yield workers
    finally:
        for worker in workers:
            worker.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()
    configure()
    from assessment.models import Answer, Response, Round
    from config.celery import app

    round_ = Round.objects.get(organisation__slug="bench")
    responses = Response.objects.filter(round=round_).count()
    answers = Answer.objects.filter(round=round_).count()
    print(f"round #{round_.pk}: {responses:,} responses, {answers:,} answers")
    sql, rows = sql_seconds(round_.pk, options.runs)
    print(f"hand-written SQL: {sql:.2f} s (median of {options.runs}, {rows:,} rows)")

    with tempfile.TemporaryDirectory() as logs, app.connection_for_write() as connection:
        connection.default_channel.queue_purge(QUEUE)
        for count in options.workers:
            with running_workers(f"bench{count}-", count, Path(logs)) as workers:
                times = [build_seconds(round_) for _ in range(options.runs)]
                built = median(times)
                share = ", ".join(str(w.parts_done()) for w in workers)
                peak = max(w.peak_mib() for w in workers)
            print(
                f"{count} worker(s): report in {built:.2f} s (median of {options.runs}: "
                f"{', '.join(f'{t:.2f}' for t in times)}); {built / sql:.2f} × the SQL; "
                f"target {1.5 * sql + 2:.2f} s (1.5 × SQL + 2 s): "
                f"{'met' if built <= 1.5 * sql + 2 else 'NOT met'}; "
                f"department tasks per worker: {share}; peak worker memory {peak:.0f} MiB"
            )


if __name__ == "__main__":
    main()
