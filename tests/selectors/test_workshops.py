"""What the presenter screen and the summary may show: through the anonymity gate."""

import pytest

from assessment.models import LevelKind, WorkshopAnswer
from assessment.selectors.workshops import (
    question_results,
    who_took_part,
    workshop_answers_for_round,
    workshop_questions,
)
from assessment.services.workshops import (
    participant_join,
    workshop_answer_save,
    workshop_count_in_round_set,
    workshop_text_hide,
)
from tests.conftest import level

pytestmark = pytest.mark.django_db


def answer(workshop, value, comment: str = "", kind: str = LevelKind.FRONT_LINE, position=1):
    participant = participant_join(
        workshop=workshop,
        level=level(workshop.organisation, kind),
        department=workshop.organisation.departments.order_by("path").first(),
    )
    participant.workshop = workshop
    workshop_answer_save(
        participant=participant,
        workshop_question=workshop_questions(workshop)[position - 1],
        value=value,
        comment=comment,
    )


def result(workshop, **kwargs):
    return question_results(workshop, workshop_questions(workshop), **kwargs)[0]


def test_the_distribution_is_hidden_until_the_threshold_answered(make_workshop):
    workshop = make_workshop(["conversation-02"], threshold=3, comment_threshold=3)
    answer(workshop, 1)
    answer(workshop, 2)
    below = result(workshop)
    assert (below.answered, below.choices, below.needed) == (2, None, 1)

    answer(workshop, 2)
    shown = result(workshop)
    assert shown.answered == 3
    assert [(c.value, c.count, c.percent) for c in shown.choices][:3] == [
        (1, 1, 33),
        (2, 2, 67),
        (3, 0, 0),
    ]


def test_several_choices_are_counted_per_choice(make_workshop):
    workshop = make_workshop(["conversation-01"], threshold=3, comment_threshold=3)
    for chosen in ([1, 2], [2], [2, 4]):
        answer(workshop, chosen)
    counts = {c.value: c.count for c in result(workshop).choices}
    assert counts == {1: 1, 2: 3, 3: 0, 4: 1, 5: 0, 6: 0}


def test_comments_appear_at_the_comment_threshold_sorted_not_in_order_written(
    make_workshop,
):
    workshop = make_workshop(["conversation-02"], threshold=3, comment_threshold=4)
    for text in ["monthly, at best", "Banter only", "After complaints"]:
        answer(workshop, 3, comment=text)
    assert result(workshop).wall is None
    assert result(workshop).texts == 3

    answer(workshop, 3, comment="customers? never")
    wall = result(workshop).wall
    assert [item.text for item in wall] == [
        "After complaints",
        "Banter only",
        "customers? never",
        "monthly, at best",
    ]


def test_a_hidden_comment_leaves_the_wall_but_not_the_moderation_list(make_workshop):
    workshop = make_workshop(["conversation-02"], threshold=3, comment_threshold=3)
    for text in ["a", "b", "c"]:
        answer(workshop, 1, comment=text)
    hidden = WorkshopAnswer.objects.get(text="b")
    assert workshop_text_hide(workshop=workshop, answer_id=hidden.pk) == 1

    assert [i.text for i in result(workshop).wall] == ["a", "c"]
    moderation = result(workshop, include_hidden=True).wall
    assert [(i.text, i.hidden) for i in moderation] == [("a", False), ("b", True), ("c", False)]


def test_results_are_counted_in_a_fixed_number_of_queries(make_workshop, django_assert_num_queries):
    workshop = make_workshop(threshold=3, comment_threshold=3)
    for _ in range(3):
        answer(workshop, [1], comment="x")
    questions = workshop_questions(workshop)
    with django_assert_num_queries(2):  # one GROUP BY, one read of the comments shown
        question_results(workshop, questions)


def test_counts_by_level_pass_the_gate_with_complementary_suppression(make_workshop):
    workshop = make_workshop(["conversation-02"], threshold=3, comment_threshold=3)
    for kind, n in [(LevelKind.EXECUTIVE, 1), (LevelKind.MANAGER, 3), (LevelKind.FRONT_LINE, 5)]:
        for _ in range(n):
            answer(workshop, 1, kind=kind)

    took_part = who_took_part(workshop)
    counts = {row.level.kind: row.count for row in took_part.levels}
    # One executive is hidden; the managers (the smallest shown level) go too, so that
    # the executive cannot be found by subtracting the others from the total.
    assert counts == {LevelKind.EXECUTIVE: None, LevelKind.MANAGER: None, "front_line": 5}
    assert took_part.total == 9


def test_only_workshops_chosen_to_count_give_their_answers_to_the_round(make_workshop, open_round):
    counted = make_workshop(["conversation-02"], round_=open_round)
    apart = make_workshop(["conversation-02"], round_=open_round)
    answer(counted, 1)
    answer(apart, 2)
    assert workshop_answers_for_round(open_round).count() == 0

    workshop_count_in_round_set(workshop=counted, count=True)
    assert list(workshop_answers_for_round(open_round).values_list("value", flat=True)) == [1]
