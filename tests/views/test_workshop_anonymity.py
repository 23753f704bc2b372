"""The workshop screen against the attacks that once worked, through the pages people use:
made-up joins lifting a question over the threshold, closing to reveal the answers since
the last step, and editing a comment after the wall published it. Input nobody can verify
(a join with the code) never counts toward a threshold: the head count the facilitator
states, and the room sees, bounds the joins."""

import re
from html import unescape

import pytest
from django.urls import reverse

from assessment.models import LevelKind, Workshop, WorkshopAnswer, WorkshopParticipant
from assessment.services.workshops import HEAD_COUNT_BELOW_JOINED, HEAD_COUNT_TOO_LOW, ROOM_FULL
from assessment.views.staff.workshops import HEAD_COUNT_CHANGED
from tests.conftest import level
from tests.support.workshop_pages import send

pytestmark = pytest.mark.django_db

DISTRIBUTION = '<table class="table table-sm distribution'


def try_to_join(client, workshop, kind: str = LevelKind.FRONT_LINE) -> bool:
    """Join as a fresh browser does (code, then level and department); whether it got in.
    A refusal must say why, on the page the person is looking at."""
    path = reverse("join-workshop", kwargs={"code": workshop.join_code})
    page = client.get(path).content.decode()
    joined = client.post(
        path,
        {
            "level": level(workshop.organisation, kind).pk,
            "department": workshop.organisation.departments.order_by("path").first().pk,
        },
    )
    if joined.status_code == 302:
        assert joined["Location"] == reverse("room:now")
        return True
    assert ROOM_FULL in page
    assert ROOM_FULL in joined.content.decode()
    return False


def screen(facilitator, workshop) -> str:
    return facilitator.get(reverse("workshops:live", kwargs={"pk": workshop.pk})).content.decode()


def distribution(page: str) -> dict[str, int]:
    """The counts of each answer a page shows: {label: people}."""
    rows = re.findall(
        r'distribution-label">([^<]*)</th>.*?<span class="text-body-secondary small">\((\d+)\)',
        page,
        flags=re.S,
    )
    return {unescape(label): int(n) for label, n in rows}


def test_fake_joins_in_a_room_smaller_than_the_threshold_are_refused_and_nothing_is_shown(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(
        ["checklist-01"], instrument_key="checklist", head_count=2, threshold=5, comment_threshold=5
    )
    facilitator = staff["facilitator"]

    # The one real person joins and answers; the attacker joins from four fresh browsers
    # and answers "Yes" from each one that gets in.
    real = django_client_factory()
    assert try_to_join(real, workshop)
    send(real, 1, "3")
    attempts = [django_client_factory() for _ in range(4)]
    got_in = [client for client in attempts if try_to_join(client, workshop)]
    for client in got_in:
        send(client, 1, "1")
        assert DISTRIBUTION not in screen(facilitator, workshop)

    assert len(got_in) == 1  # the room of two is full: three of the four are refused
    assert WorkshopParticipant.objects.filter(workshop=workshop).count() == 2
    assert WorkshopAnswer.objects.filter(workshop=workshop).count() == 2
    live = screen(facilitator, workshop)
    assert DISTRIBUTION not in live
    assert '<strong data-testid="joined">2 of 2</strong> joined' in live
    assert 'data-testid="room-too-small"' in live

    # Nor after the session, on the summary.
    facilitator.post(reverse("workshops:close", kwargs={"pk": workshop.pk}), {"confirmed": "1"})
    summary = facilitator.get(reverse("workshops:summary", kwargs={"pk": workshop.pk}))
    assert DISTRIBUTION not in summary.content.decode()


def test_in_a_room_of_six_one_person_joining_four_extra_times_takes_four_places(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(
        ["checklist-01"], instrument_key="checklist", head_count=6, threshold=5, comment_threshold=5
    )
    attacker = [django_client_factory() for _ in range(5)]  # themselves and four more
    assert all(try_to_join(client, workshop) for client in attacker)

    # The other five people in the room arrive: one place is left, four are refused and
    # told to tell the facilitator, who sees a room short of four phones.
    others = [try_to_join(django_client_factory(), workshop) for _ in range(5)]
    assert others == [True, False, False, False, False]
    assert WorkshopParticipant.objects.filter(workshop=workshop).count() == 6
    assert try_to_join(django_client_factory(), workshop) is False  # and it stays full
    assert '<strong data-testid="joined">6 of 6</strong> joined' in screen(
        staff["facilitator"], workshop
    )


def test_closing_after_a_step_keeps_the_published_step_and_never_shows_the_late_answers(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(
        ["checklist-01"], instrument_key="checklist", head_count=10, threshold=3
    )
    facilitator = staff["facilitator"]
    for _ in range(3):
        room = django_client_factory()
        assert try_to_join(room, workshop)
        send(room, 1, "1")
    assert distribution(screen(facilitator, workshop))["Yes"] == 3

    # Two more answer "No", fewer than the threshold, and the facilitator closes.
    for _ in range(2):
        room = django_client_factory()
        assert try_to_join(room, workshop)
        send(room, 1, "3")
    assert distribution(screen(facilitator, workshop))["No"] == 0
    facilitator.post(reverse("workshops:close", kwargs={"pk": workshop.pk}), {"confirmed": "1"})

    summary = facilitator.get(reverse("workshops:summary", kwargs={"pk": workshop.pk}))
    page = summary.content.decode()
    assert distribution(page) == {"Yes": 3, "Partly": 0, "No": 0, "Don't know": 0}
    assert "5 answered" in page
    assert "2 later answers are not shown" in page


def test_a_comment_edited_after_the_wall_showed_it_stays_as_published(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(["conversation-02"], head_count=10, threshold=3, comment_threshold=3)
    facilitator = staff["facilitator"]
    rooms = []
    for text in ["alpha", "bravo", "charlie"]:
        room = django_client_factory()
        assert try_to_join(room, workshop)
        send(room, 1, "1", comment=text)
        rooms.append(room)
    assert "bravo" in screen(facilitator, workshop)

    send(rooms[1], 1, "1", comment="bravo, wrote the sales director")
    assert WorkshopAnswer.objects.filter(text__startswith="bravo, wrote").count() == 1
    live = screen(facilitator, workshop)
    assert "bravo" in live
    assert "sales director" not in live

    # Hidden by the facilitator, it leaves the wall whatever its text is now.
    facilitator.post(
        reverse("workshops:wall-hide", kwargs={"pk": workshop.pk}),
        {"answer": str(WorkshopAnswer.objects.get(text__startswith="bravo").pk), "hidden": "1"},
    )
    assert "bravo" not in screen(facilitator, workshop)
    facilitator.post(reverse("workshops:close", kwargs={"pk": workshop.pk}), {"confirmed": "1"})
    summary = facilitator.get(reverse("workshops:summary", kwargs={"pk": workshop.pk}))
    assert "alpha" in summary.content.decode()
    assert "bravo" not in summary.content.decode()


def test_the_head_count_is_stated_when_opening_and_a_missing_or_zero_one_is_refused(
    staff, organisation, instruments
):
    from assessment.models import Instrument

    conversation = Instrument.objects.get(key="conversation", organisation=None)
    form = {"name": "Ops offsite", "instrument": conversation.pk, "threshold": 5}
    form["comment_threshold"] = 10
    for head_count in ("", "0"):
        refused = staff["facilitator"].post(
            reverse("workshops:create"), {**form, "head_count": head_count}
        )
        assert refused.status_code == 200
        assert HEAD_COUNT_TOO_LOW in refused.content.decode()
        assert Workshop.objects.count() == 0

    staff["facilitator"].post(reverse("workshops:create"), {**form, "head_count": "14"})
    assert Workshop.objects.get().head_count == 14


def test_the_head_count_changes_on_the_control_room_never_below_those_joined_and_the_room_sees_it(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(["conversation-02"], head_count=12)
    for _ in range(2):
        assert try_to_join(django_client_factory(), workshop)
    facilitator = staff["facilitator"]
    present = facilitator.get(reverse("workshops:present", kwargs={"pk": workshop.pk}))
    assert '<strong data-testid="joined">2 of 12</strong> joined' in present.content.decode()
    change = reverse("workshops:head-count", kwargs={"pk": workshop.pk})

    for head_count, message in [
        ("1", HEAD_COUNT_BELOW_JOINED.format(joined=2)),
        ("0", HEAD_COUNT_TOO_LOW),
        ("", HEAD_COUNT_TOO_LOW),
    ]:
        refused = facilitator.post(change, {"head_count": head_count})
        assert refused.status_code == 200
        assert message in refused.content.decode()
        workshop.refresh_from_db()
        assert workshop.head_count == 12

    changed = facilitator.post(change, {"head_count": "2"}, follow=True)
    assert HEAD_COUNT_CHANGED.format(head_count=2) in changed.content.decode()
    assert '<strong data-testid="joined">2 of 2</strong> joined' in screen(facilitator, workshop)
    assert try_to_join(django_client_factory(), workshop) is False
