"""The culture report's tasks: a task per department and a merge after them (a chord),
and a reconciler for builds that stopped moving. Thin: ids in, one service called.

The services start a build through `report_build_queue_task` by its name
(assessment/services/report_dispatch.py): this module imports the services, never the
other way round."""

from typing import Any

from celery import Task, chord, shared_task
from django.db import OperationalError

from assessment.selectors.report_counts import report_pending_part_ids
from assessment.services.reports import (
    report_build_fail,
    report_build_merge,
    report_builds_reconcile,
    report_part_compute,
    report_part_fail,
    reports_refresh_due,
)

# A dropped connection or a deadlock goes away on its own; any other error would only
# repeat, so it fails the build at once.
TRANSIENT_ERRORS = (OperationalError,)
RETRY_POLICY: dict[str, Any] = {
    "autoretry_for": TRANSIENT_ERRORS,
    "max_retries": 5,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
}


def _argument(args: tuple[Any, ...], kwargs: dict[str, Any], name: str) -> Any:
    return kwargs[name] if name in kwargs else args[0]


class _RecordsFailure(Task):
    """A task whose failure is written on its row, so the page says so at once."""

    argument: str

    def record(self, row_id: int, error: str) -> None:
        raise NotImplementedError

    def on_failure(
        self,
        exc: BaseException,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        self.record(_argument(args, kwargs, self.argument), f"{type(exc).__name__}: {exc}")


class ReportPartTask(_RecordsFailure):
    argument = "part_id"

    def record(self, row_id: int, error: str) -> None:
        report_part_fail(part_id=row_id, error=error)


class ReportMergeTask(_RecordsFailure):
    argument = "build_id"

    def record(self, row_id: int, error: str) -> None:
        report_build_fail(build_id=row_id, error=f"The report could not be put together: {error}")


# acks_late: a worker that dies mid-count leaves the message to another, and counting a
# department twice changes nothing. The result is kept for the chord to count parts.
@shared_task(base=ReportPartTask, acks_late=True, ignore_result=False, **RETRY_POLICY)
def report_part_task(part_id: int) -> int:
    report_part_compute(part_id=part_id)
    return part_id


@shared_task(base=ReportMergeTask, acks_late=True, **RETRY_POLICY)
def report_merge_task(build_id: int) -> None:
    report_build_merge(build_id=build_id)


@shared_task(acks_late=True)
def report_builds_reconcile_task() -> int:
    return len(report_builds_reconcile())


# Sent by the request that started the build (report_build_dispatch): the one message it
# sends, once. The reconciler runs it in its own process (report_build_requeue).
@shared_task(acks_late=True, **RETRY_POLICY)
def report_build_queue_task(build_id: int) -> None:
    report_build_enqueue(build_id, report_pending_part_ids(build_id=build_id))


def report_build_enqueue(build_id: int, part_ids: list[int]) -> None:
    """Queue a build: every department at once, then the merge. The merge is immutable
    (`si`): it reads the parts from the database, never the departments' results. Runs
    on a worker (or in-process without a broker); if the broker fails here, the build
    stays active and the reconciler queues it again."""
    if report_part_task.app.conf.task_always_eager:
        _run_in_process(build_id, part_ids)
    elif part_ids:
        chord(report_part_task.si(part_id) for part_id in part_ids)(report_merge_task.si(build_id))
    else:
        report_merge_task.delay(build_id)


def _run_in_process(build_id: int, part_ids: list[int]) -> None:
    """No broker (the laptop): each department and then the merge, here and now. Not an
    eager chord: while eager tasks propagate their errors, Celery skips their retries and
    failure hooks, and a failed department would go unnamed."""
    for part_id in part_ids:
        try:
            report_part_task.apply(args=(part_id,), throw=False)
        except Exception as exc:
            # A retried attempt runs with the app's settings, and so raises.
            report_part_fail(part_id=part_id, error=f"{type(exc).__name__}: {exc}")
    report_merge_task.apply(args=(build_id,), throw=False)


@shared_task(acks_late=True)
def reports_refresh_task() -> int:
    return len(reports_refresh_due())
