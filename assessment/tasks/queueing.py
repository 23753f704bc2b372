"""`publish_once` where the tasks' callers have long found it; it lives in
assessment/services/queueing.py, which the services import without importing the tasks."""

from assessment.services.queueing import publish_once

__all__ = ["publish_once"]
