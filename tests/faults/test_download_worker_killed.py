"""A worker killed with SIGKILL while it writes a report download: the file is never
served half-written, the page says plainly that it stopped (once it has not moved for
DOWNLOAD_STALE_AFTER) and offers to try again, and trying again on a restarted worker
serves the whole file. The file is held, not slept on, until the test has killed the
worker (tests/faults/worker_app.py)."""

import datetime
import glob

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import DOWNLOAD_STALE_AFTER, DownloadStatus, ReportDownload
from assessment.selectors.report_downloads import report_files_storage
from tests.fixtures.faults import celery_app_on
from tests.fixtures.worker import wait_for
from tests.support.report_pages import build_report, executive, xlsx_cells

pytestmark = [pytest.mark.faults, pytest.mark.worker]


def test_a_worker_killed_mid_download_leaves_try_again_then_the_whole_file(
    own_redis, fault_workers, tree, organisation
):
    round_, _ = tree
    build_report(round_)
    client = executive(organisation)
    start = reverse("reports:download-start", kwargs={"pk": round_.pk, "export_format": "xlsx"})
    page = reverse("reports:download", kwargs={"pk": round_.pk, "export_format": "xlsx"})
    served = reverse("reports:xlsx", kwargs={"pk": round_.pk})
    worker = fault_workers(own_redis.url())
    worker.start()
    (worker.faults / "hold-download").touch()

    with celery_app_on(own_redis.url()):
        assert client.post(start).status_code == 302
        wait_for(
            lambda: glob.glob(str(worker.faults / "held-download-*")), what="the file to start"
        )
        worker.kill()
        (worker.faults / "hold-download").unlink()

        (stopped,) = ReportDownload.objects.all()
        assert (stopped.status, stopped.name) == (DownloadStatus.RUNNING, "")
        assert client.get(served)["Location"] == page
        assert "written" in client.get(page).content.decode()
        ReportDownload.objects.update(
            progressed_at=timezone.now() - DOWNLOAD_STALE_AFTER - datetime.timedelta(seconds=1)
        )
        shown = client.get(page).content.decode()
        assert "The file was not finished." in shown
        assert "Try again" in shown
        assert client.get(served)["Location"] == page

        worker.start()
        assert client.post(start).status_code == 302
        ready = wait_for(
            lambda: ReportDownload.objects.filter(status=DownloadStatus.READY).first(),
            timeout=60,
            what="the file written again",
        )

    response = client.get(served)
    assert response.status_code == 200
    sheets = xlsx_cells(b"".join(response.streaming_content))
    assert "Comments" in sheets
    assert report_files_storage().exists(ready.name)
