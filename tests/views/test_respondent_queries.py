"""The respondent's pages take the same few queries whatever the questionnaire holds, and
the copy of an unanswered page that each web process keeps is never shown to someone who
has answered it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import QuestionKind
from tests.support.answers import valid_post

pytestmark = pytest.mark.django_db


def opened(link: str) -> Client:
    client = Client()
    assert client.get(link).status_code == 302
    return client


def test_each_respondent_page_takes_a_fixed_number_of_queries(
    invitation_link, pages, django_assert_num_queries
):
    _, link = invitation_link(0)
    warm = opened(link)
    # The process's copy of the pages and of the empty forms is made on first use.
    for number in range(1, len(pages) + 1):
        warm.get(reverse("respondent:page", kwargs={"number": number}))
    client = opened(invitation_link(1)[1])

    # The session, the invitation with its round, the drafts; and for the welcome page
    # the questionnaires (how long they take).
    with django_assert_num_queries(4):
        assert client.get(reverse("respondent:start")).status_code == 200
    for number, section in enumerate(pages, start=1):
        url = reverse("respondent:page", kwargs={"number": number})
        with django_assert_num_queries(3):
            assert client.get(url).status_code == 200
        # …then the invitation locked, the draft written, and on the first page the
        # invitation marked started; in a savepoint (two queries) inside the test's
        # transaction.
        with django_assert_num_queries(8 if number == 1 else 7):
            response = client.post(url, valid_post(section))
        assert response.status_code == 302
    with django_assert_num_queries(3):
        assert client.get(reverse("respondent:review")).status_code == 200


def ticked(html: str) -> int:
    return len(re.findall(r"<input[^>]*\schecked[\s>]", html))


def test_a_page_someone_has_answered_shows_their_answers_not_the_empty_copy(invitation_link, pages):
    section = pages[0]
    questions = list(section.questions.all())
    assert all(q.kind == QuestionKind.CHOICE for q in questions)
    url = reverse("respondent:page", kwargs={"number": 1})
    empty = opened(invitation_link(0)[1]).get(url).content.decode()
    second = opened(invitation_link(1)[1])
    second.post(url, valid_post(section, action="later"))

    answered = second.get(url).content.decode()

    assert ticked(empty) == 0
    assert ticked(answered) == len(questions)
    for question in questions:
        first = question.choices.all()[0].value
        assert re.search(rf'name="{question.code}" value="{first}"[^>]*\schecked', answered)
    # And someone opening the page afresh still gets it empty.
    assert ticked(opened(invitation_link(2)[1]).get(url).content.decode()) == 0
