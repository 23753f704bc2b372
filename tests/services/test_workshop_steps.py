"""While the room is live, the screen's results move in steps of the threshold: watching
it never singles out the person who has just answered or changed their answer."""

import pytest

from assessment.models import LevelKind
from assessment.selectors.workshops import question_results, workshop_questions
from assessment.services.workshops import workshop_answer_save, workshop_close
from tests.services.test_workshops import join

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
