"""Changes and trends compare like with like: a round of one department is compared with
that department's earlier results, never the whole organisation's; a group hidden in
either version gives no change and no trend point; the favourable, neutral and
unfavourable shares of every shown item add up to 100."""

import datetime

import pytest

from assessment.models import LevelKind
from assessment.reporting.history import Audience, EarlierReport, trend
from assessment.reporting.stats import largest_remainder
from tests.support.factories import DepartmentFactory
from tests.support.report_data import make_round, people, write_responses

pytestmark = pytest.mark.django_db

NOW = datetime.datetime.now(datetime.UTC)


def _two_departments(organisation, instruments, levels, *, name, opens_at, sales_yes, support_yes):
    """A round in which ten of Sales and ten of Support answer checklist-01: that many
    Yes in each, the rest No."""
    sales = organisation.departments.filter(name="Sales").first() or DepartmentFactory(
        organisation=organisation, name="Sales"
    )
    support = organisation.departments.filter(name="Support").first() or DepartmentFactory(
        organisation=organisation, name="Support"
    )
    round_ = make_round(organisation, instruments, name=name, opens_at=opens_at)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(
        round_,
        people(sales, front, 10, checklist_01=[1] * sales_yes + [3] * (10 - sales_yes))
        + people(support, front, 10, checklist_01=[1] * support_yes + [3] * (10 - support_yes)),
    )
    return round_, sales, support


def test_a_round_of_one_department_is_compared_with_that_departments_previous_results(
    organisation, instruments, levels, report_of
):
    # Spring, everyone: Sales scores 40, Support 100, the organisation 70.
    spring, sales, _support = _two_departments(
        organisation,
        instruments,
        levels,
        name="Spring",
        opens_at=NOW - datetime.timedelta(days=100),
        sales_yes=4,
        support_yes=10,
    )
    report_of(spring)
    # Autumn asks Sales alone: 6 of its 10 say Yes, a score of 60.
    autumn = make_round(organisation, instruments, name="Autumn Sales")
    autumn.audience_all = False
    autumn.save(update_fields=["audience_all"])
    autumn.audience_departments.set([sales])
    write_responses(
        autumn,
        people(sales, levels[LevelKind.FRONT_LINE], 10, checklist_01=[1] * 6 + [3] * 4),
    )

    data = report_of(autumn)

    item = data["organisation"]["questions"]["checklist-01"]
    assert item["score"] == 60.0
    # Against Sales's 40 in spring (+20), not the organisation's 70 (−10).
    assert item["change"] == 20.0
    assert data["organisation"]["checklist"]["change"] == 20.0
    assert data["departments"]["Sales"]["questions"]["checklist-01"]["change"] == 20.0
    assert data["organisation"]["compared_with"]["name"] == "Spring"
    assert [p["scores"]["checklist"] for p in data["organisation"]["trend"]] == [40.0, 60.0]


def test_a_round_of_everyone_is_not_compared_with_a_round_of_one_department(
    organisation, instruments, levels, report_of
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    only_sales = make_round(
        organisation, instruments, name="Sales only", opens_at=NOW - datetime.timedelta(days=100)
    )
    only_sales.audience_all = False
    only_sales.save(update_fields=["audience_all"])
    only_sales.audience_departments.set([sales])
    write_responses(
        only_sales, people(sales, levels[LevelKind.FRONT_LINE], 10, checklist_01=[1] * 10)
    )
    report_of(only_sales)
    everyone, _sales, _support = _two_departments(
        organisation,
        instruments,
        levels,
        name="Everyone",
        opens_at=NOW - datetime.timedelta(days=20),
        sales_yes=5,
        support_yes=5,
    )

    data = report_of(everyone)

    # The organisation has no earlier round of everyone; Sales, asked whole, has one.
    assert data["organisation"]["questions"]["checklist-01"]["change"] is None
    assert data["previous_round"] is None
    assert data["departments"]["Sales"]["questions"]["checklist-01"]["change"] == -50.0
    assert data["departments"]["Support"]["questions"]["checklist-01"]["change"] is None


def _earlier(name: str, sales: object) -> EarlierReport:
    return EarlierReport(
        id=1,
        name=name,
        opens_on="2026-01-01",
        provisional=False,
        built_at="2026-01-20T00:00:00+00:00",
        audience=Audience(),
        data={
            "questions": [{"code": "checklist-01", "instrument": "checklist"}],
            "organisation": {"questions": {"checklist-01": {"score": 50.0}}},
            "departments": {"Sales": sales},
        },
    )


def test_a_round_where_the_group_was_suppressed_gives_no_trend_point():
    history = [
        _earlier("Summer", {"suppressed": True}),
        _earlier("Spring", {"questions": {"checklist-01": {"score": 40.0}}}),
    ]
    now = {"round": "Autumn", "opens_on": "2026-09-01", "scores": {"checklist": 60.0}}

    points = trend(history, Audience(), "Sales", now)

    assert [p["round"] for p in points] == ["Spring", "Autumn"]
    assert [p["round"] for p in trend(history, Audience(), None, now)] == [
        "Spring",
        "Summer",
        "Autumn",
    ]


@pytest.mark.parametrize(
    "counts",
    [
        {"favourable": 1, "neutral": 1, "unfavourable": 1},
        {"favourable": 2, "neutral": 2, "unfavourable": 3},
        {"favourable": 5, "neutral": 0, "unfavourable": 1},
        {"favourable": 1, "neutral": 5, "unfavourable": 5},
        {"favourable": 7, "neutral": 0, "unfavourable": 0},
    ],
)
def test_whole_percentages_add_up_to_100_and_stay_within_a_point(counts):
    whole = sum(counts.values())

    shares = largest_remainder(counts, whole)

    assert sum(shares.values()) == 100
    for key, count in counts.items():
        assert abs(shares[key] - count * 100 / whole) < 1


def test_every_shown_item_of_every_group_has_shares_that_add_up_to_100(
    organisation, instruments, levels, report_of
):
    round_, _sales, _support = _two_departments(
        organisation,
        instruments,
        levels,
        name="Spring",
        opens_at=NOW - datetime.timedelta(days=20),
        sales_yes=3,
        support_yes=7,
    )
    write_responses(
        round_,
        people(
            DepartmentFactory(organisation=organisation, name="Legal"),
            levels[LevelKind.FRONT_LINE],
            7,
            checklist_02=[1, 2, 2, 3, 9, 9, 1],
            conversation_03=[1, 2, 3, 4, 5, 5, 3],
            obsessed_01=[1, 2, 3, 4, 5, 6, 7],
            obstacles_01=[1, 2, 3, 4, 5, 1, 2],
        ),
    )

    data = report_of(round_)

    groups = [data["organisation"], *data["departments"].values()]
    groups += [lv for g in list(groups) for lv in g.get("levels", {}).values()]
    splits = [
        item["split"]
        for group in groups
        if not group.get("suppressed")
        for item in group["questions"].values()
        if not item.get("suppressed") and item.get("split")
    ]
    assert len(splits) > 20
    assert all(sum(split.values()) == 100 for split in splits)


def test_the_line_is_drawn_from_three_rounds_with_each_point_numbered():
    from assessment.reporting.trend_chart import TrendRow, trend_lines

    rows = [
        TrendRow("Spring", "2026-03-01", (40.0, 55.5)),
        TrendRow("Summer", "2026-06-01", (None, 60.0)),
        TrendRow("Autumn", "2026-09-01", (62.5, 58.0)),
    ]

    svg = trend_lines(rows, ["checklist", "conversation"], "Scores over the rounds")

    assert trend_lines(rows[:2], ["checklist"], "Two rounds") is None
    assert svg is not None
    for number in ("40.0", "62.5", "55.5", "60.0", "58.0"):
        assert f">{number}</text>" in svg
    assert "Customer-centricity checklist" in svg and "Conversation questionnaire" in svg
    # A round where the checklist was not shown is skipped, not drawn as zero.
    assert ">0.0</text>" not in svg
    assert 'font-size="11"' not in svg and 'font-size="10"' not in svg
