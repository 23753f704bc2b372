"""The demo organisation: what `make demo` shows a newcomer."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Avg

from assessment.models import (
    Answer,
    Commitment,
    Department,
    Organisation,
    ReportSnapshot,
    RoundStatus,
    Workshop,
)

# Committed for real, as `make demo` does: the spring report is built when the spring round
# closes, before the autumn report that compares with it.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_an_organisation_an_open_round_with_answers_and_a_built_report(
    instruments,
):
    out = StringIO()
    call_command("seed_demo", stdout=out)

    organisation = Organisation.objects.get(slug="demo")
    departments = Department.objects.filter(organisation=organisation)
    assert departments.count() >= 8
    assert departments.filter(parent__isnull=False).exists()
    assert {d.depth for d in departments} == {0, 1}
    assert 280 <= organisation.people.count() <= 320
    assert set(organisation.levels.values_list("kind", flat=True)) == {
        "executive",
        "manager",
        "front_line",
    }
    spring, autumn = organisation.rounds.order_by("opens_at")
    assert spring.status == RoundStatus.CLOSED
    assert autumn.is_open
    assert autumn.instruments.count() == 5
    assert autumn.responses.count() > 0.7 * autumn.invitations.count()

    # Executives hear the conversation from the stands: they rate its honesty higher.
    honesty = Answer.objects.filter(round=autumn, question__code="conversation-03")
    executives = honesty.filter(level__kind="executive").aggregate(m=Avg("value"))["m"]
    front_line = honesty.filter(level__kind="front_line").aggregate(m=Avg("value"))["m"]
    assert executives > front_line + 0.5

    report = ReportSnapshot.objects.get(round=autumn).data
    assert report["provisional"] is True
    assert report["previous_round"]["name"] == spring.name
    assert Workshop.objects.filter(organisation=organisation).count() == 2
    assert Commitment.objects.filter(organisation=organisation).count() == 6

    printed = out.getvalue()
    for login in ("admin", "facilitator", "executive", "lead"):
        assert f"  {login} " in printed or f" {login}  " in printed
    assert "/r/" in printed
