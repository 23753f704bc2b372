"""Guessing links and passwords: rate limits and lockouts."""

import secrets
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessment import guessing
from config.settings.base import with_redis_timeouts

pytestmark = pytest.mark.django_db


@pytest.fixture
def hung_cache(settings, hung_port, monkeypatch) -> None:
    """The cache is a Redis that accepts connections and never answers, and this process
    has not yet found out."""
    settings.CACHES = {
        "default": with_redis_timeouts(
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{hung_port}/0",
            }
        )
    }
    monkeypatch.setattr(guessing, "_cache_down_until", 0.0)


def random_link() -> str:
    return reverse("invitation-link", kwargs={"token": secrets.token_urlsafe(24)})


def test_an_address_that_guesses_too_many_links_is_slowed_down_but_others_are_not(
    client, django_client_factory, invitation_link, settings
):
    settings.GUESS_RATE = "10/m"
    statuses = [client.get(random_link(), REMOTE_ADDR="203.0.113.7").status_code for _ in range(12)]
    assert statuses[:10] == [404] * 10
    assert statuses[10:] == [429, 429]

    _, link = invitation_link()
    # The guesser is stopped even with a real link; a colleague elsewhere is not.
    assert client.get(link, REMOTE_ADDR="203.0.113.7").status_code == 429
    other = django_client_factory()
    assert other.get(link, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_staff_sign_in_locks_after_five_failures_for_that_address_only(django_client_factory):
    get_user_model().objects.create_user(username="exec@example.com", password="right-horse-9")
    attacker, executive = django_client_factory(), django_client_factory()
    for _ in range(5):
        attacker.post(
            reverse("login"),
            {"username": "exec@example.com", "password": "wrong"},
            REMOTE_ADDR="203.0.113.9",
        )
    locked = attacker.post(
        reverse("login"),
        {"username": "exec@example.com", "password": "right-horse-9"},
        REMOTE_ADDR="203.0.113.9",
    )
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()

    signed_in = executive.post(
        reverse("login"),
        {"username": "exec@example.com", "password": "right-horse-9"},
        REMOTE_ADDR="198.51.100.2",
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("dashboard")


def test_ten_thousand_random_tokens_and_join_codes_find_nothing(open_round, make_workshop):
    from assessment.models import Invitation, Workshop
    from assessment.models.rounds import hash_token
    from assessment.models.workshops import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH

    live = make_workshop()
    tokens = [secrets.token_urlsafe(24) for _ in range(10_000)]
    codes = {
        "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        for _ in range(10_000)
    } - {live.join_code}
    # Looked up the way the pages do (a token by its hash, a code among live workshops),
    # ten thousand at a time.
    assert Invitation.objects.filter(round=open_round).exclude(token_hash=None).count() == 10
    assert not Invitation.objects.filter(token_hash__in=map(hash_token, tokens)).exists()
    assert not Workshop.objects.filter(join_code__in=codes, status="live").exists()


def test_an_address_that_guesses_too_many_join_codes_is_slowed_down(
    client, settings, make_workshop
):
    settings.GUESS_RATE = "5/m"
    live = make_workshop()
    statuses = [
        client.get(
            reverse("join-workshop", kwargs={"code": f"ZZZZZ{i}"}), REMOTE_ADDR="203.0.113.8"
        ).status_code
        for i in range(2, 8)
    ]
    assert statuses == [404] * 5 + [429]
    assert (
        client.get(
            reverse("join-workshop", kwargs={"code": live.join_code}), REMOTE_ADDR="203.0.113.8"
        ).status_code
        == 429
    )
    assert (
        client.get(
            reverse("join-workshop", kwargs={"code": live.join_code}), REMOTE_ADDR="198.51.100.3"
        ).status_code
        == 200
    )


@pytest.mark.faults
def test_a_cache_that_does_not_answer_delays_one_link_by_its_timeout_and_locks_nobody_out(
    client, django_client_factory, invitation_link, settings, hung_cache, caplog
):
    _, first_link = invitation_link(0)
    _, second_link = invitation_link(1)

    started = time.monotonic()
    first = client.get(first_link, REMOTE_ADDR="198.51.100.4")
    first_took = time.monotonic() - started
    started = time.monotonic()
    second = django_client_factory().get(second_link, REMOTE_ADDR="198.51.100.5")
    wrong = django_client_factory().get(random_link(), REMOTE_ADDR="198.51.100.6")
    then_took = time.monotonic() - started

    assert (first.status_code, second.status_code, wrong.status_code) == (302, 302, 404)
    # One timeout (REDIS_TIMEOUT), then the cache is left alone for a while.
    assert settings.REDIS_TIMEOUT <= first_took < settings.REDIS_TIMEOUT + 1.5
    assert then_took < 0.5
    warnings = [r.getMessage() for r in caplog.records if r.name == "assessment.guessing"]
    assert len(warnings) == 1
    assert warnings[0].startswith("Wrong links and codes are not counted for 30 s")


@pytest.mark.faults
def test_once_the_retry_is_due_one_link_waits_on_a_still_hung_cache_and_the_others_do_not(
    settings, hung_cache, caplog, monkeypatch, rf
):
    # The cache failed a while ago, and the time to ask it again has just come.
    monkeypatch.setattr(guessing, "_cache_down_until", time.monotonic() - 0.001)
    started = threading.Barrier(8)

    def open_link(number: int) -> tuple[bool, float]:
        request = rf.get(random_link(), REMOTE_ADDR=f"198.51.100.{number}")
        started.wait()
        began = time.monotonic()
        limited = guessing.guessing_limited(request, failed=True)
        return limited, time.monotonic() - began

    with ThreadPoolExecutor(max_workers=8) as pool:
        opened = list(pool.map(open_link, range(8)))

    assert [limited for limited, _ in opened] == [False] * 8
    waited = sorted(took for _, took in opened)
    assert waited[-1] >= settings.REDIS_TIMEOUT
    assert waited[-2] < 0.5
    warnings = [r.getMessage() for r in caplog.records if r.name == "assessment.guessing"]
    assert len(warnings) == 1


@pytest.mark.faults
def test_links_opened_while_one_waits_on_a_cache_that_just_hung_do_not_wait_on_it_too(
    settings, hung_cache, caplog, rf
):

    def open_link(number: int) -> float:
        request = rf.get(random_link(), REMOTE_ADDR=f"198.51.100.{number}")
        began = time.monotonic()
        assert guessing.guessing_limited(request, failed=True) is False
        return time.monotonic() - began

    with ThreadPoolExecutor(max_workers=6) as pool:
        first = pool.submit(open_link, 0)
        time.sleep(0.4)  # the first link has now waited longer than Redis ever takes
        others = list(pool.map(open_link, range(1, 6)))

    assert first.result() >= settings.REDIS_TIMEOUT
    assert max(others) < 0.5
    warnings = [r.getMessage() for r in caplog.records if r.name == "assessment.guessing"]
    assert len(warnings) == 1
