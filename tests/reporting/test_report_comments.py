"""The report's comments and words: listed at the comment threshold, hidden below it with
whatever would give them away, and the language audit's word counts."""

import pytest

from assessment.models import LevelKind
from tests.support.factories import DepartmentFactory
from tests.support.report_checks import SUPPRESSED
from tests.support.report_data import make_round, people, write_responses

pytestmark = pytest.mark.django_db


def test_comments_are_listed_alphabetically_by_question_at_the_comment_threshold(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    crowd = people(sales, levels[LevelKind.FRONT_LINE], 10, checklist_01=[1] * 10)
    crowd[0].comments["conversation-02"] = "we meet weekly"
    crowd[1].comments["conversation-02"] = "Nobody listens"
    crowd[2].comments["conversation-02"] = "another comment"
    crowd[3].comments["conversation-02"] = "we meet weekly"
    crowd[4].texts["trust-03"] = "A refund took three weeks."
    write_responses(round_, crowd)

    data = report_of(round_)

    assert data["comment_threshold"] == 10
    assert data["departments"]["Sales"]["comments"] == {
        "conversation-02": [
            "another comment",
            "Nobody listens",
            "we meet weekly",
            "we meet weekly",
        ],
        "trust-03": ["A refund took three weeks."],
    }
    assert data["organisation"]["comments"] == data["departments"]["Sales"]["comments"]


def test_below_the_comment_threshold_no_comments_show_nor_those_that_would_give_them_away(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    crowd = people(sales, front, 12) + people(support, front, 9)
    for person in crowd:
        person.comments["conversation-02"] = f"from {person.department.name}"
        person.texts["conversation-04-words"] = person.department.name
    write_responses(round_, crowd)

    data = report_of(round_)

    # Support (9) is below 10; Sales would be the organisation less Support.
    assert data["departments"]["Support"]["comments"] == SUPPRESSED
    assert data["departments"]["Support"]["words"] == SUPPRESSED
    assert data["departments"]["Sales"]["comments"] == SUPPRESSED
    assert data["departments"]["Sales"]["words"] == SUPPRESSED
    # Their scores are shown: 9 and 12 are above the score threshold of 5.
    assert data["departments"]["Support"]["responded"] == 9
    assert (
        data["organisation"]["comments"]["conversation-02"]
        == ["from Sales"] * 12 + ["from Support"] * 9
    )
    assert data["organisation"]["words"] == [
        {"word": "sales", "count": 12},
        {"word": "support", "count": 9},
    ]


def test_the_language_audit_counts_each_word_once_per_answer_ignoring_case_and_spaces(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    crowd = people(sales, levels[LevelKind.FRONT_LINE], 10)
    words = ["Customers, clients", "customers", "  Customers ,members", "accounts, accounts", ","]
    for person, text in zip(crowd, words, strict=False):
        person.texts["conversation-04-words"] = text
    write_responses(round_, crowd)

    view = report_of(round_)["departments"]["Sales"]

    assert view["words"] == [
        {"word": "customers", "count": 3},
        {"word": "accounts", "count": 1},
        {"word": "clients", "count": 1},
        {"word": "members", "count": 1},
    ]
    # The words are the audit's, not a comment list.
    assert "conversation-04-words" not in view["comments"]
