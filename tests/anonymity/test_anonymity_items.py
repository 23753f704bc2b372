"""Subtraction, item by item and comment list by comment list: for hundreds of generated
organisations, whatever one reader can see of the report — the whole organisation, or a
department lead's own subtree — never lets them work out the answers to one question, or
the comments, of fewer people than the threshold.

The report is assembled by the code the merge task runs (ReportAssembly over the parts'
counts), cut to each reader by ReportScope, and read back from its JSON; what that JSON
gives away is then audited by tests/support/disclosure.py, which knows nothing of
assessment/anonymity/. No database: each example is pure counting.
"""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.reporting.assembly import ReportAssembly, is_suppressed
from assessment.reporting.counts import Counts, DepartmentInfo, LevelInfo, part_json
from assessment.reporting.scope import ReportScope
from tests.support.disclosure import ORG, Group, disclosures, equations, group_sizes
from tests.support.questions import LEVELS, OPTIONAL, REQUIRED, SEVERAL, STORY, WORDS

QUESTIONS = [REQUIRED, OPTIONAL, SEVERAL, STORY, WORDS]
ITEMS = [REQUIRED, OPTIONAL, SEVERAL]


@dataclass
class Organisation:
    parents: dict[int, int | None]
    levels: list[LevelInfo]
    threshold: int
    comment_threshold: int
    # Per (department, level) of the people placed directly there:
    responded: dict[tuple[int, int], int]
    answered: dict[int, dict[tuple[int, int], int]]  # by question id
    commented: dict[tuple[int, int], int]  # comments written, one per commenter

    @property
    def level_ids(self) -> list[int]:
        return [lv.id for lv in self.levels]

    def path(self, department_id: int) -> str:
        parent = self.parents[department_id]
        name = f"D{department_id}"
        return name if parent is None else f"{self.path(parent)}/{name}"

    def comment(self, department_id: int, level_id: int, number: int) -> str:
        return f"comment {number} of {department_id}.{level_id}"


# Mostly small groups: those are the ones that leak.
SIZES = st.sampled_from([0, 0, 1, 2, 3, 4, 5, 6, 8, 11, 15, 30])


@st.composite
def organisations(draw) -> Organisation:
    departments = draw(st.integers(min_value=1, max_value=7))
    parents: dict[int, int | None] = {}
    for department in range(1, departments + 1):
        parents[department] = draw(st.sampled_from([None, *range(1, department)]))
    levels = LEVELS[: draw(st.integers(min_value=1, max_value=3))]
    threshold = draw(st.integers(min_value=3, max_value=6))
    comment_threshold = draw(st.integers(min_value=threshold, max_value=12))
    cells = [(d, lv.id) for d in parents for lv in levels]
    responded = {cell: draw(SIZES) for cell in cells}

    def some_of(cell: tuple[int, int]) -> int:
        return draw(st.integers(min_value=0, max_value=responded[cell]))

    answered = {REQUIRED.id: dict(responded)}
    for item in (OPTIONAL, SEVERAL):
        answered[item.id] = {cell: some_of(cell) for cell in cells}
    commented = {cell: some_of(cell) for cell in cells}
    return Organisation(
        parents=parents,
        levels=levels,
        threshold=threshold,
        comment_threshold=comment_threshold,
        responded=responded,
        answered=answered,
        commented=commented,
    )


def parts_of(org: Organisation) -> dict[int, Counts]:
    """Each department's counts as the part task stores them (ReportPart.counts)."""
    parts = {}
    for department in org.parents:
        answers, respondents, texts, responded = [], [], [], []
        for level in org.level_ids:
            cell = (department, level)
            responded.append((level, org.responded[cell]))
            n = org.answered[REQUIRED.id][cell]
            answers += [(REQUIRED.id, level, 1, n - n // 3), (REQUIRED.id, level, 2, n // 3)]
            n = org.answered[OPTIONAL.id][cell]
            answers += [(OPTIONAL.id, level, 1 + k % 5, 1) for k in range(n)]
            n = org.answered[SEVERAL.id][cell]
            respondents.append((SEVERAL.id, level, n))
            # Each ticks the first option, every other one the second too.
            answers += [(SEVERAL.id, level, 0, n), (SEVERAL.id, level, 1, (n + 1) // 2)]
            for number in range(org.commented[cell]):
                text = org.comment(department, level, number)
                texts += [(STORY.id, level, False, text, 1), (WORDS.id, level, False, text, 1)]
        parts[department] = Counts.from_part(
            part_json(
                invited=responded,
                responded=responded,
                answers=answers,
                respondents=respondents,
                texts=texts,
            )
        )
    return parts


def report_of(org: Organisation) -> dict:
    departments = [
        DepartmentInfo(id=d, parent_id=p, path=org.path(d)) for d, p in org.parents.items()
    ]
    return ReportAssembly(
        departments=departments,
        levels=org.levels,
        questions=QUESTIONS,
        parts=parts_of(org),
        threshold=org.threshold,
        comment_threshold=org.comment_threshold,
    ).report()


def readers(org: Organisation, data: dict) -> Iterator[tuple[str, dict]]:
    """Everything each reader may see: the whole organisation (executives, facilitators,
    admins), and each department's lead."""
    yield "the whole organisation", ReportScope(data).json()
    for department in org.parents:
        path = org.path(department)
        yield f"the lead of {path}", ReportScope(data, within=path).json()


def viewed_groups(org: Organisation, seen: dict) -> Iterator[tuple[Group, dict]]:
    """Every shown group in a reader's JSON, under tests/support/disclosure.py's names."""
    by_path = {org.path(d): d for d in org.parents}
    levels = {lv.name: lv.id for lv in org.levels}
    wholes = [] if seen["organisation"] is None else [(ORG, seen["organisation"])]
    wholes += [(("dept", by_path[path]), view) for path, view in seen["departments"].items()]
    for group, view in wholes:
        if is_suppressed(view):
            continue
        yield group, view
        for name, level_view in view["levels"].items():
            if not is_suppressed(level_view):
                yield (group, levels[name]), level_view


def item_seen(org: Organisation, seen: dict, code: str) -> dict[Group, int | None]:
    """The groups whose answers to one item the reader sees, with the n shown (None where
    only a number derived from it shows: the heatmap, the gap)."""
    by_path = {org.path(d): d for d in org.parents}
    shown: dict[Group, int | None] = {}
    for group, view in viewed_groups(org, seen):
        stats = view["questions"][code]
        if not is_suppressed(stats):
            shown[group] = stats["n"]
        for gap in view.get("gap", []):
            if gap["code"] == code:
                shown.setdefault((group, LEVELS[0].id), None)
                shown.setdefault((group, LEVELS[1].id), None)
    for path, row in seen["heatmap"]["departments"].items():
        if code in row and not is_suppressed(row[code]):
            shown.setdefault(("dept", by_path[path]), None)
    return shown


def comments_seen(org: Organisation, seen: dict) -> dict[Group, Counter]:
    """The groups whose comments (or words) the reader sees, with the comments listed."""
    shown = {}
    for group, view in viewed_groups(org, seen):
        comments, words = view.get("comments"), view.get("words")
        if comments is None or (is_suppressed(comments) and is_suppressed(words)):
            continue
        shown[group] = Counter() if is_suppressed(comments) else Counter(comments.get(STORY.code))
    return shown


def whole_of(group: Group) -> Group:
    """The organisation or department a group is (one level of)."""
    return group if group == ORG or group[0] == "dept" else group[0]


def members(org: Organisation, group: Group) -> set[int]:
    """The departments whose direct members make up a whole (the organisation or a
    department with those below it)."""
    if group == ORG:
        return set(org.parents)
    inside = {group[1]}
    while True:
        more = {d for d, p in org.parents.items() if p in inside} - inside
        if not more:
            return inside
        inside |= more


def comments_written(org: Organisation, group: Group) -> Counter:
    return Counter(
        org.comment(d, lv, number)
        for d in members(org, group)
        for lv in org.level_ids
        for number in range(org.commented[(d, lv)])
    )


@settings(max_examples=300, deadline=None)
@given(organisations())
def test_no_reader_can_work_out_the_answers_to_an_item_of_fewer_than_the_threshold(org):
    data = report_of(org)
    sums = equations(org.parents, org.level_ids)
    for item in ITEMS:
        sizes = group_sizes(org.parents, org.level_ids, org.answered[item.id])
        for reader, seen in readers(org, data):
            shown = item_seen(org, seen, item.code)
            # What the reader sees is the item's own n, not the group's.
            wrong = {g: n for g, n in shown.items() if n is not None and n != sizes[g]}
            assert wrong == {}, (reader, item.code)
            assert disclosures(shown, sizes, sums, org.threshold) == [], (reader, item.code)


@settings(max_examples=300, deadline=None)
@given(organisations())
def test_no_reader_can_work_out_the_comments_of_fewer_than_the_comment_threshold(org):
    data = report_of(org)
    sums = equations(org.parents, org.level_ids)
    sizes = group_sizes(org.parents, org.level_ids, org.responded)
    for reader, seen in readers(org, data):
        shown = comments_seen(org, seen)
        # Lists are whole: every comment of the group's people, and no one else's.
        for group, comments in shown.items():
            assert comments == comments_written(org, group), (reader, group)
        assert all(whole_of(g) == g for g in shown), "comments are never listed by level"
        assert disclosures(shown, sizes, sums, org.comment_threshold) == [], reader


@settings(max_examples=100, deadline=None)
@given(organisations())
def test_a_lead_sees_nothing_outside_their_own_department(org):
    data = report_of(org)
    for department in org.parents:
        seen = ReportScope(data, within=org.path(department)).json()
        wholes = {whole_of(g) for g, _ in viewed_groups(org, seen)}
        assert ORG not in wholes
        assert {g[1] for g in wholes} <= members(org, ("dept", department))


def small_optional_item() -> Organisation:
    """Sales 8 and Support 8 answer everything; 2 people of Sales and all of Support
    answer the optional item."""
    front = LEVELS[1]
    cells = {(1, front.id): 8, (2, front.id): 8}
    return Organisation(
        parents={1: None, 2: None},
        levels=[front],
        threshold=5,
        comment_threshold=10,
        responded=cells,
        answered={
            REQUIRED.id: cells,
            OPTIONAL.id: {(1, front.id): 2, (2, front.id): 8},
            SEVERAL.id: cells,
        },
        commented={(1, front.id): 1, (2, front.id): 0},
    )


def test_an_item_answered_by_too_few_is_hidden_where_its_group_is_shown_and_beside_it():
    data = report_of(small_optional_item())
    sales, support = data["departments"]["D1"], data["departments"]["D2"]

    assert sales["responded"] == 8 and support["responded"] == 8
    assert sales["questions"][REQUIRED.code]["n"] == 8
    # Two of Sales answered it: hidden, and Support's eight with it, or the
    # organisation's ten less Support's eight would give the two away.
    assert is_suppressed(sales["questions"][OPTIONAL.code])
    assert is_suppressed(support["questions"][OPTIONAL.code])
    assert data["organisation"]["questions"][OPTIONAL.code]["n"] == 10
    assert is_suppressed(data["heatmap"]["departments"]["D2"][OPTIONAL.code])


def test_comments_show_only_for_a_group_of_the_comment_threshold_and_never_beside_a_small_one():
    data = report_of(small_optional_item())
    # Sixteen people in all: the whole organisation's comments are listed...
    assert data["organisation"]["comments"] == {STORY.code: ["comment 0 of 1.2"]}
    # ...but neither department has ten, so neither list shows.
    assert is_suppressed(data["departments"]["D1"]["comments"])
    assert is_suppressed(data["departments"]["D2"]["comments"])
    assert is_suppressed(data["departments"]["D2"]["words"])
