"""One invitation, many hands on it at once, against gunicorn and PostgreSQL: two tabs, a
double click, five concurrent replays of the final POST, Back and resubmit. Exactly one
response; everyone else sees the thank-you page; never a server error."""

import threading
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from assessment.models import Response
from tests.fixtures.web import Phone
from tests.support.answers import valid_post

pytestmark = pytest.mark.django_db(transaction=True)

THANKS = "Thank you — your answers are in"


def at_once(calls: list) -> list:
    """Run the calls in threads released together; their results in order."""
    results: list = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(index: int) -> None:
        start.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_tabs_double_clicks_and_replays_of_one_invitation_make_exactly_one_response(
    web_server, invitation_link, pages
):
    _, link = invitation_link()
    browser = Phone(web_server)
    assert browser.follow(link).status == 200
    assert browser.fetch(reverse("respondent:page", kwargs={"number": 1})).status == 200
    review = reverse("respondent:review")

    # Two tabs answer the pages at the same time.
    for number, section in enumerate(pages, start=1):
        page = reverse("respondent:page", kwargs={"number": number})
        tabs = at_once([lambda p=page, s=section: browser.fetch(p, valid_post(s))] * 2)
        assert [t.status for t in tabs] == [302, 302]

    # A double click on Submit, and five replays of the same POST, all at once.
    submits = at_once([lambda: browser.follow(review, {})] * 7)

    assert [s.status for s in submits] == [200] * 7
    assert all(THANKS in s.text for s in submits)
    assert Response.objects.count() == 1

    # Back, and submit again; and a page of the questionnaire posted again.
    again = browser.follow(review, {})
    page_again = browser.follow(
        reverse("respondent:page", kwargs={"number": 1}), valid_post(pages[0])
    )
    assert again.status == page_again.status == 200
    assert THANKS in again.text and THANKS in page_again.text
    assert Response.objects.count() == 1


def test_a_second_browser_replaying_the_link_after_submit_gets_the_unknown_link_page(
    web_server, invitation_link, pages
):
    _, link = invitation_link()
    first = Phone(web_server)
    first.follow(link)
    first.fetch(reverse("respondent:page", kwargs={"number": 1}))
    for number, section in enumerate(pages, start=1):
        first.fetch(reverse("respondent:page", kwargs={"number": number}), valid_post(section))
    assert THANKS in first.follow(reverse("respondent:review"), {}).text

    second = Phone(web_server)
    replay = second.fetch(urlsplit(link).path)

    assert replay.status == 404
    assert Response.objects.count() == 1
