"""A facilitator runs a workshop and a room answers, through the Django test client."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from assessment.models import (
    Commitment,
    CommitmentStatus,
    Instrument,
    Workshop,
    WorkshopAnswer,
    WorkshopParticipant,
)
from assessment.services.commitments import DUE_IN_THE_PAST
from assessment.services.workshops import workshop_close, workshop_go_to, workshop_pace
from assessment.views.room import ANSWER_SAVED, MOVED_ON, NO_SUCH_CODE, SESSION_KEY
from assessment.views.staff.commitments import STATUS_CHANGED
from assessment.views.staff.workshops import (
    COMMENT_HIDDEN,
    COMMITMENT_RECORDED,
    COUNTED_IN_ROUND,
    CREATED,
)
from tests.support.workshop_pages import join, send

pytestmark = pytest.mark.django_db


def test_a_facilitator_opens_a_workshop_on_chosen_questions_and_gets_a_code(
    staff, organisation, instruments
):
    conversation = Instrument.objects.get(key="conversation")
    chosen = conversation.questions.filter(code__in=["conversation-02", "conversation-03"])
    response = staff["facilitator"].post(
        reverse("workshops:create"),
        {
            "name": "Ops offsite",
            "instrument": conversation.pk,
            "questions": [q.pk for q in chosen],
            "head_count": 12,
            "threshold": 4,
            "comment_threshold": 6,
        },
        follow=True,
    )
    workshop = Workshop.objects.get()
    assert CREATED in response.content.decode()
    assert workshop.spoken_code in response.content.decode()
    assert workshop.questions.count() == 2
    assert (workshop.threshold, workshop.comment_threshold) == (4, 6)


def test_a_participant_joins_answers_and_waits_for_the_next_question(client, make_workshop):
    workshop = make_workshop(["conversation-02", "conversation-03"])
    join(client, workshop)
    participant = WorkshopParticipant.objects.get()
    assert client.session[SESSION_KEY] == str(participant.pk)

    question = client.get(reverse("room:now")).content.decode()
    assert "Question 1 of 2" in question
    assert "at least 3 people" in question  # says who will see what

    waiting = send(client, 1, "2").content.decode()
    assert '<h1 class="h3">Your answer is in</h1>' in waiting
    assert client.get(reverse("room:state"), {"stage": "q1"}).status_code == 204

    workshop_go_to(workshop=workshop, position=2)
    moved = client.get(reverse("room:state"), {"stage": "q1"})
    assert moved["HX-Redirect"] == reverse("room:now")
    assert "Question 2 of 2" in client.get(reverse("room:now")).content.decode()


def test_a_double_click_or_a_retry_stores_one_answer(client, make_workshop):
    workshop = make_workshop(["conversation-02"])
    join(client, workshop)
    for _ in range(3):
        send(client, 1, "1")
    send(client, 1, "4")
    assert list(WorkshopAnswer.objects.values_list("value", flat=True)) == [4]


def test_an_answer_to_a_question_the_room_has_left_is_not_stored(client, make_workshop):
    workshop = make_workshop(["conversation-02", "conversation-03"])
    join(client, workshop)
    workshop_go_to(workshop=workshop, position=2)
    response = send(client, 1, "1")
    assert MOVED_ON in response.content.decode()
    assert WorkshopAnswer.objects.count() == 0


def test_with_every_question_open_a_participant_answers_in_any_order(client, make_workshop):
    workshop = make_workshop(["conversation-02", "conversation-03"])
    workshop_pace(workshop=workshop, all_open=True)
    join(client, workshop)
    send(client, 2, "5")
    overview = send(client, 1, "1").content.decode()
    assert ANSWER_SAVED in overview
    assert "All questions" in overview
    assert "2 of 2 answered" in overview


def test_an_unknown_code_says_so_and_a_closed_workshop_thanks_the_room(client, make_workshop):
    response = client.get(reverse("join"), {"code": "ZZZ999"})
    assert NO_SUCH_CODE in response.content.decode()
    assert client.get(reverse("join-workshop", kwargs={"code": "ZZZ999"})).status_code == 404

    workshop = make_workshop(["conversation-02"])
    join(client, workshop)
    workshop_close(workshop=workshop)
    assert client.get(reverse("room:state"), {"stage": "q1"})["HX-Redirect"] == reverse("room:now")
    assert "Thank you for taking part" in client.get(reverse("room:now")).content.decode()


def test_without_joining_the_room_pages_send_people_to_the_join_page(client):
    assert client.get(reverse("room:now"))["Location"] == reverse("join")
    assert client.get(reverse("room:state"))["HX-Redirect"] == reverse("join")


def test_the_poll_and_an_answer_take_a_fixed_number_of_queries(
    client, make_workshop, django_assert_num_queries
):
    workshop = make_workshop(["conversation-02"])
    join(client, workshop)
    with django_assert_num_queries(2):  # the session, the participant with its workshop
        client.get(reverse("room:state"), {"stage": "q1"})
    # session, participant, question, its choices, the INSERT … ON CONFLICT, and the
    # count that says whether the screen's next step is due (no step here: one answer)
    with django_assert_num_queries(6):
        client.post(reverse("room:question", kwargs={"position": 1}), {"answer": "1"})


def live(staff_client, workshop, version: str = ""):
    return staff_client.get(
        reverse("workshops:live", kwargs={"pk": workshop.pk}), {"v": version} if version else {}
    )


def test_the_presenter_shows_the_distribution_only_once_the_threshold_answered(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(["conversation-02"], threshold=3, comment_threshold=3)
    facilitator = staff["facilitator"]
    for n in range(3):
        room = django_client_factory()
        join(room, workshop)
        send(room, 1, "1", comment=f"comment {n}")
        body = live(facilitator, workshop).content.decode()
        if n < 2:
            assert "Every day" not in body
            assert f"{2 - n} more to go" in body
    assert "Every day" in body
    assert "100%" in body
    assert "comment 0" in body


def test_the_presenter_poll_answers_204_while_nothing_changed(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(["conversation-02"])
    facilitator = staff["facilitator"]
    first = live(facilitator, workshop)
    version = first.content.decode().split("?v=")[1].split('"')[0]
    assert live(facilitator, workshop, version).status_code == 204

    room = django_client_factory()
    join(room, workshop)
    send(room, 1, "1")
    changed = live(facilitator, workshop, version)
    assert changed.status_code == 200
    assert '<strong data-testid="answered">1</strong>' in changed.content.decode()


def test_the_presenter_shows_how_to_join_in_large_type_with_a_qr_code(staff, make_workshop):
    workshop = make_workshop(["conversation-02"])
    page = staff["facilitator"].get(reverse("workshops:present", kwargs={"pk": workshop.pk}))
    body = page.content.decode()
    assert workshop.spoken_code in body
    assert '<svg class="join-qr" role="img"' in body
    assert f"/join/{workshop.join_code}/" in body
    assert "style=" not in body  # the Content-Security-Policy forbids inline styles


def test_a_hidden_comment_leaves_the_presenter_and_the_summary(
    staff, make_workshop, django_client_factory
):
    workshop = make_workshop(["conversation-02"], threshold=3, comment_threshold=3)
    for text in ["alpha", "bravo", "charlie"]:
        room = django_client_factory()
        join(room, workshop)
        send(room, 1, "1", comment=text)
    facilitator = staff["facilitator"]
    bravo = WorkshopAnswer.objects.get(text="bravo")

    hidden = facilitator.post(
        reverse("workshops:wall-hide", kwargs={"pk": workshop.pk}),
        {"answer": str(bravo.pk), "hidden": "1", "back": "present"},
        follow=True,
    )
    assert COMMENT_HIDDEN in hidden.content.decode()
    assert "bravo" not in live(facilitator, workshop).content.decode()
    summary = facilitator.get(reverse("workshops:summary", kwargs={"pk": workshop.pk}))
    assert "alpha" in summary.content.decode()
    assert "bravo" not in summary.content.decode()


def test_the_facilitator_moves_the_room_and_opens_all_questions(staff, make_workshop):
    workshop = make_workshop(["conversation-02", "conversation-03"])
    facilitator = staff["facilitator"]
    go = reverse("workshops:go", kwargs={"pk": workshop.pk})
    response = facilitator.post(go, {"to": "next", "back": "present"})
    assert response["Location"] == reverse("workshops:present", kwargs={"pk": workshop.pk})
    workshop.refresh_from_db()
    assert workshop.current == 2
    facilitator.post(go, {"to": "1"})
    facilitator.post(reverse("workshops:pace", kwargs={"pk": workshop.pk}), {"all_open": "1"})
    workshop.refresh_from_db()
    assert (workshop.current, workshop.all_open, workshop.stage) == (1, True, "all")


def test_a_commitment_is_recorded_followed_up_and_listed(staff, make_workshop, organisation):
    workshop = make_workshop(["conversation-02"])
    facilitator = staff["facilitator"]
    recorded = facilitator.post(
        reverse("workshops:commitment-add", kwargs={"pk": workshop.pk}),
        {
            "what": "Invite two customers to the monthly review",
            "who": "Head of Operations",
            "due_on": organisation.today() + datetime.timedelta(days=30),
            "question": workshop.questions.get().question_id,
        },
        follow=True,
    )
    assert COMMITMENT_RECORDED in recorded.content.decode()
    commitment = Commitment.objects.get()
    assert commitment.workshop == workshop

    kept = facilitator.post(
        reverse("commitments:status", kwargs={"pk": commitment.pk}),
        {"status": CommitmentStatus.LATE},
        follow=True,
    )
    assert STATUS_CHANGED.format(status="kept late") in kept.content.decode()
    listed = staff["executive"].get(reverse("commitments:list")).content.decode()
    assert "Invite two customers to the monthly review" in listed
    # Executives follow commitments up too.
    assert reverse("commitments:status", kwargs={"pk": commitment.pk}) in listed


def test_a_commitment_due_in_the_past_is_refused_and_nothing_is_recorded(
    staff, make_workshop, organisation
):
    workshop = make_workshop(["conversation-02"])

    refused = staff["facilitator"].post(
        reverse("workshops:commitment-add", kwargs={"pk": workshop.pk}),
        {
            "what": "Invite two customers to the monthly review",
            "who": "Head of Operations",
            "due_on": organisation.today() - datetime.timedelta(days=1),
        },
        follow=True,
    )

    assert f"By when: {DUE_IN_THE_PAST}" in refused.content.decode()
    assert not Commitment.objects.exists()


def test_answers_are_counted_in_the_round_only_when_the_facilitator_says_so(
    staff, make_workshop, open_round
):
    workshop = make_workshop(["conversation-02"], round_=open_round)
    assert workshop.count_in_round is False
    response = staff["facilitator"].post(
        reverse("workshops:count-in-round", kwargs={"pk": workshop.pk}), {"count": "1"}, follow=True
    )
    assert escape(COUNTED_IN_ROUND) in response.content.decode()
    workshop.refresh_from_db()
    assert workshop.count_in_round is True


def test_the_summary_downloads_as_a_pdf(staff, make_workshop):
    workshop = make_workshop(["conversation-02"], name="Ops offsite")
    response = staff["facilitator"].get(
        reverse("workshops:summary-pdf", kwargs={"pk": workshop.pk})
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="workshop-ops-offsite.pdf"'
    assert response.content.startswith(b"%PDF-")
