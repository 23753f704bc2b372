"""Work queued from a web request while the broker hangs: the request ends within the
broker's timeout, the job's row waits in the database, and a periodic task queues it
again. (The same through gunicorn and a real Redis: tests/faults/test_redis_outage.py.)"""

import datetime
import time

import pytest
from django.utils import timezone

from assessment.models import (
    Dispatch,
    DispatchKind,
    JobStatus,
    Level,
    LevelKind,
    ReportBuild,
    ReportBuildStatus,
    ReportSnapshot,
)
from assessment.services.invitations import RESUME_AFTER, dispatches_to_resume
from assessment.services.reports import (
    REQUEUE_AFTER,
    report_build_start,
    report_builds_reconcile,
)
from assessment.services.rounds import reminder_send, round_create, round_launch
from tests.fixtures.faults import celery_app_on
from tests.support.factories import DepartmentFactory, PersonFactory, open_window
from tests.support.report_data import Respondent, make_round, write_responses

pytestmark = [pytest.mark.faults, pytest.mark.django_db]

NOT_QUEUED = "was not queued (the broker did not answer"


def committed(capture, run) -> float:
    """Seconds to run `run` in a transaction and its on-commit hooks, as a request does."""
    started = time.monotonic()
    with capture(execute=True):
        run()
    return time.monotonic() - started


def not_queued(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if NOT_QUEUED in r.getMessage()]


def test_launching_and_reminding_while_the_broker_hangs_end_in_its_timeout_and_wait_for_resume(
    organisation, instruments, hung_port, settings, caplog, django_capture_on_commit_callbacks
):
    PersonFactory.create_batch(3, organisation=organisation)
    opens_at, closes_at = open_window()
    draft = round_create(
        organisation=organisation,
        name="Hung",
        purpose="-",
        instruments=instruments[:1],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    capture = django_capture_on_commit_callbacks
    with celery_app_on(f"redis://127.0.0.1:{hung_port}/0"):
        took_launch = committed(capture, lambda: round_launch(round_=draft))
        took_reminder = committed(capture, lambda: reminder_send(round_=draft))

    # One attempt, bounded by the broker's timeout (plus kombu's one reconnection).
    limit = 2 * settings.REDIS_TIMEOUT + 1
    assert took_launch < limit and took_reminder < limit
    assert len(not_queued(caplog)) == 2
    queued = list(Dispatch.objects.filter(round=draft).order_by("pk"))
    assert [(d.kind, d.status, d.sent) for d in queued] == [
        (DispatchKind.INVITATIONS, JobStatus.QUEUED, 0),
        (DispatchKind.REMINDER, JobStatus.QUEUED, 0),
    ]
    assert dispatches_to_resume() == []  # not yet: the message may still be on its way
    Dispatch.objects.update(created_at=timezone.now() - RESUME_AFTER - datetime.timedelta(1))
    assert dispatches_to_resume() == [d.pk for d in queued]


def test_a_report_build_the_broker_did_not_take_is_queued_again_by_the_reconciler(
    organisation, instruments, hung_port, settings, caplog, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    round_ = make_round(organisation, instruments)
    write_responses(
        round_, [Respondent(sales, front, answers={"checklist-01": 1}) for _ in range(5)]
    )
    holder: list[ReportBuild] = []
    with celery_app_on(f"redis://127.0.0.1:{hung_port}/0"):
        took = committed(
            django_capture_on_commit_callbacks,
            lambda: holder.append(report_build_start(round_=round_)),
        )

    assert took < 2 * settings.REDIS_TIMEOUT + 1
    build = ReportBuild.objects.get(pk=holder[0].pk)
    assert build.status == ReportBuildStatus.QUEUED
    assert len(not_queued(caplog)) == 1
    assert report_builds_reconcile() == []  # too early to call it lost

    ReportBuild.objects.filter(pk=build.pk).update(
        progressed_at=timezone.now() - REQUEUE_AFTER - datetime.timedelta(seconds=1)
    )
    # Back in-process (no broker): the reconciler's requeue runs the departments here.
    outcome = report_builds_reconcile()
    build.refresh_from_db()

    assert outcome == [build]
    assert build.status == ReportBuildStatus.DONE
    assert ReportSnapshot.objects.get(round=round_).data["responses"] == 5
    assert any("queuing 1 departments again" in r.getMessage() for r in caplog.records)
