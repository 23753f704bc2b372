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
        round=open_round,
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
    round_close(round=open_round)
    return workshop


def test_workshop_answers_stay_apart_unless_the_facilitator_counts_them(
    workshop_in_round, open_round, report_of
):
    apart = report_of(open_round)
    assert apart["responses"] == 0
    assert apart["organisation"] == {"suppressed": True}

    workshop_count_in_round_set(workshop=workshop_in_round, count=True)
    counted = report_of(open_round)

    organisation = counted["organisation"]
    assert counted["responses"] == 6
    assert organisation["responded"] == 6
    assert organisation["invited"] == 10  # a workshop invites nobody
    honesty = organisation["questions"]["conversation-03"]
    assert (honesty["n"], honesty["distribution"]["5"], honesty["mean"]) == (6, 6, 5.0)
    who = organisation["questions"]["conversation-01"]
    assert (who["n"], who["distribution"]["1"], who["distribution"]["4"]) == (6, 6, 6)
    assert who["distribution"]["2"] == 0
    assert organisation["levels"]["Front line"]["responded"] == 6
    # Six comments: below the comment threshold of ten, so none is listed.
    assert organisation["comments"] == {"suppressed": True}
    assert snapshot_of(open_round)["provisional"] is False
