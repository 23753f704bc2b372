"""The Celery app of the fault tests' workers (`celery -A tests.faults.worker_app`): the
project's own app and tasks, with faults switched on by files in FAULTS_DIR, so that a
test decides from outside, at any moment, what the worker process does next.

In FAULTS_DIR, for a department's id D:
- `hold-D`: counting D waits while the file exists (after writing `held-D-<pid>`), so a
  test can kill the process that is counting it, knowing that it is;
- `fail-D`: counting D always raises an error that is not worth a retry;
- `fail-once-D`: the next count of D raises a dropped database connection (a transient
  error, retried), and removes the file;
- every count appends "D <pid>" to `counts.log`;
- `hold-download`: writing a report download waits (after `held-download-<pid>`).
With FAULTS_DELIVER_TWICE=1 every message this process sends is put on the broker twice,
as two deliveries of the same task (same task id, its own delivery tag)."""

import copy
import os
import time
import uuid
from pathlib import Path

from celery.signals import worker_process_init

from config.celery import app

__all__ = ["app", "put_twice"]

HOLD_POLL = 0.02  # seconds
HOLD_LIMIT = 120  # seconds: a forgotten hold must not keep a worker forever


def put_twice(put):
    """Wrap kombu's Redis `Channel._put` so that every message goes on its queue twice:
    the same task (same id, same arguments) delivered twice, each copy with its own
    delivery tag, as a redelivery would be."""

    def twice(self, queue, message, **kwargs):
        put(self, queue, message, **kwargs)
        again = copy.deepcopy(message)
        again["properties"]["delivery_tag"] = str(uuid.uuid4())
        put(self, queue, again, **kwargs)

    return twice


def _faulty_counts(original, faults: Path):
    def department_counts(*, round_id: int, department_id: int, **options: object) -> dict:
        with (faults / "counts.log").open("a") as log:
            log.write(f"{department_id} {os.getpid()}\n")
        hold = faults / f"hold-{department_id}"
        if hold.exists():
            (faults / f"held-{department_id}-{os.getpid()}").touch()
            deadline = time.monotonic() + HOLD_LIMIT
            while hold.exists() and time.monotonic() < deadline:
                time.sleep(HOLD_POLL)
        if (faults / f"fail-{department_id}").exists():
            raise ValueError("a row that makes no sense")
        try:
            # Whoever removes the file fails; a parallel count finds it gone.
            (faults / f"fail-once-{department_id}").unlink()
        except FileNotFoundError:
            pass
        else:
            from django.db import OperationalError

            raise OperationalError("server closed the connection unexpectedly")
        return original(round_id=round_id, department_id=department_id, **options)

    return department_counts


def _held_export(original, faults: Path):
    """`hold-download`: a download waits, once read, while the file exists (after writing
    `held-download-<pid>`), so that a test can kill the process writing it."""

    def export_of(download):
        hold = faults / "hold-download"
        if hold.exists():
            (faults / f"held-download-{os.getpid()}").touch()
            deadline = time.monotonic() + HOLD_LIMIT
            while hold.exists() and time.monotonic() < deadline:
                time.sleep(HOLD_POLL)
        return original(download)

    return export_of


@worker_process_init.connect
def _install_faults(**_: object) -> None:
    """In each pool process, after Django is set up and before it takes a task."""
    from assessment.services import report_downloads, reports

    faults = os.environ.get("FAULTS_DIR")
    if faults:
        reports.department_counts = _faulty_counts(reports.department_counts, Path(faults))
        report_downloads._export_of = _held_export(report_downloads._export_of, Path(faults))


# Before the pool forks: its processes, which send the chords' parts and merges and the
# retries, inherit it.
if os.environ.get("FAULTS_DELIVER_TWICE") == "1":
    from kombu.transport.redis import Channel

    Channel._put = put_twice(Channel._put)
