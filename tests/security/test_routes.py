"""Every route of the site, from the URL resolver: who may open it (a route missing from
the tables fails the test), CSRF on every state change, and that opening pages changes
nothing. Staff pages' role × page table is in tests/views/test_access.py."""

import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.views.test_access import ACTIONS, PAGES, check, url_for

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "respondent", "admin", "facilitator", "executive", "lead", "other_admin"]
STAFF = ["admin", "facilitator", "executive", "lead", "other_admin"]

# route → the status each role gets, in the order of ROLES.
EVERYONE = {
    "home": [200] * 7,
    # Signed-in staff are sent on to their dashboard.
    "login": [200, 200, 302, 302, 302, 302, 302],
    "logout": [405] * 7,  # signing out is a POST
    "password_reset": [200] * 7,
    "password_reset_done": [200] * 7,
    "password_reset_confirm": [200] * 7,  # says the link is invalid or expired
    "password_reset_complete": [200] * 7,
    "join": [200] * 7,
    "join-workshop": [200] * 7,
    "invitation-link": [404] * 7,  # an unknown link
    # The respondent's pages exist only for the browser that opened its invitation.
    "respondent:start": [404, 200, 404, 404, 404, 404, 404],
    "respondent:welcome": [404, 200, 404, 404, 404, 404, 404],
    "respondent:page": [404, 200, 404, 404, 404, 404, 404],
    "respondent:review": [404, 200, 404, 404, 404, 404, 404],
    "respondent:thanks": [404, 302, 404, 404, 404, 404, 404],  # not submitted: back to start
    # A workshop's room sends anyone who has not joined to /join.
    "room:now": [302] * 7,
    "room:question": [302] * 7,
    "room:state": [200] * 7,  # tells htmx to go to /join
}
KWARGS = {
    "password_reset_confirm": {"uidb64": "MQ", "token": "abc-def"},
    "invitation-link": {"token": "A" * 32},
    "respondent:page": {"number": 1},
    "room:question": {"position": 1},
}


def all_route_names() -> set[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


@pytest.fixture
def everyone(staff, invitation_link) -> dict[str, Client]:
    _, link = invitation_link()
    respondent = Client()
    respondent.get(link)
    return {**staff, "respondent": respondent}


def route_url(name: str, open_round, make_workshop) -> str:
    if name == "join-workshop":
        return reverse(name, kwargs={"code": make_workshop().join_code})
    if name in EVERYONE:
        return reverse(name, kwargs=KWARGS.get(name, {}))
    return url_for(name, open_round)


def test_every_route_of_the_site_is_in_a_table():
    assert all_route_names() == set(EVERYONE) | set(PAGES) | set(ACTIONS)


@pytest.mark.parametrize("name", list(EVERYONE))
def test_each_role_reaches_exactly_the_public_respondent_and_room_pages(
    everyone, open_round, make_workshop, name
):
    url = route_url(name, open_round, make_workshop)
    got = [everyone[role].get(url).status_code for role in ROLES]
    assert got == EVERYONE[name]


def test_a_respondent_is_a_stranger_to_every_staff_page(everyone, open_round):
    for name in PAGES:
        check(everyone["respondent"].get(url_for(name, open_round)), "login")


def csrf_less(client: Client) -> Client:
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    return strict


def test_every_route_refuses_a_post_without_its_csrf_token(everyone, open_round, make_workshop):
    admin, respondent = csrf_less(everyone["admin"]), csrf_less(everyone["respondent"])
    for name in sorted(all_route_names()):
        url = route_url(name, open_round, make_workshop)
        for client in (admin, respondent):
            response = client.post(url, {"closes_at": "2099-01-01T10:00", "action": "next"})
            assert response.status_code == 403, name
            assert "This form has expired" in response.content.decode(), name


def fingerprint() -> str:
    """Every row of every table but the sessions' (opening a page may refresh a session)."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table == "django_session":
                continue
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 - introspected
            digest.update(repr((table, cursor.fetchall())).encode())
    return digest.hexdigest()


def test_opening_every_page_as_every_role_changes_nothing(everyone, open_round, make_workshop):
    urls = [route_url(name, open_round, make_workshop) for name in sorted(PAGES)]
    urls += [route_url(name, open_round, make_workshop) for name in sorted(EVERYONE)]
    before = fingerprint()
    for role in ROLES:
        for url in urls:
            everyone[role].get(url)
    assert fingerprint() == before
