"""A facilitator adapts the checklist in Debian's Chromium: copies it saying “members”,
rewords an item, adds a question, previews it at phone width, launches a round with it;
employees answer and the report shows the new wording and the added question."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from assessment.models import Invitation, LevelKind, Membership, ReportSnapshot, Role, Round
from assessment.selectors.answering import round_pages
from assessment.services.answering import response_submit
from tests.conftest import level
from tests.fixtures.browser import PHONE, serious_accessibility_violations
from tests.fixtures.worker import wait_for
from tests.support.answers import save_all_pages
from tests.support.factories import DepartmentFactory, PersonFactory
from tests.support.mail import sent_messages, text_of

pytestmark = [pytest.mark.browser, pytest.mark.worker]

REWORDED = "Does our mission say anything about the members we serve?"
ADDED = "Do we thank our members when they tell us what went wrong?"


@pytest.fixture
def facilitator_account(organisation):
    organisation.threshold = organisation.comment_threshold = 3
    organisation.save()
    desk = DepartmentFactory(organisation=organisation, name="Desk")
    PersonFactory.create_batch(
        3,
        organisation=organisation,
        department=desk,
        level=level(organisation, LevelKind.FRONT_LINE),
    )
    user = get_user_model().objects.create_user(username="fran", password="a-long-passphrase")
    Membership.objects.create(user=user, organisation=organisation, role=Role.FACILITATOR)
    return user


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("fran")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Acme Outfitters")).to_be_visible()


def copy_with_members(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Instruments").click()
    expect(page.get_by_role("heading", name="Instruments", exact=True)).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Customer-centricity checklist").click()
    page.get_by_label("What we call a customer").fill("member")
    page.get_by_label("What we call customers").fill("members")
    page.get_by_role("button", name="Show what changes").click()
    expect(page.get_by_role("heading", name="10 texts will change")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Copy with these words").click()
    expect(page.get_by_text("is now your organisation's own")).to_be_visible()
    panel = page.get_by_role("region", name=re.compile("at phone width"))
    expect(panel.get_by_text("Do you know which of your members are most valuable")).to_be_visible()
    assert serious_accessibility_violations(page) == []


def reword_and_add(page: Page) -> None:
    page.get_by_role("link", name="Edit checklist-03").click()
    # Typed once htmx listens, as a person's first keystroke comes after the page loads.
    page.wait_for_url(re.compile(r"/checklist-03/"))
    page.get_by_label("Question").fill(REWORDED)
    # The live preview follows the typing, before anything is saved.
    expect(page.locator("#question-preview")).to_contain_text(REWORDED)
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_label("Yes / Partly / No / Don't know").check()
    page.locator("#id_text").fill(ADDED)
    page.get_by_role("button", name="Add the question").click()
    expect(page.get_by_text("Question checklist-own-01 is added")).to_be_visible()


def preview_on_a_phone(browser: Browser, page: Page) -> None:
    phone = browser.new_context(viewport=PHONE, storage_state=page.context.storage_state())
    preview = phone.new_page()
    preview.goto(page.url.split("#")[0] + "preview/")
    expect(preview.get_by_text(REWORDED)).to_be_visible()
    expect(preview.get_by_text(ADDED)).to_be_visible()
    assert preview.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_violations(preview) == []
    phone.close()


def launch_with_our_checklist(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Rounds").click()
    page.get_by_role("link", name="New round").first.click()
    page.get_by_label("Name").fill("Members round")
    page.get_by_label("Purpose").fill("How do we talk about our members?")
    for label in ("Conversation", "Obsessed", "Obstacles", "Trust"):
        page.get_by_label(re.compile(label)).uncheck()
    expect(page.get_by_label("Customer-centricity checklist (your own, version 1)")).to_be_checked()
    expect(page.get_by_label("Customer-centricity checklist (built-in)")).not_to_be_checked()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Launch and send invitations").click()
    page.get_by_role("button", name=re.compile(r"^Launch and e-mail \d+ invitation")).click()
    expect(page.get_by_text("The round is launched")).to_be_visible()


def answer_on_a_phone(browser: Browser, address: str) -> None:
    context = browser.new_context(viewport=PHONE)
    employee = context.new_page()
    employee.goto(address)
    employee.get_by_role("link", name="Start").click()
    expect(employee.get_by_text(REWORDED)).to_be_visible()
    for n in range(1, 11):
        employee.check(f"#id_checklist-{n:02d}_0")
    employee.check("#id_checklist-own-01_0")
    employee.get_by_role("button", name="Review answers").click()
    employee.get_by_role("button", name="Submit my answers").click()
    expect(employee.get_by_role("heading", name="Thank you — your answers are in")).to_be_visible()
    context.close()


def the_others_answer(round_: Round) -> None:
    pages = round_pages(round_)
    for invitation in Invitation.objects.filter(round=round_, status="invited"):
        save_all_pages(invitation, pages)
        response_submit(invitation=invitation, pages=pages)


def _has_final_report(round_: Round) -> bool:
    return ReportSnapshot.objects.filter(round=round_, provisional=False).exists()


def test_a_facilitator_adapts_the_checklist_and_the_report_asks_it_in_their_words(
    live_server,
    celery_worker,
    browser: Browser,
    desktop_page: Page,
    facilitator_account,
    instruments,
):
    page = desktop_page
    base = live_server.url
    sign_in(page, base)

    copy_with_members(page)
    reword_and_add(page)
    preview_on_a_phone(browser, page)
    launch_with_our_checklist(page)

    mails = wait_for(
        lambda: (
            len(sent_messages(celery_worker.mail_dir)) == 3
            and sent_messages(celery_worker.mail_dir)
        ),
        what="three invitations",
    )
    link = re.search(r"http://\S+/r/\S+/", text_of(mails[0])).group(0)
    answer_on_a_phone(browser, base + urlsplit(link).path)
    round_ = Round.objects.get(name="Members round")
    wait_for(lambda: round_.invitations.filter(status="submitted").count() == 1, what="an answer")
    the_others_answer(round_)

    page.get_by_role("button", name="Close now").click()
    page.get_by_role("button", name="Close the round now").click()
    wait_for(lambda: _has_final_report(round_), timeout=60, what="the final report")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Members round").click()
    expect(page.get_by_role("link", name=REWORDED).first).to_be_visible()
    expect(page.get_by_role("link", name=ADDED).first).to_be_visible()
    page.get_by_role("link", name=ADDED).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ADDED)
    expect(page.get_by_role("heading", name="By level")).to_be_visible()
