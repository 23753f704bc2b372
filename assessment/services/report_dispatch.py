"""The one way a report build is handed to the workers.

The tasks call the services (a task is ids in, one service called), so the services never
import the tasks: that would be an import cycle. They reach the build's one entry task by
its registered name instead; every process registers the tasks when Django starts
(AssessmentConfig.ready). The entry task (assessment/tasks/reports.py) queues the departments
and the merge after them."""

from .queueing import publish_once, task_named

BUILD_TASK = "assessment.tasks.reports.report_build_queue_task"


def report_build_dispatch(build_id: int) -> None:
    """Start a committed build from a web request: a single message, once (see
    `publish_once`: if the broker does not take it, the build stays queued for the
    reconciler); a worker then queues the departments and the merge, whose chord needs
    the result backend and its retries, which no request should wait on."""
    publish_once(task_named(BUILD_TASK), build_id)


def report_build_requeue(build_id: int) -> None:
    """Queue a build's pending departments and its merge again, from this process (the
    reconciler runs on a worker already)."""
    task_named(BUILD_TASK)(build_id)
