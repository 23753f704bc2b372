"""Over time: while a round is open, people answer one at a time through their links, the
periodic refresh runs on a real Celery worker after every answer and an executive presses
"Rebuild the report" after every answer too; every version at the published report either
stays exactly as it was or has moved on by at least the threshold of new responses, and
so has every group it shows, so comparing two versions never isolates one person."""

import html
import json
from itertools import pairwise
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import (
    Department,
    Instrument,
    Invitation,
    Organisation,
    ReportBuild,
    ReportBuildStatus,
    ReportSnapshot,
    Round,
)
from assessment.models.reports import ACTIVE_BUILD_STATUSES
from assessment.reporting.assembly import is_suppressed
from assessment.selectors.answering import round_pages
from assessment.services.invitations import invitation_url
from assessment.services.reports import REPORT_UP_TO_DATE
from assessment.services.rounds import round_launch
from assessment.tasks.reports import reports_refresh_task
from assessment.views.staff.reports import BUILD_STARTED, FIRST_BUILD_STARTED
from tests.fixtures.worker import wait_for
from tests.support.answers import valid_post
from tests.support.factories import round_for_people

pytestmark = pytest.mark.worker

THRESHOLD = 3
WAIT = 60


def launched_round(
    organisation: Organisation, instruments: list[Instrument], invited: dict[str, int]
) -> Round:
    """An open round of the checklist alone (short to answer), launched to `invited`
    front-line people per department name."""
    round_ = round_for_people(
        organisation,
        [i for i in instruments if i.key == "checklist"],
        invited,
        threshold=THRESHOLD,
        name="Spring round",
        purpose="Where does customer-centricity live here?",
        departments=Department.objects.filter(organisation=organisation, name__in=invited),
    )
    return round_launch(round_=round_, send=False)


def in_order(round_: Round, departments: str) -> list[Invitation]:
    """The round's invitations in the order their people answer: one letter per answer,
    the first letter of the department's name."""
    waiting = {
        name[0]: list(Invitation.objects.filter(round=round_, department__name=name).order_by("pk"))
        for name in Department.objects.filter(organisation=round_.organisation).values_list(
            "name", flat=True
        )
    }
    return [waiting[letter].pop(0) for letter in departments]


def answer(invitation: Invitation) -> None:
    """One person, through their link, every page and the review."""
    client = Client()
    assert client.get(urlsplit(invitation_url(invitation)).path).status_code == 302
    for number, section in enumerate(round_pages(invitation.round), start=1):
        page = reverse("respondent:page", kwargs={"number": number})
        assert client.post(page, valid_post(section)).status_code == 302
    submitted = client.post(reverse("respondent:review"), follow=True)
    assert "Thank you" in submitted.content.decode()


def builds_settled(round_: Round) -> None:
    wait_for(
        lambda: (
            not ReportBuild.objects.filter(round=round_, status__in=ACTIVE_BUILD_STATUSES).exists()
        ),
        timeout=WAIT,
        what="the report build",
    )
    failed = ReportBuild.objects.filter(round=round_, status=ReportBuildStatus.FAILED)
    assert not failed.exists(), [b.error for b in failed]


def refresh_on_the_worker(round_: Round) -> None:
    # Celery beat sends this every few minutes; here it is sent after every answer.
    reports_refresh_task.apply_async(ignore_result=False).get(timeout=WAIT)
    builds_settled(round_)


def published(round_: Round) -> tuple[int, bytes] | None:
    """The version anyone reading the report has now: its responses and its exact data."""
    snapshot = ReportSnapshot.objects.filter(round=round_).first()
    if snapshot is None:
        return None
    return snapshot.response_count, json.dumps(snapshot.data, sort_keys=True).encode()


def shown_groups(data: dict) -> dict[str, int]:
    """Responses of every group the version shows: the organisation, each department and
    each of their levels."""
    wholes = {"organisation": data["organisation"], **data["departments"]}
    shown = {}
    for name, view in wholes.items():
        if is_suppressed(view):
            continue
        shown[name] = view["responded"]
        for level, level_view in view["levels"].items():
            if not is_suppressed(level_view):
                shown[f"{name} × {level}"] = level_view["responded"]
    return shown


def shown_numbers(data: dict) -> dict[str, int]:
    """Responses of every group the version shows, and the answers to each item it shows."""
    wholes = {"organisation": data["organisation"], **data["departments"]}
    views = {name: view for name, view in wholes.items() if not is_suppressed(view)}
    for name, view in list(views.items()):
        for level, level_view in view["levels"].items():
            if not is_suppressed(level_view):
                views[f"{name} × {level}"] = level_view
    numbers = {name: view["responded"] for name, view in views.items()}
    for name, view in views.items():
        for code, item in view["questions"].items():
            if not is_suppressed(item):
                numbers[f"{name}: {code}"] = item["n"]
    return numbers


def test_an_open_rounds_report_moves_only_in_steps_of_the_threshold_of_new_responses(
    celery_worker, organisation, instruments, staff
):
    round_ = launched_round(organisation, instruments, {"Sales": 6, "Purchasing": 5})
    rebuild = reverse("reports:build", kwargs={"pk": round_.pk})
    versions: list[tuple[int, bytes] | None] = []
    pages: list[str] = []

    for invitation in in_order(round_, "SSPSPPSSPSP"):
        answer(invitation)
        refresh_on_the_worker(round_)
        pages.append(html.unescape(staff["executive"].post(rebuild, follow=True).content.decode()))
        builds_settled(round_)
        versions.append(published(round_))

    counts = [None if version is None else version[0] for version in versions]
    # The executive's first press publishes a first report from one response, in which
    # everything is hidden. The refresh builds it again each time three more are in, but
    # after the fourth answer Sales has two new and Purchasing one: the version stays as it
    # was until both have three new (the seventh); after the tenth, two and one again.
    assert counts == [1, 1, 1, 1, 1, 1, 7, 7, 7, 7, 7]
    first = json.loads(versions[0][1])
    assert first["provisional"] is True
    assert shown_groups(first) == {}
    for before, after in pairwise(versions):
        assert after == before or after[0] - before[0] >= THRESHOLD
    last = {group: n for group, n in shown_groups(json.loads(versions[-1][1])).items() if n}
    assert last == {
        "organisation": 7,
        "organisation × Front line": 7,
        "Sales": 4,
        "Sales × Front line": 4,
        "Purchasing": 3,
        "Purchasing × Front line": 3,
    }
    # Every later press was refused, and said why: the report was last built from 1, 4,
    # 7 and 10 responses.
    started = [BUILD_STARTED in page or FIRST_BUILD_STARTED in page for page in pages]
    assert started == [True] + [False] * 10
    assert FIRST_BUILD_STARTED in pages[0]
    built = [1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10]
    for answered, (counted, page) in enumerate(zip(built[1:], pages[1:], strict=True), start=2):
        refused = REPORT_UP_TO_DATE.format(
            counted=counted, threshold=THRESHOLD, new=answered - counted
        )
        assert refused in page
    assert ReportBuild.objects.filter(round=round_).count() == 4
    assert "reports_refresh_task" in celery_worker.log()


def test_no_group_shown_in_two_looks_differs_between_them_by_fewer_than_the_threshold(
    celery_worker, organisation, instruments
):
    round_ = launched_round(organisation, instruments, {"Sales": 6, "Purchasing": 6})
    versions: list[dict] = []

    # Three of Sales, then three of Purchasing; then one of Sales and two of Purchasing:
    # the report is built again from three new responses, yet only one of them in Sales,
    # so it stays as it was; two more of Sales and one of Purchasing make three new in each.
    for invitation in in_order(round_, "SSSPPPSPPSSP"):
        answer(invitation)
        refresh_on_the_worker(round_)
        version = published(round_)
        if version is not None and (not versions or versions[-1]["responses"] != version[0]):
            versions.append(json.loads(version[1]))

    assert [version["responses"] for version in versions] == [3, 6, 12]
    assert ReportBuild.objects.filter(round=round_).count() == 4
    assert shown_numbers(versions[-1])["Sales"] == 6
    assert shown_numbers(versions[-1])["Sales: checklist-01"] == 6
    for before, after in pairwise(versions):
        then, now = shown_numbers(before), shown_numbers(after)
        small_steps = {
            group: now[group] - then[group]
            for group in then.keys() & now.keys()
            if 0 < now[group] - then[group] < THRESHOLD
        }
        assert small_steps == {}
