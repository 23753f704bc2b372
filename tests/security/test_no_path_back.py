"""After people answer, nothing anywhere leads from an answer back to them: not a table,
not a Redis key, not a log line."""

import logging

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.urls import reverse

from assessment.models import Answer, Invitation, Response, TextAnswer
from tests.answers import valid_post

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
    found = []
    for url in {settings.CELERY_BROKER_URL, settings.CACHES["default"]["LOCATION"]}:
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(count=1000):
            kind = client.type(key)
            value = client.get(key) if kind == b"string" else b""
            found.append(f"{key!r} {value!r}")
    return "\n".join(found)


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
    # The stored answers themselves carry no person, invitation, time or device.
    for model in (Response, Answer, TextAnswer):
        columns = {f.column for f in model._meta.concrete_fields}
        assert not {"invitation_id", "person_id", "user_agent", "ip", "created_at"} & columns
        assert all(f.get_internal_type() != "DateTimeField" for f in model._meta.concrete_fields)
    assert TextAnswer.objects.filter(text=CANARY_TEXT).count() == 3 * 2  # two free-text questions
    # The invitation knows only that it was completed, and on which day.
    submitted = Invitation.objects.filter(status="submitted")
    assert submitted.count() == 3
    assert {f.name for f in Invitation._meta.concrete_fields if "at" in f.name.split("_")} == {
        "sent_at"
    }
