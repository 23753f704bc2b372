"""Celery tasks: thin interfaces (ids in, one service called), like views.

Celery's autodiscovery imports this package; each module registers its tasks."""

from . import downloads, reports  # noqa: F401
from .mail import send_dispatch
from .schedule import close_due_rounds, schedule_due_reminders

__all__ = ["close_due_rounds", "schedule_due_reminders", "send_dispatch"]
