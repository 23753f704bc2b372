"""While a round is open, its published report changes only in steps of at least the
threshold of new responses, so that comparing two looks never singles anyone out."""

import pytest
from django.core.exceptions import ValidationError

from assessment.models import (
    Department,
    Instrument,
    Level,
    LevelKind,
    Question,
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
    workshop_create,
    workshop_pace,
)
from tests.conftest import snapshot_of
from tests.factories import DepartmentFactory
from tests.report_data import Respondent, make_round, two_departments_answering, write_responses

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
        round_close(round=round_)

    snapshot = ReportSnapshot.objects.get(round=round_)
    assert snapshot.data["provisional"] is False
    assert snapshot.response_count == 7


def test_a_group_with_fewer_than_the_threshold_of_its_own_new_people_keeps_its_last_look(
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
    look = snapshot_of(round_)
    departments = look["departments"]
    assert (departments["Sales"]["responded"], departments["Purchasing"]["responded"]) == (6, 15)
    assert departments["Purchasing"]["questions"]["checklist-01"]["n"] == 15
    assert look["organisation"]["responded"] == look["responses"] == 21

    # Closed, the round's final report counts everyone.
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round=round_)
    final = snapshot_of(round_)
    assert final["provisional"] is False
    assert final["departments"]["Sales"]["responded"] == 7
    assert final["responses"] == 22


def test_people_answering_in_a_workshop_counted_in_the_round_move_their_group_by_the_same_steps(
    organisation, instruments, build
):
    round_, answer = two_departments_answering(organisation, instruments, ("Sales", "Purchasing"))
    sales = Department.objects.get(organisation=organisation, name="Sales")
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    workshop = workshop_pace(
        workshop=workshop_create(
            organisation=organisation,
            name="Sales huddle",
            instrument=Instrument.objects.get(key="conversation", organisation=None),
            head_count=20,
            questions=Question.objects.filter(code="conversation-03"),
            round=round_,
            department=sales,
        ),
        all_open=True,
    )
    workshop_count_in_round_set(workshop=workshop, count=True)
    (honesty,) = workshop_questions(workshop)

    def take_part(n: int) -> None:
        for _ in range(n):
            participant = participant_join(workshop=workshop, level=front, department=sales)
            workshop_answer_save(participant=participant, workshop_question=honesty, value=4)

    answer(6, 6)
    build(round_)
    take_part(2)
    with pytest.raises(ValidationError) as refused:
        build(round_)
    assert refused.value.messages == [REPORT_UP_TO_DATE.format(counted=12, threshold=5, new=2)]

    # Five people of Sales have now answered in the workshop: the report moves on by them.
    take_part(3)
    build(round_)
    look = snapshot_of(round_)
    assert look["departments"]["Sales"]["responded"] == 11
    assert look["departments"]["Sales"]["questions"]["conversation-03"]["n"] == 5
    assert look["responses"] == 17

    # Five more responses in Purchasing are five new people, as many as it takes.
    answer(0, 5)
    build(round_)
    assert snapshot_of(round_)["departments"]["Purchasing"]["responded"] == 11
