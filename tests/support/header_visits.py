"""The visits of tests/security/test_headers.py's production probe: every visitor signed
in, every route of the resolver as each of them, htmx fragments, error pages and a few
state changes, as steps the probe replays under production settings."""

import secrets

from django.urls import reverse

from assessment.models import Department, LevelKind
from tests.conftest import level
from tests.security.test_routes import all_route_names, route_url

VISITORS = [
    "anonymous",
    "respondent",
    "participant",
    "admin",
    "facilitator",
    "executive",
    "lead",
    "other_admin",
]
PASSWORD = secrets.token_urlsafe(16)


def visits(open_round, workshop, make_workshop, respondent_link: str) -> list[dict]:
    """Sign everyone in, then open every route of the resolver as every visitor, with the
    objects of this organisation, and provoke each error page and a few state changes."""
    organisation = open_round.organisation
    sales = Department.objects.get(organisation=organisation, name="Sales")
    join = reverse("join-workshop", kwargs={"code": workshop.join_code})
    steps = sign_ins(organisation, sales, join, respondent_link)
    for name in sorted(all_route_names()):
        url = join if name == "join-workshop" else route_url(name, open_round, make_workshop)
        steps += [{"as": who, "label": f"{name} as {who}", "path": url} for who in VISITORS]
    steps += fragments_and_pages(open_round.pk, workshop, sales)
    steps += errors_and_changes(open_round.pk, workshop)
    # Wrong links until the guessing limit answers 429 (GUESS_RATE: 30 a minute).
    steps += [
        {"as": "anonymous", "label": "guessing", "path": f"/r/{'B' * 31}{i % 10}/"}
        for i in range(31)
    ]
    steps.append({"as": "admin", "label": "sign out", "path": reverse("logout"), "post": {}})
    return steps


def sign_ins(organisation, sales: Department, join: str, respondent_link: str) -> list[dict]:
    """Every visitor signed in: staff, a respondent through their link, a participant
    through the workshop's join page."""
    return [
        {"as": "admin", "password": PASSWORD},
        {"as": "admin", "label": "login page", "path": reverse("login")},
        {
            "as": "admin",
            "label": "staff login",
            "path": reverse("login"),
            "post": {"username": "admin", "password": PASSWORD},
        },
        *({"as": role, "sign_in": role} for role in VISITORS[4:]),
        {"as": "respondent", "label": "link exchange", "path": respondent_link},
        {"as": "participant", "label": "join page", "path": join},
        {
            "as": "participant",
            "label": "join",
            "path": join,
            "post": {
                "level": level(organisation, LevelKind.FRONT_LINE).pk,
                "department": sales.pk,
            },
        },
    ]


def fragments_and_pages(pk: int, workshop, sales: Department) -> list[dict]:
    """htmx fragments, a static file, an unknown page, another department's report."""
    return [
        {"as": "admin", "label": "htmx progress", "htmx": True, "path": f"/reports/{pk}/progress/"},
        {
            "as": "admin",
            "label": "htmx participation",
            "htmx": True,
            "path": reverse("rounds:participation-table", kwargs={"pk": pk}),
        },
        {
            "as": "admin",
            "label": "htmx live screen",
            "htmx": True,
            "path": reverse("workshops:live", kwargs={"pk": workshop.pk}),
        },
        {"as": "participant", "label": "htmx room", "htmx": True, "path": reverse("room:state")},
        {"as": "anonymous", "label": "stylesheet", "static": "css/centricity.css"},
        {"as": "anonymous", "label": "unknown page", "path": "/no-such-page/"},
        {
            "as": "lead",
            "label": "another department",
            "path": reverse("reports:department", kwargs={"pk": pk, "department": sales.pk}),
        },
    ]


def errors_and_changes(pk: int, workshop) -> list[dict]:
    """A server error, a POST without its CSRF token, a wrong password, and state
    changes by a respondent, a participant and an admin."""
    return [
        {
            "as": "anonymous",
            "label": "server error",
            "path": "/",
            "break": "assessment.views.home.render",
        },
        {
            "as": "strict",
            "label": "no CSRF token",
            "path": reverse("login"),
            "post": {"username": "admin", "password": PASSWORD},
        },
        {
            "as": "anonymous",
            "label": "wrong password",
            "path": reverse("login"),
            "post": {"username": "admin", "password": "wrong"},
        },
        {
            "as": "respondent",
            "label": "answer a page",
            "path": reverse("respondent:page", kwargs={"number": 1}),
            "post": {"action": "later"},
        },
        {
            "as": "participant",
            "label": "answer in the room",
            "path": reverse("room:question", kwargs={"position": 1}),
            "post": {"answer": "1"},
        },
        {
            "as": "admin",
            "label": "next question",
            "path": reverse("workshops:go", kwargs={"pk": workshop.pk}),
            "post": {"to": "next"},
        },
        {
            "as": "admin",
            "label": "extend the round",
            "path": reverse("rounds:extend", kwargs={"pk": pk}),
            "post": {"closes_at": "2099-01-01T10:00"},
        },
    ]
