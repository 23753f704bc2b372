"""While the room is live, the screen's results move in steps of the threshold: watching
it never singles out the person who has just answered or changed their answer."""

import pytest

from assessment.anonymity.steps import room_step_due
from assessment.models import LevelKind, Workshop, WorkshopAnswer
from assessment.selectors.workshops import question_results, workshop_questions
from assessment.services.workshops import workshop_answer_save, workshop_close, workshop_pace
from tests.support.workshop_participants import join

pytestmark = pytest.mark.django_db


def shown(workshop, question) -> tuple[int, dict | None, list[str] | None]:
    question.refresh_from_db()
    (result,) = question_results(workshop, [question])
    counts = {c.value: c.count for c in result.choices} if result.choices else None
    wall = [item.text for item in result.wall] if result.wall is not None else None
    return result.answered, counts, wall


def test_the_distribution_and_the_wall_change_only_in_steps_of_the_threshold(make_workshop):
    workshop = make_workshop(["conversation-02"], threshold=3, comment_threshold=3)
    (question,) = workshop_questions(workshop)
    people = [join(workshop, LevelKind.FRONT_LINE) for _ in range(6)]

    for person in people[:2]:
        workshop_answer_save(participant=person, workshop_question=question, value=1)
    assert shown(workshop, question) == (2, None, None)

    workshop_answer_save(participant=people[2], workshop_question=question, value=1, comment="b")
    step_one = shown(workshop, question)
    assert step_one[0] == 3 and step_one[1][1] == 3

    # A fourth person answers, and someone changes their mind: the count moves, the
    # published distribution does not.
    workshop_answer_save(participant=people[3], workshop_question=question, value=5)
    workshop_answer_save(participant=people[0], workshop_question=question, value=5)
    answered, counts, _ = shown(workshop, question)
    assert answered == 4
    assert counts == step_one[1]

    workshop_answer_save(participant=people[4], workshop_question=question, value=5, comment="a")
    workshop_answer_save(participant=people[5], workshop_question=question, value=2, comment="c")
    answered, counts, wall = shown(workshop, question)
    assert answered == 6
    assert (counts[1], counts[2], counts[5]) == (2, 1, 3)
    assert wall == ["a", "b", "c"]  # three comments: the wall's first step, sorted

    # After the session, the summary shows the last step: here, every answer.
    workshop_close(workshop=workshop)
    workshop.refresh_from_db()
    assert shown(workshop, question)[1] == {1: 2, 2: 1, 3: 0, 4: 0, 5: 3, 9: 0}


def test_a_step_is_due_only_by_the_shared_rule_within_the_head_count():
    # The shared rule: at least a step of new people since the last publication.
    assert room_step_due(published=0, now=3, step=3, head_count=10)
    assert not room_step_due(published=3, now=5, step=3, head_count=10)
    assert room_step_due(published=3, now=6, step=3, head_count=10)
    # Never in a room smaller than the step, nor counting more answers than people.
    assert not room_step_due(published=0, now=3, step=3, head_count=2)
    assert not room_step_due(published=0, now=4, step=3, head_count=3)


def test_closing_publishes_a_last_step_only_where_one_is_due(make_workshop):
    workshop = make_workshop(["conversation-02", "conversation-03"], threshold=3)
    workshop = workshop_pace(workshop=workshop, all_open=True)
    first, second = workshop_questions(workshop)
    people = [join(workshop, LevelKind.FRONT_LINE) for _ in range(3)]
    # Answers whose step was never published (as when a room's answers cross the
    # threshold together and a publication is lost): three to the first question,
    # two to the second.
    for person in people[:3]:
        WorkshopAnswer.objects.create(
            workshop=workshop,
            participant=person,
            question=first.question,
            value=2,
            level_id=person.level_id,
            department_id=person.department_id,
        )
    for person in people[:2]:
        WorkshopAnswer.objects.create(
            workshop=workshop,
            participant=person,
            question=second.question,
            value=4,
            level_id=person.level_id,
            department_id=person.department_id,
        )
    assert shown(workshop, first)[1] is None

    workshop_close(workshop=workshop)
    workshop.refresh_from_db()
    assert shown(workshop, first)[1][2] == 3
    assert shown(workshop, second)[1] is None


def test_no_results_show_in_a_room_smaller_than_the_threshold_however_the_counts_came(
    make_workshop,
):
    workshop = make_workshop(["conversation-02"], threshold=3, head_count=3)
    (question,) = workshop_questions(workshop)
    for person in [join(workshop, LevelKind.FRONT_LINE) for _ in range(3)]:
        workshop_answer_save(participant=person, workshop_question=question, value=1, comment="x")
    assert shown(workshop, question)[1] is not None

    # A head count set below the threshold behind the service's back (the service
    # refuses one below those joined) hides what was published.
    Workshop.objects.filter(pk=workshop.pk).update(head_count=2)
    workshop.refresh_from_db()
    assert shown(workshop, question)[1:] == (None, None)
