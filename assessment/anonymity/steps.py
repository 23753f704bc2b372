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

The functions take and return the rows of ReportPart.counts (see `part_json` in
assessment/reporting/assembly.py): the verified rows, and under "workshop" the rows of
counted workshop participants; a published part also keeps, per level, the verified
responses its texts were taken from (`text_responded`).
"""

from collections import Counter, defaultdict
from collections.abc import Mapping
from operator import itemgetter

from .thresholds import reaches

TEXT_RESPONDED = "text_responded"
WORKSHOP = "workshop"
ROWS = ("invited", "responded", "answers", "respondents", "texts")
WORKSHOP_ROWS = ("responded", "answers", "respondents", "texts")


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


def per_level(part: Mapping[str, list], key: str) -> Counter[int]:
    total: Counter[int] = Counter()
    for level, n in part.get(key, []):
        total[level] += n
    return total


def item_sizes(part: Mapping[str, list], multi: set[int]) -> Counter[tuple[int, int]]:
    """How many people answered each question at each level: for a several-choice question
    those who ticked anything, for the others the answers themselves."""
    sizes: Counter[tuple[int, int]] = Counter()
    for question, level, _value, n in part.get("answers", []):
        if question not in multi:
            sizes[(question, level)] += n
    for question, level, n in part.get("respondents", []):
        if question in multi:
            sizes[(question, level)] += n
    return sizes


def _grouped(rows: list, key: itemgetter) -> dict:
    grouped: dict = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(list(row))
    return grouped


# Where the level, or the question and the level, stand in each kind of row.
LEVEL_FIRST, LEVEL_SECOND, QUESTION_AND_LEVEL = itemgetter(0), itemgetter(1), itemgetter(0, 1)
KEYS = {
    "invited": LEVEL_FIRST,
    "responded": LEVEL_FIRST,
    "answers": QUESTION_AND_LEVEL,
    "respondents": QUESTION_AND_LEVEL,
    "texts": LEVEL_SECOND,
}


class _Rows:
    """One part's rows, grouped by what a cell (or an item of a cell) is made of."""

    def __init__(self, part: Mapping | None) -> None:
        part = part or {}
        workshop = part.get(WORKSHOP, {})
        self.verified = {kind: _grouped(part.get(kind, []), KEYS[kind]) for kind in ROWS}
        self.workshop = {kind: _grouped(workshop.get(kind, []), KEYS[kind]) for kind in ROWS}


def _empty() -> dict:
    return {
        **{kind: [] for kind in ROWS},
        TEXT_RESPONDED: [],
        WORKSHOP: {kind: [] for kind in WORKSHOP_ROWS},
    }


def _take(version: dict, rows: _Rows, kind: str, key: object, workshop: bool) -> None:
    """Copy one cell's (or item's) rows of a kind into the version, with its workshop rows
    when they may ride along."""
    version[kind] += rows.verified[kind].get(key, [])
    if workshop:
        version[WORKSHOP][kind] += rows.workshop[kind].get(key, [])


def next_version(
    counts: Mapping,
    last: Mapping | None,
    *,
    threshold: int,
    comment_threshold: int,
    multi: set[int],
) -> dict:
    """One department's part for the next version: its fresh `counts` where they may be
    shown, and what the `last` version counted where they may not yet. With no `last`, the
    round's first version: everything verified is counted."""
    fresh, kept = _Rows(counts), _Rows(last)
    responded, before = per_level(counts, "responded"), per_level(last or {}, "responded")
    text_before = per_level(last or {}, TEXT_RESPONDED)
    items_now, items_before = item_sizes(counts, multi), item_sizes(last or {}, multi)
    questions: dict[int, set[int]] = defaultdict(set)
    for question, level in items_now.keys() | items_before.keys():
        questions[level].add(question)
    levels = responded.keys() | before.keys() | questions.keys()
    for source in (fresh, kept):
        levels |= source.verified["invited"].keys() | source.verified["texts"].keys()
    version = _empty()
    for level in sorted(levels):
        now, then = responded.get(level, 0), before.get(level, 0)
        moving = last is None or step_reached(then, now, threshold)
        # Invitations are fixed at launch; a cell that waits keeps its rate as it was too.
        cell, counted = (fresh, now) if moving else (kept, then)
        version["invited"] += cell.verified["invited"].get(level, [])
        if counted:
            version["responded"].append([level, counted])
        if not moving or now >= threshold:
            version[WORKSHOP]["responded"] += cell.workshop["responded"].get(level, [])
        for question in sorted(questions.get(level, ())):
            key = (question, level)
            item_now = items_now[key]
            takes = moving and (
                last is None or step_reached(items_before[key], item_now, threshold)
            )
            source = fresh if takes else kept
            for kind in ("answers", "respondents"):
                _take(version, source, kind, key, workshop=not takes or item_now >= threshold)
        text_then = text_before.get(level, 0)
        if moving and (last is None or step_reached(text_then, now, comment_threshold)):
            _take(version, fresh, "texts", level, workshop=now >= comment_threshold)
            text_then = now
        else:
            _take(version, kept, "texts", level, workshop=True)
        if text_then:
            version[TEXT_RESPONDED].append([level, text_then])
    return version


def held_back(counts: Mapping, version: Mapping) -> int:
    """Verified responses a department's part counted that its version leaves out for now
    (none where responses were taken away since the version was made)."""
    counted, shown = per_level(counts, "responded"), per_level(version, "responded")
    return sum(max(counted[level] - shown[level], 0) for level in counted)


def same_version(a: Mapping[int, Mapping], b: Mapping[int, Mapping]) -> bool:
    """Whether two versions (parts by department) count exactly the same, row order aside."""

    def rows(version: Mapping[int, Mapping]) -> dict:
        result = {}
        for department, part in version.items():
            for kind in (*ROWS, TEXT_RESPONDED):
                result[(department, kind)] = sorted(map(tuple, part.get(kind, [])))
            for kind in WORKSHOP_ROWS:
                workshop = part.get(WORKSHOP, {}).get(kind, [])
                result[(department, WORKSHOP, kind)] = sorted(map(tuple, workshop))
        return result

    return rows(a) == rows(b)
