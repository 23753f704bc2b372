"""Each role reaches exactly the staff pages it should: every cell of role × page."""

import pytest
from django.urls import reverse

from assessment.models import (
    Commitment,
    Department,
    Instrument,
    Invitation,
    Level,
    Membership,
    ReportSnapshot,
    Role,
    Round,
    Workshop,
)
from assessment.services.commitments import commitment_create
from assessment.services.instruments import instrument_copy
from assessment.services.reports import report_build_merge, report_build_start, report_part_compute
from assessment.services.rounds import round_tree_freeze
from assessment.services.workshops import workshop_create

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "admin", "facilitator", "executive", "lead", "other_admin"]
LOGIN = "login"  # redirected to the sign-in page


def _same(statuses: list, routes: str) -> dict[str, list]:
    """Several routes (separated by spaces) that give each role the same status, each
    route with its own copy of the list."""
    return {route: list(statuses) for route in routes.split()}


# page → the status each role gets, in the order of ROLES.
PAGES = {
    "dashboard": [LOGIN, 200, 200, 200, 200, 200],
    **_same([LOGIN, 200, 200, 403, 403, 200], "rounds:list rounds:create"),
    **_same(
        [LOGIN, 200, 200, 403, 403, 404],
        "rounds:detail rounds:edit rounds:participation rounds:participation-table",
    ),
    **_same([LOGIN, 200, 200, 403, 403, 200], "roster:list roster:upload"),
    "roster:erase": [LOGIN, 200, 403, 403, 403, 404],
    **_same([LOGIN, 200, 403, 403, 403, 200], "organisation:settings organisation:level-add"),
    "organisation:level-edit": [LOGIN, 200, 403, 403, 403, 404],
    "organisation:department-add": [LOGIN, 200, 403, 403, 403, 200],
    "organisation:department-edit": [LOGIN, 200, 403, 403, 403, 404],
    "organisation:staff-add": [LOGIN, 200, 403, 403, 403, 200],
    **_same([LOGIN, 200, 200, 403, 403, 200], "workshops:list workshops:create"),
    **_same(
        [LOGIN, 200, 200, 403, 403, 404],
        "workshops:detail workshops:present workshops:live workshops:summary workshops:summary-pdf",
    ),
    # Instruments: those who run rounds; another organisation's admin has no copy of ours.
    **_same(
        [LOGIN, 200, 200, 403, 403, 200],
        "instruments:list instruments:builtin instruments:builtin-preview",
    ),
    **_same(
        [LOGIN, 200, 200, 403, 403, 404],
        "instruments:edit instruments:preview instruments:export instruments:details"
        " instruments:page instruments:question-add instruments:question",
    ),
    # Every reader of the report follows commitments up; a lead only their department's.
    "commitments:list": [LOGIN, 200, 200, 200, 200, 200],
    "reports:commitment-new": [LOGIN, 200, 200, 200, 200, 404],
    # Every staff role reads the report; a lead's overview is their own department's page.
    "reports:list": [LOGIN, 200, 200, 200, 200, 200],
    "reports:overview": [LOGIN, 200, 200, 200, 302, 404],
    **_same(
        [LOGIN, 200, 200, 200, 200, 404],
        "reports:department reports:question reports:comments reports:words reports:progress"
        " reports:download reports:download-progress",
    ),
    # A file not prepared yet: the page that prepares it (tests/views/test_report_downloads.py
    # serves each once ready).
    **_same([LOGIN, 302, 302, 302, 302, 404], "reports:pdf reports:xlsx reports:json"),
}
# state-changing routes (POST) → the status each role gets; 302 = done, back to the round
ACTIONS = {
    **_same(
        [LOGIN, 302, 302, 403, 403, 404],
        "rounds:launch rounds:close rounds:extend rounds:reopen rounds:remind",
    ),
    "roster:confirm": [LOGIN, 302, 302, 403, 403, 302],
    # Input it refuses (here, no head count) comes back on the control room's form.
    "workshops:head-count": [LOGIN, 200, 200, 403, 403, 404],
    **_same(
        [LOGIN, 302, 302, 403, 403, 404],
        "workshops:go workshops:pace workshops:close workshops:wall-hide"
        " workshops:count-in-round workshops:commitment-add",
    ),
    **_same([LOGIN, 302, 302, 403, 403, 404], "instruments:move instruments:remove"),
    # Without a file the import goes back to the list, saying what is missing.
    "instruments:import": [LOGIN, 302, 302, 403, 403, 302],
    # The commitment belongs to no department: a lead may not follow it up.
    "commitments:status": [LOGIN, 302, 302, 302, 404, 404],
    # Executives may rebuild the report they read; a lead reads only a part of it.
    "reports:build": [LOGIN, 302, 302, 302, 403, 404],
    # Every reader prepares the downloads of what they read.
    "reports:download-start": [LOGIN, 302, 302, 302, 302, 404],
}


def the_workshop(open_round: Round) -> Workshop:
    return Workshop.objects.filter(organisation=open_round.organisation).first() or workshop_create(
        organisation=open_round.organisation,
        name="Offsite",
        instrument=Instrument.objects.get(key="conversation", organisation=None),
        head_count=20,
        round_=open_round,
    )


def the_commitment(open_round: Round) -> Commitment:
    return Commitment.objects.filter(
        organisation=open_round.organisation
    ).first() or commitment_create(
        organisation=open_round.organisation,
        workshop=the_workshop(open_round),
        what="Invite customers",
        who="COO",
        due_on=open_round.closes_at.date(),
    )


def the_report(open_round: Round) -> Round:
    """The round with a published report, built in this test's transaction. Someone of the
    lead's department is invited too, so that the department is part of the report."""
    if not ReportSnapshot.objects.filter(round=open_round).exists():
        lead = Membership.objects.get(
            organisation=open_round.organisation, role=Role.DEPARTMENT_LEAD
        )
        invited = open_round.invitations.first()
        Invitation.objects.create(
            round=open_round, department=lead.department, level_id=invited.level_id
        )
        round_tree_freeze(round_=open_round)  # as if invited at launch
        build = report_build_start(round_=open_round)
        for part in build.parts.all():
            report_part_compute(part_id=part.pk)
        report_build_merge(build_id=build.pk)
    return open_round


def the_instrument(organisation) -> Instrument:
    """The organisation's own copy of the checklist."""
    return Instrument.objects.filter(
        organisation=organisation, key="checklist"
    ).first() or instrument_copy(
        organisation=organisation,
        source=Instrument.objects.get(organisation=None, key="checklist"),
    )


def _instrument_url(name: str, open_round: Round) -> str:
    if name in ("instruments:list", "instruments:import"):
        return reverse(name)
    if name.startswith("instruments:builtin"):
        return reverse(name, kwargs={"key": "checklist"})
    kwargs = {"key": the_instrument(open_round.organisation).key}
    if name in ("instruments:question", "instruments:move", "instruments:remove"):
        kwargs["code"] = "checklist-01"
    if name == "instruments:page":
        kwargs["position"] = 1
    return reverse(name, kwargs=kwargs)


def report_url(name: str, open_round: Round) -> str:
    round_ = the_report(open_round)
    if name == "reports:department":
        # The lead's own department: every reader of the whole report may open it too.
        lead = Membership.objects.get(
            organisation=open_round.organisation, role=Role.DEPARTMENT_LEAD
        )
        return reverse(name, kwargs={"pk": round_.pk, "department": lead.department_id})
    if name.startswith("reports:download"):
        return reverse(name, kwargs={"pk": round_.pk, "export_format": "xlsx"})
    if name == "reports:question":
        return reverse(name, kwargs={"pk": round_.pk, "code": "checklist-01"})
    return reverse(name, kwargs={"pk": round_.pk})


def url_for(name: str, open_round: Round) -> str:
    if name.startswith("instruments:"):
        return _instrument_url(name, open_round)
    return _url(name, open_round)


def _url(name: str, open_round: Round) -> str:
    if name.startswith("reports:") and name != "reports:list":
        return report_url(name, open_round)
    if name.startswith("workshops:") and name not in ("workshops:list", "workshops:create"):
        return reverse(name, kwargs={"pk": the_workshop(open_round).pk})
    if name == "commitments:status":
        return reverse(name, kwargs={"pk": the_commitment(open_round).pk})
    if name.startswith("rounds:") and name not in ("rounds:list", "rounds:create"):
        return reverse(name, kwargs={"pk": open_round.pk})
    if name == "roster:erase":
        return reverse(name, kwargs={"pk": open_round.organisation.people.first().pk})
    if name == "organisation:level-edit":
        return reverse(
            name,
            kwargs={"pk": Level.objects.filter(organisation=open_round.organisation).first().pk},
        )
    if name == "organisation:department-edit":
        department = Department.objects.filter(organisation=open_round.organisation).first()
        return reverse(name, kwargs={"pk": department.pk})
    return reverse(name)


def check(response, expected) -> None:
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name", list(PAGES))
def test_each_role_reaches_exactly_its_pages(staff, open_round, name, role_index, role):
    response = staff[role].get(url_for(name, open_round))
    check(response, PAGES[name][role_index])


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_role_may_change_a_round_only_if_it_runs_rounds(
    staff, open_round, name, role_index, role
):
    response = staff[role].post(
        url_for(name, open_round),
        {"closes_at": "2099-01-01T10:00", "status": "kept", "confirmed": "1"},
    )
    check(response, ACTIONS[name][role_index])


def test_every_staff_route_is_in_the_table():
    from assessment import urls

    names = set()
    for pattern in urls.urlpatterns:
        for sub in getattr(pattern, "url_patterns", []):
            namespace = pattern.namespace
            if (
                namespace
                in (
                    "rounds",
                    "roster",
                    "organisation",
                    "workshops",
                    "commitments",
                    "reports",
                    "instruments",
                )
                and sub.name
            ):
                names.add(f"{namespace}:{sub.name}")
    assert names == (set(PAGES) | set(ACTIONS)) - {"dashboard"}
