"""The trend across rounds that asked two versions of an instrument: compared by code, with
the questions whose wording changed named in the report."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from assessment.models import Round
from assessment.reporting.wording import wording_changes
from assessment.services.instrument_edits import question_edit
from assessment.services.instruments import instrument_copy
from tests.support.instruments import answered_round, builtin, labels_of

pytestmark = pytest.mark.django_db

REWORDED = "Does our mission say anything about the members we serve?"


def opened_a_month_earlier(round_: Round) -> None:
    Round.objects.filter(pk=round_.pk).update(opens_at=F("opens_at") - datetime.timedelta(30))


def test_only_codes_both_rounds_asked_in_other_words_are_flagged():
    previous = {"a-01": "Do we  listen?", "a-02": "Old", "a-03": "Gone"}
    current = {"a-01": "Do we listen?", "a-02": "New", "a-04": "Added"}

    assert wording_changes(previous, current) == {"a-02": "Old"}


def test_a_trend_across_two_versions_compares_by_code_and_flags_the_changed_wording(
    organisation, instruments, report_of, staff
):
    copy = instrument_copy(organisation=organisation, source=builtin("checklist"))
    spring = answered_round(organisation, [copy], "Sales", before_launch=opened_a_month_earlier)
    report_of(spring)
    asked_in_spring = copy.questions.get(code="checklist-03").text
    version = question_edit(
        instrument=copy, code="checklist-03", labels=labels_of(copy, "checklist-03"), text=REWORDED
    )

    autumn = answered_round(organisation, [version], "Support")
    report = report_of(autumn)

    assert version.version == 2
    assert report["previous_round"]["id"] == spring.pk
    assert report["wording_changed"] == {"checklist-03": asked_in_spring}
    items = report["organisation"]["questions"]
    # Compared by code across the versions: both rounds answered Yes to everything.
    assert items["checklist-03"]["change"] == 0.0
    assert items["checklist-01"]["change"] == 0.0
    page = staff["executive"].get(
        reverse("reports:question", kwargs={"pk": autumn.pk, "code": "checklist-03"})
    )
    assert "Wording changed." in page.text
    assert asked_in_spring in page.text
    unchanged = staff["executive"].get(
        reverse("reports:question", kwargs={"pk": autumn.pk, "code": "checklist-01"})
    )
    assert "Wording changed." not in unchanged.text
