"""A report survives a worker killed with SIGKILL in the middle of it, first the pool
process counting a department, then the whole worker. After a restart the report
completes, exactly one snapshot is published, and every number equals the independent
recount (tests/support/report_recount.py).

What makes it so: parts are rows, and a department counted twice is counted once
(assessment/services/reports.py); tasks are acknowledged late and rejected back to the
queue when their pool process dies (config/settings/base.py); and the messages a dead
worker held, which Redis gives back only after its visibility timeout (an hour), are
replaced by the reconciler, which queues a stopped build's missing departments again.

The worker runs on a Redis of the test's own, and the department is held (not slept on)
until the test has killed whoever counts it: see tests/faults/worker_app.py."""

import datetime
import time

import pytest
from django.utils import timezone

from assessment.models import ReportBuild, ReportBuildStatus, ReportPart, ReportSnapshot
from assessment.services.reports import REQUEUE_AFTER, report_build_start
from assessment.tasks.reports import report_builds_reconcile_task
from tests.fixtures.faults import celery_app_on
from tests.fixtures.worker import wait_for
from tests.support.report_recount import ORGANISATION, check_against_recount, generate_round

pytestmark = [pytest.mark.faults, pytest.mark.worker]


def restart_and_reconcile(worker, build: ReportBuild) -> tuple[ReportBuild, float]:
    """Restart the worker and run the reconciler with the build's clock moved back: the
    ended build, and how long after the restart it ended."""
    started = time.monotonic()
    worker.start()
    ReportBuild.objects.filter(pk=build.pk).update(
        progressed_at=timezone.now() - REQUEUE_AFTER - datetime.timedelta(seconds=1)
    )
    report_builds_reconcile_task.delay()
    done = wait_for(
        lambda: (
            ReportBuild.objects.filter(pk=build.pk)
            .exclude(status__in=[ReportBuildStatus.QUEUED, ReportBuildStatus.RUNNING])
            .first()
        ),
        timeout=90,
        what="the build to end",
    )
    finished = time.monotonic() - started
    return done, finished


def test_a_worker_killed_mid_report_child_then_whole_completes_after_restart_exactly_once(
    own_redis, fault_workers, organisation, instruments
):
    generated = generate_round(organisation, instruments)
    held = generated.departments["Contact Centre"]
    worker = fault_workers(own_redis.url())
    worker.start()
    worker.hold(held.pk)

    with celery_app_on(own_redis.url()):
        build = report_build_start(round_=generated.round)

        # 1. SIGKILL the pool process that is counting the department.
        first = wait_for(lambda: worker.holders(held.pk), what="the department to be counted")
        (victim,) = first
        worker.kill_pool_process(victim)
        # Rejected back to the queue (acks late, reject on worker lost): counted again.
        second = wait_for(
            lambda: worker.holders(held.pk) - first, what="the department's task again"
        )
        assert "WorkerLostError" in worker.log()

        # 2. SIGKILL the whole worker, main process and pool, while it counts it again.
        worker.kill()
        worker.release(held.pk)
        stopped = ReportBuild.objects.get(pk=build.pk)
        assert stopped.status == ReportBuildStatus.RUNNING
        assert stopped.parts_done < stopped.parts_total
        assert not ReportSnapshot.objects.filter(round=generated.round).exists()

        # 3. Restart. What the dead worker held is out of sight until Redis's visibility
        # timeout; the reconciler (Celery beat, every five minutes) queues it again once
        # the build has not moved for REQUEUE_AFTER. Instead of waiting, the test moves
        # the build's clock back and runs the reconciler's task now.
        done, finished = restart_and_reconcile(worker, build)

    assert done.status == ReportBuildStatus.DONE, f"{done.error}\n{worker.log()[-3000:]}"
    assert (done.parts_done, done.parts_total) == (len(ORGANISATION), len(ORGANISATION))
    assert ReportPart.objects.filter(build=done, status="done").count() == len(ORGANISATION)
    assert ReportBuild.objects.filter(round=generated.round).count() == 1
    (snapshot,) = ReportSnapshot.objects.filter(round=generated.round)
    assert snapshot.build_id == done.pk
    assert snapshot.response_count == len(generated.crowd) == done.response_count
    checked = check_against_recount(snapshot.data, generated)
    assert checked["groups"] > 60
    # The held department was counted by the killed pool process, by the killed worker,
    # and once more after the restart; the dead worker's pool processes are gone.
    counts = worker.counts()
    assert counts[held.pk] == 3
    assert len(first | second) == 2
    assert "departments again" in worker.log()
    print(
        f"\n{len(generated.crowd)} responses; {held.path} counted {counts[held.pk]} times; "
        f"report finished {finished:.1f}s after the restart; {checked['groups']} groups "
        "equal the recount"
    )
