"""A live workshop in Debian's Chromium: a facilitator and three participants, each in a
browser context of their own. They join by code, the facilitator moves the room on and
the phones follow by themselves, the answers appear only once the threshold is met, and a
commitment recorded in the room shows up on the commitments page and in the report of
the round it was made during."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assessment.models import Commitment, Instrument, Invitation, Workshop
from assessment.services.answering import response_submit
from tests.fixtures.browser import PHONE, serious_accessibility_violations
from tests.support.answers import save_all_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOLLOW_WITHIN = 2.0  # seconds: the promise to the room


def open_context(browser: Browser, errors: list[str], viewport: dict) -> BrowserContext:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    context.on("weberror", lambda error: errors.append(str(error.error)))
    context.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    return context


def facilitator_page(browser, live_server, staff, errors) -> Page:
    context = open_context(browser, errors, {"width": 1280, "height": 900})
    session = staff["facilitator"].cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    return context.new_page()


def join_on_a_phone(browser, live_server, errors, code: str, level: str) -> Page:
    phone = open_context(browser, errors, PHONE).new_page()
    phone.goto(live_server.url + "/join")
    phone.get_by_label("Workshop code").fill(f"{code[:3].lower()} {code[3:]}")
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_role("heading", name="Who will see what")).to_be_visible()
    phone.get_by_label(level).check()
    phone.get_by_label("Your department").select_option(label="Sales")
    phone.get_by_role("button", name="Join the workshop").click()
    expect(phone.get_by_text("Question 1 of 2")).to_be_visible()
    return phone


def open_the_workshop(host: Page, base: str) -> str:
    """The facilitator opens a workshop on two questions, the threshold at 3, and reads
    its join code off the presenter screen."""
    host.goto(base + "/workshops/new/")
    host.locator("#id_name").fill("Operations offsite")
    host.locator("#id_instrument").select_option(label="Conversation questionnaire (v1)")
    conversation = Instrument.objects.get(key="conversation")
    for code in ("conversation-02", "conversation-03"):
        # The list follows the chosen questionnaire (htmx swaps it in).
        box = host.locator(
            f'input[name="questions"][value="{conversation.questions.get(code=code).pk}"]'
        )
        expect(box).to_be_attached()
        host.check(f'input[name="questions"][value="{conversation.questions.get(code=code).pk}"]')
    host.locator("#id_head_count").fill("3")
    host.locator("#id_threshold").fill("3")
    host.locator("#id_comment_threshold").fill("3")
    host.get_by_role("button", name="Open the workshop").click()
    expect(host.get_by_text("The workshop is open")).to_be_visible()
    host.get_by_role("link", name="Presenter screen").click()
    code = host.get_by_test_id("join-code").inner_text().replace(" ", "")
    assert not serious_accessibility_violations(host)
    return code


def record_a_commitment(host: Page) -> None:
    """In the control room, the room's commitment is recorded, and shows up on the
    organisation's commitments page, open and counted."""
    host.get_by_role("link", name="Control room").click()
    host.locator("#id_what").fill("Invite two customers to the monthly operations review")
    host.locator("#id_who").fill("Head of Operations")
    due = timezone.localdate() + datetime.timedelta(days=30)  # due today or later
    host.locator("#id_due_on").fill(due.isoformat())
    host.locator("#id_question").select_option(index=1)
    host.get_by_role("button", name="Record the commitment").click()
    expect(host.get_by_text("The commitment is recorded.")).to_be_visible()
    assert Commitment.objects.filter(who="Head of Operations").count() == 1
    host.get_by_role("link", name="Commitments", exact=True).click()
    row = host.locator("table.commitments tr", has_text="Invite two customers")
    expect(row).to_contain_text("Head of Operations")
    expect(row).to_contain_text(f"{due.day} {due:%b %Y}")
    expect(host.get_by_test_id("made")).to_have_text("1")
    assert not serious_accessibility_violations(host)


def the_round_so_far(open_round, pages, build, make_workshop) -> None:
    """The round running while the workshop meets: eight have answered, its report is
    built; an earlier workshop, closed, created Sales and Support."""
    for invitation in Invitation.objects.filter(round=open_round).order_by("pk")[:8]:
        save_all_pages(invitation, pages)
        response_submit(invitation=invitation, pages=pages)
    build(open_round)
    make_workshop(["conversation-02"], name="Warm-up")  # creates Sales and Support; closed below
    Workshop.objects.update(status="closed")


def the_third_answer(host: Page, phone: Page) -> None:
    """The third answer meets the threshold: the distribution appears by itself."""
    phone.get_by_label("Every week").check()
    phone.get_by_role("button", name="Send my answer").click()
    expect(host.locator("table.distribution")).to_be_visible()
    expect(host.locator("table.distribution tr", has_text="Every week")).to_contain_text("67%")
    expect(host.locator("table.distribution tr", has_text="Every day")).to_contain_text("33%")


def test_a_facilitator_and_three_participants_run_a_workshop(
    live_server, browser, staff, organisation, instruments, make_workshop, open_round, pages, build
):
    the_round_so_far(open_round, pages, build, make_workshop)
    errors: list[str] = []
    host = facilitator_page(browser, live_server, staff, errors)

    code = open_the_workshop(host, live_server.url)

    # Three people join on their phones with the code, without an account.
    phones = [
        join_on_a_phone(browser, live_server, errors, code, level)
        for level in ("Executive", "Manager", "Front line")
    ]
    assert not serious_accessibility_violations(phones[0])
    expect(host.get_by_text("3 of 3 joined")).to_be_visible()

    # Two answer: the screen counts them but shows no distribution yet.
    for phone, choice in zip(phones[:2], ("Every week", "Every day"), strict=True):
        phone.get_by_label(choice).check()
        phone.get_by_role("button", name="Send my answer").click()
        expect(phone.get_by_role("heading", name="Your answer is in")).to_be_visible()
    assert not serious_accessibility_violations(phones[0])
    expect(host.get_by_test_id("answered")).to_have_text("2")
    expect(host.get_by_text("1 more to go")).to_be_visible()
    expect(host.locator("table.distribution")).to_have_count(0)

    the_third_answer(host, phones[2])

    # The facilitator moves on; every phone follows within two seconds, untouched.
    host.get_by_role("button", name="Next question").click()
    expect(host.get_by_text("Question 2 of 2")).to_be_visible()
    moved_at = time.monotonic()
    for phone in phones:
        budget = FOLLOW_WITHIN - (time.monotonic() - moved_at)
        expect(phone.get_by_text("Question 2 of 2")).to_be_visible(timeout=max(budget, 0.05) * 1000)
    assert time.monotonic() - moved_at <= FOLLOW_WITHIN

    record_a_commitment(host)

    # …and in the culture report of the round it was made during.
    host.goto(live_server.url + reverse("reports:overview", kwargs={"pk": open_round.pk}))
    commitments = host.locator("section", has=host.get_by_role("heading", name="Commitments"))
    expect(commitments).to_contain_text("1 made, 0 kept, 0 kept late, 0 dropped, 1 open")
    expect(commitments.locator("tr", has_text="Invite two customers")).to_contain_text(
        "Head of Operations"
    )

    # Closing the workshop thanks the room on every phone.
    host.goto(live_server.url + f"/workshops/{Workshop.objects.get(join_code=code).pk}/")
    host.get_by_role("button", name="Close the workshop").click()
    # First what will happen, then the close itself.
    expect(host.get_by_role("heading", name="Close “Operations offsite”?")).to_be_visible()
    expect(host.get_by_test_id("consequences")).to_contain_text("3 people who joined")
    host.get_by_role("button", name="Close the workshop").click()
    expect(host.get_by_role("heading", name="Summary: Operations offsite")).to_be_visible()
    for phone in phones:
        expect(phone.get_by_role("heading", name="Thank you for taking part")).to_be_visible()
    assert not serious_accessibility_violations(phones[0])
    assert errors == []
