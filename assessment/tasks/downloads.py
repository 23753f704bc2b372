"""The report's downloads: a task writes one file, and an hourly sweep deletes what no
reader can reach. Thin: ids in, one service called.

The services queue `report_download_task` by its name
(assessment/services/report_downloads.py): this module imports the services, never the
other way round."""

from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded

from assessment.services.report_downloads import (
    report_download_fail,
    report_download_write,
    report_downloads_sweep,
)

# Past this the task is stopped and its row marked failed, so that a file that cannot be
# written in time says so instead of holding a worker (the files of the 100,000-person
# bench round are ready in seconds; see bench/README.md).
SOFT_TIME_LIMIT = 15 * 60
TOO_LONG = "It took longer than {minutes} minutes to prepare, and was stopped."


class ReportDownloadTask(Task):
    """A failure is written on the download's row: the reader's page says so at once."""

    def on_failure(
        self,
        exc: BaseException,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        download_id = kwargs["download_id"] if "download_id" in kwargs else args[0]
        if isinstance(exc, SoftTimeLimitExceeded):
            error = TOO_LONG.format(minutes=SOFT_TIME_LIMIT // 60)
        else:
            error = f"{type(exc).__name__}: {exc}"
        report_download_fail(download_id=download_id, error=error)


# acks_late: a worker killed mid-file leaves the message to another, which writes the
# file afresh (report_download_write gives up after a few such tries).
@shared_task(base=ReportDownloadTask, acks_late=True, soft_time_limit=SOFT_TIME_LIMIT)
def report_download_task(download_id: int) -> None:
    report_download_write(download_id=download_id)


@shared_task(acks_late=True)
def report_downloads_sweep_task() -> int:
    return report_downloads_sweep()
