"""The anonymity rules on organisations built to leak: small departments, children and
siblings, levels and optional items are suppressed with whatever would give them away, and
an independent audit (tests/support/report_checks.py) finds nothing to work out."""

import pytest

from assessment.models import LevelKind
from tests.conftest import snapshot_of
from tests.support.factories import DepartmentFactory
from tests.support.report_checks import SUPPRESSED, ReportReader, leaks
from tests.support.report_data import make_round, people, write_responses

pytestmark = pytest.mark.django_db


def leak_check(round_, organisation, crowd) -> list[str]:
    departments = list(organisation.departments.all())
    reader = ReportReader(snapshot_of(round_), departments, organisation.levels.all())
    return leaks(
        reader, crowd, threshold=round_.threshold, comment_threshold=round_.comment_threshold
    )


def test_a_department_of_four_beside_one_of_forty_shows_neither(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    legal = DepartmentFactory(organisation=organisation, name="Legal")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    crowd = people(sales, front, 40, checklist_01=[1] * 40) + people(
        legal, front, 4, checklist_01=[3] * 4
    )
    write_responses(round_, crowd)

    data = report_of(round_)

    assert data["departments"]["Legal"] == SUPPRESSED
    # Otherwise the organisation (44) less Sales (40) would be Legal.
    assert data["departments"]["Sales"] == SUPPRESSED
    assert all(cell == SUPPRESSED for cell in data["heatmap"]["departments"]["Legal"].values())
    assert all(cell == SUPPRESSED for cell in data["heatmap"]["departments"]["Sales"].values())
    assert data["organisation"]["responded"] == 44
    assert data["organisation"]["questions"]["checklist-01"]["distribution"]["3"] == 4
    assert leak_check(round_, organisation, crowd) == []


def test_a_parent_shows_while_its_small_child_and_the_sibling_that_would_give_it_away_do_not(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    operations = DepartmentFactory(organisation=organisation, name="Operations")
    logistics = DepartmentFactory(organisation=organisation, name="Logistics", parent=operations)
    yard = DepartmentFactory(organisation=organisation, name="Yard", parent=operations)
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    crowd = (
        people(sales, front, 40, checklist_01=[1] * 40)
        + people(logistics, front, 9, checklist_01=[2] * 9)
        + people(yard, front, 3, checklist_01=[3] * 3)
    )
    write_responses(round_, crowd)

    data = report_of(round_)

    assert data["departments"]["Operations/Yard"] == SUPPRESSED
    # Operations (12) less Logistics (9) would be Yard.
    assert data["departments"]["Operations/Logistics"] == SUPPRESSED
    assert data["departments"]["Operations"]["responded"] == 12
    assert data["departments"]["Operations"]["questions"]["checklist-01"]["distribution"] == {
        "1": 0,
        "2": 9,
        "3": 3,
        "9": 0,
    }
    assert data["departments"]["Sales"]["responded"] == 40
    assert leak_check(round_, organisation, crowd) == []


def test_an_executive_level_of_two_is_never_shown_nor_worked_out_from_the_other_levels(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    crowd = (
        people(sales, levels[LevelKind.EXECUTIVE], 2, checklist_01=[1, 1])
        + people(sales, levels[LevelKind.FRONT_LINE], 20, checklist_01=[3] * 20)
        + people(support, levels[LevelKind.FRONT_LINE], 15, checklist_01=[2] * 15)
    )
    write_responses(round_, crowd)

    data = report_of(round_)
    organisation_levels = data["organisation"]["levels"]

    assert organisation_levels["Executive"] == SUPPRESSED
    # The organisation (37) less its front line (35) would be the two executives.
    assert organisation_levels["Front line"] == SUPPRESSED
    assert data["departments"]["Sales"]["levels"]["Executive"] == SUPPRESSED
    assert data["departments"]["Sales"]["levels"]["Front line"] == SUPPRESSED
    assert data["departments"]["Support"]["levels"]["Front line"]["responded"] == 15
    assert data["organisation"]["gap"] == []
    assert leak_check(round_, organisation, crowd) == []


def test_an_optional_item_answered_by_four_is_suppressed_with_the_sibling_that_gives_it_away(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    crowd = people(
        sales, front, 40, checklist_01=[1] * 40, trust_01=[3] * 4 + [None] * 36
    ) + people(support, front, 30, checklist_01=[1] * 30, trust_01=[1] * 30)
    write_responses(round_, crowd)

    data = report_of(round_)
    sales_view = data["departments"]["Sales"]
    support_view = data["departments"]["Support"]

    assert sales_view["responded"] == 40
    assert sales_view["questions"]["trust-01"] == SUPPRESSED
    # The organisation's 34 answers less Support's 30 would be Sales's four.
    assert support_view["questions"]["trust-01"] == SUPPRESSED
    assert support_view["levels"]["Front line"]["questions"]["trust-01"] == SUPPRESSED
    assert data["organisation"]["questions"]["trust-01"]["n"] == 34
    assert data["heatmap"]["departments"]["Sales"]["trust-01"] == SUPPRESSED
    assert sales_view["questions"]["checklist-01"]["n"] == 40
    assert leak_check(round_, organisation, crowd) == []


def test_an_organisation_below_the_threshold_shows_nothing_but_the_marker(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    crowd = people(sales, levels[LevelKind.FRONT_LINE], 4, checklist_01=[1] * 4)
    for person in crowd:
        person.comments["checklist-01"] = "fine"
    write_responses(round_, crowd)

    data = report_of(round_)

    assert data["organisation"] == SUPPRESSED
    assert data["departments"] == {"Sales": SUPPRESSED}
    assert "fine" not in str(data)
