"""Every route that takes an object id, from the URL resolver, against every role and every
kind of object: their own organisation's, another department's (what a department lead
may not read) and another organisation's. A refusal that depends on whose object it is
is a 404, exactly like an id that does not exist, so that it tells nobody what exists;
only the role's own refusals (sign in, 403, 405) are the same for every id. A route with
ids that is missing from the table fails the test."""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from assessment.models import (
    Commitment,
    Department,
    Instrument,
    Level,
    LevelKind,
    Membership,
    Organisation,
    Person,
    Role,
    Round,
    Workshop,
)
from assessment.services.commitments import commitment_create
from assessment.services.rounds import round_create, round_launch
from assessment.services.workshops import workshop_create
from tests.security.test_routes import fingerprint
from tests.support.factories import DepartmentFactory, PersonFactory, open_window
from tests.support.report_pages import build_report
from tests.views import test_access
from tests.views.test_access import ACTIONS, LOGIN, PAGES

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "respondent", "admin", "facilitator", "executive", "lead", "other_admin"]

# route → what each of its ids names. Query parameters that name an object count too.
ID_ROUTES = {
    "rounds:detail": {"pk": "round"},
    "rounds:edit": {"pk": "round"},
    "rounds:launch": {"pk": "round"},
    "rounds:close": {"pk": "round"},
    "rounds:extend": {"pk": "round"},
    "rounds:reopen": {"pk": "round"},
    "rounds:remind": {"pk": "round"},
    "rounds:participation": {"pk": "round"},
    "rounds:participation-table": {"pk": "round"},
    "workshops:detail": {"pk": "workshop"},
    "workshops:present": {"pk": "workshop"},
    "workshops:live": {"pk": "workshop"},
    "workshops:head-count": {"pk": "workshop"},
    "workshops:go": {"pk": "workshop"},
    "workshops:pace": {"pk": "workshop"},
    "workshops:close": {"pk": "workshop"},
    "workshops:wall-hide": {"pk": "workshop"},
    "workshops:count-in-round": {"pk": "workshop"},
    "workshops:commitment-add": {"pk": "workshop"},
    "workshops:summary": {"pk": "workshop"},
    "workshops:summary-pdf": {"pk": "workshop"},
    "reports:overview": {"pk": "round"},
    "reports:department": {"pk": "round", "department": "department"},
    "reports:question": {"pk": "round", "code": "code"},
    "reports:comments": {"pk": "round", "?department": "department"},
    "reports:words": {"pk": "round", "?department": "department"},
    "reports:build": {"pk": "round"},
    "reports:progress": {"pk": "round"},
    "reports:pdf": {"pk": "round"},
    "reports:xlsx": {"pk": "round"},
    "reports:json": {"pk": "round"},
    "reports:commitment-new": {"pk": "round"},
    "reports:download": {"pk": "round", "export_format": "format"},
    "reports:download-start": {"pk": "round", "export_format": "format"},
    "reports:download-progress": {"pk": "round", "export_format": "format"},
    "commitments:status": {"pk": "commitment"},
    "roster:erase": {"pk": "person"},
    "organisation:level-edit": {"pk": "level"},
    "organisation:department-edit": {"pk": "department"},
    # An organisation's own instrument is named by its key within the organisation, its
    # questions by code and its pages by position: the same names in every organisation.
    "instruments:builtin": {"key": "key"},
    "instruments:builtin-preview": {"key": "key"},
    "instruments:edit": {"key": "key"},
    "instruments:preview": {"key": "key"},
    "instruments:export": {"key": "key"},
    "instruments:details": {"key": "key"},
    "instruments:question-add": {"key": "key"},
    "instruments:page": {"key": "key", "position": "position"},
    "instruments:question": {"key": "key", "code": "code"},
    "instruments:move": {"key": "key", "code": "code"},
    "instruments:remove": {"key": "key", "code": "code"},
}
# Arguments that are names within an organisation rather than ids of rows.
NAMES = ("code", "key", "position", "format")
# Routes whose argument is not an object of an organisation but a key its holder was
# given, or a place within what the session already holds; tests/security/test_routes.py
# opens each with a made-up value.
BEARER = {
    "invitation-link": "the personal link is the key: whoever holds it may answer",
    "join-workshop": "the code on the room's screen is the key: whoever reads it may join",
    "password_reset_confirm": "the e-mailed reset link is the key",
    "respondent:page": "a page of the round the session's invitation belongs to",
    "room:question": "a question of the workshop the session's participant joined",
}
MISSING = 2_000_000_000
MISSING_CODE = "no-such-code"
# Sent with every POST, so that the actions that read a field get a valid one.
POST_DATA = {"closes_at": "2099-01-01T10:00", "status": "kept", "to": "next", "confirmed": "1"}


@dataclass
class Objects:
    """One organisation's objects: `department` is in its report, and so is `sibling`,
    which a department lead of `department` may not read."""

    round: Round
    department: Department
    sibling: Department
    workshop: Workshop
    commitment: Commitment
    person: Person
    level: Level
    code: str = "checklist-01"
    key: str = "checklist"
    position: int = 1
    format: str = "xlsx"


def routes_with_ids() -> dict[str, set[str]]:
    """route name → the names of its path's arguments."""

    def walk(patterns, namespace=None) -> Iterator[tuple[str, set[str]]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace != "admin":
                    yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and pattern.pattern.converters:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, set(pattern.pattern.converters)

    return dict(walk(get_resolver().url_patterns))


def furnish(organisation: Organisation, instruments: list[Instrument]) -> Objects:
    """Another organisation with one of everything, its report built."""
    levels = [
        Level.objects.create(organisation=organisation, name=name, kind=kind, position=position)
        for position, (name, kind) in enumerate(
            [("Manager", LevelKind.MANAGER), ("Front line", LevelKind.FRONT_LINE)]
        )
    ]
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    PersonFactory.create_batch(3, organisation=organisation, department=sales, level=levels[1])
    PersonFactory(organisation=organisation, department=support, level=levels[0])
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name="Their round",
        purpose="Theirs",
        instruments=instruments,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    round_ = round_launch(round_=round_, send=False)
    build_report(round_)
    test_access.the_instrument(organisation)
    workshop = workshop_create(
        organisation=organisation,
        name="Their offsite",
        instrument=Instrument.objects.get(key="conversation", organisation=None),
        head_count=20,
        round_=round_,
    )
    commitment = commitment_create(
        organisation=organisation,
        workshop=workshop,
        what="Call customers",
        who="CEO",
        due_on=closes_at.date(),
    )
    return Objects(
        round=round_,
        department=sales,
        sibling=support,
        workshop=workshop,
        commitment=commitment,
        person=organisation.people.first(),
        level=levels[0],
    )


@pytest.fixture
def worlds(staff, open_round, instruments) -> dict[str, Objects]:
    """'ours' (the organisation of every role but other_admin) and 'theirs'."""
    round_ = test_access.the_report(open_round)
    test_access.the_instrument(open_round.organisation)
    lead = Membership.objects.get(organisation=open_round.organisation, role=Role.DEPARTMENT_LEAD)
    ours = Objects(
        round=round_,
        department=lead.department,
        sibling=Department.objects.get(organisation=open_round.organisation, name="Sales"),
        workshop=test_access.the_workshop(round_),
        commitment=test_access.the_commitment(round_),
        person=open_round.organisation.people.first(),
        level=Level.objects.filter(organisation=open_round.organisation).first(),
    )
    theirs = furnish(Organisation.objects.get(slug="other"), instruments)
    return {"ours": ours, "theirs": theirs}


@pytest.fixture
def everyone(staff, invitation_link) -> dict[str, Client]:
    _, link = invitation_link()
    respondent = Client()
    assert respondent.get(link).status_code == 302
    return {**staff, "respondent": respondent}


def own_status(name: str, role: str) -> int | str:
    """What `role` gets on the route with its own organisation's objects."""
    if role == "respondent":
        return LOGIN  # a respondent's session signs nobody in
    table = PAGES.get(name) or ACTIONS[name]
    # test_access's last column is another organisation's admin on *our* objects; on
    # their own, an admin is an admin.
    return table[test_access.ROLES.index("admin" if role == "other_admin" else role)]


def refused(own: int | str) -> int | str:
    """A role let in on its own objects gets 404 on anyone else's; a role kept out is kept
    out the same way whatever the id."""
    return own if own == LOGIN or own in (403, 405) else 404


def targets(name: str) -> Iterator[tuple[str, dict[str, str]]]:
    """(what is changed from the role's own objects, {argument: 'theirs' | …})."""
    yield "own", {}
    for argument, kind in ID_ROUTES[name].items():
        if kind not in NAMES:  # built-in questions have the same codes everywhere
            yield f"{argument} of another organisation", {argument: "theirs"}
        yield f"{argument} that does not exist", {argument: "missing"}
        if kind == "department":
            yield f"{argument}: another department", {argument: "sibling"}


def expected(name: str, role: str, change: dict[str, str]) -> int | str:
    own = own_status(name, role)
    if not change or ("sibling" in change.values() and role != "lead"):
        return own
    return refused(own)


def url(name: str, mine: Objects, theirs: Objects, change: dict[str, str]) -> str:
    kwargs, query = {}, ""
    for argument, kind in ID_ROUTES[name].items():
        which = change.get(argument, "own")
        if which == "missing":
            value = MISSING_CODE if kind in ("code", "key", "format") else MISSING
        else:
            source = theirs if which == "theirs" else mine
            thing = getattr(source, "sibling" if which == "sibling" else kind)
            value = thing if kind in NAMES else thing.pk
        if argument.startswith("?"):
            query = f"?{argument[1:]}={value}"
        else:
            kwargs[argument] = value
    return reverse(name, kwargs=kwargs) + query


def send(client: Client, method: str, path: str):
    # A GET's data would replace the query string that names an object.
    return client.post(path, POST_DATA) if method == "post" else client.get(path)


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


def test_every_route_with_ids_is_in_the_table():
    found = routes_with_ids()
    assert set(found) == set(ID_ROUTES) | set(BEARER)
    for name, arguments in ID_ROUTES.items():
        assert {a for a in arguments if not a.startswith("?")} == found[name], name


def test_each_role_reaches_exactly_its_own_objects_and_anyone_elses_are_a_404(everyone, worlds):
    wrong = []
    before = fingerprint()
    # Refusals first, all of them: together they must change nothing.
    for name in ID_ROUTES:
        methods = ("post",) if name in ACTIONS else ("get", "post")
        for role in ROLES:
            mine, theirs = (
                (worlds["theirs"], worlds["ours"])
                if role == "other_admin"
                else (worlds["ours"], worlds["theirs"])
            )
            for target, change in targets(name):
                if not change:
                    continue
                for method in methods:
                    response = send(everyone[role], method, url(name, mine, theirs, change))
                    if (got := outcome(response)) != (want := expected(name, role, change)):
                        wrong.append((name, role, method, target, got, want))
    assert wrong == [], "\n".join(map(str, wrong))
    assert fingerprint() == before
    # Then each role on its own objects, each request undone before the next one.
    for name in ID_ROUTES:
        method = "post" if name in ACTIONS else "get"
        for role in ROLES:
            mine, theirs = (
                (worlds["theirs"], worlds["ours"])
                if role == "other_admin"
                else (worlds["ours"], worlds["theirs"])
            )
            with transaction.atomic():
                response = send(everyone[role], method, url(name, mine, theirs, {}))
                transaction.set_rollback(True)
            if (got := outcome(response)) != (want := own_status(name, role)):
                wrong.append((name, role, method, "own", got, want))
    assert wrong == [], "\n".join(map(str, wrong))


def test_a_respondent_with_a_valid_csrf_token_is_refused_every_staff_action_and_nothing_changes(
    staff, open_round, invitation_link
):
    _, link = invitation_link()
    respondent = Client(enforce_csrf_checks=True)
    respondent.get(link)
    page = reverse("respondent:page", kwargs={"number": 1})
    assert respondent.get(page).status_code == 200
    token = respondent.cookies["csrftoken"].value
    staff_routes = sorted(set(PAGES) | set(ACTIONS))
    urls = {name: test_access.url_for(name, open_round) for name in staff_routes}
    before = fingerprint()
    let_in = {}
    for name, path in urls.items():
        response = respondent.post(path, {**POST_DATA, "csrfmiddlewaretoken": token})
        if (got := outcome(response)) != LOGIN:
            let_in[name] = got
    assert let_in == {}
    assert fingerprint() == before
    # The token was good: the respondent's own page takes it and keeps the page.
    saved = respondent.post(page, {"action": "later", "csrfmiddlewaretoken": token})
    assert (saved.status_code, saved["Location"]) == (302, page)
    assert fingerprint() != before
