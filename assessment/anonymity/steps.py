"""What an open round's next provisional look counts, given what the last one counted.

Comparing two looks at a report must never isolate a few people. A rebuild may come after
three new responses in the whole round, one of them the only new one in its department:
a department counted afresh would then move by one person. So a look is built from
*cells* (one department's own members at one level), and a cell moves on only by nobody
or by at least `threshold` people; until then it keeps exactly what the last look
counted for it. Every group a report shows, and every difference of groups, is a union of
cells, so whatever a reader subtracts between two looks holds nobody or at least the
threshold. Inside a cell that moves on, an item answered by only some of the new people
moves on the same way, and the cell's free text moves only by at least
`comment_threshold` people, the rule that lists of comments follow anyway.

The functions take and return the rows of ReportPart.counts (part_json); a published part
also keeps, per level, the responses its texts were taken from (`text_responded`).
"""

from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from operator import itemgetter

TEXT_RESPONDED = "text_responded"


def step_reached(before: int, now: int, step: int) -> bool:
    """Whether a published figure that counted `before` people may be published again
    counting `now`: only once at least `step` of them are new. The one rule for every
    figure that is published again and again (a report's cells, a workshop's screen)."""
    return abs(now - before) >= step


def moves(before: int, now: int, step: int) -> bool:
    """Whether a count may be shown as `now` in a look after one that showed `before`."""
    return now == before or step_reached(before, now, step)


def _per_level(part: Mapping[str, list], key: str) -> Counter[int]:
    # A level may have two rows: its members, and its workshop participants.
    total: Counter[int] = Counter()
    for level, n in part.get(key, []):
        total[level] += n
    return total


def _grouped(rows: list, key: itemgetter) -> dict[Hashable, list]:
    grouped: dict[Hashable, list] = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(list(row))
    return grouped


# Where the level, or the question and the level, stand in each kind of row.
LEVEL_FIRST, LEVEL_SECOND, QUESTION_AND_LEVEL = itemgetter(0), itemgetter(1), itemgetter(0, 1)


def _item_sizes(part: Mapping[str, list], multi: set[int]) -> Counter[tuple[int, int]]:
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


def first_look(counts: Mapping[str, list]) -> dict:
    """A part as the first look of a round publishes it: exactly as counted."""
    return {**counts, TEXT_RESPONDED: [list(row) for row in counts.get("responded", [])]}


def next_look(
    counts: Mapping[str, list],
    last: Mapping[str, list] | None,
    *,
    threshold: int,
    comment_threshold: int,
    multi: set[int],
) -> dict:
    """One department's part for the next look: its fresh `counts` where they may be
    shown, and what the `last` look counted where they may not yet."""
    if not last:
        return first_look(counts)
    responded, before = _per_level(counts, "responded"), _per_level(last, "responded")
    text_before = _per_level(last, TEXT_RESPONDED)
    items_now, items_before = _item_sizes(counts, multi), _item_sizes(last, multi)
    questions: dict[int, set[int]] = defaultdict(set)
    for question, level in items_now.keys() | items_before.keys():
        questions[level].add(question)

    def both(rows: str, key: itemgetter) -> tuple[dict[Hashable, list], dict[Hashable, list]]:
        return _grouped(counts.get(rows, []), key), _grouped(last.get(rows, []), key)

    invited, texts = both("invited", LEVEL_FIRST), both("texts", LEVEL_SECOND)
    answers = both("answers", QUESTION_AND_LEVEL)
    respondents = both("respondents", QUESTION_AND_LEVEL)

    look: dict[str, list] = {
        "invited": [],
        "responded": [],
        "answers": [],
        "respondents": [],
        "texts": [],
        TEXT_RESPONDED: [],
    }
    levels = responded.keys() | before.keys() | questions.keys()
    levels |= invited[0].keys() | invited[1].keys() | texts[0].keys() | texts[1].keys()
    for level in sorted(levels):
        now, then = responded.get(level, 0), before.get(level, 0)
        fresh = moves(then, now, threshold)
        # Invitations are fixed at launch; a cell that waits keeps its rate as it was too.
        look["invited"] += invited[0 if fresh else 1].get(level, [])
        if fresh:
            look["responded"].append([level, now])
        elif then:
            look["responded"].append([level, then])
        for question in sorted(questions.get(level, ())):
            key = (question, level)
            take = 0 if fresh and moves(items_before[key], items_now[key], threshold) else 1
            look["answers"] += answers[take].get(key, [])
            look["respondents"] += respondents[take].get(key, [])
        text_then = text_before.get(level, 0)
        if fresh and moves(text_then, now, comment_threshold):
            look["texts"] += texts[0].get(level, [])
            text_then = now
        else:
            look["texts"] += texts[1].get(level, [])
        if text_then:
            look[TEXT_RESPONDED].append([level, text_then])
    return look


def same_look(a: Mapping[int, Mapping[str, list]], b: Mapping[int, Mapping[str, list]]) -> bool:
    """Whether two looks (parts by department) count exactly the same, row order aside."""

    def rows(look: Mapping[int, Mapping[str, list]]) -> dict:
        return {
            (department, key): sorted(map(tuple, part.get(key, [])))
            for department, part in look.items()
            for key in ("invited", "responded", "answers", "respondents", "texts", TEXT_RESPONDED)
        }

    return rows(a) == rows(b)
