"""The steps an open round's report moves in (assessment/anonymity/steps.py), checked on
generated histories: people answer one after another, at two levels, a required item, an
optional one, a several-choice one and a comment; the report is built again at random
moments. Between any two versions, every count of every cell moves by nobody or by at
least the threshold, comments by at least the comment threshold, and each version counts
real people: what the raw counts were at some moment, level by level."""

from collections import Counter
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.anonymity.steps import TEXT_RESPONDED, moves, next_version
from assessment.reporting.counts import part_json

THRESHOLD = 3
COMMENT_THRESHOLD = 5
REQUIRED, OPTIONAL, SEVERAL, COMMENT = 1, 2, 3, 4
MULTI = {SEVERAL}
LEVELS = (10, 20)

person = st.fixed_dictionaries(
    {
        "level": st.sampled_from(LEVELS),
        "required": st.integers(1, 5),
        "optional": st.none() | st.integers(1, 5),
        "ticked": st.sets(st.integers(0, 3), max_size=3),
        "comment": st.none() | st.sampled_from(["More time with customers", "Less paperwork"]),
    }
)


def counts_of(people: list[dict]) -> dict:
    """A department's part as the database would count these people."""
    responded, answers, respondents, texts = Counter(), Counter(), Counter(), Counter()
    for p in people:
        level = p["level"]
        responded[level] += 1
        answers[(REQUIRED, level, p["required"])] += 1
        if p["optional"] is not None:
            answers[(OPTIONAL, level, p["optional"])] += 1
        for value in p["ticked"]:
            answers[(SEVERAL, level, value)] += 1
        if p["ticked"]:
            respondents[(SEVERAL, level)] += 1
        if p["comment"] is not None:
            texts[(COMMENT, level, True, p["comment"])] += 1
    return part_json(
        invited=[(level, 50) for level in LEVELS],
        responded=responded.items(),
        answers=[(*key, n) for key, n in answers.items()],
        respondents=[(*key, n) for key, n in respondents.items()],
        texts=[(*key, n) for key, n in texts.items()],
    )


def cell(version: dict, level: int) -> dict:
    """Everything a version counts for one level."""
    return {
        "responded": sum(n for lv, n in version["responded"] if lv == level),
        "items": {
            question: sorted(tuple(r) for r in version["answers"] if r[:2] == [question, level])
            for question in (REQUIRED, OPTIONAL, SEVERAL)
        },
        "several": sum(n for q, lv, n in version["respondents"] if lv == level and q == SEVERAL),
        "texts": sorted(tuple(r) for r in version["texts"] if r[1] == level),
    }


def item_size(c: dict, question: int) -> int:
    if question == SEVERAL:
        return c["several"]
    return sum(row[-1] for row in c["items"][question])


def version_history(people: list[dict], moments: list[int]) -> tuple[list[dict], list[dict]]:
    """The raw counts after each of the first `people`, and the versions built at `moments`."""
    raw = [counts_of(people[:k]) for k in range(len(people) + 1)]
    versions, last = [], None
    for k in sorted(set(moments)):
        last = next_version(
            raw[k],
            last,
            threshold=THRESHOLD,
            comment_threshold=COMMENT_THRESHOLD,
            multi=MULTI,
        )
        versions.append(last)
    return raw, versions


histories = st.lists(person, min_size=1, max_size=40).flatmap(
    lambda people: st.tuples(
        st.just(people),
        st.lists(st.integers(0, len(people)), min_size=1, max_size=12),
    )
)


@settings(max_examples=300, deadline=None)
@given(histories)
def test_every_cell_of_two_looks_differs_by_nobody_or_by_at_least_the_threshold(history):
    people, moments = history
    _, versions = version_history(people, moments)
    for before, after in pairwise(versions):
        for level in LEVELS:
            then, now = cell(before, level), cell(after, level)
            assert moves(then["responded"], now["responded"], THRESHOLD)
            for question in (REQUIRED, OPTIONAL, SEVERAL):
                assert moves(item_size(then, question), item_size(now, question), THRESHOLD)
            if then["texts"] != now["texts"]:
                comments_then = sum(n for lv, n in before[TEXT_RESPONDED] if lv == level)
                comments_now = sum(n for lv, n in after[TEXT_RESPONDED] if lv == level)
                assert abs(comments_now - comments_then) >= COMMENT_THRESHOLD


@settings(max_examples=300, deadline=None)
@given(histories)
def test_every_look_counts_each_cell_as_it_was_at_some_moment(history):
    people, moments = history
    raw, versions = version_history(people, moments)
    for version in versions:
        for level in LEVELS:
            counted = cell(version, level)
            then = [cell(r, level) for r in raw]
            assert counted["responded"] in [c["responded"] for c in then]
            for question in (REQUIRED, OPTIONAL):
                assert counted["items"][question] in [c["items"][question] for c in then]
            assert counted["texts"] in [c["texts"] for c in then]


@settings(max_examples=200, deadline=None)
@given(histories)
def test_once_every_cell_has_enough_new_people_the_look_counts_everyone(history):
    people, moments = history
    _, versions = version_history(people, moments)
    newcomers = [
        {"level": level, "required": 2, "optional": 2, "ticked": {1}, "comment": "Yes"}
        for level in LEVELS
        for _ in range(COMMENT_THRESHOLD)
    ]
    everyone = counts_of(people + newcomers)
    caught_up = next_version(
        everyone,
        versions[-1],
        threshold=THRESHOLD,
        comment_threshold=COMMENT_THRESHOLD,
        multi=MULTI,
    )
    for level in LEVELS:
        assert cell(caught_up, level) == cell(everyone, level)
