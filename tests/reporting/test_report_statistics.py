"""The report's numbers, exact on small hand-built rounds: scores, means, unfavourable
shares, smoke, obstacles, the gap between levels, the heatmap, and each score's change
since the organisation's previous round."""

import datetime

import pytest
from django.utils import timezone

from assessment.models import Level, LevelKind
from tests.conftest import snapshot_of
from tests.support.factories import DepartmentFactory
from tests.support.report_checks import SUPPRESSED
from tests.support.report_data import make_round, people, write_responses

pytestmark = pytest.mark.django_db


# --- The numbers ------------------------------------------------------------------------


def _six_in_sales(organisation, instruments, levels):
    """A round in which six of the eight people invited in Sales answer."""
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    crowd = people(
        sales,
        levels[LevelKind.FRONT_LINE],
        6,
        checklist_01=[1, 1, 2, 3, 9, 1],
        checklist_02=[1, 1, 1, 1, 3, 2],
        checklist_03=[1, 1, 1, 1, 3, 3],
        conversation_03=[5, 4, 4, 2, 1, 3],
        obsessed_01=[7, 6, 5, 5, 4, 3],
        obstacles_01=[5, 5, 4, 2, 1, 1],
        conversation_01=[[1, 2], [1], [3], None, [1, 3], [2]],
    )
    write_responses(round_, crowd, not_responded=[(sales, levels[LevelKind.FRONT_LINE], 2)])
    return round_


def test_the_favourable_split_of_a_scale_counts_by_side_of_the_middle(
    organisation, instruments, levels, report_of
):
    questions = report_of(_six_in_sales(organisation, instruments, levels))["departments"]["Sales"][
        "questions"
    ]

    # 4–5 of 5 favourable (3), 3 neutral (1), 1–2 unfavourable (2).
    assert questions["conversation-03"]["split"] == {
        "favourable": 50,
        "neutral": 17,
        "unfavourable": 33,
    }
    # Obstacles the other way round: 1–2 ("not at all") favourable, 4–5 unfavourable.
    assert questions["obstacles-01"]["split"] == {
        "favourable": 50,
        "neutral": 0,
        "unfavourable": 50,
    }


def test_scores_means_and_unfavourable_shares_of_a_small_round_are_exact(
    organisation, instruments, levels, report_of
):
    round_ = _six_in_sales(organisation, instruments, levels)

    data = report_of(round_)
    sales_view = data["departments"]["Sales"]
    questions = sales_view["questions"]

    assert (sales_view["invited"], sales_view["responded"], sales_view["rate"]) == (8, 6, 0.75)
    assert questions["checklist-01"] == {
        "n": 6,
        "distribution": {"1": 3, "2": 1, "3": 1, "9": 1},
        "shares": {"1": 0.5, "2": 0.1667, "3": 0.1667, "9": 0.1667},
        "mean": None,
        # Don't know is counted in n but not scored: (3 × 100 + 50 + 0) / 5.
        "score": 70.0,
        "unfavourable": 0.1667,
        "smoke": False,
        "change": None,
        # Yes is favourable; Partly and Don't know neutral; No unfavourable. 50 + 33⅓ +
        # 16⅔: the point left over by rounding down goes to the largest remainder.
        "split": {"favourable": 50, "neutral": 33, "unfavourable": 17},
    }
    assert questions["conversation-03"]["mean"] == 3.17
    assert questions["conversation-03"]["score"] == 54.2
    assert questions["conversation-03"]["unfavourable"] == 0.3333
    assert questions["obsessed-01"]["mean"] == 5.0
    assert questions["obsessed-01"]["score"] == 66.7
    assert questions["obsessed-01"]["unfavourable"] == 0.0
    # Obstacles are scored the other way round: 5 ("a great deal") scores 0.
    assert questions["obstacles-01"]["mean"] == 3.0
    assert questions["obstacles-01"]["score"] == 50.0
    assert questions["obstacles-01"]["unfavourable"] == 0.5
    # Several choices: n is who ticked anything; shares are of those people.
    assert questions["conversation-01"] == {
        "n": 5,
        "distribution": {"1": 3, "2": 2, "3": 2, "4": 0, "5": 0, "6": 0},
        "shares": {"1": 0.6, "2": 0.4, "3": 0.4, "4": 0.0, "5": 0.0, "6": 0.0},
        "mean": None,
        "score": None,
        "unfavourable": None,
        "smoke": False,
        "change": None,
        "split": None,
    }
    # Nobody answered checklist-04: shown (the group is), with nothing to average.
    assert questions["checklist-04"]["n"] == 0
    assert questions["checklist-04"]["score"] is None
    # The mean of the answered checklist items' scores: (70 + 75 + 66.7) / 3.
    assert sales_view["checklist"] == {"score": 70.6, "change": None}
    assert sales_view["obsessed"] == [
        {"code": "obsessed-01", "dimension": "Focus", "mean": 5.0, "position": "obsessed"}
    ]
    assert data["organisation"]["questions"] == questions


def test_an_item_that_looks_fine_but_a_fifth_dislike_is_flagged_as_smoke(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    crowd = people(
        sales,
        levels[LevelKind.FRONT_LINE],
        10,
        # Score 80, but 2 of 10 say No: smoke.
        checklist_01=[1, 1, 1, 1, 1, 1, 1, 1, 3, 3],
        # Score 85, 1 of 10 says No: fine.
        checklist_02=[1, 1, 1, 1, 1, 1, 1, 1, 2, 3],
        # Mean 2.6 with 4 of 10 at 1-2: unhappy, but no smoke: the mean does not look fine.
        conversation_03=[1, 2, 2, 1, 3, 3, 3, 3, 4, 4],
    )
    write_responses(round_, crowd)

    view = report_of(round_)["organisation"]

    assert view["questions"]["checklist-01"]["score"] == 80.0
    assert view["questions"]["checklist-01"]["unfavourable"] == 0.2
    assert view["questions"]["checklist-01"]["smoke"] is True
    assert view["questions"]["checklist-02"]["smoke"] is False
    assert view["questions"]["conversation-03"]["smoke"] is False
    assert view["smoke"] == ["checklist-01"]


def test_obstacles_are_ranked_by_how_much_they_hold_us_back(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    crowd = people(
        sales,
        levels[LevelKind.FRONT_LINE],
        5,
        obstacles_01=[1, 1, 2, 2, 1],
        obstacles_02=[5, 5, 4, 5, 5],
        obstacles_03=[3, 3, 3, 3, 3],
        obstacles_04=[3, 3, 3, 3, 3],
    )
    write_responses(round_, crowd)

    ranked = report_of(round_)["organisation"]["obstacles"]

    assert [(o["code"], o["mean"], o["score"]) for o in ranked] == [
        ("obstacles-02", 4.8, 5.0),
        ("obstacles-03", 3.0, 50.0),
        ("obstacles-04", 3.0, 50.0),
        ("obstacles-01", 1.4, 90.0),
    ]
    assert ranked[0]["obstacle"] == "Lack of accountability"
    assert ranked[0]["unfavourable"] == 1.0


def test_the_gap_is_executives_minus_the_front_line_largest_first_whatever_the_levels_are_called(
    organisation, instruments, levels, report_of
):
    Level.objects.filter(organisation=organisation, kind=LevelKind.EXECUTIVE).update(name="Tops")
    Level.objects.filter(organisation=organisation, kind=LevelKind.FRONT_LINE).update(
        name="Bottoms"
    )
    levels = {lv.kind: lv for lv in Level.objects.filter(organisation=organisation)}
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    tops = people(
        sales,
        levels[LevelKind.EXECUTIVE],
        5,
        checklist_01=[1] * 5,
        conversation_03=[4] * 5,
        obstacles_01=[1] * 5,
        trust_01=[1, 1, 1, 1, 1],
    )
    bottoms = people(
        sales,
        levels[LevelKind.FRONT_LINE],
        5,
        checklist_01=[1, 3, 3, 3, 2],
        conversation_03=[3] * 5,
        obstacles_01=[5] * 5,
        trust_01=[1, 1, 1, 1, 1],
    )
    write_responses(round_, tops + bottoms)

    data = report_of(round_)

    expected = [
        {"code": "obstacles-01", "executive": 100.0, "front_line": 0.0, "gap": 100.0},
        {"code": "checklist-01", "executive": 100.0, "front_line": 30.0, "gap": 70.0},
        {"code": "conversation-03", "executive": 75.0, "front_line": 50.0, "gap": 25.0},
        {"code": "trust-01", "executive": 100.0, "front_line": 100.0, "gap": 0.0},
    ]
    assert data["organisation"]["gap"] == expected
    assert data["departments"]["Sales"]["gap"] == expected
    assert data["organisation"]["levels"]["Tops"]["questions"]["checklist-01"]["score"] == 100.0
    # Only the levels someone was invited at: nobody was invited as a manager.
    assert data["levels"] == [
        {"name": "Tops", "kind": "executive"},
        {"name": "Bottoms", "kind": "front_line"},
    ]


def test_the_heatmap_holds_every_departments_score_on_every_scored_item(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(
        round_,
        people(sales, front, 5, checklist_01=[1, 1, 1, 2, 2], conversation_01=[[1]] * 5)
        + people(support, front, 6, checklist_01=[3, 3, 3, 3, 1, 1]),
    )

    heatmap = report_of(round_)["heatmap"]

    assert heatmap["items"][:3] == ["checklist-01", "checklist-02", "checklist-03"]
    # Several-choice questions have no score, so no column.
    assert "conversation-01" not in heatmap["items"]
    assert len(heatmap["items"]) == 10 + 8 + 6 + 7 + 1
    assert heatmap["departments"]["Sales"]["checklist-01"] == 80.0
    assert heatmap["departments"]["Support"]["checklist-01"] == 33.3
    assert heatmap["departments"]["Sales"]["checklist-02"] is None


# --- Change since the previous round --------------------------------------------------------


def test_each_shown_score_carries_its_change_since_the_organisations_previous_round(
    organisation, instruments, levels, build
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    front = levels[LevelKind.FRONT_LINE]
    now = timezone.now()
    autumn = make_round(
        organisation, instruments, name="Autumn", opens_at=now - datetime.timedelta(days=200)
    )
    spring = make_round(
        organisation, instruments, name="Spring", opens_at=now - datetime.timedelta(days=30)
    )
    write_responses(
        autumn,
        people(sales, front, 5, checklist_01=[3, 3, 3, 1, 1], checklist_02=[1] * 5)
        + people(support, front, 5, checklist_01=[1] * 5),
    )
    # Nobody from Support answers in spring (five are invited).
    write_responses(
        spring,
        people(sales, front, 5, checklist_01=[1, 1, 1, 1, 3], checklist_02=[1] * 5),
        not_responded=[(support, front, 5)],
    )
    build(autumn)

    build(spring)
    data = snapshot_of(spring)
    organisation_items = data["organisation"]["questions"]

    assert data["previous_round"]["name"] == "Autumn"
    assert data["previous_round"]["id"] == autumn.pk
    # 70 → 80 for the organisation, 40 → 80 for Sales.
    assert (
        organisation_items["checklist-01"]["score"],
        organisation_items["checklist-01"]["change"],
    ) == (80.0, 10.0)
    assert data["departments"]["Sales"]["questions"]["checklist-01"]["change"] == 40.0
    assert organisation_items["checklist-02"]["change"] == 0.0
    # Nobody answered checklist-03 either time: nothing to compare.
    assert organisation_items["checklist-03"]["change"] is None
    assert data["organisation"]["checklist"] == {"score": 90.0, "change": 5.0}
    assert data["departments"]["Support"] == SUPPRESSED
    assert snapshot_of(autumn)["previous_round"] is None
    assert snapshot_of(autumn)["organisation"]["questions"]["checklist-01"]["change"] is None
