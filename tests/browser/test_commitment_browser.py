"""An executive records a commitment from an item of the culture report in Debian's
Chromium at 1366 px, and finds it in the commitments list; the same list reads on a
360 px phone without scrolling sideways; axe finds no serious or critical violation on
the commitment pages."""

from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from assessment.models import Commitment
from tests.fixtures.browser import PHONE, serious_accessibility_violations
from tests.support.report_pages import build_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1366, "height": 900}


def signed_in(browser: Browser, live_server, client, viewport: dict) -> Iterator[Page]:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(10_000)
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == []


@pytest.fixture
def wide_executive(browser, live_server, staff) -> Iterator[Page]:
    yield from signed_in(browser, live_server, staff["executive"], WIDE)


@pytest.fixture
def phone_executive(browser, live_server, staff) -> Iterator[Page]:
    yield from signed_in(browser, live_server, staff["executive"], PHONE)


def test_an_executive_records_a_commitment_from_an_item_and_finds_it_in_the_list(
    live_server, tree, wide_executive: Page, phone_executive: Page
):
    round_, _ = tree
    build_report(round_)
    page = wide_executive
    base = live_server.url

    # From the overview's item row to the item's page, and from there to the form.
    page.goto(base + reverse("reports:overview", kwargs={"pk": round_.pk}))
    page.get_by_role("link", name="Commit to act on checklist-01").first.click()
    expect(page.get_by_role("heading", name="Record a commitment")).to_be_visible()
    expect(page.get_by_label("About the item")).to_have_value("checklist-01")
    assert serious_accessibility_violations(page) == []

    page.get_by_label("What will be done").fill("Read one customer complaint aloud each Monday")
    page.get_by_label("Who").fill("Head of Operations")
    page.get_by_label("By when").fill("2099-03-31")
    page.get_by_label("For the department").select_option(label="Operations/Logistics")
    page.get_by_role("button", name="Record the commitment").click()

    expect(page.get_by_role("heading", name="Commitments", exact=True)).to_be_visible()
    row = page.get_by_role("row", name="Read one customer complaint aloud each Monday")
    expect(row).to_contain_text("Head of Operations")
    expect(row).to_contain_text("31 Mar 2099")
    expect(row).to_contain_text("About checklist-01 · Operations/Logistics")
    assert serious_accessibility_violations(page) == []
    assert Commitment.objects.get().round_id == round_.pk

    # The item's page now shows it, with the way to record another.
    page.goto(base + reverse("reports:question", kwargs={"pk": round_.pk, "code": "checklist-01"}))
    expect(page.get_by_role("region", name="Commitments on this item")).to_contain_text(
        "Committed from this report for Operations/Logistics"
    )

    phone = phone_executive
    phone.goto(base + reverse("commitments:list"))
    expect(
        phone.get_by_role("cell", name="Read one customer complaint aloud each Monday About")
    ).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_violations(phone) == []
