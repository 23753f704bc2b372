"""The model the history test of tests/anonymity/test_anonymity_histories.py plays: a round
of people answering, workshop participants joining, versions of the report built as the
merge task builds them, and who each published figure counts, tracked through the
published numbers themselves."""

from collections import Counter
from dataclasses import dataclass, field

from assessment.anonymity.steps import TEXT_RESPONDED, WORKSHOP, next_version, per_level
from assessment.reporting.assembly import ReportAssembly, is_suppressed
from assessment.reporting.counts import Counts, DepartmentInfo, LevelInfo, part_json
from assessment.reporting.stats import QuestionInfo
from tests.support.questions import OPTIONAL, REQUIRED, STORY

QUESTIONS = [REQUIRED, OPTIONAL, STORY]
ITEMS = (REQUIRED, OPTIONAL)


@dataclass(frozen=True)
class Person:
    id: int
    department: int
    level: int
    verified: bool  # invited, answering through their own link
    fake: bool  # a workshop participant the attacker made up
    required: int
    optional: int | None
    comment: bool

    def answer(self, question: QuestionInfo) -> int | None:
        return self.required if question is REQUIRED else self.optional

    @property
    def text(self) -> str:
        return f"comment of {self.id}"


@dataclass
class Round:
    parents: dict[int, int | None]
    levels: list[LevelInfo]
    threshold: int
    comment_threshold: int
    invited: list[Person]
    answered: list[Person] = field(default_factory=list)
    participants: list[Person] = field(default_factory=list)
    counted: bool = False
    open: bool = True

    def path(self, department: int) -> str:
        parent = self.parents[department]
        return f"D{department}" if parent is None else f"{self.path(parent)}/D{department}"

    def raw(self) -> dict[int, dict]:
        """Each department's counts as the part tasks would store them now."""
        parts = {}
        for department in self.parents:
            mine = [p for p in self.answered if p.department == department]
            workshop = [p for p in self.participants if p.department == department]
            invited = Counter(p.level for p in self.invited if p.department == department)
            part = _rows(mine)
            parts[department] = part_json(
                invited=invited.items(),
                **part,
                workshop=_rows(workshop) if self.counted and workshop else None,
            )
        return parts


def _rows(people: list[Person]) -> dict[str, list]:
    responded, answers, texts = Counter(), Counter(), Counter()
    for p in people:
        responded[p.level] += 1
        for item in ITEMS:
            if p.answer(item) is not None:
                answers[(item.id, p.level, p.answer(item))] += 1
        if p.comment:
            texts[(STORY.id, p.level, False, p.text)] += 1
    return {
        "responded": list(responded.items()),
        "answers": [(*key, n) for key, n in answers.items()],
        "respondents": [],
        "texts": [(*key, n) for key, n in texts.items()],
    }


Cell = tuple[int, int]  # (department, level)
KINDS = (REQUIRED.id, OPTIONAL.id, "texts")


@dataclass
class Tracked:
    """Per kind of figure and cell: the count last published and the people behind it."""

    counts: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)


def _counted_now(round_: Round, cell: Cell, kind, workshop: bool) -> frozenset[Person]:
    source = round_.participants if workshop else round_.answered
    in_cell = [p for p in source if (p.department, p.level) == cell]
    if kind == "texts":
        # A list of comments is about everyone whose texts were taken, those who wrote
        # nothing too (the gate counts them). A workshop participant adds only a text.
        return frozenset(p for p in in_cell if p.comment or not workshop)
    return frozenset(p for p in in_cell if p.answer(_item(kind)) is not None)


def _item(kind) -> QuestionInfo:
    return REQUIRED if kind == REQUIRED.id else OPTIONAL


def _look_count(version: dict, level: int, kind, workshop: bool) -> int:
    rows = version.get(WORKSHOP, {}) if workshop else version
    if kind == "texts":
        if workshop:
            return sum(r[-1] for r in rows.get("texts", []) if r[1] == level)
        return per_level(version, TEXT_RESPONDED)[level]
    return sum(r[-1] for r in rows.get("answers", []) if r[0] == kind and r[1] == level)


def _track(tracked: Tracked, round_: Round, versions: dict[int, dict]) -> None:
    """What each cell's figures count in the version just built: the people now in it
    where its number moved, the people it counted before where it did not."""
    for department, version in versions.items():
        for level in (lv.id for lv in round_.levels):
            for kind in KINDS:
                for workshop in (False, True):
                    key = (kind, workshop, (department, level))
                    count = _look_count(version, level, kind, workshop)
                    if tracked.counts.get(key) != count:
                        tracked.counts[key] = count
                        people = _counted_now(round_, (department, level), kind, workshop)
                        tracked.people[key] = people if count else frozenset()


def _group_people(tracked: Tracked, kind, cells: list[Cell]) -> frozenset[Person]:
    return frozenset().union(
        *(tracked.people.get((kind, w, c), frozenset()) for c in cells for w in (False, True))
    )


def _published_rows(round_: Round, data: dict, tracked: Tracked) -> dict[object, list[frozenset]]:
    """For each kind of figure, the people behind every figure this version shows an
    executive (who sees everything any reader sees), checked against its numbers."""
    rows: dict[object, list[frozenset]] = {kind: [] for kind in KINDS}
    below = {d: {d} for d in round_.parents}
    for d in sorted(round_.parents, reverse=True):
        parent = round_.parents[d]
        if parent is not None:
            below[parent] |= below[d]
    wholes = [(data["organisation"], set(round_.parents))]
    wholes += [(data["departments"][round_.path(d)], below[d]) for d in round_.parents]
    for view, departments in wholes:
        if is_suppressed(view):
            continue
        groups = [(view, [lv.id for lv in round_.levels])]
        groups += [(view["levels"][lv.name], [lv.id]) for lv in round_.levels]
        for group, levels in groups:
            if is_suppressed(group):
                continue
            cells = [(d, lv) for d in departments for lv in levels]
            for item in ITEMS:
                stats = group["questions"][item.code]
                if is_suppressed(stats):
                    continue
                people = _group_people(tracked, item.id, cells)
                values = Counter(p.answer(item) for p in people)
                assert stats["n"] == len(people), "the test lost track of who is counted"
                assert all(stats["distribution"][str(v)] == n for v, n in values.items())
                rows[item.id].append(people)
        comments = view.get("comments")
        if comments is not None and not is_suppressed(comments):
            people = _group_people(
                tracked, "texts", [(d, lv.id) for d in departments for lv in round_.levels]
            )
            listed = Counter(comments.get(STORY.code, []))
            written = Counter(p.text for p in people if p.comment)
            assert listed == written, "the test lost track of texts"
            rows["texts"].append(people)
    return rows


def play(round_: Round, events: list[tuple]) -> tuple[dict[object, list[frozenset]], int, int]:
    """Run a history; what an executive saw of each kind, and the first thresholds."""
    first = (round_.threshold, round_.comment_threshold)
    history = History(round_)
    for event in events:
        getattr(history, f"on_{event[0]}")(*event[1:])
    return history.seen, *first


class History:
    """A history being played, one event at a time: the round as it stands, the versions
    built so far and what an executive saw in them. An event that cannot happen now
    (answering while the round is closed, deleting when nobody answered) changes nothing."""

    def __init__(self, round_: Round) -> None:
        self.round_ = round_
        self.departments = [
            DepartmentInfo(id=d, parent_id=p, path=round_.path(d))
            for d, p in round_.parents.items()
        ]
        self.cells = [(d, lv.id) for d in round_.parents for lv in round_.levels]
        self.last_versions: dict[int, dict] | None = None
        self.last_decisions = None
        self.tracked = Tracked()
        self.seen: dict[object, list[frozenset]] = {kind: [] for kind in KINDS}
        self.next_id = len(round_.invited)

    def on_answer(self, k: int, together: int, elsewhere: int) -> None:
        round_ = self.round_
        if not round_.open:
            return
        waiting = [p for p in round_.invited if p not in round_.answered]
        if waiting:
            cell = (waiting[k % len(waiting)].department, waiting[k % len(waiting)].level)
            team = [p for p in waiting if (p.department, p.level) == cell]
            others = [p for p in waiting if p not in team]
            round_.answered += team[:together] + others[k % 5 :: 2][:elsewhere]

    def on_these(self, ids: set[int]) -> None:
        if self.round_.open:
            self.round_.answered += [p for p in self.round_.invited if p.id in ids]

    def on_delete(self, k: int) -> None:
        if self.round_.answered:
            self.round_.answered.pop(k % len(self.round_.answered))

    def on_join(self, k: int, fake: bool, joins: int) -> None:
        if not self.cells:
            return
        department, level = self.cells[k % len(self.cells)]
        for _ in range(joins):
            next_id = self.next_id
            self.round_.participants.append(
                Person(next_id, department, level, False, fake, 1 + next_id % 2, None, not fake)
            )
            self.next_id += 1

    def on_count(self, counted: bool) -> None:
        self.round_.counted = counted

    def on_close(self) -> None:
        self.round_.open = False

    def on_reopen(self) -> None:
        self.round_.open = True

    def on_raise(self) -> None:
        round_ = self.round_
        round_.threshold += 1
        round_.comment_threshold = max(round_.comment_threshold, round_.threshold)

    def on_build(self) -> None:
        """A version built as the merge task builds it, and what it shows an executive."""
        round_, last_versions = self.round_, self.last_versions
        raw = round_.raw()
        versions = {
            d: next_version(
                raw[d],
                None if last_versions is None else last_versions[d],
                threshold=round_.threshold,
                comment_threshold=round_.comment_threshold,
                multi=set(),
            )
            for d in round_.parents
        }
        assembly = ReportAssembly(
            departments=self.departments,
            levels=round_.levels,
            questions=QUESTIONS,
            parts={d: Counts.from_part(version) for d, version in versions.items()},
            threshold=round_.threshold,
            comment_threshold=round_.comment_threshold,
            last=(
                None
                if last_versions is None
                else {d: Counts.from_part(version) for d, version in last_versions.items()}
            ),
            last_decisions=self.last_decisions,
        )
        data = assembly.report()
        _track(self.tracked, round_, versions)
        for kind, rows in _published_rows(round_, data, self.tracked).items():
            self.seen[kind] += rows
        self.last_versions, self.last_decisions = versions, assembly.decisions
