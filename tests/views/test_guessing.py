"""Guessing links and passwords: rate limits and lockouts."""

import secrets

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


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
