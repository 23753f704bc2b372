"""A facilitator runs a round through the pages."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from assessment.anonymity.thresholds import COMMENT_THRESHOLD_TOO_LOW
from assessment.models import Instrument, Invitation, Level, LevelKind, Round, RoundStatus
from assessment.views.staff.rounds import CREATED, LAUNCHED
from tests.support.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_facilitator_creates_and_launches_a_round_and_invitations_are_emailed(
    staff, organisation, instruments, django_capture_on_commit_callbacks
):
    PersonFactory.create_batch(3, organisation=organisation)
    facilitator = staff["facilitator"]
    created = facilitator.post(
        reverse("rounds:create"),
        {
            "name": "Winter round",
            "purpose": "Where does customer-centricity live?",
            "instruments": [
                i.pk for i in Instrument.objects.filter(key__in=["checklist", "trust"])
            ],
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2099-01-31T17:00",
            "threshold": 5,
            "comment_threshold": 10,
        },
        follow=True,
    )
    assert CREATED in created.content.decode()
    round_ = Round.objects.get(name="Winter round")
    assert round_.status == RoundStatus.DRAFT
    assert round_.opens_at.hour == 9  # entered in the organisation's time zone (London, GMT)

    with django_capture_on_commit_callbacks(execute=True):
        launched = facilitator.post(
            reverse("rounds:launch", kwargs={"pk": round_.pk}), {"confirmed": "1"}, follow=True
        )

    assert LAUNCHED in launched.content.decode()
    assert Invitation.objects.filter(round=round_).count() == 3
    assert sorted(m.to[0].split("<")[1].rstrip(">") for m in mail.outbox) == sorted(
        Invitation.objects.filter(round=round_).values_list("person__email", flat=True)
    )


def test_the_form_refuses_a_comment_threshold_below_the_threshold(staff, instruments):
    response = staff["facilitator"].post(
        reverse("rounds:create"),
        {
            "name": "X",
            "purpose": "Y",
            "instruments": [instruments[0].pk],
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2026-01-31T17:00",
            "threshold": 6,
            "comment_threshold": 5,
        },
    )
    assert escape(COMMENT_THRESHOLD_TOO_LOW) in response.content.decode()
    assert Round.objects.count() == 0


def test_lowering_a_threshold_after_launch_is_refused_with_a_message(staff, open_round):
    response = staff["facilitator"].post(
        reverse("rounds:edit", kwargs={"pk": open_round.pk}),
        {"name": open_round.name, "threshold": 3, "comment_threshold": 10},
        follow=True,
    )
    assert "Thresholds cannot be lowered after launch" in response.content.decode()
    open_round.refresh_from_db()
    assert open_round.threshold == 5


def test_the_participation_page_shows_no_names_and_hides_small_groups(staff, open_round):
    page = staff["facilitator"].get(reverse("rounds:participation", kwargs={"pk": open_round.pk}))
    body = page.content.decode()
    for person in Invitation.objects.filter(round=open_round).select_related("person"):
        assert person.person.name not in body
        assert person.person.email not in body
    # Support has 2 managers invited: not shown, and Sales (8) beside it goes too.
    assert body.count("not shown") >= 2
    assert 'hx-trigger="every 5s"' in body


def test_the_participation_page_takes_as_many_queries_for_forty_departments_as_for_two(
    staff, open_round, organisation
):
    def queries() -> tuple[int, ...]:
        counts = []
        for name in ("rounds:participation", "rounds:participation-table"):
            url = reverse(name, kwargs={"pk": open_round.pk})
            staff["facilitator"].get(url)  # the session and the membership warmed alike
            with CaptureQueriesContext(connection) as captured:
                assert staff["facilitator"].get(url).status_code == 200
            counts.append(len(captured))
        return tuple(counts)

    small = queries()
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    for number in range(38):
        department = DepartmentFactory(organisation=organisation, name=f"Team {number}")
        person = PersonFactory(organisation=organisation, department=department, level=front)
        Invitation.objects.create(
            round=open_round, person=person, department=department, level=front
        )

    assert queries() == small
