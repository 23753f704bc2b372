"""The demo organisation: what `make demo` shows a newcomer."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Avg
from django.test import Client
from django.urls import reverse

from assessment.models import (
    Answer,
    Commitment,
    Department,
    Organisation,
    Question,
    QuestionKind,
    ReportSnapshot,
    RoundStatus,
    TextAnswer,
    Workshop,
)
from assessment.selectors.rounds import round_waiting
from assessment.views.staff.rounds import REMINDER_QUEUED

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


def test_a_second_run_prints_working_links_and_the_demo_looks_lived_in(instruments):
    call_command("seed_demo", stdout=StringIO())
    again = StringIO()
    call_command("seed_demo", stdout=again)

    # The links printed the second time are the open round's: each opens its welcome page.
    links = [line.split()[-1] for line in again.getvalue().splitlines() if "/r/" in line]
    assert len(links) == 3
    for link in links:
        welcome = Client().get(urlsplit(link).path, follow=True)
        assert welcome.status_code == 200
        assert "Start" in welcome.content.decode()

    # Its invitations count as e-mailed, so that a reminder reaches those who have not answered.
    organisation = Organisation.objects.get(slug="demo")
    autumn = organisation.rounds.get(status=RoundStatus.LAUNCHED)
    waiting = round_waiting(autumn)
    assert waiting.waiting > 0
    assert waiting.reachable == waiting.waiting
    facilitator = Client()
    facilitator.force_login(get_user_model().objects.get(username="facilitator"))
    reminded = facilitator.post(reverse("rounds:remind", kwargs={"pk": autumn.pk}), follow=True)
    assert REMINDER_QUEUED.format(count=waiting.waiting) in reminded.content.decode()

    # Every option of a several-choices question is ticked by someone; comments vary.
    for question in Question.objects.filter(
        instrument__in=autumn.instruments.all(), kind=QuestionKind.MULTI_CHOICE
    ):
        ticked = set(
            Answer.objects.filter(round=autumn, question=question).values_list("value", flat=True)
        )
        assert ticked == set(question.choices.values_list("value", flat=True)), question.code
    comments = list(
        TextAnswer.objects.filter(round=autumn, is_comment=True).values_list("text", flat=True)
    )
    assert len(set(comments)) > 0.5 * len(comments) > 20
