"""The attacks that once recovered one person's answers, performed end to end: answers
written as the site stores them, reports built by the code the workers run, every
version downloaded as an executive does (report.json) and kept. Whatever was downloaded
is then handed to the attacker of tests/support/attacker.py, which solves it exactly: no set of
fewer than the threshold of verified people may come out.

The workshop screen's own attacks are in tests/views/test_workshop_anonymity.py, the
admin's in tests/security/test_admin.py, the control characters' and the leads'
participation in tests/views/test_control_characters.py and test_lead_participation.py.
"""

import json

import pytest
from django.urls import reverse

from assessment.anonymity.steps import per_level
from assessment.models import (
    Department,
    Instrument,
    Level,
    LevelKind,
    Question,
    ReportSnapshot,
    Response,
    Round,
    WorkshopQuestion,
)
from assessment.selectors.participation import round_participation
from assessment.selectors.report_counts import report_last_version
from assessment.selectors.round_shape import round_departments
from assessment.selectors.workshops import workshop_questions
from assessment.services.rounds import round_close, round_reopen
from assessment.services.workshops import (
    participant_join,
    workshop_answer_save,
    workshop_count_in_round_set,
    workshop_create,
    workshop_pace,
)
from tests.support.attacker import recoverable
from tests.support.factories import DepartmentFactory
from tests.support.report_data import Respondent, make_round, write_responses
from tests.support.report_pages import downloaded

pytestmark = pytest.mark.django_db

ITEM = "checklist-01"


class Reader:
    """An executive who downloads every version of a round's report and keeps them all.
    For each figure of checklist-01 it kept, the test notes which responses it adds up: a
    cell's figure changes exactly when the responses it counts do."""

    def __init__(self, client, round_: Round) -> None:
        self.client = client
        self.round = round_
        self.counts: dict[tuple[int, int], int] = {}
        self.people: dict[tuple[int, int], frozenset] = {}
        self.rows: list[frozenset] = []
        self.downloads: list[dict] = []

    def download(self) -> dict:
        response = downloaded(self.client, self.round, "json")
        assert response.status_code == 200
        data = json.loads(response.content)
        self.downloads.append(data)
        for department, version in report_last_version(self.round.pk).counted.items():
            for level, count in per_level(version, "responded").items():
                cell = (department, level)
                if self.counts.get(cell) != count:
                    self.counts[cell] = count
                    self.people[cell] = frozenset(
                        Response.objects.filter(
                            round=self.round, department_id=department, level_id=level
                        ).values_list("pk", flat=True)
                    )
        self._keep(data)
        return data

    def _keep(self, data: dict) -> None:
        tree = round_departments(self.round)
        levels = {
            lv.name: lv.pk for lv in Level.objects.filter(organisation=self.round.organisation)
        }
        below = {d.pk: {d.pk} for d in tree}
        for d in sorted(tree, key=lambda d: -d.depth):
            if d.parent_id is not None:
                below[d.parent_id] |= below[d.pk]
        wholes = [(data["organisation"], {d.pk for d in tree})]
        wholes += [(data["departments"][d.path], below[d.pk]) for d in tree]
        for view, departments in wholes:
            if view.get("suppressed"):
                continue
            groups = [(view, list(levels.values()))]
            groups += [(v, [levels[name]]) for name, v in view["levels"].items()]
            for group, level_ids in groups:
                if group.get("suppressed") or group["questions"][ITEM].get("suppressed"):
                    continue
                people = frozenset().union(
                    *(
                        self.people.get((d, lv), frozenset())
                        for d in departments
                        for lv in level_ids
                    )
                )
                assert group["questions"][ITEM]["n"] == len(people), "lost track of who counts"
                self.rows.append(people)

    def solved(self) -> list:
        verified = Response.objects.filter(round=self.round).values_list("pk", flat=True)
        return recoverable(self.rows, verified, self.round.threshold)


@pytest.fixture
def levels(organisation) -> dict[str, Level]:
    return {lv.kind: lv for lv in Level.objects.filter(organisation=organisation)}


def people(department: Department, level: Level, n: int, answer: int = 1) -> list[Respondent]:
    return [Respondent(department=department, level=level, answers={ITEM: answer})] * n


def checklist_workshop(round_: Round, department: Department, head_count: int) -> WorkshopQuestion:
    """A live workshop on checklist-01 for a department, tied to the round and counted in
    it; returns its one question."""
    workshop = workshop_pace(
        workshop=workshop_create(
            organisation=round_.organisation,
            name="Offsite",
            instrument=Instrument.objects.get(key="checklist", organisation=None),
            head_count=head_count,
            questions=Question.objects.filter(code=ITEM),
            round_=round_,
            department=department,
        ),
        all_open=True,
    )
    workshop_count_in_round_set(workshop=workshop, count=True)
    (question,) = workshop_questions(workshop)
    return question


def test_attack_0_two_subtractions_in_one_report_give_away_nobody(
    organisation, instruments, levels, staff, build
):
    """(Operations − Logistics) − (Operations × Front line − Logistics × Front line) was the
    two managers of Warehouse, from one report and from its participation page."""
    operations = DepartmentFactory(organisation=organisation, name="Operations")
    logistics = DepartmentFactory(organisation=organisation, name="Logistics", parent=operations)
    warehouse = DepartmentFactory(organisation=organisation, name="Warehouse", parent=operations)
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments)
    front, manager = levels[LevelKind.FRONT_LINE], levels[LevelKind.MANAGER]
    write_responses(
        round_,
        people(logistics, front, 8)
        + people(warehouse, manager, 2, answer=3)
        + people(warehouse, front, 6)
        + people(sales, manager, 6)
        + people(sales, front, 6),
    )
    build(round_)
    reader = Reader(staff["executive"], round_)
    data = reader.download()

    assert data["departments"]["Operations/Warehouse"]["levels"]["Manager"] == {"suppressed": True}
    assert reader.solved() == []
    # The participation page: invited and answered by the same chain, solved the same way.
    invited = participation_rows(round_)
    assert invited, "the participation page shows groups"
    assert recoverable(invited, {p for row in invited for p in row}, round_.threshold) == []


def participation_rows(round_: Round) -> list[frozenset]:
    """The invitations behind every count the participation page shows."""
    tree = round_departments(round_)
    levels = list(Level.objects.filter(organisation=round_.organisation).order_by("position"))
    below = {d.pk: {d.pk} for d in tree}
    for d in sorted(tree, key=lambda d: -d.depth):
        if d.parent_id is not None:
            below[d.parent_id] |= below[d.pk]
    invited = {
        (d, lv): frozenset(
            round_.invitations.filter(department_id=d, level_id=lv).values_list("pk", flat=True)
        )
        for d in below
        for lv in (level.pk for level in levels)
    }
    participation = round_participation(round_)
    rows = []
    for row in participation.rows:
        departments = set(below) if row.department_id is None else below[row.department_id]
        if row.counts is not None:
            rows.append(
                frozenset().union(*(invited[(d, lv.pk)] for d in departments for lv in levels))
            )
        for level, cell in zip(participation.levels, row.cells, strict=True):
            if cell is not None:
                rows.append(frozenset().union(*(invited[(d, level.pk)] for d in departments)))
    return rows


def test_attack_1_fake_workshop_participants_never_lift_a_group_into_view(
    organisation, instruments, levels, staff, build
):
    """Four fake "D, Executive" participants answering Yes lifted D × Executive (one real
    executive) to five; subtracting their answers gave the executive's."""
    d = DepartmentFactory(organisation=organisation, name="D")
    round_ = make_round(organisation, instruments, closed=False)
    executive, front = levels[LevelKind.EXECUTIVE], levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(d, executive, 1, answer=3) + people(d, front, 6))
    question = checklist_workshop(round_, d, head_count=10)
    for _ in range(4):
        fake = participant_join(workshop=question.workshop, level=executive, department=d)
        workshop_answer_save(participant=fake, workshop_question=question, value=1)
    build(round_)
    reader = Reader(staff["executive"], round_)
    data = reader.download()

    assert data["departments"]["D"]["levels"]["Executive"] == {"suppressed": True}
    # The fakes' answers are in no figure: the executive's cell has one verified person.
    assert data["organisation"]["questions"][ITEM]["n"] == 7
    assert reader.solved() == []


def test_attack_2_two_provisional_versions_side_by_side_give_away_nobody(
    organisation, instruments, levels, staff, build
):
    """Version 1 hid D's one executive and, to protect it, its managers; version 2 showed
    the managers. D(v1) − Manager(v2) − Front line(v1) was the executive."""
    d = DepartmentFactory(organisation=organisation, name="D")
    e = DepartmentFactory(organisation=organisation, name="E")
    round_ = make_round(organisation, instruments, closed=False)
    executive, manager, front = (
        levels[LevelKind.EXECUTIVE],
        levels[LevelKind.MANAGER],
        levels[LevelKind.FRONT_LINE],
    )
    write_responses(
        round_,
        people(d, executive, 1, answer=3)
        + people(d, manager, 6)
        + people(d, front, 6)
        + people(e, executive, 2)
        + people(e, front, 6),
    )
    build(round_)
    reader = Reader(staff["executive"], round_)
    first = reader.download()
    assert first["departments"]["D"]["levels"]["Executive"] == {"suppressed": True}

    # Elsewhere, E's executives and managers answer: the organisation's levels move.
    write_responses(round_, people(e, executive, 5) + people(e, manager, 6))
    build(round_)
    second = reader.download()
    assert second["built_at"] != first["built_at"]

    # D's cells did not move: whatever it hid stays hidden, and nothing can be solved.
    for name in ("Executive", "Manager"):
        if first["departments"]["D"]["levels"][name] == {"suppressed": True}:
            assert second["departments"]["D"]["levels"][name] == {"suppressed": True}
    assert reader.solved() == []


def test_attack_3a_closing_reopening_and_closing_again_holds_back_one_late_answer(
    organisation, instruments, levels, staff, django_capture_on_commit_callbacks
):
    """Close, reopen, one person answers, close: the two final reports differed by that
    person."""
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    round_ = make_round(organisation, instruments, closed=False)
    front = levels[LevelKind.FRONT_LINE]
    write_responses(round_, people(sales, front, 8))
    reader = Reader(staff["executive"], round_)
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=round_)
    first = reader.download()

    round_reopen(round_=round_, closes_at=round_.closes_at + (round_.closes_at - round_.opens_at))
    write_responses(round_, people(sales, front, 1, answer=3))
    with django_capture_on_commit_callbacks(execute=True):
        round_close(round_=Round.objects.get(pk=round_.pk))
    second = reader.download()

    assert second["provisional"] is False
    assert second["departments"]["Sales"]["responded"] == first["departments"]["Sales"]["responded"]
    assert second["held_back"] == 1
    assert reader.solved() == []
    page = staff["executive"].get(reverse("reports:overview", kwargs={"pk": round_.pk}))
    assert "1 late answer is held back" in page.content.decode()


def test_attack_3b_counting_a_workshop_in_after_close_changes_nothing_shown(
    organisation, instruments, levels, staff, build
):
    """Switching a workshop into the round after close added one person's answers and
    comment to a department."""
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    front = levels[LevelKind.FRONT_LINE]
    round_ = make_round(organisation, instruments)
    write_responses(round_, people(sales, front, 8))
    build(round_)
    reader = Reader(staff["executive"], round_)
    before = reader.download()
    question = checklist_workshop(round_, sales, head_count=5)
    someone = participant_join(workshop=question.workshop, level=front, department=sales)
    workshop_answer_save(participant=someone, workshop_question=question, value=3)
    build(round_)
    after = reader.download()

    assert after["departments"] == before["departments"]
    assert after["organisation"] == before["organisation"]
    assert reader.solved() == []


def test_attack_3c_moving_a_department_after_launch_moves_nothing_in_the_report(
    organisation, instruments, levels, staff, build
):
    """Rounds read the live tree: moving a department elsewhere turned P = 15 into P = 12
    and showed what the three members of a hidden child answered."""
    p = DepartmentFactory(organisation=organisation, name="P")
    a = DepartmentFactory(organisation=organisation, name="A", parent=p)
    b = DepartmentFactory(organisation=organisation, name="B", parent=p)
    q = DepartmentFactory(organisation=organisation, name="Q")
    front = levels[LevelKind.FRONT_LINE]
    round_ = make_round(organisation, instruments)
    write_responses(
        round_, people(a, front, 12) + people(b, front, 3, answer=3) + people(q, front, 6)
    )
    build(round_)
    reader = Reader(staff["executive"], round_)
    before = reader.download()
    assert before["departments"]["P"]["responded"] == 15

    b.parent = q
    b.save()
    build(round_)
    after = reader.download()

    assert after["departments"]["P"]["responded"] == 15
    assert "Q/B" not in after["departments"]
    assert reader.solved() == []
    # Its page still finds it where the round had it, and links to its comments work.
    page = staff["executive"].get(
        reverse("reports:department", kwargs={"pk": round_.pk, "department": b.pk})
    )
    assert page.status_code == 200
    assert '<h1 class="h3 mb-1">P/B</h1>' in page.content.decode()
    comments = reverse("reports:comments", kwargs={"pk": round_.pk})
    assert staff["executive"].get(f"{comments}?department={b.pk}").status_code == 200


def test_attack_3d_deleting_a_response_behind_the_sites_back_shows_nothing_of_it(
    organisation, instruments, levels, staff, build
):
    """Deleting one response and rebuilding showed that response."""
    sales = DepartmentFactory(organisation=organisation, name="Sales")
    support = DepartmentFactory(organisation=organisation, name="Support")
    front = levels[LevelKind.FRONT_LINE]
    round_ = make_round(organisation, instruments)
    write_responses(round_, people(sales, front, 8) + people(support, front, 8))
    build(round_)
    reader = Reader(staff["executive"], round_)
    before = reader.download()
    built = ReportSnapshot.objects.get(round=round_).build_id

    Response.objects.filter(round=round_, department=sales).first().delete()
    build(round_)
    after = reader.download()

    assert ReportSnapshot.objects.get(round=round_).build_id == built
    assert after == before
    assert reader.solved() == []
