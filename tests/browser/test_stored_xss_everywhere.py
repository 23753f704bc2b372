"""Stored cross-site scripting, everywhere: an organisation whose every typed field holds
a payload (tests/support/xss_corpus.py) is opened page by page in Debian's Chromium:
every route of the site from the URL resolver, as a visitor, a workshop participant, a
signed-in admin and a respondent, including the forms' pages after a POST and the htmx
fragments. Nothing runs, nothing is injected, and each payload shows as the text it is.
The invitation and reminder e-mails (sent by a real Celery worker) are opened in
Chromium too. (The PDFs are read back in tests/security/test_xss_pdfs.py.)

The browser's context ignores the site's Content-Security-Policy: the policy would block
an inline script anyway, and the test is there to prove the escaping on its own."""

from collections.abc import Iterator
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Browser, BrowserContext, Page

from assessment.models import Dispatch, DispatchKind, Invitation, JobStatus, Round
from assessment.services.invitations import invitation_url
from assessment.services.rounds import reminder_send, round_create, round_launch
from assessment.services.workshops import workshop_close, workshop_pace
from tests.fixtures.browser import DESKTOP
from tests.fixtures.worker import wait_for
from tests.security.test_routes import all_route_names
from tests.support.factories import open_window
from tests.support.mail import sent_messages, text_of
from tests.support.report_urls import EXPORTS
from tests.support.roster_files import csv_file
from tests.support.xss_corpus import (
    DOWNLOADS,
    PASSWORD,
    PLANTS,
    TEXTS,
    Site,
    payload,
    plant_site,
    squashed,
    staff_urls,
)
from tests.views.test_access import ACTIONS

PLANTED = [*PLANTS.values(), *TEXTS]
POST_ONLY = set(ACTIONS) | {"logout"}

# Every run of a payload reports itself, whenever it happens and on whichever page.
WATCH = """
Object.defineProperty(window, "__xss", {
  set(value) { window.__xssRan(String(value)); },
  get() { return undefined; },
});
"""
# What only an unescaped payload could have made: the site has no inline script, no
# inline event handler (its Content-Security-Policy forbids both) and no javascript: link.
INJECTED = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    if (element.tagName === "SCRIPT" && !element.src) found.push("inline script");
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) found.push(`${element.tagName} ${attribute.name}`);
      if (/^\\s*javascript:/i.test(attribute.value) && attribute.name !== "value")
        found.push(`${element.tagName} ${attribute.name}=${attribute.value}`);
    }
  }
  return found;
}"""
# The text a person reads: the page's, and what its form fields hold.
READ = """() => [document.body.innerText,
  ...[...document.querySelectorAll("input, textarea")].map(field => field.value),
  ...[...document.querySelectorAll("option")].map(option => option.label)].join("\\n")"""


class Walk:
    """One browser context going through the site: what ran, what failed, which routes
    it opened (with their statuses) and all the text it read."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.base = base
        self.ran: list[str] = []
        self.errors: list[str] = []
        self.opened: dict[str, set[int]] = {}
        self.read: list[str] = []
        context.expose_binding("__xssRan", lambda source, value: self.ran.append(value))
        context.add_init_script(WATCH)
        self.page = page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message) -> None:
        # On a page that names no icon (the poll's empty answer) Chromium guesses one.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            self.errors.append(f"{message.text} ({self.page.url})")

    def _dialog(self, dialog) -> None:
        self.ran.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _response(self, response) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")
        if response.request.resource_type != "document" or response.frame != self.page.main_frame:
            return
        path = urlsplit(response.url).path
        try:
            name = resolve(path).view_name
        except Resolver404:
            name = path
        self.opened.setdefault(name, set()).add(response.status)

    def press(self, button) -> None:
        """Click a button that submits a form, and wait for the page it leads to: reading
        the page before that may find it between two documents, with no body yet."""
        with self.page.expect_navigation():
            button.click()

    def visit(self, path: str, shows: bool = True) -> str:
        self.page.goto(self.base + path)
        return self.check(shows)

    def check(self, shows: bool = True) -> str:
        """The page as it is now: nothing injected and, on a page of planted data, a
        payload shown as text."""
        url = self.page.url
        assert self.page.evaluate(INJECTED) == [], url
        text = self.page.evaluate(READ)
        if shows:
            assert any(squashed(planted) in squashed(text) for planted in PLANTED), url
        self.read.append(text)
        return text


@pytest.fixture
def site(organisation, instruments) -> Site:
    return plant_site(organisation, password=PASSWORD)


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context
    context.close()


def answer_the_page(page: Page, number: int) -> None:
    """The first choice of every question and a payload in every text box, as typed."""
    page.evaluate(
        """() => {
          const named = new Set();
          for (const box of document.querySelectorAll(
              ".answer-form input[type=radio], .answer-form input[type=checkbox]")) {
            if (!named.has(box.name)) { named.add(box.name); box.checked = true; }
          }
        }"""
    )
    for n, box in enumerate(page.locator(".answer-form textarea").all()):
        box.fill(f"Eve wrote {payload(number + n)}")


def join_the_room(walk: Walk, site: Site) -> None:
    """A participant's phone: the code, their level and department, the question, an
    answer with a comment, the page after it, the answer again, and the poll."""
    page = walk.page
    walk.visit(reverse("join"), shows=False)
    page.get_by_label("Workshop code").fill(site.live.join_code)
    walk.press(page.get_by_role("button", name="Join", exact=True))
    walk.check()  # the workshop's name, its levels and departments to choose from
    page.get_by_label(PLANTS["front line"], exact=True).check()
    page.get_by_label("Your department").select_option(label=PLANTS["department"])
    walk.press(page.get_by_role("button", name="Join the workshop"))
    walk.check()  # the question the room is on
    page.get_by_label(PLANTS["yes"], exact=True).check()
    page.get_by_label(PLANTS["prompt"]).fill(f"Phone wrote {payload(2)}")
    page.get_by_role("button", name="Send my answer").click()
    walk.check(shows=False)  # waiting for the next question
    walk.visit(reverse("room:question", kwargs={"position": 1}))  # the answer, to change
    walk.visit(reverse("room:state"), shows=False)


def sign_in(walk: Walk, site: Site) -> None:
    page = walk.page
    walk.visit(reverse("login"), shows=False)
    page.get_by_label("Username").fill(site.admin)
    page.get_by_label("Password").fill(PASSWORD)
    walk.press(page.get_by_role("button", name="Sign in"))
    walk.check()


def preview_rosters(walk: Walk, site: Site) -> None:
    """The import's preview of a file of payloads, and the problems of a bad one."""
    page = walk.page
    level = PLANTS["front line"]
    good = csv_file(
        ("Zed <svg onload=window.__xss=3>", "zed@example.com", "New <img src=x onerror=1>", level),
        (f"{PLANTS['person']} Junior", site.eve.email, PLANTS["department"], level),
    )
    bad = csv_file(("Yan", "yan@example.com", PLANTS["department"], payload(0)))
    for content in (good, bad):
        walk.visit(reverse("roster:upload"))
        page.get_by_label("Roster file").set_input_files(
            {"name": "roster.csv", "mimeType": "text/csv", "buffer": content}
        )
        walk.press(page.get_by_role("button", name="Check the file"))
        walk.check()


def answer_the_round(walk: Walk, site: Site) -> None:
    """Eve's link, the welcome, every page (the first one sent empty first, to see its
    problems listed), the review, the thank-you page, and her link once used."""
    page = walk.page
    link = urlsplit(invitation_url(Invitation.objects.get(round=site.round, person=site.eve)))
    walk.visit(link.path)  # on to the welcome page
    walk.visit(reverse("respondent:welcome"))
    page.get_by_role("link", name="Continue").click()
    walk.press(page.get_by_role("button", name="Next"))
    walk.check()  # the questions still to answer, listed by their text
    number = 1
    while "Review your answers" not in page.title():
        answer_the_page(page, number)
        walk.check()
        walk.press(page.locator("button[name=action][value=next]"))
        walk.check()
        number += 1
    for other in range(1, number):
        walk.visit(reverse("respondent:page", kwargs={"number": other}) + "?from=review")
    walk.visit(reverse("respondent:review"))
    walk.press(page.get_by_role("button", name="Submit my answers"))
    walk.check()  # thank you, with the round's name
    walk.visit(link.path)  # a used link: the thank-you page again


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_payload_runs_on_any_page_of_the_site_and_each_shows_as_text(live_server, context, site):
    walk = Walk(context, live_server.url)
    for name, kwargs in (
        ("home", {}),
        ("password_reset", {}),
        ("password_reset_done", {}),
        ("password_reset_confirm", {"uidb64": "MQ", "token": "abc-def"}),
        ("password_reset_complete", {}),
    ):
        walk.visit(reverse(name, kwargs=kwargs), shows=False)
    join_the_room(walk, site)
    sign_in(walk, site)
    # The closed workshop's screen only says that it is closed; the report's progress bar
    # is empty while no build runs.
    # A download's progress shows the file's state and name, nothing planted.
    quiet = {
        reverse("workshops:live", kwargs={"pk": site.workshop.pk}),
        reverse("reports:progress", kwargs={"pk": site.round.pk}),
        # A built-in questionnaire carries nothing an organisation wrote.
        reverse("instruments:builtin", kwargs={"key": "checklist"}),
        *(reverse("reports:download-progress", args=[site.round.pk, f]) for f in EXPORTS),
    }
    for name, urls in staff_urls(site).items():
        for url in urls:
            if name not in DOWNLOADS:
                walk.visit(url, shows=url not in quiet)
    preview_rosters(walk, site)
    # The room moves on while the phone is on a staff page, so that its poll never
    # races the next visit.
    workshop_pace(workshop=site.live, all_open=True)
    walk.visit(reverse("room:now"))  # every question at once
    walk.visit(reverse("dashboard"))
    workshop_close(workshop=site.live)
    walk.visit(reverse("room:now"))  # the end
    answer_the_round(walk, site)

    assert walk.ran == []
    assert walk.errors == []
    pages = all_route_names() - POST_ONLY - DOWNLOADS
    assert pages - set(walk.opened) == set()
    # The payloads were there to run: every field showed, as the text it is.
    read = squashed("\n".join(walk.read))
    for field, text in PLANTS.items():
        assert squashed(text) in read, field
    for text in TEXTS:
        assert squashed(text) in read, text


def delivered(round_: Round, kind: str):
    return lambda: Dispatch.objects.filter(round=round_, kind=kind, status=JobStatus.DONE).exists()


@pytest.mark.browser
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_no_payload_runs_in_the_invitation_or_the_reminder_e_mail(celery_worker, context, site):
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=site.organisation,
        name=PLANTS["round"],
        purpose=PLANTS["purpose"],
        instruments=[site.instrument],
        opens_at=opens_at,
        closes_at=closes_at,
    )
    round_launch(round_=round_)
    wait_for(delivered(round_, DispatchKind.INVITATIONS), what="the invitations to be sent")
    reminder_send(round_=round_)
    wait_for(delivered(round_, DispatchKind.REMINDER), what="the reminders to be sent")

    people = {p.email: p.name for p in site.organisation.people.all()}
    messages: list[EmailMessage] = sent_messages(celery_worker.mail_dir)
    assert len(messages) == 2 * len(people)
    walk = Walk(context, "")
    for message in messages:
        (to,) = message["To"].addresses
        # The name, whatever it holds, is the name: the address stays the person's own.
        assert (to.addr_spec, to.display_name) in people.items()
        assert PLANTS["round"] in message["Subject"]
        assert to.display_name in text_of(message)
        walk.page.set_content(message.get_body(preferencelist=("html",)).get_content())
        read = walk.check()
        for shown in (to.display_name, PLANTS["round"], PLANTS["organisation"]):
            assert squashed(shown) in squashed(read)
    assert walk.ran == []
    assert walk.errors == []
