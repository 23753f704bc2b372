"""After people answer, nothing anywhere leads from an answer back to them: not a table,
not a Redis key, not a log line."""

import base64
import datetime
import json
import logging
import re
from urllib.parse import urlsplit

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import (
    Answer,
    Dispatch,
    Invitation,
    JobStatus,
    Person,
    ReportBuild,
    ReportSnapshot,
    Response,
    Round,
    TextAnswer,
)
from assessment.models.reports import ACTIVE_BUILD_STATUSES
from assessment.selectors.answering import round_pages
from assessment.services.rounds import round_launch
from assessment.views.respondent import SESSION_KEY
from config.celery import app as celery_app
from tests.fixtures.worker import wait_for
from tests.support.answers import valid_post
from tests.support.factories import round_for_people
from tests.support.mail import sent_messages, text_of

pytestmark = pytest.mark.django_db

CANARY_AGENT = "CanaryBrowser/7f3a-9c21"
CANARY_FORWARDED = "203.0.113.177"
CANARY_ADDRESS = "198.51.100.199"
CANARY_TEXT = "canary-story-5d1e"


def every_row_of_every_table() -> str:
    with connection.cursor() as cursor:
        dump = []
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            dump.extend(f"{table} {row!r}" for row in cursor.fetchall())
    return "\n".join(dump)


def every_redis_key_and_value() -> str:
    """Every key of the run's Redis databases (broker, results, cache), with its value
    whatever its type, and the bodies of queued messages decoded."""
    found = []
    for url in {settings.CELERY_BROKER_URL, settings.CACHES["default"]["LOCATION"]}:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(count=1000):
            values = redis_values(client, key)
            found.append(f"{key!r} {values!r} {' '.join(map(decoded_body, values))}")
    return "\n".join(found)


def redis_values(client: redis.Redis, key: bytes) -> list[bytes]:
    kind = client.type(key)
    if kind == b"string":
        return [client.get(key)]
    if kind == b"list":
        return client.lrange(key, 0, -1)
    if kind == b"hash":
        return [part for pair in client.hgetall(key).items() for part in pair]
    if kind == b"set":
        return sorted(client.smembers(key))
    if kind == b"zset":
        return client.zrange(key, 0, -1)
    return [repr(client.dump(key)).encode()]


def decoded_body(value: bytes) -> str:
    """A Celery message keeps its arguments base64-encoded in `body`."""
    try:
        message = json.loads(value)
        found = message[0] if isinstance(message, list) else message
        return base64.b64decode(found["body"]).decode(errors="replace")
    except (ValueError, TypeError, KeyError, IndexError):
        return ""


def test_nothing_pairs_a_person_link_or_device_with_a_response(
    client, invitation_link, pages, caplog
):
    caplog.set_level(logging.DEBUG)
    headers = {
        "HTTP_USER_AGENT": CANARY_AGENT,
        "HTTP_X_FORWARDED_FOR": CANARY_FORWARDED,
        "REMOTE_ADDR": CANARY_ADDRESS,
    }
    tokens, people = [], []
    for index in range(3):
        invitation, link = invitation_link(index)
        tokens.append(link.strip("/").split("/")[-1])
        people.append(invitation.person)
        client.get(link, **headers)
        for number, section in enumerate(pages, start=1):
            client.post(
                reverse("respondent:page", kwargs={"number": number}),
                valid_post(section, text=CANARY_TEXT),
                **headers,
            )
        client.post(reverse("respondent:review"), **headers)
    assert Response.objects.count() == 3

    tables, keys, logs = every_row_of_every_table(), every_redis_key_and_value(), caplog.text
    for canary in (CANARY_AGENT, CANARY_FORWARDED, CANARY_ADDRESS, *tokens):
        assert canary not in tables
        assert canary not in keys
        assert canary not in logs
    for person in people:
        assert person.email not in logs
    # The stored answers themselves carry no person, invitation, day, time or device.
    for model in (Response, Answer, TextAnswer):
        columns = {f.column for f in model._meta.concrete_fields}
        assert not {"invitation_id", "person_id", "user_agent", "ip", "created_at"} & columns
        assert not {f.get_internal_type() for f in model._meta.concrete_fields} & {
            "DateField",
            "DateTimeField",
            "TimeField",
        }
    assert TextAnswer.objects.filter(text=CANARY_TEXT).count() == 3 * 2  # two free-text questions
    # The invitation knows only that it was completed, not when.
    submitted = Invitation.objects.filter(status="submitted")
    assert submitted.count() == 3
    assert {f.name for f in Invitation._meta.concrete_fields if "at" in f.name.split("_")} == {
        "sent_at"
    }
    assert not {
        f.name for f in Invitation._meta.concrete_fields if f.get_internal_type() == "DateField"
    }


# --- Through the real worker ----------------------------------------------------------------


def send_as_beat_does(entry: str) -> None:
    """Send a periodic task as Celery beat sends it: by name, from the schedule."""
    scheduled = celery_app.conf.beat_schedule[entry]
    celery_app.send_task(
        scheduled["task"],
        args=scheduled.get("args", ()),
        kwargs=scheduled.get("kwargs", {}),
        **scheduled.get("options", {}),
    )


def rows_by_table() -> dict[str, list[tuple]]:
    with connection.cursor() as cursor:
        tables = {}
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from introspection
            tables[table] = cursor.fetchall()
    return tables


def tables_pointing_at(*models) -> set[str]:
    """The tables with a foreign key to any of `models`."""
    targets = {model._meta.db_table for model in models}
    introspection = connection.introspection
    with connection.cursor() as cursor:
        # get_relations: {column: (target column, target table, on delete)}
        return {
            table
            for table in introspection.table_names(cursor)
            if targets & {to[1] for to in introspection.get_relations(cursor, table).values()}
        }


def mailed_links(celery_worker, round_: Round, people: list[Person]) -> tuple[list, list]:
    """Launch the round, and read each person's link (and its token) from their e-mail."""
    round_launch(round_=round_)
    wait_for(
        lambda: Dispatch.objects.filter(round=round_, status=JobStatus.DONE).exists(),
        what="the invitations to be e-mailed",
    )
    links = [
        urlsplit(re.search(r"http://\S+/r/\S+/", text_of(m)).group(0)).path
        for m in sent_messages(celery_worker.mail_dir)
    ]
    tokens = [link.strip("/").split("/")[-1] for link in links]
    assert len(tokens) == len(people)
    return links, tokens


def everyone_answers(round_: Round, links: list[str]) -> None:
    """Each person answers every page through their link, from the canary's browser."""
    pages = round_pages(round_)
    headers = {"HTTP_USER_AGENT": CANARY_AGENT, "HTTP_X_FORWARDED_FOR": CANARY_FORWARDED}
    for link in links:
        browser = Client(REMOTE_ADDR=CANARY_ADDRESS)
        browser.get(link, **headers)
        for number, section in enumerate(pages, start=1):
            browser.post(
                reverse("respondent:page", kwargs={"number": number}),
                valid_post(section, text=CANARY_TEXT),
                **headers,
            )
        assert browser.post(reverse("respondent:review"), **headers).status_code == 302


def scheduled_reports(round_: Round) -> ReportSnapshot:
    """What the schedule does next, on the worker: a provisional report once enough have
    answered, then closing the round, which builds the final report (returned)."""
    send_as_beat_does("refresh-provisional-reports")
    wait_for(
        lambda: ReportSnapshot.objects.filter(round=round_).exists(),
        timeout=60,
        what="the provisional report",
    )
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now())
    send_as_beat_does("close-due-rounds")
    return wait_for(
        lambda: ReportSnapshot.objects.filter(round=round_, provisional=False).first(),
        timeout=60,
        what="the final report",
    )


def check_outside_the_database(
    dump: str, keys: str, logs: str, secrets: tuple[list, list, list[Person]]
) -> None:
    """No canary, link, person or response in Redis or the logs (nor a canary or link in
    the database)."""
    tokens, hashes, people = secrets
    response_ids = [str(pk) for pk in Response.objects.values_list("pk", flat=True)]
    for canary in (CANARY_AGENT, CANARY_FORWARDED, CANARY_ADDRESS, *tokens):
        assert canary not in dump
        assert canary not in keys
        assert canary not in logs
    for found in (*hashes, *(p.email for p in people), *(p.name for p in people)):
        assert found not in keys
        assert found not in logs
    # Nothing outside the database names a response, so nothing there can pair one.
    for response_id in response_ids:
        assert response_id not in keys
        assert response_id not in logs


def check_rows_naming_a_response(
    tables: dict[str, list[tuple]], secrets: tuple[list, list, list[Person]]
) -> None:
    """In the database, the rows that name a response hold no link, person or moment."""
    tokens, hashes, people = secrets
    response_ids = [str(pk) for pk in Response.objects.values_list("pk", flat=True)]
    named = {p.name for p in people} | {p.email for p in people}
    for table, rows in tables.items():
        for row in rows:
            if not any(response_id in repr(row) for response_id in response_ids):
                continue
            assert not any(secret in repr(row) for secret in (*hashes, *tokens, *named)), table
            # Not a day either (datetime.date covers date-times).
            assert not any(isinstance(v, datetime.date | datetime.time) for v in row), table


@pytest.mark.worker
def test_after_the_worker_has_mailed_reported_and_closed_nothing_pairs_anyone_with_a_response(
    celery_worker, organisation, instruments, caplog
):
    # Every record the configured loggers let through, at any level.
    caplog.set_level(logging.DEBUG)
    round_ = round_for_people(organisation, instruments[:2], {"Service": 6})
    people = list(organisation.people.all())
    links, tokens = mailed_links(celery_worker, round_, people)
    everyone_answers(round_, links)
    assert Response.objects.filter(round=round_).count() == len(people)

    final = scheduled_reports(round_)
    assert final.response_count == len(people)
    assert not ReportBuild.objects.filter(status__in=ACTIVE_BUILD_STATUSES).exists()

    tables, keys = rows_by_table(), every_redis_key_and_value()
    logs = caplog.text + "\n" + celery_worker.log()
    invitations = list(Invitation.objects.filter(round=round_))
    hashes = [invitation.token_hash for invitation in invitations]
    dump = "\n".join(f"{table} {row!r}" for table, rows in tables.items() for row in rows)
    assert "Task assessment.tasks.reports.report_merge_task" in celery_worker.log()

    check_outside_the_database(dump, keys, logs, (tokens, hashes, people))
    check_rows_naming_a_response(tables, (tokens, hashes, people))
    for table in tables_pointing_at(Response):
        assert table not in tables_pointing_at(Invitation, Person, get_user_model()), table
    # Sessions of those who submitted keep the round they thanked for, not the invitation.
    for session in Session.objects.all():
        assert SESSION_KEY not in session.get_decoded()
    assert {i.status for i in invitations} == {"submitted"}
