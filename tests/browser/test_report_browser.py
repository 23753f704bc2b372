"""An executive reads the demo's culture report in Debian's Chromium: the overview, a
rebuild whose progress bar moves as a real Celery worker counts the departments, a
department's page and the PDF, and the same page on a phone; axe finds no serious
violation on the report's pages."""

import re
from collections import Counter

import pytest
from django.conf import settings
from django.utils.text import slugify
from playwright.sync_api import Page, expect

from assessment.models import ReportBuild, ReportBuildStatus, ReportSnapshot, Round
from assessment.selectors.answering import round_pages
from assessment.services.answering import response_submit
from assessment.services.demo import DEMO_PASSWORD, demo_organisation_create
from assessment.services.reports import report_build_start
from config.celery import app as celery_app
from tests.fixtures.browser import PHONE, serious_accessibility_violations
from tests.fixtures.worker import WorkerProcess, wait_for
from tests.support.answers import save_all_pages
from tests.support.report_pages import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.worker]


def the_worker_pauses(worker: WorkerProcess, pause: bool) -> None:
    """Stop (or start again) the worker taking this run's tasks, so that the page can be
    seen while the build waits, whatever the speed of the machine. Addressed to this run's
    worker alone: told to every worker, add_consumer would set another process's worker
    on this queue, with another database."""
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    control = celery_app.control
    reach = {"destination": [worker.hostname], "reply": True, "timeout": 10, "limit": 1}
    replies = (
        control.cancel_consumer(queue, **reach) if pause else control.add_consumer(queue, **reach)
    )
    assert replies, "the worker did not answer"


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("executive")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def five_more_answer(round_: Round) -> None:
    """Five more people of one department and level answer: enough for the provisional
    report to change (each group moves only by the threshold of its own new people)."""
    pages = round_pages(round_)
    waiting = round_.invitations.filter(status="invited").order_by("pk")
    cell = Counter((i.department_id, i.level_id) for i in waiting).most_common(1)[0][0]
    team = [i for i in waiting if (i.department_id, i.level_id) == cell]
    for invitation in team[:5]:
        save_all_pages(invitation, pages)
        response_submit(invitation=invitation, pages=pages)


def read_a_department(page: Page) -> None:
    """A department, a question and the comments, each free of serious accessibility
    violations."""
    page.get_by_role("link", name="Customer Service", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customer Service")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name=re.compile("^Do you have a clear idea")).first.click()
    expect(page.get_by_role("heading", name="By department")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.go_back()
    page.get_by_role("link", name=re.compile("comments and stories")).click()
    expect(page.get_by_role("heading", name=re.compile("^Comments and stories"))).to_be_visible()
    assert serious_accessibility_violations(page) == []
    page.go_back()


def the_pdf(page: Page, round_: Round) -> bytes:
    """The PDF, from the page the reader is on: a worker prepares it, then its link."""
    page.get_by_role("button", name="PDF", exact=True).click()
    name = f"culture-report-{slugify(round_.name)}.pdf"
    link = page.get_by_role("link", name=f"Download {name}")
    expect(link).to_be_visible(timeout=120_000)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == name
    return download.value.path().read_bytes()


def test_an_executive_reads_the_demo_report_rebuilds_it_and_downloads_the_pdf(
    live_server, celery_worker, desktop_page: Page, page: Page, instruments
):
    demo = demo_organisation_create()
    first = report_build_start(round_=demo.round)
    wait_for(
        lambda: ReportBuild.objects.get(pk=first.pk).status == ReportBuildStatus.DONE,
        timeout=60,
        what="the demo's first report",
    )
    five_more_answer(demo.round)
    phone, page = page, desktop_page
    base = live_server.url

    sign_in(page, base)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name=demo.round.name).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("the whole organisation")
    expect(page.get_by_role("heading", name="The stands and the arena")).to_be_visible()
    assert serious_accessibility_violations(page) == []

    # A rebuild: queued while the worker is paused, then counted department by department.
    the_worker_pauses(celery_worker, True)
    try:
        page.get_by_role("button", name="Rebuild the report").click()
        bar = page.get_by_role("progressbar", name="Departments counted")
        expect(bar).to_have_attribute("value", "0")
        expect(page.get_by_text(re.compile(r"0 of 16 departments counted"))).to_be_visible()
        # The last report stays readable meanwhile.
        expect(page.get_by_role("heading", name="Heatmap")).to_be_visible()
        assert serious_accessibility_violations(page) == []
    finally:
        the_worker_pauses(celery_worker, False)
    # htmx polls the bar and reloads the page once the new report is published.
    expect(bar).to_be_hidden(timeout=60_000)
    rebuilt = ReportSnapshot.objects.get(round=demo.round)
    assert rebuilt.build_id != first.pk
    expect(page.get_by_role("heading", name="The stands and the arena")).to_be_visible()

    read_a_department(page)

    department_url = page.url
    pages = pdf_pages(the_pdf(page, demo.round))
    assert "Culture report" in pages[0]
    # Each department is summarised under its name, starting with its responses.
    assert "Customer Service/Contact Centre\nResponses" in "\n".join(pages)

    # On a phone the report reads without scrolling sideways (wide tables scroll alone).
    sign_in(phone, base)
    phone.goto(department_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Customer Service")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_accessibility_violations(phone) == []
