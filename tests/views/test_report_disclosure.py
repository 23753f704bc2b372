"""The anonymity rules hold in every page and every download, for organisations built to
leak. Each is given answers whose numbers for the suppressed groups are worked out here
by hand and are nowhere else in its report; then the text of every page an executive can
open, of the PDF, of every cell of the spreadsheet and of the JSON is searched for them.
The JSON download is also checked against tests/support/disclosure.py's outsider model."""

import json

import pytest

from assessment.models import Level, LevelKind, Role
from tests.support.factories import DepartmentFactory
from tests.support.report_checks import ReportReader, appears, leaks
from tests.support.report_data import Respondent, make_round, write_responses
from tests.support.report_pages import build_report, every_output, executive, lead, reader

pytestmark = pytest.mark.django_db


def people(department, level, **answers) -> list[Respondent]:
    """One respondent per value; each keyword holds one value per person (None: skipped)."""
    sizes = {len(values) for values in answers.values()}
    assert len(sizes) == 1
    crowd = [Respondent(department=department, level=level) for _ in range(sizes.pop())]
    for field, values in answers.items():
        for person, value in zip(crowd, values, strict=True):
            if value is not None:
                person.answers[field.replace("_", "-")] = value
    return crowd


def a_department_of_four_beside_one_of_forty(organisation, levels):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    legal = DepartmentFactory(organisation=organisation, name="Legal")
    front = levels[LevelKind.FRONT_LINE]
    crowd = people(sales, front, checklist_01=[1] * 17 + [2] * 12 + [3] * 11) + people(
        legal, front, checklist_01=[1, 1, 1, 2]
    )
    # Sales alone scores 57.5 (11 of 40 say No: 27.5 %), Legal alone 87.5; the
    # organisation (60.2) may be shown, neither department (44 less 40 would be Legal).
    return crowd, ["57.5", "87.5", "27.5"]


def a_parent_whose_only_small_child_would_fall_out_by_subtraction(organisation, levels):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    operations = DepartmentFactory(organisation=organisation, name="Operations")
    logistics = DepartmentFactory(organisation=organisation, name="Logistics", parent=operations)
    yard = DepartmentFactory(organisation=organisation, name="Yard", parent=operations)
    front = levels[LevelKind.FRONT_LINE]
    crowd = (
        people(sales, front, checklist_01=[1] * 30 + [3] * 10)
        + people(logistics, front, checklist_01=[1] * 5 + [2] * 3 + [3])
        + people(yard, front, checklist_01=[1, 2, 2])
    )
    # Yard (3) scores 66.7 and Logistics 72.2 (one No of 9: 11.1 %); Operations (70.8)
    # may be shown, but then not Logistics, or Operations less Logistics would be Yard.
    return crowd, ["66.7", "72.2", "11.1"]


def an_executive_level_of_two(organisation, levels):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    crowd = (
        people(sales, levels[LevelKind.EXECUTIVE], checklist_01=[1, 2])
        + people(sales, levels[LevelKind.FRONT_LINE], checklist_01=[3] * 20)
        + people(support, levels[LevelKind.FRONT_LINE], checklist_01=[2] * 15)
    )
    # The two executives score 75.0 and the organisation's front line 21.4: a gap of 53.6.
    # Neither level is shown (the organisation less its front line is the executives).
    return crowd, ["75.0", "21.4", "53.6"]


def an_optional_item_answered_by_four(organisation, levels):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    front = levels[LevelKind.FRONT_LINE]
    crowd = people(sales, front, checklist_01=[1] * 40, trust_01=[3] * 4 + [None] * 36) + people(
        support, front, checklist_01=[1] * 30, trust_01=[1] * 20 + [2] * 10
    )
    # Support's 30 answers to trust-01 score 83.3; shown beside the organisation's 34
    # they would give away the four in Sales (all of them "metrics first", 100 %).
    return crowd, ["83.3"]


LEAKY = [
    a_department_of_four_beside_one_of_forty,
    a_parent_whose_only_small_child_would_fall_out_by_subtraction,
    an_executive_level_of_two,
    an_optional_item_answered_by_four,
]


@pytest.mark.parametrize("organisation_of", LEAKY, ids=lambda f: f.__name__)
def test_nothing_below_the_threshold_is_in_any_page_or_download(
    organisation, instruments, organisation_of
):
    levels = {lv.kind: lv for lv in Level.objects.filter(organisation=organisation)}
    crowd, forbidden = organisation_of(organisation, levels)
    round_ = make_round(organisation, instruments)
    write_responses(round_, crowd)
    build_report(round_)

    # As each role that reads reports: the executive, an admin, a facilitator, and the
    # lead of every department (each sees their own subtree).
    readers = {role: reader(organisation, role) for role in (Role.ADMIN, Role.FACILITATOR)}
    readers[Role.EXECUTIVE] = executive(organisation)
    for department in organisation.departments.all():
        readers[f"lead of {department.path}"] = lead(organisation, department)
    found = []
    for who, client in readers.items():
        their_outputs = every_output(client, round_)
        assert their_outputs, who
        found += [
            f"{number} in {name} for {who}"
            for name, text in their_outputs.items()
            for number in forbidden
            if appears(number, text)
        ]
    assert found == []
    outputs = every_output(readers[Role.EXECUTIVE], round_)
    assert {"overview", "pdf", "xlsx", "json"} <= set(outputs)
    reader_of_json = ReportReader(
        json.loads(outputs["json"]), organisation.departments.all(), organisation.levels.all()
    )
    assert (
        leaks(
            reader_of_json,
            crowd,
            threshold=round_.threshold,
            comment_threshold=round_.comment_threshold,
        )
        == []
    )


def test_the_canaries_are_there_to_be_found_where_a_group_is_large_enough(
    organisation, instruments
):
    """The search above would find the numbers: with a threshold of 3 the same Legal and
    Sales are shown, and their scores are in the pages and every download."""
    levels = {lv.kind: lv for lv in Level.objects.filter(organisation=organisation)}
    crowd, forbidden = a_department_of_four_beside_one_of_forty(organisation, levels)
    round_ = make_round(organisation, instruments, threshold=3)
    write_responses(round_, crowd)
    build_report(round_)

    outputs = every_output(executive(organisation), round_)

    for name in ("department Sales", "department Legal", "pdf", "xlsx", "json"):
        assert any(appears(number, outputs[name]) for number in forbidden), name
