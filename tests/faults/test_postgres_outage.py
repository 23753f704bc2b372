"""No submit is lost or doubled when PostgreSQL stops dead (`pg_ctl stop -m immediate`, as
a crash) in the middle of a burst of 200 submits through gunicorn and starts again: no
response is partial, every submit that got its thank-you is stored, and the employees who
retry (as anyone does after an error page) make no duplicate.

The database lives on a cluster of the test's own (tests/fixtures/faults.py), migrated and
filled by tests/faults/seed_round.py, and is checked with plain psycopg queries."""

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error

import psycopg
import pytest
from django.urls import reverse

from tests.fixtures.faults import PostgresCluster
from tests.fixtures.web import Phone, gunicorn
from tests.fixtures.worker import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.load]

EMPLOYEES = 200
STOP_AFTER = 40  # thank-you pages before the server is stopped
OUTAGE_ERRORS = 60  # error pages before it is started again
RETRY_EVERY = 0.5  # seconds between an employee's attempts
DATABASE = "centricity_faults"


def seeded(cluster: PostgresCluster) -> dict:
    with psycopg.connect(cluster.dsn("postgres"), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {DATABASE}")
    done = subprocess.run(
        [sys.executable, "-m", "tests.faults.seed_round", str(EMPLOYEES)],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": cluster.url(DATABASE),
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


class Employee:
    """One browser at the review page, pressing Submit until it gets the thank-you page."""

    def __init__(self, site: str, invitation: int, link: str) -> None:
        self.invitation = invitation
        self.phone = Phone(site)
        assert self.phone.fetch(link).status == 302
        assert self.phone.fetch(reverse("respondent:review")).status == 200  # (its CSRF cookie)
        self.attempts: list[str] = []  # what each press of Submit got
        self.pressed: list[float] = []  # …and when it was pressed
        self.thanked_at: float | None = None

    def submit(self) -> str:
        try:
            fetched = self.phone.fetch(reverse("respondent:review"), {})
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            return f"no answer: {type(error).__name__}"
        if fetched.status == 302 and fetched.location.endswith(reverse("respondent:thanks")):
            return "thanked"
        return str(fetched.status)

    def run(self, start: threading.Barrier, deadline: float) -> None:
        start.wait()
        while time.monotonic() < deadline:
            self.pressed.append(time.monotonic())
            outcome = self.submit()
            self.attempts.append(outcome)
            if outcome == "thanked":
                self.thanked_at = time.monotonic()
                return
            time.sleep(RETRY_EVERY)  # the employee looks at the error page, then retries


def start_pressing(employees: list[Employee]) -> tuple[list[threading.Thread], float]:
    """Every employee's thread started at once: the threads and their deadline."""
    start = threading.Barrier(EMPLOYEES + 1)
    deadline = time.monotonic() + 120
    threads = [
        threading.Thread(target=e.run, args=(start, deadline), daemon=True) for e in employees
    ]
    for thread in threads:
        thread.start()
    start.wait()
    return threads, deadline


def pressed_before_and_failed(employees: list[Employee], stopped_at: float) -> int:
    """How many presses of Submit before the stop got an error."""
    return sum(
        1
        for e in employees
        for pressed, outcome in zip(e.pressed, e.attempts, strict=True)
        if pressed < stopped_at and outcome != "thanked"
    )


def stored(own_postgres: PostgresCluster, round_id: int) -> tuple[int, set, list, int]:
    """What the database holds, read with plain psycopg: the round's responses, its
    submitted invitations, each response's number of answers, and the drafts left."""
    with psycopg.connect(own_postgres.dsn(DATABASE)) as db:
        responses = db.execute(
            "SELECT count(*) FROM assessment_response WHERE round_id = %s", [round_id]
        ).fetchone()[0]
        submitted = {
            pk
            for (pk,) in db.execute(
                "SELECT id FROM assessment_invitation WHERE round_id = %s AND status = 'submitted'",
                [round_id],
            )
        }
        answers_per_response = db.execute(
            """SELECT count(a.id) FROM assessment_response r
               LEFT JOIN assessment_answer a ON a.response_id = r.id
               WHERE r.round_id = %s GROUP BY r.id""",
            [round_id],
        ).fetchall()
        drafts = db.execute("SELECT count(*) FROM assessment_draftpage").fetchone()[0]
    return responses, submitted, answers_per_response, drafts


def test_postgres_stopped_dead_in_a_burst_of_200_submits_loses_and_doubles_nothing(
    own_postgres, tmp_path
):
    seed = seeded(own_postgres)
    env = {"DATABASE_URL": own_postgres.url(DATABASE), "CONN_MAX_AGE": "60"}
    with gunicorn(tmp_path, env=env) as site:
        employees = [Employee(site, pk, link) for pk, link in seed["invitations"]]
        threads, deadline = start_pressing(employees)

        def thanked() -> list[Employee]:
            return [e for e in employees if e.thanked_at is not None]

        wait_for(lambda: len(thanked()) >= STOP_AFTER, timeout=60, what="the first submits")
        stopped_at = time.monotonic()
        own_postgres.stop_immediately()
        thanked_before = {e.invitation for e in thanked()}
        # Sixty error pages later, the server returns.
        wait_for(
            lambda: sum(len(e.attempts) for e in employees) - len(thanked()) >= OUTAGE_ERRORS,
            timeout=60,
            what=f"{OUTAGE_ERRORS} error pages",
        )
        own_postgres.start()
        restarted_at = time.monotonic()
        for thread in threads:
            thread.join(timeout=max(1.0, deadline - time.monotonic()))
        log = (tmp_path / "gunicorn.log").read_text()

    assert all(e.thanked_at is not None for e in employees), [e.attempts for e in employees]
    failed = [a for e in employees for a in e.attempts if a != "thanked"]
    # Error pages (or a dropped connection), never anything else. A 400 is Django's answer
    # when the session cannot be saved at the end of a request (SessionInterrupted).
    assert all(a in ("400", "500") or a.startswith("no answer") for a in failed), set(failed)
    # Submits pressed before the server stopped that got an error: cut off under way, or
    # waiting for a web thread then.
    cut_off = pressed_before_and_failed(employees, stopped_at)
    assert cut_off > 0, "the stop met no submit under way"
    # Stopped as by a crash: the restart had to recover from the write-ahead log.
    assert "not properly shut down" in own_postgres.log()
    assert "OperationalError" in log

    responses, submitted, answers_per_response, drafts = stored(own_postgres, seed["round"])

    # Every thank-you shown before the crash is a stored response, and so is every other.
    assert thanked_before <= submitted
    assert submitted == {e.invitation for e in employees}
    # One response per employee: the retries after an error made none twice.
    assert responses == EMPLOYEES
    # None partial: each holds all its answers; no draft is left behind.
    assert {count for (count,) in answers_per_response} == {seed["answers"]}
    assert drafts == 0
    print(
        f"\n{EMPLOYEES} submits; {len(thanked_before)} thanked before the stop; "
        f"{cut_off} pressed before it and failed; {len(failed)} error pages while it was down "
        f"({restarted_at - stopped_at:.1f}s); all thanked "
        f"{max(e.thanked_at for e in employees) - restarted_at:.1f}s after the restart; "
        f"{sum(len(e.attempts) for e in employees)} presses of Submit"
    )
