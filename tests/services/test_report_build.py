"""Building the culture report in-process: exact numbers on small hand-built rounds, the
anonymity rules on organisations built to leak, and the life of a build row."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.models import (
    Level,
    LevelKind,
    ReportBuild,
    ReportBuildStatus,
    ReportPart,
    ReportPartStatus,
    ReportSnapshot,
    RoundStatus,
)
from assessment.services import reports as report_services
from assessment.services.reports import (
    ROUND_NOT_LAUNCHED,
    report_build_merge,
    report_build_start,
    report_builds_reconcile,
    report_part_compute,
)
from tests.conftest import snapshot_of
from tests.support.factories import DepartmentFactory
from tests.support.report_checks import ReportReader, leaks
from tests.support.report_data import Respondent, make_round, questions_by_code, write_responses

pytestmark = pytest.mark.django_db

SUPPRESSED = {"suppressed": True}


@pytest.fixture
def levels(organisation) -> dict[str, Level]:
    return {lv.kind: lv for lv in Level.objects.filter(organisation=organisation)}


def people(department, level, n: int, **answers) -> list[Respondent]:
    """n respondents; each answer keyword is a list holding one value per person
    (None: not answered)."""
    crowd = [Respondent(department=department, level=level) for _ in range(n)]
    for field, values in answers.items():
        code = field.replace("_", "-")
        assert len(values) == n
        for person, value in zip(crowd, values, strict=True):
            if value is not None:
                person.answers[code] = value
    return crowd


# --- The numbers ------------------------------------------------------------------------


def test_scores_means_and_unfavourable_shares_of_a_small_round_are_exact(
    organisation, instruments, levels, report_of
):
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


# --- Comments and words ------------------------------------------------------------------


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


# --- Organisations built to leak -----------------------------------------------------------


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


# --- The build row ---------------------------------------------------------------------------


def test_a_report_built_while_the_round_is_open_is_provisional_and_after_it_closes_final(
    organisation, instruments, levels, build
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    open_round = make_round(organisation, instruments, closed=False, name="Open")
    closed_round = make_round(organisation, instruments, name="Closed")
    past_closing = make_round(organisation, instruments, closed=False, name="Past closing")
    past_closing.status = RoundStatus.LAUNCHED
    past_closing.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    past_closing.save(update_fields=["status", "closes_at"])
    for round_ in (open_round, closed_round, past_closing):
        write_responses(round_, people(sales, levels[LevelKind.FRONT_LINE], 5))

    built = {r.name: build(r) for r in (open_round, closed_round, past_closing)}

    assert built["Open"].provisional is True
    assert snapshot_of(open_round)["provisional"] is True
    assert ReportSnapshot.objects.get(round=open_round).provisional is True
    assert built["Closed"].provisional is False
    assert snapshot_of(closed_round)["provisional"] is False
    assert built["Past closing"].provisional is False


def test_a_finished_build_records_its_progress_and_how_many_responses_it_counted(
    organisation, instruments, levels, build
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 7), not_responded=[(support, front, 2)])

    done = build(round_)
    snapshot = ReportSnapshot.objects.get(round=round_)

    assert done.status == ReportBuildStatus.DONE
    assert (done.parts_done, done.parts_total, done.progress) == (2, 2, 100)
    assert done.response_count == 7
    assert done.finished_at is not None
    assert snapshot.build == done
    assert snapshot.response_count == 7
    assert snapshot.data["responses"] == 7
    assert snapshot.data["schema"] == 1
    assert snapshot.built_at.isoformat() == snapshot.data["built_at"]
    # The raw counts go once the snapshot holds what may be shown.
    assert list(ReportPart.objects.filter(build=done).values_list("counts", flat=True)) == [{}, {}]


def test_a_draft_round_has_no_report_to_build(organisation, instruments):
    round_ = make_round(organisation, instruments)
    round_.status = RoundStatus.DRAFT
    round_.save(update_fields=["status"])

    with pytest.raises(ValidationError) as refused:
        report_build_start(round=round_)

    assert refused.value.messages == [ROUND_NOT_LAUNCHED]
    assert ReportBuild.objects.count() == 0


def test_starting_twice_while_a_build_is_under_way_gives_the_same_build(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    write_responses(round_, [], not_responded=[(sales, levels[LevelKind.FRONT_LINE], 1)])

    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = report_build_start(round=round_)
        second = report_build_start(round=round_)

    assert first == second
    assert len(queued) == 1
    assert ReportBuild.objects.count() == 1
    assert ReportPart.objects.filter(build=first).count() == 1


def test_counting_a_department_twice_and_merging_twice_changes_nothing(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    write_responses(round_, people(sales, levels[LevelKind.FRONT_LINE], 5, checklist_01=[1] * 5))
    with django_capture_on_commit_callbacks(execute=False):
        started = report_build_start(round=round_)
    part = ReportPart.objects.get(build=started)

    report_part_compute(part_id=part.pk)
    counts = ReportPart.objects.get(pk=part.pk).counts
    report_part_compute(part_id=part.pk)
    started.refresh_from_db()

    assert started.parts_done == 1
    assert started.status == ReportBuildStatus.RUNNING
    assert ReportPart.objects.get(pk=part.pk).counts == counts

    report_build_merge(build_id=started.pk)
    first = ReportSnapshot.objects.get(round=round_)
    report_build_merge(build_id=started.pk)
    again = ReportSnapshot.objects.get(round=round_)

    assert (again.pk, again.built_at, again.data) == (first.pk, first.built_at, first.data)


def test_the_merge_does_nothing_while_a_department_is_still_pending(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 5), not_responded=[(support, front, 1)])
    with django_capture_on_commit_callbacks(execute=False):
        started = report_build_start(round=round_)
    report_part_compute(part_id=ReportPart.objects.get(build=started, department=sales).pk)

    report_build_merge(build_id=started.pk)
    started.refresh_from_db()

    assert started.status == ReportBuildStatus.RUNNING
    assert (started.parts_done, started.progress) == (1, 50)
    assert not ReportSnapshot.objects.filter(round=round_).exists()


def test_a_rebuild_replaces_the_snapshot_only_when_it_is_published(
    organisation, instruments, levels, build, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments, closed=False)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 5, checklist_01=[1] * 5))
    first = build(round_)
    write_responses(round_, people(sales, front, 5, checklist_01=[3] * 5))

    with django_capture_on_commit_callbacks(execute=False):
        second = report_build_start(round=round_)
    for part in ReportPart.objects.filter(build=second):
        report_part_compute(part_id=part.pk)

    # Every department is counted, but until the merge the old report is the report.
    old = ReportSnapshot.objects.get(round=round_)
    assert (old.build, old.response_count) == (first, 5)
    assert old.data["organisation"]["questions"]["checklist-01"]["score"] == 100.0

    report_build_merge(build_id=second.pk)

    new = ReportSnapshot.objects.get(round=round_)
    assert (new.pk, new.build, new.response_count) == (old.pk, second, 10)
    assert new.data["organisation"]["questions"]["checklist-01"]["score"] == 50.0
    assert ReportSnapshot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_readers_see_the_old_report_until_the_new_one_is_committed_whole(
    organisation, instruments, levels
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 5, checklist_01=[1] * 5))
    report_build_start(round=round_)  # runs in-process on commit
    write_responses(round_, people(sales, front, 5, checklist_01=[3] * 5))
    # A second build, counted but not merged: the merge runs in another thread.
    second = ReportBuild.objects.create(round=round_, provisional=False, parts_total=1)
    part = ReportPart.objects.create(build=second, department=sales)
    report_part_compute(part_id=part.pk)
    merged, finish = threading.Event(), threading.Event()

    def merge_and_hold() -> None:
        try:
            with transaction.atomic():
                report_build_merge(build_id=second.pk)
                merged.set()
                finish.wait(timeout=10)
        finally:
            connection.close()

    merger = threading.Thread(target=merge_and_hold)
    merger.start()
    assert merged.wait(timeout=10)
    during = ReportSnapshot.objects.get(round=round_)
    finish.set()
    merger.join()
    after = ReportSnapshot.objects.get(round=round_)

    assert during.response_count == 5
    assert during.data["responses"] == 5
    assert during.data["organisation"]["questions"]["checklist-01"]["score"] == 100.0
    assert after.response_count == 10
    assert after.data["organisation"]["questions"]["checklist-01"]["score"] == 50.0


def test_a_department_that_cannot_be_counted_fails_the_build_naming_it(
    organisation, instruments, levels, build, monkeypatch
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    operations = DepartmentFactory(organisation=organisation, name="Operations")
    legal = DepartmentFactory(organisation=organisation, name="Legal", parent=operations)
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 5), not_responded=[(legal, front, 1)])
    count = report_services.department_counts

    def broken(*, round_id: int, department_id: int, **options) -> dict:
        if department_id == legal.pk:
            raise ValueError("a row that makes no sense")
        return count(round_id=round_id, department_id=department_id, **options)

    monkeypatch.setattr(report_services, "department_counts", broken)

    failed = build(round_)

    assert failed.status == ReportBuildStatus.FAILED
    assert failed.error == (
        "The department “Operations/Legal” could not be counted: "
        "ValueError: a row that makes no sense"
    )
    assert failed.finished_at is not None
    assert not ReportSnapshot.objects.filter(round=round_).exists()


def test_a_dropped_database_connection_is_retried_and_the_build_finishes(
    organisation, instruments, levels, build, monkeypatch
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    write_responses(round_, people(sales, levels[LevelKind.FRONT_LINE], 5))
    count = report_services.department_counts
    calls: list[int] = []

    def flaky(*, round_id: int, department_id: int, **options) -> dict:
        calls.append(department_id)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return count(round_id=round_id, department_id=department_id, **options)

    monkeypatch.setattr(report_services, "department_counts", flaky)

    done = build(round_)

    assert done.status == ReportBuildStatus.DONE
    assert calls == [sales.pk, sales.pk]
    assert done.error == ""


def test_the_reconciler_merges_a_stalled_build_whose_departments_are_all_counted(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    write_responses(round_, people(sales, levels[LevelKind.FRONT_LINE], 5))
    with django_capture_on_commit_callbacks(execute=False):
        stalled = report_build_start(round=round_)
    report_part_compute(part_id=ReportPart.objects.get(build=stalled).pk)
    ReportBuild.objects.filter(pk=stalled.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(hours=1)
    )

    outcome = report_builds_reconcile()
    stalled.refresh_from_db()

    assert outcome == [stalled]
    assert stalled.status == ReportBuildStatus.DONE
    assert ReportSnapshot.objects.get(round=round_).build == stalled


def test_the_reconciler_fails_a_stalled_build_naming_the_departments_never_counted(
    organisation, instruments, levels, django_capture_on_commit_callbacks
):
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    legal = DepartmentFactory(organisation=organisation, name="Legal")
    round_ = make_round(organisation, instruments)
    front = levels[LevelKind.FRONT_LINE]
    everyone = [(sales, front, 1), (support, front, 1), (legal, front, 1)]
    write_responses(round_, [], not_responded=everyone)
    with django_capture_on_commit_callbacks(execute=False):
        stalled = report_build_start(round=round_)
        fresh_round = make_round(organisation, instruments, name="Fresh")
        fresh = report_build_start(round=fresh_round)
    report_part_compute(part_id=ReportPart.objects.get(build=stalled, department=sales).pk)
    ReportBuild.objects.filter(pk=stalled.pk).update(
        progressed_at=timezone.now() - datetime.timedelta(minutes=31)
    )

    outcome = report_builds_reconcile()
    stalled.refresh_from_db()
    fresh.refresh_from_db()

    assert outcome == [stalled]
    assert stalled.status == ReportBuildStatus.FAILED
    assert stalled.error == (
        "Nothing moved for 30 minutes; departments not counted: “Legal”, “Support”"
    )
    assert fresh.status == ReportBuildStatus.QUEUED
    assert ReportPart.objects.filter(build=stalled, status=ReportPartStatus.DONE).count() == 1


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
    }
    assert set(whole["levels"]["Front line"]) == set(whole) - {"levels", "gap", "comments", "words"}
    assert set(whole["questions"]["checklist-01"]) == {
        "n",
        "distribution",
        "shares",
        "mean",
        "score",
        "unfavourable",
        "smoke",
        "change",
    }
    assert set(data["heatmap"]) == {"items", "departments"}
    assert len(data["questions"]) == 10 + 11 + 6 + 7 + 3
    # Free-text questions have comments and words, not numbers.
    assert "trust-03" not in whole["questions"]
    assert "conversation-04-words" not in whole["questions"]


# --- Where the counting happens --------------------------------------------------------------


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
    for size in (2, 8):
        round_ = make_round(organisation, instruments, name=f"{size} departments")
        crowd = []
        for number in range(size):
            department = DepartmentFactory(organisation=organisation, name=f"D{size}-{number}")
            crowd += people(department, front, 5, checklist_01=[1] * 5)
        write_responses(round_, crowd)
        with django_capture_on_commit_callbacks(execute=False):
            started = report_build_start(round=round_)
        for part in ReportPart.objects.filter(build=started):
            report_part_compute(part_id=part.pk)
        with CaptureQueriesContext(connection) as captured:
            report_build_merge(build_id=started.pk)
        queries.append(len(captured.captured_queries))

    assert queries[0] == queries[1]
    assert queries[0] <= 20
