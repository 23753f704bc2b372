"""Celery tasks: thin interfaces (ids in, one service called), like views.

Celery's autodiscovery imports this package; each module registers its tasks."""

from . import reports  # noqa: F401
