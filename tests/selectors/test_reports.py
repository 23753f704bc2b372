"""Reading the published report: what pages and exports will be given."""

import pytest

from assessment.models import Level, LevelKind
from assessment.selectors.reports import (
    report_build_latest,
    report_comments,
    report_department,
    report_departments_within,
    report_organisation,
    report_question,
    report_snapshot,
)
from assessment.services.reports import report_build_start
from tests.support.factories import DepartmentFactory
from tests.support.report_data import Respondent, make_round, write_responses

pytestmark = pytest.mark.django_db

SUPPRESSED = {"suppressed": True}


@pytest.fixture
def report(organisation, instruments, django_capture_on_commit_callbacks):
    """Operations (Logistics 12 + Warehouse 10), Finance (15) and Legal (3). Legal is
    suppressed, and Finance with it: the organisation less Operations would be the two."""
    front = Level.objects.get(organisation=organisation, kind=LevelKind.FRONT_LINE)
    operations = DepartmentFactory(organisation=organisation, name="Operations")
    logistics = DepartmentFactory(organisation=organisation, name="Logistics", parent=operations)
    warehouse = DepartmentFactory(organisation=organisation, name="Warehouse", parent=operations)
    finance = DepartmentFactory(organisation=organisation, name="Finance")
    legal = DepartmentFactory(organisation=organisation, name="Legal")
    round_ = make_round(organisation, instruments)
    crowd = []
    for department, size in ((logistics, 12), (warehouse, 10), (finance, 15), (legal, 3)):
        for number in range(size):
            crowd.append(
                Respondent(
                    department=department,
                    level=front,
                    answers={"checklist-01": 1 if number % 2 else 3},
                    comments={"checklist-01": f"{department.name} {number:02d}"},
                )
            )
    write_responses(round_, crowd)
    assert report_snapshot(round_) is None
    with django_capture_on_commit_callbacks(execute=True):
        report_build_start(round_=round_)
    return report_snapshot(round_)


def test_the_organisation_view_is_the_whole_organisation_with_its_levels(report):
    view = report_organisation(report)

    assert view["responded"] == 40
    # Everyone was invited at the front line: the other levels are not part of this round.
    assert set(view["levels"]) == {"Front line"}
    assert view["levels"]["Front line"]["responded"] == 40
    assert report_build_latest(report.round) == report.build


def test_a_department_view_rolls_up_the_departments_below_it(report):
    assert report_department(report, "Operations")["responded"] == 22
    assert report_department(report, "Operations/Logistics")["responded"] == 12
    assert report_department(report, "Legal") == SUPPRESSED
    assert report_department(report, "Finance") == SUPPRESSED
    assert report_department(report, "Nowhere") is None


def test_a_lead_reads_their_department_and_those_below_it_only(report):
    within = report_departments_within(report, "Operations")

    assert sorted(within) == ["Operations", "Operations/Logistics", "Operations/Warehouse"]
    assert report_departments_within(report, "Operations/Warehouse") == {
        "Operations/Warehouse": report_department(report, "Operations/Warehouse")
    }


def test_a_question_view_gathers_one_item_across_the_report(report):
    view = report_question(report, "checklist-01")

    assert view["question"]["code"] == "checklist-01"
    assert [c["label"] for c in view["question"]["choices"]] == [
        "Yes",
        "Partly",
        "No",
        "Don't know",
    ]
    assert view["organisation"]["n"] == 40
    assert "Executive" not in view["levels"]
    assert view["levels"]["Front line"]["n"] == 40
    assert view["departments"]["Operations/Logistics"]["score"] == 50.0
    assert view["departments"]["Legal"] == SUPPRESSED
    assert view["departments"]["Finance"] == SUPPRESSED
    assert report_question(report, "no-such-question") is None


def test_comments_come_sorted_for_groups_at_the_comment_threshold_and_none_below(report):
    logistics = report_comments(report, "Operations/Logistics")

    assert logistics == {"checklist-01": [f"Logistics {n:02d}" for n in range(12)]}
    # Exactly the comment threshold.
    assert report_comments(report, "Operations/Warehouse") == {
        "checklist-01": [f"Warehouse {n:02d}" for n in range(10)]
    }
    assert report_comments(report, "Finance") is None
    assert report_comments(report, "Legal") is None
    assert report_comments(report, "Nowhere") is None
    assert len(report_comments(report)["checklist-01"]) == 40
