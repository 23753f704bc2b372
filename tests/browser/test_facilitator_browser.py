"""A facilitator runs a round in Debian's Chromium, start to finish: sign in, import the
roster through the page, create and launch a round, and watch participation change when
an employee answers from the link in their e-mail (sent by a real Celery worker)."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Browser, Page, expect

from assessment.models import Membership, Role
from tests.fixtures.browser import serious_accessibility_violations
from tests.fixtures.worker import wait_for
from tests.support.mail import sent_messages, text_of
from tests.support.roster_files import csv_file

pytestmark = [pytest.mark.browser, pytest.mark.worker]


@pytest.fixture
def facilitator_account(organisation):
    user = get_user_model().objects.create_user(username="fran", password="a-long-passphrase")
    Membership.objects.create(user=user, organisation=organisation, role=Role.FACILITATOR)
    return user


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("fran")
    page.get_by_label("Password").fill("a-long-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Acme Outfitters")).to_be_visible()


def import_roster(page: Page, tmp_path) -> None:
    """Six people of Service/Desk, imported through the roster pages."""
    roster = tmp_path / "staff.csv"
    roster.write_bytes(
        csv_file(
            *[(f"Person {i}", f"p{i}@example.com", "Service/Desk", "Front line") for i in range(6)]
        )
    )
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Roster").click()
    page.get_by_role("link", name="Import a roster").first.click()
    page.get_by_label("Roster file").set_input_files(str(roster))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    assert not serious_accessibility_violations(page)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Roster imported: 6 added")).to_be_visible()


def launch_pilot_round(page: Page) -> None:
    """A round with the checklist only, created and launched through the pages."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Rounds").click()
    page.get_by_role("link", name="New round").first.click()
    page.get_by_label("Name").fill("Pilot round")
    page.get_by_label("Purpose").fill("A first look at how we talk about customers.")
    for label in ("Conversation", "Obsessed", "Obstacles", "Trust"):
        page.get_by_label(re.compile(label)).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The round is created")).to_be_visible()
    page.get_by_role("button", name="Launch and send invitations").click()
    # First what launching will do, then the launch.
    expect(page.get_by_test_id("consequences")).to_contain_text("invitation e-mail")
    page.get_by_role("button", name=re.compile(r"^Launch and e-mail \d+ invitation")).click()
    expect(page.get_by_text("The round is launched")).to_be_visible()


def answer_the_checklist(browser: Browser, address: str) -> None:
    """An employee on a phone answers the checklist through their link."""
    employee_context = browser.new_context(viewport={"width": 360, "height": 740})
    employee = employee_context.new_page()
    employee.goto(address)
    employee.get_by_role("link", name="Start").click()
    for n in range(1, 11):
        employee.check(f"#id_checklist-{n:02d}_0")
    employee.get_by_role("button", name="Review answers").click()
    employee.get_by_role("button", name="Submit my answers").click()
    expect(employee.get_by_role("heading", name="Thank you — your answers are in")).to_be_visible()
    employee_context.close()


def test_a_facilitator_runs_a_round_and_sees_an_employee_answer(
    live_server,
    celery_worker,
    browser: Browser,
    desktop_page: Page,
    facilitator_account,
    instruments,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path
    page = desktop_page
    base = live_server.url
    sign_in(page, base)

    import_roster(page, tmp_path)
    launch_pilot_round(page)

    # The worker e-mails everyone; an employee follows their link.
    mails = wait_for(
        lambda: (
            len(sent_messages(celery_worker.mail_dir)) == 6
            and sent_messages(celery_worker.mail_dir)
        ),
        what="six invitations",
    )
    link = re.search(r"http://\S+/r/\S+/", text_of(mails[0])).group(0)
    page.get_by_role("link", name="Participation").click()
    whole = page.get_by_role("row", name=re.compile("Whole organisation"))
    expect(whole).to_contain_text("6")
    expect(whole.get_by_role("cell").nth(2)).to_have_text("0")

    answer_the_checklist(browser, base + urlsplit(link).path)

    # The participation page updates itself: no reload.
    expect(whole.get_by_role("cell").nth(2)).to_have_text("1", timeout=15_000)
