"""A generated organisation whose report is checked against an independent recount, for
tests that build one with real workers (tests/tasks/test_report_worker.py, tests/faults/):
a dozen departments with a few thousand generated respondents, and every number of the
report recounted in plain Python over those respondents (tests/support/recount.py)."""

import random
from collections import Counter
from dataclasses import dataclass

from assessment.models import Department, Level, LevelKind, Organisation, Round
from tests.support.factories import DepartmentFactory
from tests.support.recount import (
    Item,
    check,
    load_items,
    recount_comments,
    recount_gap,
    recount_group,
    recount_item,
    recount_words,
    without_wording,
)
from tests.support.report_checks import SUPPRESSED, ReportReader, leaks
from tests.support.report_data import Respondent, make_round, write_responses

# (parent, name): (executives, managers, front line) answering; a tenth more are invited.
ORGANISATION = {
    (None, "Sales"): (0, 0, 0),
    ("Sales", "Field Sales"): (8, 20, 300),
    ("Sales", "Inside Sales"): (2, 15, 250),
    # Customer Service has people of its own besides its two teams.
    (None, "Customer Service"): (4, 10, 0),
    ("Customer Service", "Contact Centre"): (1, 30, 700),
    ("Customer Service", "Returns"): (0, 8, 120),
    (None, "Operations"): (0, 0, 0),
    ("Operations", "Logistics"): (6, 25, 350),
    ("Operations", "Warehouse"): (0, 20, 280),
    ("Operations", "Yard"): (0, 0, 3),
    (None, "Finance"): (5, 12, 60),
    (None, "Legal"): (0, 1, 3),
}
WORDS = ["customers", "Clients", "accounts", "members", "guests", "users", "targets", "people"]
STORIES = ["A refund took three weeks.", "The driver fixed it himself.", "They wrote to the CEO."]
COMMENTS = ["Meetings run late.", "good energy", "Nobody listens to the floor", "Weekly huddle"]


def generate(rng: random.Random, departments: dict[str, Department], levels, items) -> tuple:
    """Respondents with plausible, varied answers, and who was invited but did not answer."""
    crowd: list[Respondent] = []
    absent = []
    kinds = [LevelKind.EXECUTIVE, LevelKind.MANAGER, LevelKind.FRONT_LINE]
    for (_, name), sizes in ORGANISATION.items():
        department = departments[name]
        for kind, size in zip(kinds, sizes, strict=True):
            level = levels[kind]
            mood = rng.random()
            for _ in range(size):
                person = Respondent(department=department, level=level)
                _answer(rng, person, items, mood)
                _write(rng, person)
                crowd.append(person)
            if size:
                absent.append((department, level, max(1, size // 10)))
    # Only four people in the Contact Centre answer trust-01.
    contact = [p for p in crowd if p.department == departments["Contact Centre"]]
    for person in contact[4:]:
        person.answers.pop("trust-01", None)
    for person in contact[:4]:
        person.answers["trust-01"] = 3
    return crowd, absent


def _answer(rng: random.Random, person: Respondent, items: list[Item], mood: float) -> None:
    """The person's choices: a few items left unanswered, the rest leaning to the upper
    half as the person's mood has it."""
    for item in items:
        if item.kind == "text":
            continue
        if rng.random() < 0.04:  # an item left unanswered
            continue
        if item.kind == "multi_choice":
            ticked = [v for v in item.values if rng.random() < 0.35]
            if ticked:
                person.answers[item.code] = ticked
            continue
        if rng.random() < mood:
            person.answers[item.code] = rng.choice(item.values[len(item.values) // 2 :])
        else:
            person.answers[item.code] = rng.choice(item.values)


def _write(rng: random.Random, person: Respondent) -> None:
    """The person's words for customers, sometimes a story and a comment or two."""
    if rng.random() < 0.6:
        picked = rng.sample(WORDS, k=rng.randint(1, 3))
        spaced = [f"  {w.upper()}" if rng.random() < 0.2 else w for w in picked]
        person.texts["conversation-04-words"] = ", ".join(spaced)
    if rng.random() < 0.1:
        person.texts["trust-03"] = rng.choice(STORIES)
    for code in ("conversation-02", "conversation-03", "trust-01"):
        if rng.random() < 0.05:
            person.comments[code] = rng.choice(COMMENTS)


@dataclass
class Generated:
    """A closed round of the ORGANISATION with its generated responses written."""

    round: Round
    departments: dict[str, Department]
    levels: dict[str, Level]
    items: list[Item]
    crowd: list[Respondent]
    absent: list[tuple[Department, Level, int]]


def generate_round(
    organisation: Organisation, instruments, *, seed: int = 20240611, **round_options
) -> Generated:
    """The ORGANISATION's departments, a closed round of `instruments` (threshold 5,
    comment threshold 10 unless given) and its respondents' rows."""
    rng = random.Random(seed)
    departments: dict[str, Department] = {}
    for parent, name in ORGANISATION:
        departments[name] = DepartmentFactory(
            organisation=organisation, name=name, parent=departments.get(parent)
        )
    levels = {lv.kind: lv for lv in Level.objects.filter(organisation=organisation)}
    round_options.setdefault("threshold", 5)
    round_options.setdefault("comment_threshold", 10)
    round_ = make_round(organisation, instruments, **round_options)
    items = load_items(round_)
    crowd, absent = generate(rng, departments, levels, items)
    write_responses(round_, crowd, not_responded=absent)
    return Generated(round_, departments, levels, items, crowd, absent)


@dataclass
class Groups:
    """Who is in which group, and how many were invited to it, recounted from the
    generated rows."""

    crowd: list[Respondent]
    invitations: Counter

    @classmethod
    def of(cls, generated: Generated) -> "Groups":
        invitations: Counter = Counter()
        for person in generated.crowd:
            invitations[(person.department.path, person.level.pk)] += 1
        for department, level, count in generated.absent:
            invitations[(department.path, level.pk)] += count
        return cls(generated.crowd, invitations)

    def members(self, path: str | None, level: Level | None = None) -> list[Respondent]:
        return [
            p
            for p in self.crowd
            if (
                path is None
                or p.department.path == path
                or p.department.path.startswith(path + "/")
            )
            and (level is None or p.level == level)
        ]

    def invited(self, path: str | None, level: Level | None = None) -> int:
        return sum(
            n
            for (p, lv), n in self.invitations.items()
            if (path is None or p == path or p.startswith(path + "/"))
            and (level is None or lv == level.pk)
        )


@dataclass
class ViewCheck:
    """Checks one group's view of the report's JSON against the recount."""

    groups: Groups
    items: list[Item]
    ordered_levels: list[Level]
    executive: str
    front_line: str
    checked: Counter

    def whole(self, view: dict, path: str | None, where: str) -> None:
        checked = self.checked
        if view == SUPPRESSED:
            checked["suppressed"] += 1
            return
        group = self.groups.members(path)
        mine = {
            k: view[k]
            for k in (
                "invited",
                "responded",
                "rate",
                "questions",
                "checklist",
                "obsessed",
                "obstacles",
                "smoke",
            )
        }
        expected = recount_group(view, self.items, group, self.groups.invited(path))
        check(without_wording(mine), expected, where, checked)
        self.levels(view, path, where)
        check(
            view["gap"],
            recount_gap(view["levels"], self.executive, self.front_line),
            f"{where}.gap",
            checked,
        )
        self.texts(view, group, where)

    def levels(self, view: dict, path: str | None, where: str) -> None:
        for level in self.ordered_levels:
            cell = view["levels"][level.name]
            if cell == SUPPRESSED:
                self.checked["suppressed"] += 1
                continue
            members, invited = self.groups.members(path, level), self.groups.invited(path, level)
            expected = recount_group(cell, self.items, members, invited)
            check(without_wording(cell), expected, f"{where}.levels.{level.name}", self.checked)

    def texts(self, view: dict, group: list[Respondent], where: str) -> None:
        checked = self.checked
        if view["comments"] == SUPPRESSED:
            assert view["words"] == SUPPRESSED
            checked["suppressed"] += 1
        else:
            check(
                view["comments"], recount_comments(group, self.items), f"{where}.comments", checked
            )
            check(view["words"], recount_words(group), f"{where}.words", checked)


def check_against_recount(data: dict, generated: Generated) -> Counter:
    """Every group, item, gap, comment list, word list and heatmap cell of the report's
    JSON equals the recount, and the gate leaves nothing small to subtraction. Returns
    how many groups were compared and how many were suppressed."""
    crowd, items = generated.crowd, generated.items
    organisation = generated.round.organisation
    levels = generated.levels
    groups = Groups.of(generated)
    ordered_levels = list(Level.objects.filter(organisation=organisation).order_by("position"))
    executive = levels[LevelKind.EXECUTIVE].name
    front_line = levels[LevelKind.FRONT_LINE].name
    checked: Counter = Counter()
    views = ViewCheck(groups, items, ordered_levels, executive, front_line, checked)

    views.whole(data["organisation"], None, "organisation")
    assert set(data["departments"]) == {d.path for d in generated.departments.values()}
    for path, view in data["departments"].items():
        views.whole(view, path, path)

    _check_heatmap(data, groups, items, checked)

    assert data["responses"] == len(crowd)
    round_ = generated.round
    assert (data["threshold"], data["comment_threshold"]) == (
        round_.threshold,
        round_.comment_threshold,
    )

    # What the gate decided: nothing small, nothing that subtraction narrows down.
    reader = ReportReader(data, generated.departments.values(), ordered_levels)
    assert (
        leaks(
            reader,
            crowd,
            threshold=round_.threshold,
            comment_threshold=round_.comment_threshold,
        )
        == []
    )
    return checked


def _check_heatmap(data: dict, groups: Groups, items: list[Item], checked: Counter) -> None:
    scored = [i.code for i in items if any(s is not None for s in i.scores.values())]
    assert data["heatmap"]["items"] == scored
    for path, row in data["heatmap"]["departments"].items():
        view = data["departments"][path]
        members = groups.members(path)
        expected_row = {
            code: SUPPRESSED
            if view == SUPPRESSED or view["questions"][code] == SUPPRESSED
            else recount_item(next(i for i in items if i.code == code), members)["score"]
            for code in scored
        }
        check(row, expected_row, f"heatmap.{path}", checked)
