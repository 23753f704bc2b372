"""Personal links: made of at least 128 bits from `secrets`, kept in the database only as a
hash, exchanged on first use for a session and an address without the token, and never
written into a page, a redirect or a header the respondent's browser receives."""

import datetime
import logging
import re
import secrets

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.models import Invitation, Round
from assessment.models.rounds import hash_token
from assessment.selectors.answering import invitation_for_token
from assessment.services import invitations
from assessment.services.invitations import invitation_token_assign, token_for_salt
from assessment.services.rounds import round_close, round_launch
from tests.security.test_no_path_back import every_row_of_every_table
from tests.support.answers import valid_post
from tests.support.factories import round_for_people

pytestmark = pytest.mark.django_db

MIN_BITS = 128
URL_SAFE_BASE64 = re.compile(r"[A-Za-z0-9_-]+")


def token_of(invitation: Invitation) -> str:
    return token_for_salt(invitation.token_salt)


@pytest.fixture
def draft_round(organisation, instruments) -> Round:
    return round_for_people(organisation, instruments[:2], {"Service": 6})


def test_every_link_is_drawn_from_secrets_with_at_least_128_bits(draft_round, monkeypatch):
    drawn: list[tuple[int, str]] = []
    real_token_hex = secrets.token_hex

    def token_hex(nbytes: int | None = None) -> str:
        value = real_token_hex(nbytes)
        drawn.append((nbytes, value))
        return value

    monkeypatch.setattr(invitations.secrets, "token_hex", token_hex)
    round_launch(round_=draft_round, send=False)

    sent = list(Invitation.objects.filter(round=draft_round).order_by("pk"))
    assert len(drawn) == len(sent) == 6
    assert all(nbytes * 8 >= MIN_BITS for nbytes, _ in drawn)
    # Each link is the HMAC of what `secrets` drew, and of nothing else.
    assert sorted(i.token_salt for i in sent) == sorted(value for _, value in drawn)
    monkeypatch.setattr(invitations.secrets, "token_hex", lambda nbytes=None: "5a" * nbytes)
    same, again = Invitation(), Invitation()
    invitation_token_assign(same)
    invitation_token_assign(again)
    assert same.token_hash == again.token_hash


def test_links_are_distinct_and_long_enough_to_carry_128_bits():
    tokens, salts = set(), set()
    for _ in range(2_000):
        invitation = Invitation()
        invitation_token_assign(invitation)
        salts.add(invitation.token_salt)
        tokens.add(token_of(invitation))
    assert len(tokens) == len(salts) == 2_000
    for salt in salts:
        assert len(bytes.fromhex(salt)) * 8 >= MIN_BITS
    for token in tokens:
        assert URL_SAFE_BASE64.fullmatch(token)
        assert len(token) * 6 >= MIN_BITS  # six bits per base64 character


def test_the_database_keeps_only_a_hash_of_each_link_and_cannot_make_one_without_the_key(
    draft_round, settings
):
    round_launch(round_=draft_round, send=False)
    sent = list(Invitation.objects.filter(round=draft_round))
    tokens = [token_of(i) for i in sent]

    dump = every_row_of_every_table()
    for invitation, token in zip(sent, tokens, strict=True):
        assert token not in dump
        assert invitation.token_hash == hash_token(token)
        assert invitation_for_token(token) == invitation
    # The salt beside the hash makes no link without the server's key.
    settings.INVITATION_TOKEN_KEY = "another-key"
    assert all(invitation_for_token(token_of(i)) is None for i in sent)


# --- What the respondent's browser receives -----------------------------------------------


class Browser:
    """A test client that checks every answer for the link's secrets before returning it."""

    def __init__(self, secrets_: list[str], address: str) -> None:
        self.client = Client(REMOTE_ADDR=address)
        self.secrets = secrets_
        self.answers: list[tuple[str, int]] = []
        self.locations: list[str] = []

    def _checked(self, path: str, response):
        received = [
            response.content.decode(),
            *(f"{name}: {value}" for name, value in response.headers.items()),
            response.cookies.output(),
        ]
        for secret in self.secrets:
            for part in received:
                assert secret not in part, f"{path} ({response.status_code}) carries a secret"
        self.answers.append((path, response.status_code))
        if "Location" in response.headers:
            self.locations.append(response["Location"])
        return response

    def get(self, path: str, **extra):
        return self._checked(path, self.client.get(path, **extra))

    def post(self, path: str, data: dict | None = None):
        return self._checked(path, self.client.post(path, data or {}))

    def follow(self, response):
        """Where a browser goes next: the redirect's target."""
        return self.get(response["Location"])


def page_url(number: int) -> str:
    return reverse("respondent:page", kwargs={"number": number})


def secrets_of(invitation: Invitation) -> list[str]:
    return [token_of(invitation), invitation.token_hash, invitation.token_salt]


def test_no_page_redirect_or_header_of_the_whole_journey_carries_the_link(
    open_round, invitation_link, pages, settings
):
    invitation, link = invitation_link(0)
    browser = Browser(secrets_of(invitation), "10.8.0.1")

    # The only address with the token answers with a redirect and no page: nothing is
    # drawn or fetched from it, so it is never sent on as a Referer.
    entered = browser.get(link)
    assert entered.status_code == 302
    assert entered.content == b""
    assert entered["Referrer-Policy"] == "same-origin"
    welcome = browser.follow(entered)
    assert "Start" in welcome.content.decode()
    assert browser.get(reverse("respondent:welcome")).status_code == 200
    assert browser.post(page_url(1), {"action": "next"}).status_code == 200  # unanswered: errors
    later = browser.post(page_url(1), valid_post(pages[0], action="later"))
    assert browser.follow(later).status_code == 200  # "saved, carry on later"
    back = browser.post(page_url(1), valid_post(pages[0], action="back"))
    assert browser.follow(back).status_code == 200
    for number, section in enumerate(pages, start=1):
        assert browser.get(page_url(number)).status_code == 200
        browser.follow(browser.post(page_url(number), valid_post(section, text="clients")))
    assert browser.get(page_url(2) + "?from=review").status_code == 200
    assert "Submit my answers" in browser.get(reverse("respondent:review")).content.decode()
    thanks = browser.follow(browser.post(reverse("respondent:review")))
    assert "Thank you" in thanks.content.decode()
    assert browser.follow(browser.get(link)).status_code == 200  # the used link: thanks again
    assert browser.get(page_url(1))["Location"] == reverse("respondent:thanks")
    assert browser.get(page_url(99))["Location"] == reverse("respondent:thanks")

    # Elsewhere the used link, and a link refused for guessing, show error pages.
    assert Browser(secrets_of(invitation), "10.8.0.2").get(link).status_code == 404
    settings.GUESS_RATE = "0/m"
    assert Browser(secrets_of(invitation), "10.8.0.3").get(link).status_code == 429

    assert len(browser.answers) >= 2 * len(pages) + 10
    assert browser.locations  # every redirect target was checked as well
    for location in browser.locations:
        assert location.startswith("/respond/")


def test_no_page_of_a_round_that_closed_meanwhile_carries_the_link(
    open_round, invitation_link, pages
):
    invitation, link = invitation_link(1)
    browser = Browser(secrets_of(invitation), "10.8.1.1")
    browser.get(link)
    browser.post(page_url(1), valid_post(pages[0]))
    Round.objects.filter(pk=open_round.pk).update(
        closes_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert "is closed" in browser.get(reverse("respondent:start")).content.decode()
    assert "is closed" in browser.get(page_url(2)).content.decode()
    round_close(round_=Round.objects.get(pk=open_round.pk))
    assert "is closed" in browser.get(reverse("respondent:review")).content.decode()
    assert browser.get(link).status_code == 404


def test_a_server_error_on_a_link_is_logged_without_the_link(invitation_link, caplog, monkeypatch):
    """Django logs the path of a request that failed; the respondent's first request
    carries their link in it."""
    _, link = invitation_link()
    token = link.rstrip("/").rsplit("/", 1)[-1]

    def broken(_token):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("assessment.views.respondent.invitation_for_token", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = Client(raise_request_exception=False).get(link)

    assert response.status_code == 500
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert logged, "the error is still logged"
    assert all(token not in r.getMessage() for r in logged)
    assert "/r/[hidden]" in logged[0].getMessage()
