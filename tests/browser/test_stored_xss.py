"""Stored cross-site scripting: payloads planted in comments, roster names, department
names, instrument text, round text, workshop titles and commitments never run, on any
page a respondent or staff member opens in Debian's Chromium (the page fixtures fail on
any console error, which is how a blocked inline script would show), nor in e-mails, the
PDF or the spreadsheet, where they stay plain text."""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, Page

from assessment.models import Instrument, Invitation, Level, Membership, Role
from assessment.selectors.workshops import workshop_questions
from assessment.services.commitments import commitment_create
from assessment.services.invitations import invitation_url
from assessment.services.rounds import round_create, round_launch
from assessment.services.workshops import (
    participant_join,
    workshop_answer_save,
    workshop_close,
    workshop_pace,
)
from tests.fixtures.browser import DESKTOP, _page
from tests.support.factories import PersonFactory, open_window
from tests.support.report_data import Respondent, write_responses
from tests.support.report_pages import build_report, downloaded, executive, pdf_text, xlsx_cells
from tests.support.xss_corpus import PAYLOADS, payload, plant_in_organisation, plant_in_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-passphrase-9"


@pytest.fixture
def planted(organisation, instruments, make_workshop, django_capture_on_commit_callbacks):
    """An organisation whose every typed field holds a payload, with a launched round
    (invitations e-mailed), answers, a report, a closed workshop and a commitment."""
    plants = plant_in_organisation(organisation)
    front = Level.objects.get(organisation=organisation, kind="front_line")
    PersonFactory.create_batch(
        11, organisation=organisation, department=plants.department, level=front
    )
    conversation = Instrument.objects.get(organisation=None, key="conversation")
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name="Round",
        purpose="Purpose",
        instruments=[plants.instrument, conversation],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    plant_in_round(round_)
    round_launch(round_=round_)  # e-mails sent in-process, to the outbox
    write_responses(
        round_,
        [
            Respondent(
                department=plants.department,
                level=front,
                answers={"ours-01": 1, "conversation-03": 4},
                texts={"conversation-04-words": f"guests, {payload(n)}"},
                comments={"conversation-03": f"Comment {payload(n)}"},
            )
            for n in range(11)
        ],
    )
    build_report(round_)
    workshop = make_workshop(["conversation-03"], name=f"Huddle {payload(1)}")
    workshop = workshop_pace(workshop=workshop, all_open=True)
    (asked,) = workshop_questions(workshop)
    for n in range(4):
        participant = participant_join(
            workshop=workshop, level=front, department=workshop.organisation.departments.first()
        )
        participant.workshop = workshop
        workshop_answer_save(
            participant=participant, workshop_question=asked, value=4, comment=payload(n)
        )
    commitment_create(
        organisation=organisation,
        what=f"Do {payload(0)}",
        who=f"Who {payload(1)}",
        due_on=closes_at.date(),
        workshop=workshop,
    )
    workshop_close(workshop=workshop)
    admin = get_user_model().objects.create_user(username="ada", password=PASSWORD)
    Membership.objects.create(user=admin, organisation=organisation, role=Role.ADMIN)
    return round_, workshop, plants


def staff_urls(round_, workshop, plants) -> list[str]:
    department_in_report = plants.department.pk
    return [
        reverse("dashboard"),
        reverse("rounds:list"),
        reverse("rounds:detail", kwargs={"pk": round_.pk}),
        reverse("rounds:edit", kwargs={"pk": round_.pk}),
        reverse("rounds:participation", kwargs={"pk": round_.pk}),
        reverse("roster:list"),
        reverse("roster:erase", kwargs={"pk": plants.person.pk}),
        reverse("organisation:settings"),
        reverse("workshops:list"),
        reverse("workshops:detail", kwargs={"pk": workshop.pk}),
        reverse("workshops:present", kwargs={"pk": workshop.pk}),
        reverse("workshops:summary", kwargs={"pk": workshop.pk}),
        reverse("commitments:list"),
        reverse("reports:list"),
        reverse("reports:overview", kwargs={"pk": round_.pk}),
        reverse("reports:department", kwargs={"pk": round_.pk, "department": department_in_report}),
        reverse("reports:question", kwargs={"pk": round_.pk, "code": "ours-01"}),
        reverse("reports:comments", kwargs={"pk": round_.pk}),
    ]


def nothing_ran(page: Page) -> bool:
    return page.evaluate("() => window.__xss === undefined")


def test_no_payload_runs_on_any_page_and_each_shows_as_plain_text(
    live_server, browser: Browser, planted
):
    round_, workshop, plants = planted
    seen = ""
    for viewport, pages in ((DESKTOP, "staff"), (DESKTOP, "respondent")):
        for page in _page(browser, viewport):
            if pages == "staff":
                page.goto(live_server.url + reverse("login"))
                page.get_by_label("Username").fill("ada")
                page.get_by_label("Password").fill(PASSWORD)
                with page.expect_navigation():
                    page.get_by_role("button", name="Sign in").click()
                for url in staff_urls(round_, workshop, plants):
                    page.goto(live_server.url + url)
                    assert nothing_ran(page), url
                    seen += page.inner_text("body")
            else:
                invitation = Invitation.objects.get(round=round_, person=plants.person)
                page.goto(live_server.url + urlsplit(invitation_url(invitation)).path)
                assert nothing_ran(page)
                seen += page.inner_text("body")
                with page.expect_navigation():
                    page.get_by_role("link", name="Start").click()
                assert nothing_ran(page)
                seen += page.inner_text("body")
    # The payloads were there to run, and showed as the text they are.
    for text in PAYLOADS[:3]:
        assert text in seen


def test_payloads_stay_plain_text_in_emails_the_pdf_and_the_spreadsheet(planted, organisation):
    round_, _, plants = planted
    (to_eve,) = [m for m in mail.outbox if plants.person.email in m.to[0]]
    html = to_eve.alternatives[0].content
    assert "<script>window.__xss" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html

    reader = executive(organisation)
    pdf = downloaded(reader, round_, "pdf").content
    assert "window.__xss" in pdf_text(pdf)

    sheets = xlsx_cells(downloaded(reader, round_, "xlsx").content)
    cells = [str(value) for rows in sheets.values() for row in rows for value in row if value]
    formulas = [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert formulas == []
    # The language audit's word "=hyperlink(…)" is there, neutralised.
    assert any(c.startswith("'=hyperlink") for c in cells)
