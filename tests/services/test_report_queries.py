"""Where the report's counting happens: a department in a few grouped database queries, and
the merge in as many queries for a large organisation as for a small one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import LevelKind, ReportPart
from assessment.services import reports as report_services
from assessment.services.reports import report_build_merge, report_build_start, report_part_compute
from tests.support.factories import DepartmentFactory
from tests.support.report_data import make_round, people, questions_by_code, write_responses

pytestmark = pytest.mark.django_db


def test_a_department_is_counted_by_the_database_in_four_grouped_queries(
    organisation, instruments, levels
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    crowd = people(sales, levels[LevelKind.FRONT_LINE], 60, checklist_01=[1, 2, 3] * 20)
    for person in crowd[:12]:
        person.answers["conversation-01"] = [1, 2]
        person.comments["checklist-01"] = "same words"
    write_responses(round_, crowd)

    with CaptureQueriesContext(connection) as captured:
        counts = report_services.department_counts(round_id=round_.pk, department_id=sales.pk)

    # (Inside the test's transaction its own becomes a savepoint.)
    queries = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    # The answers' GROUP BY also counts who answered: a several-choice answer of two
    # ticks is one respondent.
    assert len(queries) == 4
    assert all("GROUP BY" in sql for sql in queries)
    front = levels[LevelKind.FRONT_LINE].pk
    assert counts["responded"] == [[front, 60]]
    assert counts["invited"] == [[front, 60]]
    assert sorted(row[2:] for row in counts["answers"]) == [
        [1, 12],
        [1, 20],
        [2, 12],
        [2, 20],
        [3, 20],
    ]
    by_code = questions_by_code(round_)
    assert sorted(counts["respondents"]) == sorted(
        [[by_code["checklist-01"].pk, front, 60], [by_code["conversation-01"].pk, front, 12]]
    )
    assert [row[1:] for row in counts["texts"]] == [[front, True, "same words", 12]]


def test_the_merge_makes_as_many_queries_for_a_large_organisation_as_for_a_small_one(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    front = levels[LevelKind.FRONT_LINE]
    queries = []
    # The first round is there so that the others have a previous one to compare with,
    # as every round after an organisation's first does.
    for size in (1, 2, 8):
        round_ = make_round(organisation, instruments, name=f"{size} departments")
        crowd = []
        for number in range(size):
            department = DepartmentFactory(organisation=organisation, name=f"D{size}-{number}")
            crowd += people(department, front, 5, checklist_01=[1] * 5)
        write_responses(round_, crowd)
        with django_capture_on_commit_callbacks(execute=False):
            started = report_build_start(round_=round_)
        for part in ReportPart.objects.filter(build=started):
            report_part_compute(part_id=part.pk)
        with CaptureQueriesContext(connection) as captured:
            report_build_merge(build_id=started.pk)
        queries.append(len(captured.captured_queries))

    assert queries[1] == queries[2]
    assert queries[1] <= 25, queries
