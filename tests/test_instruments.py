"""The five built-in instruments, as the data migration loads them."""

import re
from pathlib import Path

import pytest

from assessment.models import Choice, Instrument, Question, QuestionKind

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parent.parent / "docs" / "instruments.md"


def questions_of(key: str) -> list[Question]:
    instrument = Instrument.objects.get(organisation=None, key=key, version=1)
    return list(
        Question.objects.filter(instrument=instrument).order_by("section__position", "position")
    )


def test_the_migration_loads_exactly_the_five_builtin_instruments():
    keys = set(Instrument.objects.filter(organisation=None).values_list("key", flat=True))
    assert keys == {"checklist", "conversation", "obsessed", "obstacles", "trust"}


def test_the_checklist_has_ten_items_answered_yes_partly_no_or_dont_know():
    questions = questions_of("checklist")
    assert [q.code for q in questions] == [f"checklist-{n:02d}" for n in range(1, 11)]
    assert questions[0].text.startswith("Do you have a clear idea of who your customers are")
    assert questions[9].text.startswith("Do you deliver what you promise in your advertising")
    for question in questions:
        assert question.kind == QuestionKind.CHOICE
        scores = [(c.label, c.score, c.unfavourable) for c in question.choices.order_by("position")]
        assert scores == [
            ("Yes", 100, False),
            ("Partly", 50, False),
            ("No", 0, True),
            ("Don't know", None, False),
        ]


def test_the_conversation_questionnaire_has_ten_questions_each_with_a_comment():
    questions = questions_of("conversation")
    structured = [q for q in questions if q.code != "conversation-04-words"]
    assert [q.code for q in structured] == [f"conversation-{n:02d}" for n in range(1, 11)]
    assert all(q.allows_comment for q in structured)
    kinds = {q.code: q.kind for q in structured}
    assert kinds["conversation-01"] == QuestionKind.MULTI_CHOICE  # who takes part
    assert kinds["conversation-02"] == QuestionKind.CHOICE  # how often
    assert kinds["conversation-03"] == QuestionKind.RATING_5  # honesty, regardless of rank
    labels = set(
        Choice.objects.filter(question__code="conversation-01").values_list("label", flat=True)
    )
    assert {"Customers", "Suppliers", "Channel partners"} <= labels


def test_the_language_question_also_asks_for_the_words_used_for_customers():
    words = Question.objects.get(code="conversation-04-words")
    assert words.kind == QuestionKind.TEXT
    assert not words.required
    assert words.section_id == Question.objects.get(code="conversation-04").section_id
    assert "muppets" in Question.objects.get(code="conversation-04").text


def test_obsessed_or_reactive_has_six_bipolar_dimensions_with_both_pole_statements():
    questions = questions_of("obsessed")
    assert [q.text for q in questions] == [
        "Focus",
        "KPIs",
        "Decision making",
        "Accountability",
        "Investment",
        "Organisation",
    ]
    for question in questions:
        assert question.kind == QuestionKind.BIPOLAR_7
        assert question.choices.count() == 7
        assert question.low_label and question.high_label
    assert questions[0].high_label.startswith("Outside-in, customer outcome focused")
    assert questions[0].low_label.startswith("Inside-out, process & activity focused")
    assert "Power core" in questions[5].low_label


def test_obstacles_are_seven_and_a_bigger_obstacle_scores_lower():
    questions = questions_of("obstacles")
    assert len(questions) == 7
    assert questions[6].text.startswith("Lack of freedom")
    for question in questions:
        assert question.reverse_scored
        by_value = {c.value: (c.score, c.unfavourable) for c in question.choices.all()}
        assert by_value == {
            1: (100, False),
            2: (75, False),
            3: (50, False),
            4: (25, True),
            5: (0, True),
        }


def test_trust_customer_feedback_asks_the_principle_the_mechanisms_and_a_story():
    principle, mechanisms, story = questions_of("trust")
    assert principle.kind == QuestionKind.CHOICE
    assert "We trust the customer feedback and dig deeper" in principle.choices.values_list(
        "label", flat=True
    )
    assert mechanisms.kind == QuestionKind.MULTI_CHOICE
    assert "Social listening" in mechanisms.choices.values_list("label", flat=True)
    assert story.kind == QuestionKind.TEXT
    assert "customer story" in story.text


def test_rating_scales_run_one_to_five_and_the_low_end_is_unfavourable():
    question = Question.objects.get(code="conversation-03")
    choices = list(question.choices.order_by("value"))
    assert [c.value for c in choices] == [1, 2, 3, 4, 5]
    assert [c.unfavourable for c in choices] == [True, True, False, False, False]
    assert [c.score for c in choices] == [0, 25, 50, 75, 100]


def test_every_question_code_is_documented_and_no_documented_code_is_missing():
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", DOCS.read_text(), flags=re.M))
    codes = set(
        Question.objects.filter(instrument__organisation=None).values_list("code", flat=True)
    )
    assert documented == codes
    assert len(codes) == 10 + 11 + 6 + 7 + 3
