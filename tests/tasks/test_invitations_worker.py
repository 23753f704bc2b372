"""Invitations, reminders and closing, through a real Celery worker on Redis."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from assessment.models import (
    Dispatch,
    DispatchKind,
    Invitation,
    JobStatus,
    Person,
    ReportBuild,
    ReportBuildStatus,
    Round,
)
from assessment.models import RoundStatus as Status
from assessment.services.rounds import (
    reminder_send,
    round_create,
    round_launch,
    scheduled_reminders_start,
)
from assessment.tasks import close_due_rounds, schedule_due_reminders, send_dispatch
from tests.fixtures.worker import build_ended, wait_for
from tests.support.factories import round_for_people
from tests.support.mail import arm_failure, recipients, sent_messages, text_of

pytestmark = pytest.mark.worker


@pytest.fixture
def draft_round(organisation, instruments) -> Round:
    return round_for_people(organisation, instruments[:2], {"Service": 12})


def audience_emails(round_: Round) -> list[str]:
    return sorted(
        Person.objects.filter(organisation=round_.organisation).values_list("email", flat=True)
    )


def reminders_in(mail_dir) -> list:
    return [m for m in sent_messages(mail_dir) if m["Subject"].startswith("Reminder:")]


def dispatch_done(round_: Round, kind: str = DispatchKind.INVITATIONS, number: int = 0):
    return lambda: Dispatch.objects.filter(
        round=round_, kind=kind, number=number, status=JobStatus.DONE
    ).first()


def test_launch_emails_every_invitee_exactly_once_with_a_link_that_opens_the_round(
    celery_worker, draft_round, client
):
    round_launch(round_=draft_round)
    wait_for(dispatch_done(draft_round), what="the invitations to be sent")

    messages = sent_messages(celery_worker.mail_dir)
    assert recipients(messages) == audience_emails(draft_round)
    assert Invitation.objects.filter(round=draft_round, sent_at__isnull=True).count() == 0
    body = text_of(messages[0])
    assert "Autumn round" in messages[0]["Subject"]
    assert "nobody will see your individual answers" in body
    link = re.search(r"http://\S+/r/\S+/", body).group(0)
    welcome = client.get(urlsplit(link).path, follow=True)
    assert "Tell us how we talk about customers." in welcome.content.decode()


def test_the_send_task_delivered_twice_at_once_still_emails_each_person_once(
    celery_worker, draft_round
):
    round_launch(round_=draft_round, send=False)
    dispatch = Dispatch.objects.create(round=draft_round, kind=DispatchKind.INVITATIONS)
    send_dispatch.delay(dispatch.pk)
    send_dispatch.delay(dispatch.pk)
    wait_for(dispatch_done(draft_round), what="the invitations to be sent")
    wait_for(lambda: len(sent_messages(celery_worker.mail_dir)) >= 12, what="12 e-mails")
    send_dispatch.delay(dispatch.pk)  # and once more after it finished

    wait_for(lambda: Dispatch.objects.get(pk=dispatch.pk).status == JobStatus.DONE)
    assert recipients(sent_messages(celery_worker.mail_dir)) == audience_emails(draft_round)


def test_a_mail_server_failure_part_way_is_retried_without_sending_anyone_twice(
    celery_worker, draft_round
):
    arm_failure(celery_worker.mail_dir, after=5)
    round_launch(round_=draft_round)
    wait_for(dispatch_done(draft_round), timeout=60, what="the retried invitations")

    assert recipients(sent_messages(celery_worker.mail_dir)) == audience_emails(draft_round)
    assert "went away (on purpose)" in celery_worker.log()


def test_reminders_go_only_to_those_who_have_not_submitted_and_once_per_reminder(
    celery_worker, draft_round
):
    round_launch(round_=draft_round)
    wait_for(dispatch_done(draft_round), what="the invitations")
    submitted = list(Invitation.objects.filter(round=draft_round).order_by("pk")[:4])
    Invitation.objects.filter(pk__in=[i.pk for i in submitted]).update(status="submitted")
    started = Invitation.objects.filter(round=draft_round).order_by("pk")[4]
    Invitation.objects.filter(pk=started.pk).update(status="started")

    dispatch = reminder_send(round_=draft_round)
    send_dispatch.delay(dispatch.pk)  # delivered twice
    wait_for(dispatch_done(draft_round, DispatchKind.REMINDER, 1), what="the reminder")

    reminders = reminders_in(celery_worker.mail_dir)
    done = {i.person.email for i in submitted}
    assert recipients(reminders) == sorted(set(audience_emails(draft_round)) - done)
    assert len(sent_messages(celery_worker.mail_dir)) == 12 + 8


def test_a_round_closes_itself_at_its_closing_time(celery_worker, draft_round):
    round_launch(round_=draft_round, send=False)
    Round.objects.filter(pk=draft_round.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    still_open = round_create(
        organisation=draft_round.organisation,
        name="Still open",
        purpose="-",
        instruments=list(draft_round.instruments.all()),
        opens_at=draft_round.opens_at,
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    round_launch(round_=still_open, send=False)

    close_due_rounds.delay()

    wait_for(lambda: Round.objects.get(pk=draft_round.pk).status == Status.CLOSED)
    assert Round.objects.get(pk=still_open.pk).status == Status.LAUNCHED
    # Closing starts the final report; it is built by the worker before the test ends
    # (and empties the tables under it).
    final = build_ended(draft_round, timeout=30)
    assert final.status == ReportBuildStatus.DONE
    assert not ReportBuild.objects.filter(round=still_open).exists()


def test_the_scheduled_reminder_starts_on_its_day_and_only_once(celery_worker, draft_round):
    round_launch(round_=draft_round)
    wait_for(dispatch_done(draft_round), what="the invitations")
    Round.objects.filter(pk=draft_round.pk).update(
        reminder_days_before=3, closes_at=timezone.now() + datetime.timedelta(days=2)
    )

    schedule_due_reminders.delay()
    wait_for(dispatch_done(draft_round, DispatchKind.REMINDER, 1), what="the scheduled reminder")
    schedule_due_reminders.delay()
    schedule_due_reminders.delay()
    wait_for(lambda: not Dispatch.objects.exclude(status=JobStatus.DONE).exists())

    assert scheduled_reminders_start() == []  # the reminder day has had its reminder
    assert Dispatch.objects.filter(round=draft_round, kind=DispatchKind.REMINDER).count() == 1
    assert recipients(reminders_in(celery_worker.mail_dir)) == audience_emails(draft_round)


def test_the_beat_schedule_runs_closing_and_reminders():
    from config.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert tasks == {
        "assessment.tasks.schedule.close_due_rounds",
        "assessment.tasks.schedule.schedule_due_reminders",
        "assessment.tasks.schedule.resume_dispatches",
        "assessment.tasks.schedule.purge_roster_uploads",
        "assessment.tasks.schedule.apply_retention",
        "assessment.tasks.reports.report_builds_reconcile_task",
        "assessment.tasks.reports.reports_refresh_task",
        "assessment.tasks.downloads.report_downloads_sweep_task",
    }
    assert close_due_rounds.name in tasks and schedule_due_reminders.name in tasks
