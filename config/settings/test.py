"""The test suite: PostgreSQL and Redis, as in production (scripts/test starts them)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env, report_files_storage, with_redis_timeouts
from .mail import mailers

SECRET_KEY = "test-only-not-secret"
DEBUG = False
DATABASES = {
    "default": env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/centricity"),
}
# Off for the suite (each test's connection closes); the load test's web server keeps its
# connections open, as production does (base.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A Celery worker process cannot share locmem's outbox: tests that run one give it
# EMAIL_URL=filemail:// and a directory, and read the files.
MAILERS = mailers(env("EMAIL_URL", default="memorymail://"), env("EMAIL_FILE_PATH", default=""))
if env("TEST_MAIL_BACKEND", default=""):
    MAILERS["default"]["BACKEND"] = env("TEST_MAIL_BACKEND")
# Unit tests run tasks in-process; the `celery_worker` fixture switches to the real broker.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15")
# The cache shares the run's Redis, under the run's own prefix.
CACHES = {"default": with_redis_timeouts(env.cache_url("CACHE_URL", default=CELERY_BROKER_URL))}
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Each test run has its own queue, so that two runs sharing one Redis never take each
# other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="centricity-test")
# pytest-xdist's processes split one run: each has its own queue (and so its own workers)
# and its own cache keys, as it has its own test database. The workers a process starts
# inherit both the variable and the queue already named after it.
if (xdist_worker := env("PYTEST_XDIST_WORKER", default="")) and not (
    CELERY_TASK_DEFAULT_QUEUE.endswith(f"-{xdist_worker}")
):
    CELERY_TASK_DEFAULT_QUEUE += f"-{xdist_worker}"
CACHES["default"]["KEY_PREFIX"] = CELERY_TASK_DEFAULT_QUEUE
# The report's downloads, in a folder of the run's own (named after its queue), which the
# workers it starts share; never in the checkout.
REPORT_FILES_ROOT = env.path(
    "REPORT_FILES_ROOT",
    default=Path(tempfile.gettempdir()) / "centricity-report-files" / CELERY_TASK_DEFAULT_QUEUE,
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "report_files": report_files_storage(REPORT_FILES_ROOT),
}

# Serve static files straight from the source folders: no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# One delivery per launch: a test ends when its dispatch is done, and a second part still
# finishing on the worker would hold rows while the test database is emptied. The parts
# themselves are tested directly (tests/services/test_invitations.py).
EMAIL_SEND_PARTS = 1
