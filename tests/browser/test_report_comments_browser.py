"""An executive pages through the demo report's comments and filters them by question and
department in Debian's Chromium, with the form alone (no JavaScript needed); axe finds no
serious or critical violation on the comments page."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assessment.services.demo import DEMO_PASSWORD, demo_organisation_create
from tests.fixtures.browser import serious_accessibility_violations
from tests.support.report_pages import build_report

pytestmark = [pytest.mark.browser]


def test_an_executive_pages_and_filters_the_comments(live_server, desktop_page: Page, instruments):
    demo = demo_organisation_create()
    build_report(demo.round)
    page = desktop_page
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("executive")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.goto(live_server.url + reverse("reports:comments", kwargs={"pk": demo.round.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Comments and stories")
    expect(page.get_by_test_id("comment-range")).to_have_text(re.compile(r"^1–50 of \d+$"))
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_test_id("comment-range")).to_have_text(re.compile(r"^51–\d+ of \d+$"))

    # A question and a department, chosen in the form and sent as a plain GET.
    question = page.get_by_label("Question", exact=True)
    chosen = question.locator("option").nth(1).text_content() or ""
    question.select_option(label=chosen)
    department = page.get_by_label("Group", exact=True)
    place = department.locator("option").nth(1).text_content() or ""
    department.select_option(label=place)
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"question=.+&department=\d+"))
    expect(
        page.get_by_role("heading", level=2, name=re.compile(f"^{re.escape(place)}"))
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(re.escape(chosen)))).to_have_attribute(
        "aria-current", "page"
    )
    assert serious_accessibility_violations(page) == []

    page.get_by_role("link", name="Clear the filters").first.click()
    expect(page.get_by_test_id("comment-range")).to_have_text(re.compile(r"^1–50 of \d+$"))
