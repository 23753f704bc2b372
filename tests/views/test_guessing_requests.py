"""Guessing, request by request: made-up links and join codes sent to the pages themselves
find nothing, and each address is stopped at GUESS_RATE by a count kept in Redis; a used
or expired link answers exactly like one that never existed; a staff sign-in locked by
wrong passwords opens again once its cool-off has passed, and only the address that
guessed was ever locked."""

import datetime
import itertools
import secrets
import time
import types
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import redis
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_ratelimit import ALL
from django_ratelimit import core as ratelimit_core

from assessment.models import Membership, Role, Round
from assessment.models.workshops import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from assessment.services.answering import response_submit
from assessment.services.retention import person_erase
from assessment.services.rounds import round_close
from assessment.views.room import NO_SUCH_CODE
from config.settings import base
from tests.support.answers import save_all_pages

pytestmark = pytest.mark.django_db

GUESSES = 10_000
LOCKED = "Sign-in paused"


@dataclass
class Limiter:
    """The guess counts as Redis holds them (django-ratelimit's group "guesses")."""

    redis: redis.Redis
    rate: str

    @property
    def limit(self) -> int:
        return int(self.rate.split("/")[0])

    def key(self, address: str) -> str:
        # django-ratelimit's own key for this address in the current window; the clock
        # stands still (see `limiter`), so the window is the one every request used.
        _, period = ratelimit_core._split_rate(self.rate)
        window = ratelimit_core._get_window(address, period)
        return cache.make_key(
            ratelimit_core._make_cache_key("guesses", window, self.rate, address, ALL)
        )

    def count(self, address: str) -> int | None:
        value = self.redis.get(self.key(address))
        return None if value is None else int(value)


@pytest.fixture
def limiter(settings, monkeypatch) -> Limiter:
    """GUESS_RATE at its documented default, on a clock that stands still for the limiter
    only: a minute ending in the middle of a test would start a new count and hide the
    limit. Counts left by an earlier run (Redis keeps them a minute) are removed."""
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    settings.GUESS_RATE = base.GUESS_RATE
    now = time.time()
    monkeypatch.setattr(ratelimit_core, "time", types.SimpleNamespace(time=lambda: now))
    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    for key in client.scan_iter(match=cache.make_key("rl:*"), count=1000):
        client.delete(key)
    return Limiter(client, settings.GUESS_RATE)


def addresses(first: int) -> Iterator[str]:
    """Distinct IPv4 addresses, 10.<first>.x.y."""
    for third, fourth in itertools.product(range(256), range(1, 255)):
        yield f"10.{first}.{third}.{fourth}"


def link(token: str) -> str:
    return reverse("invitation-link", kwargs={"token": token})


def random_code(excluding: str) -> str:
    code = excluding
    while code == excluding:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
    return code


def test_ten_thousand_guessed_links_and_codes_find_nothing_and_each_address_stops_at_its_limit(
    client, invitation_link, make_workshop, limiter
):
    live = make_workshop()
    _, real_link = invitation_link()
    not_found_page = client.get(link(secrets.token_urlsafe(24)), REMOTE_ADDR="10.0.0.1").content
    # A third of the guesses each: links, codes typed into /join, codes in the QR's address.
    routes = {
        "link": lambda: (link(secrets.token_urlsafe(24)), {}),
        "typed code": lambda: (reverse("join"), {"code": random_code(live.join_code)}),
        "code address": lambda: (
            reverse("join-workshop", kwargs={"code": random_code(live.join_code)}),
            {},
        ),
    }
    statuses: dict[str, list[int]] = {name: [] for name in routes}
    stopped, counted = [], []
    pool = addresses(1)
    started = time.monotonic()
    for guessed, name in enumerate(itertools.islice(itertools.cycle(routes), GUESSES)):
        if guessed % limiter.limit == 0:
            address = next(pool)
        path, query = routes[name]()
        response = client.get(path, query, REMOTE_ADDR=address)
        statuses[name].append(response.status_code)
        # Whatever came back is the "no such link" or "no such code" page.
        if name == "link":
            assert response.content == not_found_page
        else:
            assert NO_SUCH_CODE in response.content.decode()
        if guessed % limiter.limit == limiter.limit - 1:
            # The address has used up its guesses: the next one is refused unlooked.
            stopped.append(client.get(path, query, REMOTE_ADDR=address).status_code)
            counted.append(limiter.count(address))
    took = time.monotonic() - started
    print(f"\n{GUESSES} guesses and {len(stopped)} refused ones as requests in {took:.1f}s")

    per_route = GUESSES // len(routes)
    assert sorted(len(s) for s in statuses.values()) == [per_route, per_route, per_route + 1]
    assert set(statuses["link"]) == {404}
    assert set(statuses["code address"]) == {404}
    assert set(statuses["typed code"]) == {200}  # the form again, with NO_SUCH_CODE
    assert len(stopped) == GUESSES // limiter.limit
    assert set(stopped) == {429}
    assert set(counted) == {limiter.limit}
    # The same routes do open what exists, for an address that has not guessed.
    assert client.get(real_link, REMOTE_ADDR="10.0.0.2")["Location"] == reverse("respondent:start")
    assert client.get(reverse("join"), {"code": live.join_code}, REMOTE_ADDR="10.0.0.3")[
        "Location"
    ] == reverse("join-workshop", kwargs={"code": live.join_code})
    joined = client.get(
        reverse("join-workshop", kwargs={"code": live.join_code}), REMOTE_ADDR="10.0.0.4"
    )
    assert joined.status_code == 200
    assert NO_SUCH_CODE not in joined.content.decode()


def test_the_count_is_kept_in_redis_per_address_and_a_forged_forwarded_for_does_not_reset_it(
    client, django_client_factory, invitation_link, make_workshop, limiter
):
    live = make_workshop()
    _, real_link = invitation_link()
    guesser, colleague = "10.2.0.1", "10.2.0.2"
    forged = list(itertools.islice(addresses(3), limiter.limit))

    statuses = [
        client.get(
            link(secrets.token_urlsafe(24)), REMOTE_ADDR=guesser, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code
        for forwarded in forged
    ]

    assert statuses == [404] * limiter.limit
    assert limiter.count(guesser) == limiter.limit
    assert [limiter.count(address) for address in forged] == [None] * limiter.limit
    # Stopped, even with a real link or a live code, and whatever the header says.
    join = reverse("join-workshop", kwargs={"code": live.join_code})
    assert client.get(real_link, REMOTE_ADDR=guesser).status_code == 429
    assert client.get(join, REMOTE_ADDR=guesser, HTTP_X_FORWARDED_FOR=colleague).status_code == 429
    assert limiter.count(guesser) == limiter.limit  # refused requests are not looked up
    # A colleague at another address opens the same link and has guessed nothing.
    opened = django_client_factory().get(real_link, REMOTE_ADDR=colleague)
    assert opened.status_code == 302
    assert opened["Location"] == reverse("respondent:start")
    assert limiter.count(colleague) == 0


@pytest.fixture
def dead_links(
    open_round, invitation_link, pages, django_client_factory, limiter
) -> dict[str, tuple]:
    """A link of each kind that opens nothing: made up, already used, of a person erased,
    of a round past its closing time (before the schedule marks it closed), of a round
    closed."""
    used, used_link = invitation_link(0)
    save_all_pages(used, pages)
    response_submit(invitation=used, pages=pages)
    erased, erased_link = invitation_link(1)
    person_erase(person=erased.person)
    _, late_link = invitation_link(2)
    late = Round.objects.filter(pk=open_round.pk)
    late.update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    links = {
        "unknown": link(secrets.token_urlsafe(24)),
        "used": used_link,
        "erased": erased_link,
        "past its closing time": late_link,
    }
    seen = {kind: answer(django_client_factory(), path, "10.4.0.1") for kind, path in links.items()}
    late.update(closes_at=timezone.now() + datetime.timedelta(days=1))
    round_close(round_=open_round)
    seen["closed"] = answer(django_client_factory(), invitation_link(3)[1], "10.4.0.1")
    return seen


def answer(client: Client, path: str, address: str) -> tuple[int, dict, str, bytes]:
    response = client.get(path, REMOTE_ADDR=address)
    return response.status_code, dict(response.headers), response.cookies.output(), response.content


def test_used_erased_late_and_closed_links_answer_byte_for_byte_like_an_unknown_one(dead_links):
    unknown = dead_links.pop("unknown")
    assert unknown[0] == 404
    for kind, seen in dead_links.items():
        assert seen == unknown, kind


def test_a_used_or_expired_link_uses_up_a_guess_like_an_unknown_one(
    open_round, invitation_link, pages, limiter
):
    """Otherwise the guesser's next answer (404 or 429) would tell a used or expired link
    from one that never existed."""

    def next_answer_after(candidate: str, address: str) -> list[int]:
        browser = Client(REMOTE_ADDR=address)
        for _ in range(limiter.limit - 1):
            browser.get(link(secrets.token_urlsafe(24)))
        return [browser.get(candidate).status_code, browser.get(real_link).status_code]

    used, used_link = invitation_link(0)
    save_all_pages(used, pages)
    response_submit(invitation=used, pages=pages)
    _, real_link = invitation_link(1)
    answers = {
        "unknown": next_answer_after(link(secrets.token_urlsafe(24)), "10.5.0.1"),
        "used": next_answer_after(used_link, "10.5.0.2"),
    }
    Round.objects.filter(pk=open_round.pk).update(closes_at=timezone.now())
    _, late_link = invitation_link(2)
    answers["past its closing time"] = next_answer_after(late_link, "10.5.0.3")

    assert answers == {kind: [404, 429] for kind in answers}
    assert [limiter.count(f"10.5.0.{n}") for n in (1, 2, 3)] == [limiter.limit] * 3


# --- Staff sign-in -------------------------------------------------------------------------


@pytest.fixture
def executive(organisation) -> tuple[str, str]:
    user = get_user_model().objects.create_user(username="exec@acme.test", password="right-horse-9")
    Membership.objects.create(user=user, organisation=organisation, role=Role.EXECUTIVE)
    return user.username, "right-horse-9"


def sign_in(browser: Client, username: str, password: str, address: str, **headers):
    return browser.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def lock(browser: Client, username: str, address: str, **headers) -> None:
    """Wrong passwords up to the limit: the last of them is already answered by the lock."""
    statuses = [
        sign_in(browser, username, "wrong", address, **headers).status_code
        for _ in range(base.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (base.AXES_FAILURE_LIMIT - 1) + [429]


def failures_made(ago: datetime.timedelta) -> None:
    """Move the recorded failures back in time, as if `ago` had passed since."""
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.update(attempt_time=timezone.now() - ago) >= 1


def test_a_locked_sign_in_says_for_how_long_and_opens_again_once_the_cool_off_has_passed(
    django_client_factory, executive, settings
):
    username, password = executive
    minutes = base.env.int("AXES_COOLOFF_MINUTES", default=15)
    cool_off = datetime.timedelta(minutes=minutes)
    assert cool_off == settings.AXES_COOLOFF_TIME
    browser = django_client_factory()
    lock(browser, username, "10.6.0.1")

    locked = sign_in(browser, username, password, "10.6.0.1")
    assert locked.status_code == 429
    assert f"{LOCKED} for {minutes} minutes" in locked.content.decode()

    failures_made(ago=cool_off - datetime.timedelta(minutes=1))
    still = sign_in(browser, username, password, "10.6.0.1")
    assert still.status_code == 429
    assert LOCKED in still.content.decode()

    failures_made(ago=cool_off + datetime.timedelta(seconds=1))
    signed_in = sign_in(browser, username, password, "10.6.0.1")
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("dashboard")
    assert browser.get(reverse("dashboard")).status_code == 200


def test_nobody_can_lock_an_executive_out_from_another_address_even_forging_theirs(
    django_client_factory, executive
):
    username, password = executive
    attacker, office = "10.7.0.1", "10.7.0.2"
    guessing = django_client_factory()
    # The forged headers name the executive's address; the lockout keys on the connection's.
    lock(guessing, username, attacker, HTTP_X_FORWARDED_FOR=office, HTTP_X_REAL_IP=office)
    assert LOCKED in sign_in(guessing, username, password, attacker).content.decode()

    at_the_office = django_client_factory()
    signed_in = sign_in(at_the_office, username, password, office)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("dashboard")
    # Signing in at the office clears nothing for the guesser.
    assert sign_in(django_client_factory(), username, password, attacker).status_code == 429


def test_behind_a_proxy_the_lockout_keys_on_the_address_the_proxy_names(
    django_client_factory, executive, settings
):
    """With RATELIMIT_IP_META_KEY set, every request arrives from the proxy's address:
    the lockout must count per client, as the guessing limit does, or one guesser would
    lock everyone out."""
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    username, password = executive
    proxy, attacker, office = "10.7.0.9", "10.7.1.1", "10.7.1.2"
    lock(django_client_factory(), username, proxy, HTTP_X_REAL_IP=attacker)
    assert (
        LOCKED
        in sign_in(
            django_client_factory(), username, password, proxy, HTTP_X_REAL_IP=attacker
        ).content.decode()
    )

    signed_in = sign_in(django_client_factory(), username, password, proxy, HTTP_X_REAL_IP=office)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("dashboard")
