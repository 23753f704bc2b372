"""An executive downloads the demo's report as a spreadsheet in Debian's Chromium: the
button queues it for a real Celery worker, the page shows its progress (htmx polling the
bar) and then the link, and the file downloads; axe finds no serious violation on the
download's page, on a desktop or a phone."""

import io

import pytest
from django.utils.text import slugify
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from assessment.models import ReportBuild, ReportBuildStatus
from assessment.services.demo import demo_organisation_create
from assessment.services.reports import report_build_start
from tests.browser.test_report_browser import sign_in, the_worker_pauses
from tests.fixtures.browser import PHONE, serious_accessibility_violations
from tests.fixtures.worker import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def test_an_executive_starts_the_spreadsheet_sees_its_progress_and_downloads_it(
    live_server, celery_worker, desktop_page: Page, page: Page, instruments
):
    demo = demo_organisation_create()
    build = report_build_start(round_=demo.round)
    wait_for(
        lambda: ReportBuild.objects.get(pk=build.pk).status == ReportBuildStatus.DONE,
        timeout=60,
        what="the demo's report",
    )
    phone, page = page, desktop_page
    sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/reports/{demo.round.pk}/")

    # Queued while the worker is paused: the page shows the file waiting, with its bar.
    the_worker_pauses(celery_worker, True)
    try:
        page.get_by_role("button", name="Spreadsheet").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Spreadsheet download")
        bar = page.get_by_role("progressbar", name="Spreadsheet prepared")
        expect(bar).to_have_attribute("value", "0")
        expect(page.get_by_text("Preparing the spreadsheet: waiting for a worker")).to_be_visible()
        assert serious_accessibility_violations(page) == []
    finally:
        the_worker_pauses(celery_worker, False)

    # htmx polls the state until the worker has written the file: then the link.
    name = f"culture-report-{slugify(demo.round.name)}.xlsx"
    link = page.get_by_role("link", name=f"Download {name}")
    expect(link).to_be_visible(timeout=60_000)
    expect(bar).to_be_hidden()
    assert serious_accessibility_violations(page) == []
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == name
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True)
    assert "Comments" in book.sheetnames
    assert book["Overview"]["B1"].value == demo.round.organisation.name

    # On a phone the same page reads without scrolling sideways.
    sign_in(phone, live_server.url)
    phone.goto(page.url)
    expect(phone.get_by_role("link", name=f"Download {name}")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_violations(phone) == []
