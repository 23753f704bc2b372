"""docs/security.md tells employees and operators what the site does; these keep what it
says about thresholds and settings in step with the code."""

import datetime
import re
from pathlib import Path

from django.conf import settings

from assessment.anonymity import (
    DEFAULT_COMMENT_THRESHOLD,
    DEFAULT_THRESHOLD,
    MIN_THRESHOLD,
)
from config.settings import base

ROOT = Path(__file__).resolve().parent.parent
DOCS = (ROOT / "docs" / "security.md").read_text()


def _documented_default(setting: str) -> str:
    row = re.search(rf"^\| [^|]*`{setting}`[^|]* \| ([^|]+) \|", DOCS, re.MULTILINE)
    assert row, f"{setting} is not in the operators' table"
    return row.group(1).strip()


def test_the_thresholds_employees_are_told_are_the_ones_the_report_uses():
    assert f"threshold ({DEFAULT_THRESHOLD} unless" in DOCS
    assert f"never fewer than {MIN_THRESHOLD})" in DOCS
    assert f"comment threshold ({DEFAULT_COMMENT_THRESHOLD} unless" in DOCS


def test_the_documented_defaults_are_the_settings_defaults():
    assert _documented_default("RETENTION_DAYS") == str(settings.RETENTION_DAYS)
    assert _documented_default("GUESS_RATE") == f"`{settings.GUESS_RATE}`"
    # The test settings send a launch in one part; the documented default is production's.
    assert _documented_default("EMAIL_SEND_PARTS") == str(base.EMAIL_SEND_PARTS)
    limit, minutes = _documented_default("AXES_FAILURE_LIMIT").split(", ")
    assert int(limit) == settings.AXES_FAILURE_LIMIT
    assert datetime.timedelta(minutes=int(minutes)) == settings.AXES_COOLOFF_TIME
    assert _documented_default("SESSION_COOKIE_AGE") == (
        f"{settings.SESSION_COOKIE_AGE // 86400} days"
    )


def test_every_setting_in_the_operators_table_is_one_the_site_reads():
    read = "".join(path.read_text() for path in (ROOT / "config" / "settings").glob("*.py"))
    documented = re.findall(r"^\| ([^|]+) \|", DOCS, re.MULTILINE)
    names = [n for cell in documented for n in re.findall(r"`([A-Z_]+)`", cell)]
    assert len(names) >= 10
    for name in names:
        assert f'"{name}"' in read, f"{name} is documented but no setting reads it"


def test_the_docs_say_what_each_kind_of_reader_can_and_cannot_learn():
    table = DOCS[DOCS.index("## What each reader can and cannot learn") :]
    readers = re.findall(r"^\| ([A-Z][a-z]+(?: [a-z]+)*) \|", table, re.MULTILINE)
    assert readers == [
        "Department lead",
        "Executive",
        "Facilitator",
        "Organisation admin",
        "Database operator",
    ]


def test_what_the_docs_say_the_admin_hides_is_what_it_does_not_register():
    from django.contrib import admin

    from assessment import models

    start = DOCS.index("**The Django admin**")
    said = " ".join(DOCS[start : DOCS.index("read-only", start)].split())
    hidden = {
        "invitations": models.Invitation,
        "responses": models.Response,
        "answers": models.Answer,
        "comments": models.TextAnswer,
        "drafts": models.DraftPage,
        "workshop participants": models.WorkshopParticipant,
        "workshop answers": models.WorkshopAnswer,
        "report parts": models.ReportPart,
    }
    for words, model in hidden.items():
        assert words in said, words
        assert not admin.site.is_registered(model), f"{model.__name__} is in the admin"


def test_the_number_of_histories_the_docs_promise_is_the_number_the_suite_plays():
    from tests.anonymity.test_anonymity_histories import HISTORIES

    assert f"over {HISTORIES:,} generated histories" in DOCS
