"""Periodic work (Celery beat). Each run asks the database what is due, so a missed or
repeated run changes nothing."""

from celery import shared_task

from assessment.services.invitations import dispatches_to_resume
from assessment.services.retention import rounds_retention_apply
from assessment.services.roster_uploads import roster_uploads_purge
from assessment.services.rounds import rounds_close_due, scheduled_reminders_start

from .mail import send_dispatch


@shared_task(acks_late=True)
def close_due_rounds() -> int:
    return len(rounds_close_due())


@shared_task(acks_late=True)
def schedule_due_reminders() -> int:
    return len(scheduled_reminders_start())


@shared_task(acks_late=True)
def purge_roster_uploads() -> int:
    return roster_uploads_purge()


@shared_task(acks_late=True)
def apply_retention() -> int:
    return len(rounds_retention_apply())


@shared_task(acks_late=True)
def resume_dispatches() -> int:
    """Queue again the e-mails whose message never reached a worker."""
    resumed = dispatches_to_resume()
    for dispatch_id in resumed:
        send_dispatch.delay(dispatch_id)
    return len(resumed)
