"""A workshop tied to a round counts in the round's report only when its facilitator
chooses so; otherwise its answers are kept apart."""

import pytest

from assessment.models import Department, Instrument, Level, Question
from assessment.selectors.workshops import workshop_questions
from assessment.services.rounds import round_close
from assessment.services.workshops import (
    participant_join,
    workshop_answer_save,
    workshop_count_in_round_set,
    workshop_create,
    workshop_pace,
)
from tests.conftest import snapshot_of
from tests.support.factories import DepartmentFactory
from tests.support.report_data import Respondent, make_round, sales_huddle, write_responses

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop_in_round(open_round):
    """Six front-line people of Sales answer conversation-01 and -03 in a workshop."""
    organisation = open_round.organisation
    conversation = Instrument.objects.get(key="conversation", organisation=None)
    sales = Department.objects.get(organisation=organisation, name="Sales")
    front = Level.objects.get(organisation=organisation, kind="front_line")
    workshop = workshop_create(
        organisation=organisation,
        name="Sales huddle",
        instrument=conversation,
        head_count=6,
        questions=Question.objects.filter(code__in=["conversation-01", "conversation-03"]),
        round_=open_round,
        department=sales,
    )
    workshop = workshop_pace(workshop=workshop, all_open=True)
    who_takes_part, honesty = workshop_questions(workshop)
    for index in range(6):
        participant = participant_join(workshop=workshop, level=front, department=sales)
        workshop_answer_save(
            participant=participant, workshop_question=who_takes_part, value=[1, 4]
        )
        workshop_answer_save(
            participant=participant,
            workshop_question=honesty,
            value=5,
            comment=f"We speak up {index}",
        )
    round_close(round_=open_round)
    return workshop


def test_workshop_answers_stay_apart_unless_the_facilitator_counts_them(
    workshop_in_round, open_round, report_of
):
    apart = report_of(open_round)
    assert apart["responses"] == 0
    assert apart["organisation"] == {"suppressed": True}

    # Counted in, six participants who joined with a code are still nobody verified: they
    # never make a group large enough to be shown.
    workshop_count_in_round_set(workshop=workshop_in_round, count=True)
    counted = report_of(open_round)
    assert counted["organisation"] == {"suppressed": True}
    assert all(view == {"suppressed": True} for view in counted["departments"].values())
    assert snapshot_of(open_round)["provisional"] is False


def test_counted_workshop_answers_add_to_a_group_shown_on_its_own_responses(
    organisation, instruments, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    front = Level.objects.get(organisation=organisation, kind="front_line")
    round_ = make_round(organisation, instruments, closed=False)
    write_responses(
        round_,
        [Respondent(department=sales, level=front, answers={"conversation-03": 2})] * 6,
    )
    workshop = sales_huddle(round_, sales, head_count=6, count_in_round=True)
    (honesty,) = workshop_questions(workshop)
    for _ in range(6):
        participant = participant_join(workshop=workshop, level=front, department=sales)
        workshop_answer_save(participant=participant, workshop_question=honesty, value=5)

    organisation_view = report_of(round_)["organisation"]
    assert (organisation_view["responded"], organisation_view["invited"]) == (12, 6)
    honesty_seen = organisation_view["questions"]["conversation-03"]
    distribution = honesty_seen["distribution"]
    assert (honesty_seen["n"], distribution["2"], distribution["5"]) == (12, 6, 6)
