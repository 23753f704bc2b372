"""While a round is open, its published report changes only in steps of at least the
threshold of new responses, so that comparing two versions never singles anyone out."""

import pytest
from django.core.exceptions import ValidationError

from assessment.models import (
    Department,
    Level,
    LevelKind,
    ReportBuild,
    ReportBuildStatus,
    ReportSnapshot,
)
from assessment.selectors.workshops import workshop_questions
from assessment.services.reports import REPORT_UP_TO_DATE, reports_refresh_due
from assessment.services.rounds import round_close
from assessment.services.workshops import (
    participant_join,
    workshop_answer_save,
    workshop_count_in_round_set,
)
from tests.conftest import snapshot_of
from tests.support.factories import DepartmentFactory
from tests.support.report_data import (
    Respondent,
    make_round,
    sales_huddle,
    two_departments_answering,
    write_responses,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def front(organisation) -> Level:
    return Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)


def answers(department, level, n: int) -> list[Respondent]:
    return [Respondent(department=department, level=level, answers={"checklist-01": 1})] * n


def test_a_provisional_report_is_rebuilt_only_after_a_threshold_of_new_responses(
    organisation, instruments, front, build
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments, closed=False)
    write_responses(round_, answers(sales, front, 6))
    build(round_)
    assert snapshot_of(round_)["responses"] == 6

    write_responses(round_, answers(sales, front, 4))
    with pytest.raises(ValidationError) as refused:
        build(round_)
    assert refused.value.messages == [REPORT_UP_TO_DATE.format(counted=6, threshold=5, new=4)]
    assert snapshot_of(round_)["responses"] == 6
    assert reports_refresh_due() == []

    write_responses(round_, answers(sales, front, 1))
    assert snapshot_of(round_)["responses"] == 6
    build(round_)
    assert snapshot_of(round_)["responses"] == 11


def test_the_periodic_refresh_rebuilds_open_rounds_that_have_enough_new_answers(
    organisation, instruments, front, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    waiting = make_round(organisation, instruments, closed=False, name="Waiting")
    ready = make_round(organisation, instruments, closed=False, name="Ready")
    write_responses(waiting, answers(sales, front, 4))
    write_responses(ready, answers(sales, front, 5))

    with django_capture_on_commit_callbacks(execute=True):
        started = reports_refresh_due()

    assert [b.round for b in started] == [ready]
    assert ReportSnapshot.objects.get(round=ready).response_count == 5
    assert not ReportBuild.objects.filter(round=waiting).exists()


def test_closing_a_round_builds_its_final_report(
    organisation, instruments, front, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments, closed=False)
    write_responses(round_, answers(sales, front, 7))

    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=round_)

    snapshot = ReportSnapshot.objects.get(round=round_)
    assert snapshot.data["provisional"] is False
    assert snapshot.response_count == 7


def test_a_group_with_fewer_than_the_threshold_of_its_own_new_people_keeps_its_last_version(
    organisation, instruments, build, django_capture_on_commit_callbacks
):
    round_, answer = two_departments_answering(organisation, instruments, ("Sales", "Purchasing"))
    answer(6, 6)
    build(round_)

    # Five new responses, yet only one in Sales and four in Purchasing: built again, the
    # report stays exactly as it was, down to when it was built.
    answer(1, 4)
    first = snapshot_of(round_)
    assert build(round_).status == ReportBuildStatus.DONE
    assert snapshot_of(round_) == first
    with pytest.raises(ValidationError):
        build(round_)

    # Five more in Purchasing: it moves on by all nine of its new people; Sales waits.
    answer(0, 5)
    build(round_)
    version = snapshot_of(round_)
    departments = version["departments"]
    assert (departments["Sales"]["responded"], departments["Purchasing"]["responded"]) == (6, 15)
    assert departments["Purchasing"]["questions"]["checklist-01"]["n"] == 15
    assert version["organisation"]["responded"] == version["responses"] == 21

    # Closed, the round's final report moves in the same steps: Sales's one late answer
    # is held back, and the report says so.
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=round_)
    final = snapshot_of(round_)
    assert final["provisional"] is False
    assert final["departments"]["Sales"]["responded"] == 6
    assert (final["responses"], final["held_back"]) == (21, 1)


def test_workshop_answers_never_move_a_group_and_ride_along_once_it_moves_on_its_own(
    organisation, instruments, build
):
    round_, answer = two_departments_answering(organisation, instruments, ("Sales", "Purchasing"))
    sales = Department.objects.get(organisation=organisation, name="Sales")
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    workshop = sales_huddle(round_, sales, head_count=20)
    workshop_count_in_round_set(workshop=workshop, count=True)
    (honesty,) = workshop_questions(workshop)

    def take_part(n: int) -> None:
        for _ in range(n):
            participant = participant_join(workshop=workshop, level=front, department=sales)
            workshop_answer_save(participant=participant, workshop_question=honesty, value=4)

    answer(6, 6)
    build(round_)
    # Workshop participants are not verified: however many answer, the report is not due.
    take_part(5)
    with pytest.raises(ValidationError) as refused:
        build(round_)
    assert refused.value.messages == [REPORT_UP_TO_DATE.format(counted=12, threshold=5, new=0)]
    assert snapshot_of(round_)["departments"]["Sales"]["responded"] == 6

    # Five more responses in Sales move it on, and the workshop's five ride along: Sales
    # holds eleven verified people, five of whom answered conversation-03, enough to be
    # shown on their own.
    write_responses(
        round_,
        [
            Respondent(
                department=sales,
                level=front,
                answers={"checklist-01": 1, "conversation-03": 2},
            )
        ]
        * 5,
    )
    build(round_)
    version = snapshot_of(round_)
    assert version["departments"]["Sales"]["responded"] == 16
    honesty_seen = version["departments"]["Sales"]["questions"]["conversation-03"]
    assert (honesty_seen["n"], honesty_seen["distribution"]["2"]) == (10, 5)
    assert version["departments"]["Purchasing"]["responded"] == 6
    assert version["responses"] == 22

    # More workshop answers alone change nothing the report shows.
    take_part(5)
    answer(0, 5)
    build(round_)
    version = snapshot_of(round_)
    assert version["departments"]["Sales"]["responded"] == 16
    assert version["departments"]["Purchasing"]["responded"] == 11
