"""Every task delivered twice changes nothing. The same story runs twice through a real
worker on a Redis of the test's own, once as it normally goes and once with every message
put on the broker twice (by the test when it queues, and by the worker when it queues the
report's departments, its merge and the retries): invitations, a reminder, and the
provisional report built by the periodic refresh. The database ends identical, and each
person gets exactly one invitation and one e-mail per reminder.

(Two deliveries one after the other of the report's steps, in-process, are in
tests/services/test_report_build.py; of the sending task, through a worker, in
tests/tasks/test_invitations_worker.py.)"""

import time
from collections import Counter

import pytest
from django.conf import settings
from kombu.transport.redis import Channel

from assessment.models import (
    Answer,
    Dispatch,
    DispatchKind,
    Invitation,
    JobStatus,
    Level,
    LevelKind,
    Organisation,
    ReportBuild,
    ReportBuildStatus,
    ReportPart,
    ReportSnapshot,
    Response,
    Round,
)
from assessment.services.rounds import reminder_send, round_create, round_launch
from assessment.tasks.reports import reports_refresh_task
from tests.faults.worker_app import put_twice
from tests.fixtures.faults import FaultWorker, RedisServer, celery_app_on
from tests.fixtures.worker import wait_for
from tests.support.factories import (
    DepartmentFactory,
    OrganisationFactory,
    PersonFactory,
    open_window,
)
from tests.support.mail import sent_messages
from tests.support.report_data import Respondent, write_responses

pytestmark = [pytest.mark.faults, pytest.mark.worker]

PEOPLE = 12
SUBMITTED = 4
# How Celery logs the end of a delivery.
ENDINGS = ("succeeded in", "retry:", "raised")


def organisation_named(slug: str) -> Organisation:
    organisation = OrganisationFactory(name=f"Org {slug}", slug=slug)
    for position, kind in enumerate([LevelKind.EXECUTIVE, LevelKind.MANAGER, LevelKind.FRONT_LINE]):
        Level.objects.create(
            organisation=organisation, name=kind.label, kind=kind, position=position
        )
    return organisation


def settled(worker: FaultWorker, server: RedisServer, deliveries: int) -> bool:
    """Nothing queued, nothing taken and unacknowledged, every task delivered `deliveries`
    times and every delivery finished."""
    received = worker.received()
    ended = worker.tasks(*ENDINGS)
    client = server.client()
    return (
        bool(received)
        and set(received.values()) == {deliveries}
        and received == ended
        and client.llen(settings.CELERY_TASK_DEFAULT_QUEUE) == 0
        and client.hlen("unacked") == 0
    )


def wait_until_settled(worker: FaultWorker, server: RedisServer, deliveries: int) -> None:
    # Twice in a row: a message between the broker's list and the worker's log is in
    # neither for an instant.
    streak = []

    def quiet() -> bool:
        streak.append(settled(worker, server, deliveries))
        return streak[-2:] == [True, True]

    wait_for(quiet, timeout=60, interval=0.2, what="the worker to settle")


def story(
    organisation: Organisation,
    instruments: list,
    worker: FaultWorker,
    server: RedisServer,
    deliveries: int,
) -> Round:
    """Launch a round, remind, let the periodic refresh build the report; the round."""
    service = DepartmentFactory(organisation=organisation, name="Service")
    front = organisation.levels.get(kind=LevelKind.FRONT_LINE)
    for number in range(PEOPLE):
        PersonFactory(
            organisation=organisation,
            department=service,
            level=front,
            email=f"person{number}@{organisation.slug}.example",
        )
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name="Autumn round",
        purpose="-",
        instruments=[i for i in instruments if i.key in ("checklist", "trust")],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    mail = worker.mail_dir

    round_launch(round_=round_)
    invitations = wait_for(dispatch_done(round_, DispatchKind.INVITATIONS), what="invitations")
    # Done means done: every e-mail is out when the dispatch says so.
    assert len(sent_messages(mail)) == PEOPLE, invitations

    answered = [f"person{number}@{organisation.slug}.example" for number in range(SUBMITTED)]
    Invitation.objects.filter(round=round_, person__email__in=answered).update(status="submitted")
    reminder_send(round_=round_)
    wait_for(dispatch_done(round_, DispatchKind.REMINDER), what="the reminder")
    assert len(sent_messages(mail)) == PEOPLE + PEOPLE - SUBMITTED

    crowd = []
    for name, answers in (("Sales", [1, 1, 2, 3, 9]), ("Support", [3, 3, 2, 1, 1, 2])):
        department = DepartmentFactory(organisation=organisation, name=name)
        crowd += [
            Respondent(department, front, answers={"checklist-01": a, "trust-01": 1})
            for a in answers
        ]
    write_responses(round_, crowd)
    reports_refresh_task.delay()
    wait_for(
        lambda: ReportBuild.objects.filter(round=round_, status=ReportBuildStatus.DONE).exists(),
        what="the provisional report",
    )
    wait_until_settled(worker, server, deliveries)
    return round_


def dispatch_done(round_: Round, kind: str):
    return lambda: Dispatch.objects.filter(round=round_, kind=kind, status=JobStatus.DONE).first()


def fingerprint(round_: Round, worker: FaultWorker) -> dict:
    """What the tasks wrote, by natural keys (no ids, names of the organisation or times)."""

    def person(email: str) -> str:
        return email.split("@")[0]

    snapshots = []
    for snapshot in ReportSnapshot.objects.filter(round=round_):
        data = {k: v for k, v in snapshot.data.items() if k not in ("round", "built_at")}
        snapshots.append((snapshot.provisional, snapshot.response_count, data))
    return {
        "dispatches": sorted(
            (d.kind, d.number, d.scheduled, d.status, d.sent, d.error)
            for d in Dispatch.objects.filter(round=round_)
        ),
        "invitations": sorted(
            (
                person(i.person.email) if i.person else "",
                i.department.path,
                i.status,
                i.sent_at is not None,
                i.reminders_sent,
            )
            for i in Invitation.objects.filter(round=round_).select_related("person", "department")
        ),
        "builds": [
            (b.status, b.provisional, b.parts_total, b.parts_done, b.response_count, b.error)
            for b in ReportBuild.objects.filter(round=round_)
        ],
        "parts": sorted(
            (p.department.path, p.status, str(p.counts))
            for p in ReportPart.objects.filter(build__round=round_).select_related("department")
        ),
        "snapshots": snapshots,
        "rows": (
            Response.objects.filter(round=round_).count(),
            Answer.objects.filter(round=round_).count(),
        ),
        "emails": sorted(
            Counter(
                (
                    person(m["To"].addresses[0].addr_spec),
                    "reminder" if m["Subject"].startswith("Reminder:") else "invitation",
                )
                for m in sent_messages(worker.mail_dir)
            ).items()
        ),
    }


def test_every_task_delivered_twice_leaves_the_database_as_one_delivery_does(
    own_redis, fault_workers, instruments, monkeypatch
):
    with celery_app_on(own_redis.url()):
        once = fault_workers(own_redis.url(), name="once")
        once.start()
        started = time.monotonic()
        single = fingerprint(
            story(organisation_named("once"), instruments, once, own_redis, 1), once
        )
        took_once = time.monotonic() - started
        delivered_once = once.received()
        once.stop()

        twice = fault_workers(own_redis.url(), twice=True, name="twice")
        twice.start()
        monkeypatch.setattr(Channel, "_put", put_twice(Channel._put))
        started = time.monotonic()
        double = fingerprint(
            story(organisation_named("twice"), instruments, twice, own_redis, 2), twice
        )
        took_twice = time.monotonic() - started
        delivered_twice = twice.received()

    assert double == single
    # Each person: one invitation, and one reminder unless they had answered.
    emails = dict(single["emails"])
    assert sorted(emails.values()) == [1] * (PEOPLE + PEOPLE - SUBMITTED)
    assert [d[3:5] for d in single["dispatches"]] == [
        (JobStatus.DONE, PEOPLE),
        (JobStatus.DONE, PEOPLE - SUBMITTED),
    ]
    assert single["builds"] == [(ReportBuildStatus.DONE, True, 3, 3, 11, "")]
    assert len(single["snapshots"]) == 1
    # Every task really was delivered twice: sending, the refresh, the build's start,
    # each department and the merge.
    assert set(delivered_once.values()) == {1}
    assert set(delivered_twice.values()) == {2}
    assert len(delivered_twice) >= len(delivered_once) >= 8
    print(
        f"\nonce: {len(delivered_once)} tasks in {took_once:.1f}s; twice: "
        f"{len(delivered_twice)} tasks, {sum(delivered_twice.values())} deliveries in "
        f"{took_twice:.1f}s; {sum(emails.values())} e-mails either way"
    )
