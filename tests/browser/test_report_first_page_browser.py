"""An executive opens the demo's culture report in Debian's Chromium at 1366 px and at
360 px: what needs attention is above the fold (the gap, the smoke, the changes and the
commitments), one sentence leads to its detail, axe finds no serious violation, and on a
phone no report page scrolls sideways."""

import pytest
from playwright.sync_api import Browser, Page, expect

from assessment.models import ReportBuild, ReportBuildStatus, ReportSnapshot
from assessment.services.demo import DEMO_PASSWORD, demo_organisation_create
from assessment.services.reports import report_build_start
from tests.fixtures.browser import PHONE, serious_accessibility_violations
from tests.fixtures.worker import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]

LAPTOP = {"width": 1366, "height": 768}
# What the first screen must say, by the class of its sentence.
ABOVE_THE_FOLD = ("summary-gap", "summary-smoke", "summary-change", "summary-commitments")


def signed_in(browser: Browser, base: str, viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("executive")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_an_executive_sees_what_needs_attention_first_and_follows_it(
    live_server, celery_worker, browser: Browser, instruments
):
    demo = demo_organisation_create()
    # Closing the spring round builds its report: the autumn one is compared with it.
    wait_for(
        lambda: ReportSnapshot.objects.filter(round__organisation=demo.organisation).exists(),
        timeout=60,
        what="the spring report",
    )
    build = report_build_start(round_=demo.round)
    wait_for(
        lambda: ReportBuild.objects.get(pk=build.pk).status == ReportBuildStatus.DONE,
        timeout=60,
        what="the autumn report",
    )
    overview = f"{live_server.url}/reports/{demo.round.pk}/"

    page = signed_in(browser, live_server.url, LAPTOP)
    page.goto(overview)
    summary = page.get_by_role("region", name="What needs attention")
    expect(summary).to_be_visible()
    for kind in ABOVE_THE_FOLD:
        sentence = summary.locator(f"li.{kind}").first
        expect(sentence).to_be_visible()
        box = sentence.bounding_box()
        assert box is not None and box["y"] + box["height"] <= LAPTOP["height"], kind
    expect(summary.locator("li.summary-commitments")).to_contain_text("commitment")
    assert serious_accessibility_violations(page) == []

    # The smoke sentence leads to its question, which shows its answers by department.
    smoke = summary.locator("li.summary-smoke a").first
    detail = smoke.get_attribute("href")
    smoke.click()
    page.wait_for_url(f"**{detail}")
    expect(page.get_by_role("heading", name="By department")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    phone = signed_in(browser, live_server.url, PHONE)
    phone.goto(overview)
    expect(phone.get_by_role("region", name="What needs attention")).to_be_visible()
    assert no_sideways_scroll(phone)
    assert serious_accessibility_violations(phone) == []
    phone.get_by_role("link", name="Customer Service", exact=True).first.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Customer Service")
    assert no_sideways_scroll(phone)
    phone.goto(page.url)
    expect(phone.get_by_role("heading", name="By department")).to_be_visible()
    assert no_sideways_scroll(phone)
    # Chart labels stay readable on a phone.
    sizes = phone.eval_on_selector_all(
        "svg.chart text", "texts => texts.map(t => parseFloat(getComputedStyle(t).fontSize))"
    )
    assert sizes and min(sizes) >= 12
