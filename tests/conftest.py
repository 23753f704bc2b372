"""Shared fixtures. The suite runs against PostgreSQL and Redis (see scripts/test); the
`celery_worker` fixture starts a real worker process, and `browser` drives Debian's
Chromium through Playwright."""

import os
from urllib.parse import urlsplit

import pytest
from django.apps import apps as django_apps

from assessment.builtin_instruments import load_builtin_instruments
from assessment.models import Instrument, Invitation, Level, LevelKind, Organisation, Round
from assessment.selectors.answering import round_pages
from assessment.services.invitations import invitation_url
from assessment.services.rounds import round_create, round_launch
from tests.support.factories import (
    DepartmentFactory,
    OrganisationFactory,
    PersonFactory,
    open_window,
)

# Playwright's sync API runs an event loop in the test's thread; the ORM calls that tests
# make beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "tests.fixtures.worker",
    "tests.fixtures.browser",
    "tests.fixtures.web",
    "tests.fixtures.reports",
    "tests.fixtures.faults",
    "tests.fixtures.leak_trap",
    "tests.fixtures.admin",
]


@pytest.fixture
def instruments(db) -> list[Instrument]:
    """The five built-in instruments. A data migration loads them, but transactional tests
    empty every table after each test, so the fixture loads them again when missing."""
    load_builtin_instruments(django_apps)
    return list(Instrument.objects.filter(organisation=None).order_by("pk"))


@pytest.fixture
def organisation(db) -> Organisation:
    organisation = OrganisationFactory(name="Acme Outfitters", slug="acme")
    for position, (name, kind) in enumerate(
        [
            ("Executive", LevelKind.EXECUTIVE),
            ("Manager", LevelKind.MANAGER),
            ("Front line", LevelKind.FRONT_LINE),
        ]
    ):
        Level.objects.create(organisation=organisation, name=name, kind=kind, position=position)
    return organisation


def level(organisation: Organisation, kind: str) -> Level:
    return Level.objects.get(organisation=organisation, kind=kind)


@pytest.fixture
def open_round(organisation, instruments) -> Round:
    """A launched, open round with all five instruments and eight invited people in
    Sales (front line) and two in Support (managers)."""
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    PersonFactory.create_batch(
        8,
        organisation=organisation,
        department=sales,
        level=level(organisation, LevelKind.FRONT_LINE),
    )
    PersonFactory.create_batch(
        2, organisation=organisation, department=support, level=level(organisation, "manager")
    )
    opens_at, closes_at = open_window()
    round_ = round_create(
        organisation=organisation,
        name="Spring round",
        purpose="How do we talk about customers?",
        instruments=instruments,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    return round_launch(round_=round_, send=False)


@pytest.fixture
def invitation_link(open_round):
    """(invitation, path of its personal link) for the first person invited."""

    def make(index: int = 0) -> tuple[Invitation, str]:
        invitation = Invitation.objects.filter(round=open_round).order_by("pk")[index]
        return invitation, urlsplit(invitation_url(invitation)).path

    return make


@pytest.fixture
def pages(open_round):
    return round_pages(open_round)


@pytest.fixture
def django_client_factory():
    """Another browser: a fresh test client with its own session."""
    from django.test import Client

    return Client


@pytest.fixture
def staff(organisation):
    """Signed-in clients, one per role, of `organisation` (and an admin of another one)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from assessment.models import Membership, Role

    lead_department = DepartmentFactory(organisation=organisation, name="Lead's department")
    other = OrganisationFactory(name="Other Ltd", slug="other")
    accounts = {
        "admin": (organisation, Role.ADMIN, None),
        "facilitator": (organisation, Role.FACILITATOR, None),
        "executive": (organisation, Role.EXECUTIVE, None),
        "lead": (organisation, Role.DEPARTMENT_LEAD, lead_department),
        "other_admin": (other, Role.ADMIN, None),
    }
    clients = {"anonymous": Client()}
    for username, (org, role, department) in accounts.items():
        user = get_user_model().objects.create_user(username=username, password="pw")
        Membership.objects.create(user=user, organisation=org, role=role, department=department)
        client = Client()
        client.force_login(user)
        clients[username] = client
    return clients


@pytest.fixture
def make_workshop(organisation, instruments):
    """A live workshop of `organisation` on the conversation questionnaire (or the given
    question codes of one instrument), with Sales and Support departments to choose from."""
    from assessment.models import Department, Question
    from assessment.services.workshops import workshop_create

    def make(codes: list[str] | None = None, instrument_key: str = "conversation", **kwargs):
        for name in ("Sales", "Support"):
            if not Department.objects.filter(organisation=organisation, name=name).exists():
                DepartmentFactory(organisation=organisation, name=name)
        instrument = Instrument.objects.get(key=instrument_key, organisation=None)
        questions = (
            list(Question.objects.filter(instrument=instrument, code__in=codes)) if codes else None
        )
        kwargs.setdefault("threshold", 3)
        kwargs.setdefault("comment_threshold", 3)
        kwargs.setdefault("head_count", 30)  # a room large enough for any test's joins
        return workshop_create(
            organisation=organisation,
            name=kwargs.pop("name", "Leadership offsite"),
            instrument=instrument,
            questions=questions,
            **kwargs,
        )

    return make


def snapshot_of(round_) -> dict:
    from assessment.models import ReportSnapshot

    return ReportSnapshot.objects.get(round=round_).data


@pytest.fixture
def build(django_capture_on_commit_callbacks):
    """Build a round's report in-process, as a laptop without a broker does."""
    from assessment.services.reports import report_build_start

    def run(round_):
        with django_capture_on_commit_callbacks(execute=True):
            started = report_build_start(round_=round_)
        started.refresh_from_db()
        return started

    return run


@pytest.fixture
def report_of(build):
    """Build a round's report in-process and return its JSON."""
    from assessment.models import ReportBuildStatus

    def run(round_) -> dict:
        assert build(round_).status == ReportBuildStatus.DONE
        return snapshot_of(round_)

    return run
