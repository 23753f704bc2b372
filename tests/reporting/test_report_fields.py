"""The report snapshot's fields are exactly the ones docs/report-json.md documents."""

import pytest

from assessment.models import LevelKind
from tests.support.factories import DepartmentFactory
from tests.support.report_data import make_round, people, write_responses

pytestmark = pytest.mark.django_db


def test_the_snapshot_has_exactly_the_documented_fields(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    crowd = people(sales, levels[LevelKind.FRONT_LINE], 10, checklist_01=[1] * 10)
    crowd[0].texts["conversation-04-words"] = "customers"
    write_responses(round_, crowd)

    data = report_of(round_)
    whole = data["organisation"]

    _check_snapshot_fields(data)
    _check_group_fields(whole)
    assert set(data["heatmap"]) == {"items", "departments", "too_few_invited"}
    assert len(data["questions"]) == 10 + 11 + 6 + 7 + 3
    # Free-text questions have comments and words, not numbers.
    assert "trust-03" not in whole["questions"]
    assert "conversation-04-words" not in whole["questions"]


def _check_snapshot_fields(data: dict) -> None:
    """The snapshot's top level, its round and its questions."""
    assert set(data) == {
        "schema",
        "round",
        "provisional",
        "built_at",
        "responses",
        "held_back",
        "threshold",
        "comment_threshold",
        "levels",
        "questions",
        "previous_round",
        "wording_changed",
        "organisation",
        "departments",
        "heatmap",
    }
    assert set(data["round"]) == {"id", "name", "organisation", "opens_at", "closes_at"}
    assert set(data["questions"][0]) == {
        "code",
        "instrument",
        "kind",
        "text",
        "reverse_scored",
        "choices",
    }


def _check_group_fields(whole: dict) -> None:
    """A group's view, one of its levels and one of its items."""
    assert set(whole) == {
        "invited",
        "responded",
        "rate",
        "questions",
        "checklist",
        "obsessed",
        "obstacles",
        "smoke",
        "levels",
        "gap",
        "comments",
        "words",
        "trend",
        "summary",
        "compared_with",
    }
    assert set(whole["levels"]["Front line"]) == set(whole) - {
        "levels",
        "gap",
        "comments",
        "words",
        "trend",
        "summary",
        "compared_with",
    }
    assert set(whole["summary"]) == {
        "gaps",
        "smoke",
        "strongest_items",
        "weakest_items",
        "item_changes",
        "strongest_departments",
        "weakest_departments",
        "department_changes",
    }
    assert set(whole["trend"][-1]) == {"round", "opens_on", "scores"}
    assert set(whole["questions"]["checklist-01"]) == {
        "n",
        "distribution",
        "shares",
        "mean",
        "score",
        "unfavourable",
        "smoke",
        "change",
        "split",
    }
