"""Failing departments, through a real worker: a department whose count always fails fails
the build, naming the department, and nothing is published; one that fails once (a dropped
database connection) is retried and the report is exact; no build stays active forever,
because the reconciler finishes it or fails it.

(In-process, the same rules are proved by tests/services/test_report_build.py: a failing
department, a dropped connection retried, and the reconciler merging a stalled build or
failing it with the departments never counted.)"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from assessment.models import (
    Level,
    LevelKind,
    ReportBuild,
    ReportBuildStatus,
    ReportPart,
    ReportSnapshot,
)
from assessment.services.reports import REQUEUE_AFTER, STALE_AFTER, report_build_start
from assessment.tasks.reports import report_builds_reconcile_task
from tests.fixtures.faults import celery_app_on
from tests.fixtures.worker import wait_for
from tests.support.factories import DepartmentFactory
from tests.support.report_data import Respondent, make_round, write_responses
from tests.support.report_recount import ORGANISATION, check_against_recount, generate_round

pytestmark = [pytest.mark.faults, pytest.mark.worker]

ACTIVE = [ReportBuildStatus.QUEUED, ReportBuildStatus.RUNNING]


def ended(build: ReportBuild, timeout: float = 60) -> ReportBuild:
    return wait_for(
        lambda: ReportBuild.objects.filter(pk=build.pk).exclude(status__in=ACTIVE).first(),
        timeout=timeout,
        what=f"build {build.pk} to end",
    )


def move_clock_back(build: ReportBuild, by: datetime.timedelta) -> None:
    """As if the build had not moved for `by`."""
    ReportBuild.objects.filter(pk=build.pk).update(
        progressed_at=timezone.now() - by - datetime.timedelta(seconds=1)
    )


def test_a_department_that_always_fails_fails_the_build_by_name_and_one_that_fails_once_is_exact(
    own_redis, fault_workers, organisation, instruments
):
    generated = generate_round(organisation, instruments)
    returns = generated.departments["Returns"]
    worker = fault_workers(own_redis.url())
    worker.fail(returns.pk)
    worker.start()

    with celery_app_on(own_redis.url()):
        failed = ended(report_build_start(round_=generated.round))

        assert failed.status == ReportBuildStatus.FAILED
        assert failed.error == (
            "The department “Customer Service/Returns” could not be counted: "
            "ValueError: a row that makes no sense"
        )
        # Departments still queued are left alone once the build has failed; nothing is
        # published, then or later.
        assert failed.parts_done < failed.parts_total == len(ORGANISATION)
        move_clock_back(failed, STALE_AFTER)
        reconciling = report_builds_reconcile_task.delay()
        wait_for(
            lambda: f"[{reconciling.id}] succeeded" in worker.log(), what="the reconciler to run"
        )
        assert ReportBuild.objects.get(pk=failed.pk).status == ReportBuildStatus.FAILED
        assert not ReportSnapshot.objects.filter(round=generated.round).exists()

        # Now it fails once, as a dropped connection does: retried, then counted.
        (worker.faults / f"fail-{returns.pk}").unlink()
        worker.fail(returns.pk, once=True)
        before = worker.counts()[returns.pk]
        done = ended(report_build_start(round_=generated.round))

    assert done.status == ReportBuildStatus.DONE, f"{done.error}\n{worker.log()[-3000:]}"
    assert done.error == ""
    assert worker.counts()[returns.pk] - before == 2  # the failure, and the retry
    assert "OperationalError" in worker.log() and "retry" in worker.log().lower()
    (snapshot,) = ReportSnapshot.objects.filter(round=generated.round)
    assert snapshot.build_id == done.pk
    check_against_recount(snapshot.data, generated)


def test_builds_whose_messages_were_lost_are_finished_or_failed_by_the_reconciler(
    own_redis, fault_workers, organisation, instruments
):
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    rounds = []
    for name in ("Spring", "Autumn"):
        round_ = make_round(organisation, instruments, name=name)
        crowd = []
        for department in ("Sales", "Support"):
            place = DepartmentFactory(organisation=organisation, name=f"{department} {name}")
            crowd += [Respondent(place, front, answers={"checklist-01": 1}) for _ in range(5)]
        write_responses(round_, crowd)
        rounds.append(round_)
    worker = fault_workers(own_redis.url())

    with celery_app_on(own_redis.url()):
        # Queued with no worker running, and then the broker loses them (as a Redis that
        # restarts without persistence does).
        recent, forgotten = (report_build_start(round_=r) for r in rounds)
        assert own_redis.client().delete(settings.CELERY_TASK_DEFAULT_QUEUE) == 1
        worker.start()
        move_clock_back(recent, REQUEUE_AFTER)
        move_clock_back(forgotten, STALE_AFTER)
        report_builds_reconcile_task.delay()
        recent, forgotten = ended(recent), ended(forgotten)

    assert recent.status == ReportBuildStatus.DONE
    assert ReportSnapshot.objects.get(round=rounds[0]).response_count == 10
    assert forgotten.status == ReportBuildStatus.FAILED
    assert forgotten.error == (
        "Nothing moved for 30 minutes; departments not counted: “Sales Autumn”, “Support Autumn”"
    )
    assert not ReportSnapshot.objects.filter(round=rounds[1]).exists()
    assert ReportPart.objects.filter(build=forgotten, status="done").count() == 0
