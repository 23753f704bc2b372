"""Employees answer and facilitators work on while Redis hangs (SIGSTOP), then dies
(SIGKILL), on gunicorn and a worker pointed at a Redis of the test's own; what Redis
missed happens once it is back, exactly once.

A respondent's pages write only to PostgreSQL; the only Redis they touch is the cache
that counts wrong links, which gives up after REDIS_TIMEOUT and then fails open
(assessment/guessing.py). Their follow-up work, the provisional report, is found by a
periodic task that asks the database (reports_refresh_due), so it runs when Redis is
back, once. A facilitator's launch, reminder or close saves its row first and then sends
one message, once (assessment/services/queueing.py); what Redis did not take is queued again
by `resume_dispatches` and the report reconciler."""

import datetime
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    Dispatch,
    DispatchKind,
    Instrument,
    Invitation,
    InvitationStatus,
    JobStatus,
    Level,
    LevelKind,
    ReportBuild,
    ReportBuildStatus,
    ReportSnapshot,
    Response,
    Round,
    RoundStatus,
)
from assessment.selectors.answering import round_pages
from assessment.services.invitations import RESUME_AFTER, invitation_url
from assessment.services.reports import REQUEUE_AFTER
from assessment.services.rounds import round_create, round_launch
from assessment.tasks.reports import report_builds_reconcile_task, reports_refresh_task
from assessment.tasks.schedule import resume_dispatches
from assessment.views.staff.rounds import CLOSED, LAUNCHED, REMINDER_QUEUED
from tests.fixtures.faults import RedisServer, celery_app_on
from tests.fixtures.web import Phone, gunicorn
from tests.fixtures.worker import wait_for
from tests.support.answers import valid_post
from tests.support.factories import DepartmentFactory, PersonFactory, open_window
from tests.support.mail import recipients, sent_messages

pytestmark = [pytest.mark.faults, pytest.mark.worker]

EMPLOYEES = 100
AT_ONCE = 10  # employees answering at the same moment
REQUEST_LIMIT = 5.0  # seconds
THANKS = "Thank you — your answers are in"
CACHE_OFF = "Wrong links and codes are not counted"


def site_on(redis_server: RedisServer, tmp_path):
    """gunicorn whose broker, results and cache are the test's Redis (and which queues
    tasks there instead of running them in-process, as the suite's settings do)."""
    return gunicorn(
        tmp_path,
        env={
            "CELERY_BROKER_URL": redis_server.url(),
            "CELERY_RESULT_BACKEND": redis_server.url(),
            "CACHE_URL": redis_server.url(1),
            "CELERY_TASK_ALWAYS_EAGER": "false",
        },
    )


def answer(base: str, link: str, posts: list[dict]) -> list[tuple[str, int, float]]:
    """One employee, from the invitation link to the thank-you page: (step, status,
    seconds) for every request."""
    phone = Phone(base)
    steps: list[tuple[str, int, float]] = []

    def step(name: str, path: str, data: dict | None = None, expect: str = "") -> None:
        started = time.monotonic()
        fetched = phone.fetch(path, data)
        took = time.monotonic() - started
        ok = expect in fetched.text
        steps.append((name, fetched.status if ok else -fetched.status, took))

    step("link", link)
    step("welcome", reverse("respondent:start"))
    for number, post in enumerate(posts, start=1):
        page = reverse("respondent:page", kwargs={"number": number})
        step(f"page {number}", page)
        step(f"save {number}", page, post)
    step("review", reverse("respondent:review"))
    step("submit", reverse("respondent:review"), {})
    step("thanks", reverse("respondent:thanks"), expect=THANKS)
    return steps


EXPECTED = ["link", "welcome", "page 1", "save 1", "review", "submit", "thanks"]
STATUSES = [302, 200, 200, 302, 200, 302, 200]


def spring_round(organisation) -> tuple[Round, list[str], list[dict]]:
    """A launched round of the checklist for EMPLOYEES people in four departments: the
    round, each person's link, and the posts that answer its pages."""
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    for name in ("Sales", "Support", "Finance", "Logistics"):
        department = DepartmentFactory(organisation=organisation, name=name)
        PersonFactory.create_batch(
            EMPLOYEES // 4, organisation=organisation, department=department, level=front
        )
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name="Spring round",
        purpose="-",
        instruments=[Instrument.objects.get(key="checklist", organisation=None)],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    round_launch(round_=round_, send=False)
    links = [urlsplit(invitation_url(i)).path for i in Invitation.objects.filter(round=round_)]
    posts = [valid_post(section) for section in round_pages(round_)]
    return round_, links, posts


def refresh_when_back(own_redis: RedisServer, worker, round_: Round) -> tuple:
    """Redis back, empty: beat's refresh run twice, as overlapping schedules might, then a
    third time. The build, and how long after Redis returned it was done."""
    own_redis.start()
    returned = time.monotonic()
    with celery_app_on(own_redis.url()):
        reports_refresh_task.delay()
        reports_refresh_task.delay()
        built = wait_for(
            lambda: ReportBuild.objects.filter(round=round_, status=ReportBuildStatus.DONE).first(),
            timeout=90,
            what="the provisional report (the worker reconnecting first)",
        )
        followed = time.monotonic() - returned
        again = reports_refresh_task.delay()
        wait_for(lambda: f"[{again.id}] succeeded" in worker.log(), what="a third refresh")
    return built, followed


def test_100_employees_answer_while_redis_hangs_and_dies_and_the_report_follows_once_it_returns(
    own_redis, fault_workers, organisation, instruments, tmp_path
):
    round_, links, posts = spring_round(organisation)
    worker = fault_workers(own_redis.url())
    worker.start()

    with site_on(own_redis, tmp_path) as site:
        own_redis.hang()
        journeys: list[list[tuple[str, int, float]]] = []
        killed_after = 0
        with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
            running = [pool.submit(answer, site, link, posts) for link in links]
            for finished in as_completed(running):
                journeys.append(finished.result())
                if len(journeys) == EMPLOYEES // 2:
                    own_redis.kill()  # hung, and now gone: connections refused
                    killed_after = len(journeys)
        log = (tmp_path / "gunicorn.log").read_text()

    assert killed_after == EMPLOYEES // 2
    assert len(journeys) == EMPLOYEES
    assert all([s[0] for s in j] == EXPECTED for j in journeys)
    assert all([s[1] for s in j] == STATUSES for j in journeys), journeys
    slowest = max(s[2] for j in journeys for s in j)
    assert slowest < REQUEST_LIMIT
    assert Response.objects.filter(round=round_).count() == EMPLOYEES
    assert (
        Invitation.objects.filter(round=round_, status=InvitationStatus.SUBMITTED).count()
        == EMPLOYEES
    )
    # The cache really was out of reach and the check failed open: each link already
    # waiting on it when it first failed waited REDIS_TIMEOUT, the links after that did not
    # try it for half a minute (per gunicorn process), nor while another link waited on it.
    warned = log.count(CACHE_OFF)
    waited = sum(1 for j in journeys if j[0][2] >= 1.0)
    assert 1 <= warned <= AT_ONCE + 2
    assert waited <= AT_ONCE + 2

    # Redis is back, empty. Beat's refresh, run twice as overlapping schedules might,
    # builds the provisional report once.
    built, followed = refresh_when_back(own_redis, worker, round_)

    assert ReportBuild.objects.filter(round=round_).count() == 1
    snapshot = ReportSnapshot.objects.get(round=round_)
    assert (snapshot.build_id, snapshot.response_count, snapshot.provisional) == (
        built.pk,
        EMPLOYEES,
        True,
    )
    print(
        f"\n{EMPLOYEES} employees, {AT_ONCE} at a time, {sum(len(j) for j in journeys)} "
        f"requests; slowest {slowest:.2f}s; {waited} links waited on the cache, "
        f"{warned} cache warnings; the report built {followed:.1f}s after Redis returned"
    )


def staff_phone(site: str) -> Phone:
    phone = Phone(site)
    phone.fetch(reverse("login"))
    signed_in = phone.fetch(reverse("login"), {"username": "facilitator", "password": "pw"})
    assert signed_in.status == 302, signed_in.text[:500]
    return phone


def act(phone: Phone, name: str, round_: Round) -> tuple[float, str]:
    """POST a round's action as its button does, after the page that asks to confirm a
    launch or a close: (seconds, the page it leads to)."""
    path = reverse(f"rounds:{name}", kwargs={"pk": round_.pk})
    started = time.monotonic()
    fetched = phone.follow(path, {"confirmed": "1"})
    return time.monotonic() - started, fetched.text


def beat(own_redis: RedisServer, worker, task, *moved: tuple) -> None:
    """Run a periodic task on the worker as beat would, once the rows in `moved`
    ((queryset, field, by)) have waited long enough."""
    for queryset, field, by in moved:
        queryset.update(**{field: timezone.now() - by - datetime.timedelta(seconds=1)})
    with celery_app_on(own_redis.url()):
        sent = task.delay()
        wait_for(lambda: f"[{sent.id}] succeeded" in worker.log(), timeout=60, what=task.name)


def autumn_round(organisation, instruments) -> tuple[Round, list]:
    """A draft round for twelve front-line people of Service: the round and the people."""
    service = DepartmentFactory(organisation=organisation, name="Service")
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    people = PersonFactory.create_batch(
        12, organisation=organisation, department=service, level=front
    )
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name="Autumn round",
        purpose="-",
        instruments=instruments[:1],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    return round_, people


def launch_and_remind(
    own_redis: RedisServer, worker, facilitator: Phone, round_: Round, record: tuple
) -> None:
    """Launch, then remind those who have not answered, each while Redis hangs: the page
    answers at once and the messages wait in the database until beat resumes them.
    `record` is (people, took): the round's people and the seconds each action took."""
    people, took = record
    dispatches = Dispatch.objects.filter(round=round_)
    # Launch while Redis hangs: the page answers; the invitations wait in the database.
    own_redis.hang()
    took["launch"], page = act(facilitator, "launch", round_)
    assert LAUNCHED in page
    assert list(dispatches.values_list("status", flat=True)) == [JobStatus.QUEUED]
    own_redis.resume()
    beat(own_redis, worker, resume_dispatches, (dispatches, "created_at", RESUME_AFTER))
    wait_for(lambda: dispatches.filter(status=JobStatus.DONE).exists(), what="invitations")

    # A reminder, the same way, to those who have not answered.
    answered = people[:4]
    Invitation.objects.filter(round=round_, person__in=answered).update(
        status=InvitationStatus.SUBMITTED
    )
    own_redis.hang()
    took["remind"], page = act(facilitator, "remind", round_)
    assert REMINDER_QUEUED.format(count=len(people) - len(answered)) in page
    reminder = dispatches.get(kind=DispatchKind.REMINDER)
    assert reminder.status == JobStatus.QUEUED
    own_redis.resume()
    beat(own_redis, worker, resume_dispatches, (dispatches, "created_at", RESUME_AFTER))
    wait_for(lambda: Dispatch.objects.get(pk=reminder.pk).status == JobStatus.DONE)


def close_while_hung(own_redis: RedisServer, worker, facilitator: Phone, round_: Round) -> float:
    """Close while Redis hangs, and it dies: the final report waits for the reconciler.
    How long the close took."""
    builds = ReportBuild.objects.filter(round=round_)
    own_redis.hang()
    took, page = act(facilitator, "close", round_)
    assert CLOSED in page
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CLOSED
    assert list(builds.values_list("status", flat=True)) == [ReportBuildStatus.QUEUED]
    own_redis.kill()
    own_redis.start()
    beat(
        own_redis,
        worker,
        report_builds_reconcile_task,
        (builds, "progressed_at", REQUEUE_AFTER),
    )
    wait_for(lambda: builds.filter(status=ReportBuildStatus.DONE).exists(), timeout=90)
    return took


def test_launching_reminding_and_closing_while_redis_hangs_answer_at_once_and_happen_once(
    own_redis, fault_workers, organisation, instruments, staff, tmp_path
):
    round_, people = autumn_round(organisation, instruments)
    worker = fault_workers(own_redis.url())
    worker.start()
    took: dict[str, float] = {}
    dispatches = Dispatch.objects.filter(round=round_)
    builds = ReportBuild.objects.filter(round=round_)

    with site_on(own_redis, tmp_path) as site:
        facilitator = staff_phone(site)

        launch_and_remind(own_redis, worker, facilitator, round_, (people, took))

        took["close"] = close_while_hung(own_redis, worker, facilitator, round_)

        # Beat keeps running: nothing happens twice.
        beat(own_redis, worker, resume_dispatches)
        beat(own_redis, worker, report_builds_reconcile_task)

    assert max(took.values()) < REQUEST_LIMIT, took
    messages = sent_messages(worker.mail_dir)
    invitations = [m for m in messages if not m["Subject"].startswith("Reminder:")]
    reminders = [m for m in messages if m["Subject"].startswith("Reminder:")]
    everyone = sorted(p.email for p in people)
    assert recipients(invitations) == everyone
    assert recipients(reminders) == sorted(p.email for p in people[4:])
    assert sorted(dispatches.values_list("kind", "status", "sent")) == [
        (DispatchKind.INVITATIONS, JobStatus.DONE, 12),
        (DispatchKind.REMINDER, JobStatus.DONE, 8),
    ]
    assert builds.count() == 1
    assert ReportSnapshot.objects.get(round=round_).build == builds.get()
    print("\nrequests while Redis hung: " + ", ".join(f"{k} {v:.2f}s" for k, v in took.items()))
