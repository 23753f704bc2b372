"""The employee's journey through the Django test client: link → welcome → pages → review
→ thank you, including a closed tab, double submits, two tabs and tampered links."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.forms.answering import REQUIRED_MESSAGE
from assessment.models import Answer, DraftPage, InvitationStatus, Response, RoundStatus, TextAnswer
from assessment.views.respondent import FIX_AND_CONTINUE, SUBMITTED_KEY
from tests.support.answers import valid_post

LINK_CLOSED = "This link cannot be opened any more"

pytestmark = pytest.mark.django_db


def page_url(number: int) -> str:
    return reverse("respondent:page", kwargs={"number": number})


def answer_every_page(client, pages, text: str = "") -> None:
    for number, section in enumerate(pages, start=1):
        response = client.post(page_url(number), valid_post(section, text=text))
        assert response.status_code == 302


def test_the_link_is_exchanged_for_a_session_and_a_url_without_the_token(client, invitation_link):
    _, link = invitation_link()
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("respondent:start")
    welcome = client.get(response["Location"])
    assert welcome.status_code == 200
    assert link.strip("/").split("/")[-1] not in welcome.content.decode()


def test_the_welcome_page_says_what_the_round_is_for_how_long_and_who_sees_what(
    client, invitation_link, open_round
):
    _, link = invitation_link()
    page = client.get(link, follow=True).content.decode()
    assert open_round.purpose in page
    assert "About 19 minutes" in page
    assert "Nobody will see your individual answers" in page
    assert "at least 5 people" in page
    assert "at least 10 people" in page


def test_a_whole_questionnaire_ends_on_the_thank_you_page_with_one_anonymous_response(
    client, invitation_link, pages, open_round
):
    invitation, link = invitation_link()
    client.get(link)
    answer_every_page(client, pages, text="members, guests")
    review = client.get(reverse("respondent:review"))
    assert "Submit my answers" in review.content.decode()
    assert "members, guests" in review.content.decode()

    submitted = client.post(reverse("respondent:review"), follow=True)

    assert "Thank you — your answers are in" in submitted.content.decode()
    response = Response.objects.get(round=open_round)
    assert (response.department_id, response.level_id) == (
        invitation.department_id,
        invitation.level_id,
    )
    scored_questions = sum(1 for s in pages for q in s.questions.all() if q.kind != "text")
    multi_extra = 0  # valid_post ticks one box on each multi-choice question
    assert Answer.objects.filter(response=response).count() == scored_questions + multi_extra
    assert TextAnswer.objects.filter(response=response).count() == 2
    assert not DraftPage.objects.filter(invitation=invitation).exists()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SUBMITTED


def test_a_stored_response_cannot_be_joined_back_to_the_person_or_the_invitation(
    client, invitation_link, pages
):
    invitation, link = invitation_link()
    client.get(link)
    answer_every_page(client, pages, text="Customers ring us first.")
    client.post(reverse("respondent:review"))

    response_fields = {f.name for f in Response._meta.get_fields()}
    assert response_fields == {
        "id",
        "round",
        "department",
        "level",
        "answers",
        "texts",
    }
    for model in (Answer, TextAnswer):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {
            "invitation",
            "person",
            "created_at",
            "submitted_at",
            "ip",
            "user_agent",
        }
    invitation.refresh_from_db()
    invitation_fields = {f.name for f in invitation._meta.get_fields()}
    assert not invitation_fields & {"response", "responses"}
    # The ids are random, so the order of ids says nothing about who came when.
    assert Response.objects.get().pk.version == 4
    assert {a.pk.version for a in Answer.objects.all()} == {4}
    assert TextAnswer.objects.exists()
    assert {t.pk.version for t in TextAnswer.objects.all()} == {4}
    # Not even the day: a day is a moment too, when few answer on it.
    for model in (Response, Answer, TextAnswer):
        kinds = {f.get_internal_type() for f in model._meta.concrete_fields}
        assert not kinds & {"DateField", "DateTimeField", "TimeField"}, model


def test_a_closed_tab_loses_nothing_and_the_same_link_resumes_at_the_first_unanswered_page(
    client, django_client_factory, invitation_link, pages
):
    _, link = invitation_link()
    client.get(link)
    for number in (1, 2, 3):
        client.post(page_url(number), valid_post(pages[number - 1]))

    # A new browser (no session) opens the same link from the e-mail.
    fresh = django_client_factory()
    resumed = fresh.get(link, follow=True)

    assert resumed.redirect_chain[-1][0] == page_url(4)
    page_two = fresh.get(page_url(2)).content.decode()
    first_code = pages[1].questions.all()[0].code
    assert f'name="{first_code}" value="1"' in page_two and "checked" in page_two


def test_a_page_with_unanswered_questions_keeps_what_was_given_and_says_what_is_missing(
    client, invitation_link, pages
):
    _, link = invitation_link()
    client.get(link)
    data = valid_post(pages[0])
    first = pages[0].questions.all()[0].code
    del data[first]

    response = client.post(page_url(1), data)

    assert response.status_code == 200
    body = response.content.decode()
    assert FIX_AND_CONTINUE in body
    assert REQUIRED_MESSAGE.replace("'", "&#x27;") in body
    assert f'aria-describedby="id_{first}_error"' in body
    draft = DraftPage.objects.get(section=pages[0])
    assert draft.data == {code: int(value) for code, value in data.items() if code != "action"}
    assert not draft.complete


def test_back_saves_the_page_without_insisting_on_every_answer(client, invitation_link, pages):
    _, link = invitation_link()
    client.get(link)
    client.post(page_url(1), valid_post(pages[0]))
    partial = {"action": "back", pages[1].questions.all()[1].code: "2"}

    response = client.post(page_url(2), partial)

    assert response["Location"] == page_url(1)
    draft = DraftPage.objects.get(section=pages[1])
    assert draft.data == {pages[1].questions.all()[1].code: 2}


def test_review_links_back_to_each_page_and_submit_is_refused_until_all_are_complete(
    client, invitation_link, pages
):
    _, link = invitation_link()
    client.get(link)
    client.post(page_url(1), valid_post(pages[0]))
    review = client.get(reverse("respondent:review")).content.decode()
    assert f"{page_url(2)}?from=review" in review
    assert "Incomplete" in review

    refused = client.post(reverse("respondent:review"))

    assert refused["Location"] == page_url(2)
    assert Response.objects.count() == 0


def test_a_second_submit_a_refresh_and_a_second_tab_all_show_the_thank_you_page(
    client, invitation_link, pages
):
    _, link = invitation_link()
    client.get(link)
    answer_every_page(client, pages)
    client.post(reverse("respondent:review"))

    again = client.post(reverse("respondent:review"), follow=True)
    refresh = client.get(reverse("respondent:thanks"))
    second_tab_page = client.post(page_url(1), valid_post(pages[0]), follow=True)
    reopened_link = client.get(link, follow=True)

    for response in (again, refresh, second_tab_page, reopened_link):
        assert response.status_code == 200
        assert "Thank you — your answers are in" in response.content.decode()
    assert Response.objects.count() == 1


def test_two_tabs_answering_at_once_make_one_response(client, invitation_link, pages):
    _, link = invitation_link()
    client.get(link)
    answer_every_page(client, pages)
    # Both tabs share the session; each submits.
    first = client.post(reverse("respondent:review"))
    second = client.post(reverse("respondent:review"))
    assert first["Location"] == second["Location"] == reverse("respondent:thanks")
    assert Response.objects.count() == 1


def test_a_closed_round_shows_a_friendly_page_and_accepts_no_answers(
    client, invitation_link, pages, open_round
):
    _, link = invitation_link()
    client.get(link)
    client.post(page_url(1), valid_post(pages[0]))
    open_round.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    open_round.opens_at = open_round.closes_at - datetime.timedelta(days=7)
    open_round.save()

    page = client.get(reverse("respondent:start"))
    posted = client.post(page_url(2), valid_post(pages[1]), follow=True)

    assert "is closed" in page.content.decode()
    assert "is closed" in posted.content.decode()
    assert DraftPage.objects.filter(section=pages[1]).count() == 0


def test_a_round_not_yet_open_says_when_it_opens(client, invitation_link, open_round):
    open_round.opens_at = timezone.now() + datetime.timedelta(days=2)
    open_round.closes_at = open_round.opens_at + datetime.timedelta(days=7)
    open_round.save()
    _, link = invitation_link()

    page = client.get(link, follow=True).content.decode()

    assert "opens soon" in page
    assert "the same link will work then" in page


def test_a_draft_round_does_not_take_answers(client, invitation_link, open_round):
    _, link = invitation_link()
    open_round.status = RoundStatus.DRAFT
    open_round.save()
    page = client.get(link, follow=True).content.decode()
    assert "Start" not in page


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:-4],
        lambda token: token + "x",
        lambda token: "not-a-token",
        lambda token: token.upper(),
    ],
)
def test_a_tampered_or_unknown_token_is_a_404(client, invitation_link, tamper):
    _, link = invitation_link()
    token = link.strip("/").split("/")[-1]
    response = client.get(reverse("invitation-link", kwargs={"token": tamper(token)}))
    assert response.status_code == 404
    assert LINK_CLOSED in response.content.decode()


def test_reopening_a_used_link_in_another_browser_says_the_answers_were_received(
    client, invitation_link, pages, django_client_factory, settings
):
    settings.DEBUG = True  # as in the demo, where a bare 404 showed Django's debug page
    _, link = invitation_link()
    client.get(link)
    answer_every_page(client, pages)
    client.post(reverse("respondent:review"))

    elsewhere = django_client_factory().get(link)
    unknown = django_client_factory().get(reverse("invitation-link", kwargs={"token": "x" * 32}))

    page = " ".join(elsewhere.content.decode().split())
    assert elsewhere.status_code == 404
    assert LINK_CLOSED in page
    assert "If you have submitted your answers with it, they were received" in page
    assert 'href="/static/css/centricity.css"' in page  # the site's own page
    # The same page as a link that never existed: it tells no one whether someone answered.
    assert unknown.content == elsewhere.content


def test_respondent_pages_without_a_link_are_a_404(client):
    for url in (reverse("respondent:start"), page_url(1), reverse("respondent:review")):
        assert client.get(url).status_code == 404


def test_a_page_number_outside_the_questionnaire_is_a_404(client, invitation_link, pages):
    _, link = invitation_link()
    client.get(link)
    assert client.get(page_url(len(pages) + 1)).status_code == 404
    assert client.get(page_url(0)).status_code == 404


def test_after_submitting_the_session_no_longer_knows_the_invitation(
    client, invitation_link, pages
):
    invitation, link = invitation_link()
    client.get(link)
    answer_every_page(client, pages)
    client.post(reverse("respondent:review"))

    # Only which round it thanked for; read apart from the rest, since a round's id may
    # equal the invitation's.
    session = dict(client.session)
    assert session.pop(SUBMITTED_KEY) == invitation.round_id
    assert invitation.pk not in session.values()


def test_a_used_or_expired_link_in_another_browser_looks_exactly_like_an_unknown_one(
    client, django_client_factory, invitation_link, pages, open_round
):
    _, used = invitation_link(0)
    client.get(used)
    answer_every_page(client, pages)
    client.post(reverse("respondent:review"))
    _, expired = invitation_link(1)
    unknown = reverse("invitation-link", kwargs={"token": "A" * 32})

    elsewhere = django_client_factory()
    used_page = elsewhere.get(used)
    unknown_page = elsewhere.get(unknown)
    open_round.closes_at = timezone.now()
    open_round.save()
    from assessment.services.rounds import round_close

    round_close(round_=open_round)
    expired_page = elsewhere.get(expired)

    assert used_page.status_code == unknown_page.status_code == expired_page.status_code == 404
    assert used_page.content == unknown_page.content == expired_page.content
