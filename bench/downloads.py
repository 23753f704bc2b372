"""How long the report's downloads take to be ready after the click, at the size
bench/generate.py writes, and what they cost the worker and the web process.

    .venv/bin/python bench/downloads.py                 # XLSX, PDF and JSON, once each
    .venv/bin/python bench/downloads.py --formats xlsx  # one of them

For each format, with a fresh Celery worker (one pool process) so that its peak memory is
that file's: an executive's click (the POST that queues the file), then the progress page
polled every half second, as the browser does, until the file is ready, then the file
itself read whole. Prints the time from the click to ready, the worker's peak resident
memory (VmHWM of its processes) and the longest any of those requests took in the web
process (Django's test client, in this process, against the same database). The round's
report is built first if it has none.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

from environment import configure
from report import Worker, build_seconds

# The files go to a folder of the benchmark's own; the workers inherit it.
os.environ.setdefault("REPORT_FILES_ROOT", str(Path(tempfile.gettempdir()) / "bench-report-files"))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
TARGETS = {"xlsx": 60.0, "pdf": 120.0, "json": 60.0}  # seconds from the click to ready
MEMORY_TARGET = 400  # MiB, the worker's peak
REQUEST_TARGET = 1.0  # seconds, the longest request of the web process


def executive_client(round_):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from assessment.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(username="bench-executive")
    Membership.objects.get_or_create(
        user=user, organisation=round_.organisation, defaults={"role": Role.EXECUTIVE}
    )
    client = Client()
    client.force_login(user)
    return client


def timed(requests: list[float], call, *args, **kwargs):
    began = time.perf_counter()
    response = call(*args, **kwargs)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
        response.bench_size = size
    requests.append(time.perf_counter() - began)
    return response


def one_download(client, round_, export_format: str) -> tuple[float, list[float], int]:
    """The click, the polls until ready, the file: (seconds to ready, every request's
    seconds, the file's size)."""
    from django.urls import reverse

    from assessment.models import ReportDownload

    ReportDownload.objects.filter(round=round_).delete()
    kwargs = {"pk": round_.pk, "export_format": export_format}
    requests: list[float] = []
    began = time.perf_counter()
    timed(requests, client.post, reverse("reports:download-start", kwargs=kwargs))
    progress = reverse("reports:download-progress", kwargs=kwargs)
    while True:
        page = timed(requests, client.get, progress, headers={"HX-Request": "true"})
        if b"Download culture-report" in page.content:
            break
        if b"was not finished" in page.content:
            stopped = ReportDownload.objects.get(round=round_)
            raise RuntimeError(f"{export_format} {stopped.status}: {stopped.error or 'stale'}")
        time.sleep(0.5)
    ready = time.perf_counter() - began
    served_url = reverse(f"reports:{export_format}", kwargs={"pk": round_.pk})
    served = timed(requests, client.get, served_url)
    return ready, requests, served.bench_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--formats", nargs="+", default=["xlsx", "pdf", "json"])
    options = parser.parse_args()
    configure()
    from django.core.management import call_command

    from assessment.models import ReportSnapshot, Response, Round, TextAnswer
    from config.celery import app

    call_command("migrate", verbosity=0)
    round_ = Round.objects.select_related("organisation").get(organisation__slug="bench")
    responses = Response.objects.filter(round=round_).count()
    texts = TextAnswer.objects.filter(round=round_).count()
    print(f"round #{round_.pk}: {responses:,} responses, {texts:,} texts")
    client = executive_client(round_)
    with tempfile.TemporaryDirectory() as logs, app.connection_for_write() as connection:
        connection.default_channel.queue_purge("celery")
        if not ReportSnapshot.objects.filter(round=round_).exists():
            worker = Worker("build", Path(logs) / "build.log")
            worker.wait_ready()
            print(f"report built in {build_seconds(round_):.1f} s")
            worker.stop()
        for export_format in options.formats:
            worker = Worker(f"{export_format}-", Path(logs) / f"{export_format}.log")
            try:
                worker.wait_ready()
                ready, requests, size = one_download(client, round_, export_format)
                peak = worker.peak_mib()
            finally:
                worker.stop()
            longest = max(requests)
            print(
                f"{export_format}: ready {ready:.1f} s after the click "
                f"(target {TARGETS[export_format]:.0f} s: "
                f"{'met' if ready <= TARGETS[export_format] else 'NOT met'}); "
                f"{size / 1e6:.1f} MB; worker peak {peak:.0f} MiB "
                f"({'met' if peak <= MEMORY_TARGET else 'NOT met'}); {len(requests)} requests, "
                f"the longest {longest * 1000:.0f} ms "
                f"({'met' if longest <= REQUEST_TARGET else 'NOT met'})"
            )


if __name__ == "__main__":
    main()
