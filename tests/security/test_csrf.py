"""CSRF beyond tests/security/test_routes.py: htmx's requests, a token another browser was
given, a POST from another site and the workshop room's phones are refused on every
route; the right token is taken, so the refusals are CSRF's. And opening every route,
with or without htmx, as anyone (a phone in the room too) changes nothing."""

import re
from copy import deepcopy
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from assessment.models import LevelKind, Workshop, WorkshopAnswer, WorkshopParticipant
from tests.conftest import level
from tests.security.test_routes import all_route_names, fingerprint, route_url
from tests.views.test_access import ACTIONS

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HTMX = {"HX-Request": "true"}
EXPIRED = "This form has expired"
POST_DATA = {"closes_at": "2099-01-01T10:00", "status": "kept", "to": "next", "action": "next"}
# Every route a page asks htmx to fetch (found in the templates), and how.
HTMX_ROUTES = {
    "room:state": "get",
    "rounds:participation-table": "get",
    "reports:progress": "get",
    "reports:download-progress": "get",
    "workshops:live": "get",
}
HTMX_ATTRIBUTE = re.compile(r"""hx-(get|post|put|patch|delete)="\{% url '([^']+)'""")


def csrf_refused(response) -> bool:
    return response.status_code == 403 and EXPIRED.encode() in response.content


def strict() -> Client:
    return Client(enforce_csrf_checks=True)


def token_of(client: Client) -> str:
    return client.cookies["csrftoken"].value


def join_path(workshop: Workshop) -> str:
    return reverse("join-workshop", kwargs={"code": workshop.join_code})


def join_data(workshop: Workshop) -> dict:
    organisation = workshop.organisation
    return {
        "level": level(organisation, LevelKind.FRONT_LINE).pk,
        "department": organisation.departments.order_by("path").first().pk,
    }


def joined_phone(workshop: Workshop) -> Client:
    """A participant's phone, joined the way a phone joins: the page, then its form."""
    phone = strict()
    phone.get(join_path(workshop))
    joined = phone.post(
        join_path(workshop), {**join_data(workshop), "csrfmiddlewaretoken": token_of(phone)}
    )
    assert joined["Location"] == reverse("room:now")
    return phone


@pytest.fixture
def browsers(staff, invitation_link, make_workshop) -> dict[str, Client]:
    """Strict browsers (CSRF enforced), each holding a CSRF cookie of its own: an admin, a
    respondent in the middle of their round, a phone in a workshop, and a passer-by."""
    workshop = make_workshop()
    admin = strict()
    admin.cookies = deepcopy(staff["admin"].cookies)
    admin.get(reverse("dashboard"))
    _, link = invitation_link()
    respondent = strict()
    respondent.get(link)
    respondent.get(reverse("respondent:page", kwargs={"number": 1}))
    passer_by = strict()
    passer_by.get(reverse("login"))
    return {
        "admin": admin,
        "respondent": respondent,
        "participant": joined_phone(workshop),
        "passer_by": passer_by,
    }


@pytest.fixture
def routes(open_round, make_workshop) -> dict[str, str]:
    return {name: route_url(name, open_round, make_workshop) for name in sorted(all_route_names())}


def test_the_htmx_inventory_lists_every_route_the_templates_fetch_with_htmx():
    found = {
        name: method
        for template in TEMPLATES.rglob("*.html")
        for method, name in HTMX_ATTRIBUTE.findall(template.read_text())
    }
    assert found == HTMX_ROUTES


def test_htmx_posts_without_a_token_or_with_another_browsers_are_refused_on_every_route(
    browsers, routes
):
    stolen = token_of(browsers["passer_by"])
    before = fingerprint()
    let_through = []
    for name, path in routes.items():
        for who in ("admin", "respondent", "participant"):
            client = browsers[who]
            attempts = {
                "htmx, no token": client.post(path, POST_DATA, headers=HTMX),
                "htmx, another browser's token in its header": client.post(
                    path, POST_DATA, headers={**HTMX, "X-CSRFToken": stolen}
                ),
                "another browser's token in the form": client.post(
                    path, {**POST_DATA, "csrfmiddlewaretoken": stolen}
                ),
            }
            for attempt, response in attempts.items():
                if not csrf_refused(response):
                    let_through.append((name, who, attempt, response.status_code))
    assert let_through == []
    assert fingerprint() == before


def test_a_post_from_another_site_is_refused_even_with_the_browsers_own_token(browsers, routes):
    before = fingerprint()
    let_through = []
    for name, path in routes.items():
        for who in ("admin", "respondent", "participant"):
            client = browsers[who]
            response = client.post(
                path,
                {**POST_DATA, "csrfmiddlewaretoken": token_of(client)},
                headers={**HTMX, "Origin": "https://attacker.example"},
            )
            if not csrf_refused(response):
                let_through.append((name, who, response.status_code))
    assert let_through == []
    assert fingerprint() == before


def test_the_browsers_own_token_in_htmxs_header_is_taken_on_every_route(browsers, routes):
    """The other side of the refusals above: the same requests with the right token get
    past CSRF, so that a refusal there cannot be a refusal for some other reason."""
    refused = []
    for name, path in routes.items():
        for who in ("admin", "respondent", "participant"):
            client = browsers[who]
            # Each request is undone, signing out and submitting included.
            cookies = deepcopy(client.cookies)
            with transaction.atomic():
                response = client.post(
                    path, POST_DATA, headers={**HTMX, "X-CSRFToken": token_of(client)}
                )
                transaction.set_rollback(True)
            client.cookies = cookies
            if EXPIRED.encode() in response.content:
                refused.append((name, who, response.status_code))
    assert refused == []


def test_the_rooms_posts_need_the_phones_own_token(make_workshop):
    workshop = make_workshop()
    phone = joined_phone(workshop)
    other_phone = strict()
    other_phone.get(join_path(workshop))
    question = reverse("room:question", kwargs={"position": 1})
    answer = {"answer": "1"}

    for headers, data in [
        ({}, answer),
        (HTMX, answer),
        ({**HTMX, "X-CSRFToken": token_of(other_phone)}, answer),
        ({}, {**answer, "csrfmiddlewaretoken": token_of(other_phone)}),
    ]:
        assert csrf_refused(phone.post(question, data, headers=headers))
    assert not WorkshopAnswer.objects.exists()

    stranger = strict()
    stranger.get(join_path(workshop))
    for data in (join_data(workshop), {**join_data(workshop), "csrfmiddlewaretoken": "x" * 32}):
        assert csrf_refused(stranger.post(join_path(workshop), data))
    assert WorkshopParticipant.objects.count() == 1  # the phone that joined with its token

    taken = phone.post(question, {**answer, "csrfmiddlewaretoken": token_of(phone)})
    assert taken["Location"] == reverse("room:now")
    assert WorkshopAnswer.objects.count() == 1


def test_opening_every_route_with_or_without_htmx_as_anyone_changes_nothing(
    staff, browsers, routes
):
    """tests/security/test_routes.py opens the pages as each role; here also the POST-only
    routes, every route from a phone in the room, and what htmx polls, as htmx does."""
    visitors = {
        **staff,
        "respondent": browsers["respondent"],
        "participant": browsers["participant"],
    }
    before = fingerprint()
    opened = []
    for name, path in routes.items():
        for who, client in visitors.items():
            if who == "participant" or name in ACTIONS:
                opened.append(client.get(path).status_code)
            if name in HTMX_ROUTES:
                opened.append(client.get(path, headers=HTMX).status_code)
    assert 200 in opened and 405 in opened  # pages and POST-only routes were both reached
    assert fingerprint() == before
