"""The retention period, applied by a real Celery worker that is sent the task as Celery
beat sends it: a round closed longer ago than RETENTION_DAYS loses its links, the e-mail
addresses its invitations lead to and its drafts, while its report stays byte for byte as
it was; a round closed more recently keeps all of them."""

import datetime
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.db import connection
from django.utils import timezone

from assessment.models import (
    DraftPage,
    Invitation,
    Person,
    ReportBuildStatus,
    ReportSnapshot,
    Round,
)
from assessment.selectors.answering import invitation_for_token, round_pages
from assessment.services.answering import response_submit
from assessment.services.invitations import token_for_salt
from assessment.services.reports import report_build_start
from assessment.services.rounds import round_close, round_create, round_launch
from config.celery import app as celery_app
from tests.fixtures.worker import WorkerProcess, wait_for
from tests.support.answers import save_all_pages
from tests.support.factories import DepartmentFactory, PersonFactory, open_window

pytestmark = pytest.mark.worker

# Not the default (90): only a worker that reads the setting removes a round closed 8 days ago.
RETENTION_DAYS = 7
SUBMITTED = 6
DONE = re.compile(r"apply_retention\[[0-9a-f-]+\] succeeded in [\d.]+s: 1$", re.MULTILINE)
DOCS = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()


@pytest.fixture
def retention_worker(transactional_db, settings, tmp_path) -> Iterator[WorkerProcess]:
    """A worker of its own, started with RETENTION_DAYS set, on a queue of its own: the
    run's shared worker keeps the default period."""
    settings.CELERY_TASK_DEFAULT_QUEUE = f"{settings.CELERY_TASK_DEFAULT_QUEUE}-retention"
    settings.RETENTION_DAYS = RETENTION_DAYS
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)
    (tmp_path / "mail").mkdir()
    worker = WorkerProcess(
        tmp_path / "mail", tmp_path / "worker.log", env={"RETENTION_DAYS": str(RETENTION_DAYS)}
    )
    worker.start(concurrency=1)
    try:
        yield worker
    finally:
        worker.stop()


def send_as_beat_does(entry: str, queue: str) -> None:
    """Send a periodic task as Celery beat sends it: by name, from the schedule."""
    scheduled = celery_app.conf.beat_schedule[entry]
    options = {"queue": queue, **scheduled.get("options", {})}
    with warnings.catch_warnings():
        # This process builds reports in-process (eagerly); the message still goes out.
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        celery_app.send_task(
            scheduled["task"],
            args=scheduled.get("args", ()),
            kwargs=scheduled.get("kwargs", {}),
            **options,
        )


def answered_round(organisation, instruments, name: str, closed_days_ago: int) -> Round:
    """Six people submitted, one left a draft, one never started; closed (its final
    report built) `closed_days_ago` days ago."""
    department = DepartmentFactory(organisation=organisation, name=f"{name} department")
    level = organisation.levels.get(kind="front_line")
    PersonFactory.create_batch(
        SUBMITTED + 2, organisation=organisation, department=department, level=level
    )
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name=name,
        purpose="How do we talk about customers?",
        instruments=instruments[:2],
        opens_at=opens_at,
        closes_at=closes_at,
        departments=[department],
    )
    round_launch(round_=round_, send=False)
    pages = round_pages(round_)
    invitations = list(Invitation.objects.filter(round=round_).order_by("pk"))
    for invitation in invitations[:SUBMITTED]:
        save_all_pages(invitation, pages)
        response_submit(invitation=invitation, pages=pages)
    save_all_pages(invitations[SUBMITTED], pages[:1])
    round_close(round_=round_)  # builds the final report in-process, once committed
    closed_at = timezone.now() - datetime.timedelta(days=closed_days_ago)
    Round.objects.filter(pk=round_.pk).update(closed_at=closed_at)
    return round_


def snapshot_row(round_: Round) -> tuple:
    """The published report exactly as PostgreSQL holds it: the snapshot and every part
    of its version."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT organisation_part::text, decisions::text, built_at, response_count,"
            " provisional, schema, build_id FROM assessment_reportsnapshot WHERE round_id = %s",
            [round_.pk],
        )
        snapshot = cursor.fetchone()
        parts = []
        for query in (
            "SELECT path, data::text FROM assessment_publisheddepartment"
            " WHERE build_id = %s ORDER BY path",
            "SELECT path, question, position, text FROM assessment_publishedcomment"
            " WHERE build_id = %s ORDER BY path, question, position",
            "SELECT path, position, word, count FROM assessment_publishedword"
            " WHERE build_id = %s ORDER BY path, position",
        ):
            cursor.execute(query, [snapshot[-1]])
            parts.append(cursor.fetchall())
        return (snapshot, *parts)


def what_leads_to_people(round_: Round) -> dict:
    invitations = Invitation.objects.filter(round=round_)
    return {
        "links": sorted(token_for_salt(i.token_salt) for i in invitations.exclude(token_salt="")),
        "hashes": invitations.filter(token_hash__isnull=False).count(),
        "emails": sorted(
            Person.objects.filter(invitations__round=round_).values_list("email", flat=True)
        ),
        "drafts": DraftPage.objects.filter(invitation__round=round_).count(),
    }


def numbers_of_a_fresh_build(round_: Round) -> dict:
    build = report_build_start(round_=round_)  # in-process: the test's app runs tasks eagerly
    build.refresh_from_db()
    assert build.status == ReportBuildStatus.DONE
    # A build that counts just what the published version counts leaves it in place.
    data = ReportSnapshot.objects.get(round=round_).data
    return {k: v for k, v in data.items() if k != "built_at"}


def test_the_worker_removes_links_emails_and_drafts_past_the_period_and_no_report_byte(
    retention_worker, organisation, instruments, settings
):
    past = answered_round(organisation, instruments, "Spring", RETENTION_DAYS + 1)
    recent = answered_round(organisation, instruments, "Summer", RETENTION_DAYS - 1)
    kept = {round_.pk: what_leads_to_people(round_) for round_ in (past, recent)}
    numbers = {round_.pk: numbers_of_a_fresh_build(round_) for round_ in (past, recent)}
    reports = {round_.pk: snapshot_row(round_) for round_ in (past, recent)}
    for before in kept.values():
        assert len(before["links"]) == len(before["emails"]) == SUBMITTED + 2
        assert before["drafts"] == 1

    send_as_beat_does("apply-retention", settings.CELERY_TASK_DEFAULT_QUEUE)
    # The task's log line says how many rounds it forgot: one.
    wait_for(lambda: DONE.search(retention_worker.log()), what="the retention period to be applied")

    assert what_leads_to_people(past) == {"links": [], "hashes": 0, "emails": [], "drafts": 0}
    assert all(invitation_for_token(link) is None for link in kept[past.pk]["links"])
    assert Invitation.objects.filter(round=past).count() == SUBMITTED + 2  # "invited" counts
    assert Person.objects.count() == 2 * (SUBMITTED + 2)  # the roster is the organisation's
    # Within the period: nothing removed.
    assert what_leads_to_people(recent) == kept[recent.pk]
    assert Round.objects.get(pk=recent.pk).personal_data_removed_at is None
    # The published reports are untouched, and built again they say exactly the same
    # (the later round first: its report names when the earlier one's was built).
    for round_ in (past, recent):
        assert snapshot_row(round_) == reports[round_.pk]
    for round_ in (recent, past):
        assert numbers_of_a_fresh_build(round_) == numbers[round_.pk]


def test_the_operators_are_told_the_period_and_that_beat_applies_it_hourly():
    scheduled = celery_app.conf.beat_schedule["apply-retention"]
    assert scheduled["task"] == "assessment.tasks.schedule.apply_retention"
    assert scheduled["schedule"] == 3600.0
    row = re.search(r"^\| `RETENTION_DAYS` \| (\d+) \| (.+) \|$", DOCS, re.MULTILINE)
    assert row, "RETENTION_DAYS is not in the operators' table"
    assert "`apply_retention` runs hourly under Celery beat" in row.group(2)
    assert f"({row.group(1)} days unless your organisation set" in DOCS
