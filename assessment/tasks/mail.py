from smtplib import SMTPException

from celery import Task, shared_task
from django.db import OperationalError

from assessment.services.invitations import dispatch_failed, dispatch_send

# Worth another try: the mail server or the database was briefly unreachable.
TRANSIENT = (SMTPException, ConnectionError, TimeoutError, OperationalError)


class RecordsDispatchFailure(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        dispatch_id = kwargs.get("dispatch_id") or args[0]
        dispatch_failed(dispatch_id=dispatch_id, error=str(exc))


@shared_task(
    base=RecordsDispatchFailure,
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=300,
    max_retries=6,
)
def send_dispatch(dispatch_id: int, part: int = 0, parts: int = 1) -> None:
    dispatch_send(dispatch_id=dispatch_id, part=part, parts=parts)
