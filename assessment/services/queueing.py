"""Queuing work from a web request (after its transaction has committed).

The job's row is already saved, so the message is only a nudge: one attempt, bounded by
REDIS_TIMEOUT (config/settings/base.py), and when the broker does not take it the row
waits for the periodic task that queues it again (`resume_dispatches`,
`report_builds_reconcile_task`). Celery's own publish retries would keep the person who
clicked waiting on a broker that is down or hung."""

import logging

from celery import Task, current_app
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)


def publish_once(task: Task, *args: int) -> bool:
    """Send `task(*args)` to the broker with a single attempt; whether it was taken."""
    try:
        task.apply_async(args, retry=False)
    except BrokerUnavailable as error:
        logger.warning(
            "%s%r was not queued (the broker did not answer: %s); a periodic task will queue it",
            task.name,
            args,
            error,
        )
        return False
    return True


def task_named(name: str) -> Task:
    """A registered task, reached by its name: the tasks import the services, so the
    services never import the tasks (every process registers them when Django starts,
    AssessmentConfig.ready)."""
    task: Task = current_app.tasks[name]
    return task
