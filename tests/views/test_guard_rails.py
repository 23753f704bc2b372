"""Launching a round, closing one and closing a workshop first say what will happen, in
numbers, and change nothing until confirmed; the projected screen keeps closing and
moderation off its main row."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from assessment.models import Invitation, InvitationStatus, RoundStatus, WorkshopStatus
from assessment.services.rounds import round_create
from assessment.views.staff.confirmations import (
    CLOSE_DRAFTS,
    CLOSE_NO_EMAIL,
    CLOSE_WAITING,
    LAUNCH_EMAILS,
    LAUNCH_INVITES,
    WORKSHOP_CLOSE_ROOM,
)
from tests.support.factories import PersonFactory, open_window
from tests.support.workshop_pages import join, send

pytestmark = pytest.mark.django_db


def _words(response) -> str:
    return " ".join(response.content.decode().split())


def test_launching_asks_first_and_says_how_many_e_mails_are_sent(
    staff, organisation, instruments, django_capture_on_commit_callbacks
):
    PersonFactory.create_batch(4, organisation=organisation)
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name="Winter round",
        purpose="Why",
        instruments=instruments[:1],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    url = reverse("rounds:launch", kwargs={"pk": round_.pk})

    with django_capture_on_commit_callbacks(execute=True):
        asked = staff["facilitator"].post(url)
    round_.refresh_from_db()
    still_draft = round_.status
    with django_capture_on_commit_callbacks(execute=True):
        staff["facilitator"].post(url, {"confirmed": "1"})
    round_.refresh_from_db()

    page = _words(asked)
    assert asked.status_code == 200
    assert LAUNCH_INVITES.format(invited=4, people="people") in page
    assert LAUNCH_EMAILS.format(emailed=4, s="s") in page
    assert "Launch and e-mail 4 invitations" in page
    assert still_draft == RoundStatus.DRAFT
    assert round_.status == RoundStatus.LAUNCHED
    assert len(mail.outbox) == 4


def test_closing_a_round_asks_first_and_says_who_can_no_longer_answer(staff, open_round):
    Invitation.objects.filter(pk=open_round.invitations.order_by("pk")[0].pk).update(
        status=InvitationStatus.STARTED
    )
    url = reverse("rounds:close", kwargs={"pk": open_round.pk})

    asked = staff["facilitator"].post(url)
    open_round.refresh_from_db()
    still = open_round.status
    staff["facilitator"].post(url, {"confirmed": "1"})
    open_round.refresh_from_db()

    page = _words(asked)
    assert CLOSE_NO_EMAIL in page
    assert CLOSE_WAITING.format(waiting=10, people="people", have="have") in page
    assert CLOSE_DRAFTS.format(started=1) in page
    assert still == RoundStatus.LAUNCHED
    assert open_round.status == RoundStatus.CLOSED
    assert open_round.closed_at <= timezone.now()


def test_closing_a_workshop_asks_first_from_the_presenter_menu(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(["conversation-02"])
    join(django_client_factory(), workshop)
    facilitator = staff["facilitator"]
    url = reverse("workshops:close", kwargs={"pk": workshop.pk})

    asked = facilitator.post(url, {"back": "present"})
    workshop.refresh_from_db()
    still = workshop.status
    closed = facilitator.post(url, {"confirmed": "1"})
    workshop.refresh_from_db()

    page = _words(asked)
    assert WORKSHOP_CLOSE_ROOM.format(joined=1, people="person") in page
    assert reverse("workshops:present", kwargs={"pk": workshop.pk}) in page  # cancel: back
    assert still == WorkshopStatus.LIVE
    assert closed["Location"] == reverse("workshops:summary", kwargs={"pk": workshop.pk})
    assert workshop.status == WorkshopStatus.CLOSED


def test_the_projected_screen_keeps_close_and_hide_off_its_main_row(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(["conversation-02"])
    for number in range(3):
        phone = django_client_factory()
        join(phone, workshop)
        send(phone, 1, "3", comment=f"comment {number}")
    control_room = reverse("workshops:detail", kwargs={"pk": workshop.pk})

    page = staff["facilitator"].get(reverse("workshops:present", kwargs={"pk": workshop.pk}))
    html = page.content.decode()
    hide = reverse("workshops:wall-hide", kwargs={"pk": workshop.pk})
    main_row = html.split('aria-label="Pace the room"', 1)[1].split("</div>", 1)[0]
    more = html.split('class="presenter-more', 1)[1].split("</details>", 1)[0]

    assert "Next question" in main_row
    assert "Close the workshop" not in main_row
    assert "Close the workshop" in more
    assert "comment 1" in html  # the wall is on the screen…
    assert hide not in html  # …without its Hide buttons, which the control room keeps
    assert hide in staff["facilitator"].get(control_room).content.decode()
