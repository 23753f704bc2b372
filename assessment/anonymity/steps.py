"""How far a published figure may move between two versions, and what the next version of
a round's report counts, given what the last one counted.

Comparing two versions of a report must never isolate a few people. A rebuild may come
after three new responses in the whole round, one of them the only new one in its
department: a department counted afresh would then move by one person. So a version is
built from *cells* (one department's own members at one level), and a cell moves on only
once at least `threshold` of its people are new; until then it keeps exactly what the last
version counted for it. That holds for every version: provisional ones, the final one at
close (late answers short of a step are held back) and those after a reopen. Every group a
report shows, and every difference of groups, is a union of cells, so whatever a reader
subtracts between two versions holds nobody or at least the threshold. Inside a cell that
moves on, an item answered by only some of the new people moves on the same way, and the
cell's free text moves only by at least `comment_threshold` people.

Only verified people count: the responses of people invited to the round. Answers given in
a workshop the round counts (a participant joined with a code and could have joined
twice) ride along in a cell only while the cell's verified people alone are enough to
show it (the threshold; the comment threshold for texts), and they change only when the
cell moves on. So no group is ever shown, and no step ever taken, on their account.

The functions take and return the JSON of ReportPart.counts and ReportPart.published,
read into `PartCounts` (assessment/reporting/counts.py): the verified rows, and under
"workshop" the rows of counted workshop participants; a published part also keeps, per
level, the verified responses its texts were taken from (`text_responded`).
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from assessment.reporting.counts import (
    ROWS,
    TEXT_RESPONDED,
    WORKSHOP,
    WORKSHOP_ROWS,
    AnswerRow,
    LevelRow,
    PartCounts,
    RespondentRow,
    Rows,
    TextRow,
)
from assessment.reporting.counts import per_level as _level_totals
from assessment.reporting.views import JSON

from .thresholds import reaches

__all__ = [
    "TEXT_RESPONDED",
    "WORKSHOP",
    "held_back",
    "moves",
    "next_version",
    "per_level",
    "room_step_due",
    "same_version",
    "step_reached",
]


def step_reached(before: int, now: int, step: int) -> bool:
    """Whether a published figure that counted `before` people may be published again
    counting `now`: only once at least `step` of them are new. The one rule for every
    figure that is published again and again (a report's cells, a workshop's screen)."""
    return abs(now - before) >= step


def room_step_due(*, published: int, now: int, step: int, head_count: int) -> bool:
    """Whether a live room's figure that was published counting `published` people may be
    published again counting `now`, in a room the facilitator said holds `head_count`: by
    the same rule, and never in a room too small to reach the step without made-up joins,
    nor counting more answers than people."""
    if not reaches(head_count, step) or now > head_count:
        return False
    return step_reached(published, now, step)


def moves(before: int, now: int, step: int) -> bool:
    """Whether a count may be shown as `now` in a version after one that showed `before`."""
    return now == before or step_reached(before, now, step)


def per_level(part: JSON, key: str) -> Counter[int]:
    """A part's (level, n) rows of one kind (invited, responded, text_responded), added
    up by level."""
    return _level_totals(LevelRow(*row) for row in part.get(key, []))


def _item_sizes(rows: Rows, multi: set[int]) -> Counter[tuple[int, int]]:
    """How many people answered each question at each level: for a several-choice question
    those who ticked anything, for the others the answers themselves."""
    sizes: Counter[tuple[int, int]] = Counter()
    for answer in rows.answers:
        if answer.question not in multi:
            sizes[(answer.question, answer.level)] += answer.n
    for respondent in rows.respondents:
        if respondent.question in multi:
            sizes[(respondent.question, respondent.level)] += respondent.n
    return sizes


def _grouped[Key: Hashable, Row](
    rows: Iterable[Row], key: Callable[[Row], Key]
) -> dict[Key, list[Row]]:
    grouped: dict[Key, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def _item(row: AnswerRow | RespondentRow) -> tuple[int, int]:
    return (row.question, row.level)


@dataclass(frozen=True)
class _Cells:
    """One population's rows, grouped by what a cell (or an item of a cell) is made of."""

    invited: dict[int, list[LevelRow]]
    responded: dict[int, list[LevelRow]]
    answers: dict[tuple[int, int], list[AnswerRow]]
    respondents: dict[tuple[int, int], list[RespondentRow]]
    texts: dict[int, list[TextRow]]

    @classmethod
    def of(cls, rows: Rows) -> "_Cells":
        return cls(
            invited=_grouped(rows.invited, lambda row: row.level),
            responded=_grouped(rows.responded, lambda row: row.level),
            answers=_grouped(rows.answers, _item),
            respondents=_grouped(rows.respondents, _item),
            texts=_grouped(rows.texts, lambda row: row.level),
        )


@dataclass(frozen=True)
class _Part:
    verified: _Cells
    workshop: _Cells

    @classmethod
    def of(cls, part: PartCounts) -> "_Part":
        return cls(_Cells.of(part.verified), _Cells.of(part.workshop or Rows()))


@dataclass
class _Version:
    """The rows of the version being made."""

    verified: Rows = field(default_factory=Rows)
    workshop: Rows = field(default_factory=Rows)
    text_responded: list[LevelRow] = field(default_factory=list)

    def counts(self) -> PartCounts:
        return PartCounts(self.verified, self.workshop, self.text_responded)


def _take_item(into: _Version, source: _Part, key: tuple[int, int], workshop: bool) -> None:
    """Copy one item's rows of a cell into the version, with its workshop rows when they
    may ride along."""
    into.verified.answers += source.verified.answers.get(key, [])
    into.verified.respondents += source.verified.respondents.get(key, [])
    if workshop:
        into.workshop.answers += source.workshop.answers.get(key, [])
        into.workshop.respondents += source.workshop.respondents.get(key, [])


def _take_texts(into: _Version, source: _Part, level: int, workshop: bool) -> None:
    into.verified.texts += source.verified.texts.get(level, [])
    if workshop:
        into.workshop.texts += source.workshop.texts.get(level, [])


class _NextVersion:
    """What the next version counts of one department, level by level."""

    def __init__(
        self,
        counts: PartCounts,
        last: PartCounts | None,
        *,
        threshold: int,
        comment_threshold: int,
        multi: set[int],
    ) -> None:
        self.first = last is None
        before = last or PartCounts()
        self.fresh, self.kept = _Part.of(counts), _Part.of(before)
        self.threshold, self.comment_threshold = threshold, comment_threshold
        self.responded = _level_totals(counts.verified.responded)
        self.before = _level_totals(before.verified.responded)
        self.text_before = _level_totals(before.text_responded or [])
        self.items_now = _item_sizes(counts.verified, multi)
        self.items_before = _item_sizes(before.verified, multi)
        self.questions: dict[int, set[int]] = defaultdict(set)
        for question, level in self.items_now.keys() | self.items_before.keys():
            self.questions[level].add(question)
        self.version = _Version()

    def levels(self) -> list[int]:
        levels = self.responded.keys() | self.before.keys() | self.questions.keys()
        for source in (self.fresh, self.kept):
            levels |= source.verified.invited.keys() | source.verified.texts.keys()
        return sorted(levels)

    def _moves_on(self, before: int, now: int, step: int) -> bool:
        return self.first or step_reached(before, now, step)

    def level(self, level: int) -> None:
        now, then = self.responded.get(level, 0), self.before.get(level, 0)
        moving = self._moves_on(then, now, self.threshold)
        # Invitations are fixed at launch; a cell that waits keeps its rate as it was too.
        cell, counted = (self.fresh, now) if moving else (self.kept, then)
        self.version.verified.invited += cell.verified.invited.get(level, [])
        if counted:
            self.version.verified.responded.append(LevelRow(level, counted))
        if not moving or now >= self.threshold:
            self.version.workshop.responded += cell.workshop.responded.get(level, [])
        self._items(level, moving)
        self._texts(level, moving, now)

    def _items(self, level: int, moving: bool) -> None:
        for question in sorted(self.questions.get(level, ())):
            key = (question, level)
            item_now = self.items_now[key]
            takes = moving and self._moves_on(self.items_before[key], item_now, self.threshold)
            source = self.fresh if takes else self.kept
            _take_item(self.version, source, key, workshop=not takes or item_now >= self.threshold)

    def _texts(self, level: int, moving: bool, now: int) -> None:
        text_then = self.text_before.get(level, 0)
        if moving and self._moves_on(text_then, now, self.comment_threshold):
            _take_texts(self.version, self.fresh, level, workshop=now >= self.comment_threshold)
            text_then = now
        else:
            _take_texts(self.version, self.kept, level, workshop=True)
        if text_then:
            self.version.text_responded.append(LevelRow(level, text_then))


def next_version(
    counts: JSON,
    last: JSON | None,
    *,
    threshold: int,
    comment_threshold: int,
    multi: set[int],
) -> JSON:
    """One department's part for the next version: its fresh `counts` where they may be
    shown, and what the `last` version counted where they may not yet. With no `last`, the
    round's first version: everything verified is counted."""
    step = _NextVersion(
        PartCounts.from_json(counts),
        None if last is None else PartCounts.from_json(last),
        threshold=threshold,
        comment_threshold=comment_threshold,
        multi=multi,
    )
    for level in step.levels():
        step.level(level)
    return step.version.counts().to_json()


def held_back(counts: JSON, version: JSON) -> int:
    """Verified responses a department's part counted that its version leaves out for now
    (none where responses were taken away since the version was made)."""
    counted, shown = per_level(counts, "responded"), per_level(version, "responded")
    return sum(max(counted[level] - shown[level], 0) for level in counted)


def same_version(a: Mapping[int, JSON], b: Mapping[int, JSON]) -> bool:
    """Whether two versions (parts by department) count exactly the same, row order aside."""

    def rows(version: Mapping[int, JSON]) -> dict[Hashable, list[tuple[object, ...]]]:
        result: dict[Hashable, list[tuple[object, ...]]] = {}
        for department, part in version.items():
            for kind in (*ROWS, TEXT_RESPONDED):
                result[(department, kind)] = sorted(map(tuple, part.get(kind, [])))
            for kind in WORKSHOP_ROWS:
                workshop = part.get(WORKSHOP, {}).get(kind, [])
                result[(department, WORKSHOP, kind)] = sorted(map(tuple, workshop))
        return result

    return rows(a) == rows(b)
