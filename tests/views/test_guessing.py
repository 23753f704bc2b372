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
