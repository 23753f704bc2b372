"""What a newcomer found broken in the demo walk, each proved fixed through the pages: the
first build's message, the thank-you page beside a provisional report, a reminder that
would reach nobody, the workshop's question picker and the join address phones use."""

import pytest
from django.urls import reverse

from assessment.models import Instrument, Invitation, InvitationStatus
from assessment.views.staff.confirmations import NOBODY_EMAILED, NOBODY_WAITING
from assessment.views.staff.reports import BUILD_STARTED, FIRST_BUILD_STARTED
from assessment.views.staff.rounds import REMINDER_QUEUED
from tests.support.answers import valid_post
from tests.support.report_pages import build_report, executive, page_text

pytestmark = pytest.mark.django_db


def _words(response) -> str:
    return " ".join(page_text(response).split())


def test_the_first_build_says_it_is_being_built_not_rebuilt(tree, organisation):
    round_, _ = tree
    client = executive(organisation)
    url = reverse("reports:build", kwargs={"pk": round_.pk})

    first = _words(client.post(url, follow=True))
    build_report(round_)
    second = _words(client.post(url, follow=True))

    assert FIRST_BUILD_STARTED in first
    assert BUILD_STARTED not in first
    assert "the last one" not in first
    assert BUILD_STARTED in second


def _submit(client, link, pages):
    client.get(link)
    for number, section in enumerate(pages, start=1):
        client.post(reverse("respondent:page", kwargs={"number": number}), valid_post(section))
    return client.post(reverse("respondent:review"), follow=True)


def test_the_thank_you_page_says_a_provisional_report_is_already_read(
    client, invitation_link, pages, open_round, django_client_factory
):
    before = _words(_submit(client, invitation_link(0)[1], pages))
    build_report(open_round)
    after = _words(_submit(django_client_factory(), invitation_link(1)[1], pages))

    assert "The results are shared after the round closes" in before
    assert "Leaders are already reading a provisional report of the answers so far" in after
    assert "The results are shared after the round closes" not in after


def test_a_reminder_that_would_reach_nobody_says_so_and_why(staff, open_round):
    url = reverse("rounds:remind", kwargs={"pk": open_round.pk})
    facilitator = staff["facilitator"]

    never_emailed = _words(facilitator.post(url, follow=True))
    Invitation.objects.filter(round=open_round).update(sent_at=open_round.opens_at)
    reminded = _words(facilitator.post(url, follow=True))
    Invitation.objects.filter(round=open_round).update(status=InvitationStatus.SUBMITTED)
    everyone_answered = _words(facilitator.post(url, follow=True))

    assert NOBODY_EMAILED.format(waiting=10, people="people") in never_emailed
    assert REMINDER_QUEUED.format(count=10) in reminded
    assert NOBODY_WAITING in everyone_answered
    assert open_round.dispatches.count() == 1  # only the one that reaches people


def test_the_question_picker_lists_only_the_chosen_questionnaires_questions(staff, instruments):
    checklist = Instrument.objects.get(key="checklist", organisation=None)
    trust = Instrument.objects.get(key="trust", organisation=None)
    facilitator = staff["facilitator"]

    first = facilitator.get(reverse("workshops:create")).content.decode()
    # Without JavaScript: "Show its questions" posts the form as typed; with it, htmx posts
    # the same on change and takes the list from the page.
    picked = facilitator.post(
        reverse("workshops:create"),
        {"name": "Offsite", "instrument": trust.pk, "pick": "1", "head_count": "12"},
    ).content.decode()

    assert "checklist-01" in first and "trust-01" not in first
    assert "trust-01" in picked and "checklist-01" not in picked
    assert 'value="Offsite"' in picked  # what was typed stays
    assert "This field is required" not in picked
    assert (
        'data-hx-post="/workshops/new/"' in first and 'data-hx-select="#div_id_questions"' in first
    )
    assert checklist.questions.exists()


def test_the_join_address_is_the_one_phones_reach(staff, make_workshop, settings):
    workshop = make_workshop(["conversation-02"])
    present = reverse("workshops:present", kwargs={"pk": workshop.pk})
    join_path = reverse("join-workshop", kwargs={"code": workshop.join_code})
    facilitator = staff["facilitator"]
    settings.ALLOWED_HOSTS = ["127.0.0.1", "centricity.example", "192.168.1.20"]

    settings.SITE_URL = "http://192.168.1.20:8000"
    on_the_laptop = facilitator.get(present, HTTP_HOST="127.0.0.1:8000").content.decode()
    on_the_network = facilitator.get(present, HTTP_HOST="centricity.example").content.decode()
    settings.SITE_URL = "http://127.0.0.1:8000"
    nowhere_better = facilitator.get(present, HTTP_HOST="127.0.0.1:8000").content.decode()

    assert f"http://192.168.1.20:8000{join_path}" in on_the_laptop
    assert "192.168.1.20:8000/join" in on_the_laptop
    assert f"http://centricity.example{join_path}" in on_the_network
    assert f"http://127.0.0.1:8000{join_path}" in nowhere_better
