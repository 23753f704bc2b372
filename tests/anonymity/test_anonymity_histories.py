"""The attacker of tests/support/attacker.py against whole histories of a round.

Hypothesis draws an organisation (an uneven tree, one to three levels, one to five people
in most cells) and a history: people answering, the report built again at any moment,
the round closed and reopened (late answers), workshop participants joining with a code —
real ones and fakes the attacker made up — and counted in and out of the round, responses
deleted behind the application's back, thresholds raised. Every version is built by the
code the merge task runs (next_version, then ReportAssembly with the published version in
view). After the history, the attacker takes everything an executive could have
downloaded in every version and solves for any set of people with fewer verified among
them than the round's first threshold.

The test knows who each published figure counts from the published numbers themselves:
a cell's figure changes exactly when the people it counts do (and each figure is checked
against the answers of the people taken to be behind it).
"""

import os

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.support.attacker import recoverable
from tests.support.histories import Person, Round, play
from tests.support.questions import LEVELS

# How many generated histories `make test` plays (docs/security.md says so).
HISTORIES = 1000

SIZES = st.sampled_from([0, 1, 1, 2, 2, 3, 4, 5, 6, 8])
# People of one cell answering (a department's team often answers together), a few of
# anywhere else too.
ANSWERS = st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 50), st.integers(1, 6), st.integers(0, 2)),
    st.tuples(st.just("answer"), st.integers(0, 50), st.just(0), st.integers(1, 10)),
)
EVENTS = st.one_of(
    ANSWERS,
    ANSWERS,
    ANSWERS,
    st.tuples(st.just("build")),
    st.tuples(st.just("build")),
    st.tuples(st.just("close")),
    st.tuples(st.just("reopen")),
    st.tuples(st.just("join"), st.integers(0, 50), st.booleans(), st.integers(1, 4)),
    st.tuples(st.just("count"), st.sampled_from([True, True, False])),
    st.tuples(st.just("delete"), st.integers(0, 50)),
    st.tuples(st.just("raise")),
)


@st.composite
def rounds(draw) -> tuple[Round, list[tuple]]:
    departments = draw(st.integers(min_value=2, max_value=6))
    parents: dict[int, int | None] = {}
    for department in range(1, departments + 1):
        parents[department] = draw(st.sampled_from([None, *range(1, department)]))
    levels = LEVELS[: draw(st.integers(min_value=1, max_value=3))]
    threshold = draw(st.integers(min_value=3, max_value=5))
    comment_threshold = draw(st.integers(min_value=threshold, max_value=threshold + 3))
    invited = []
    for department in parents:
        for level in levels:
            for _ in range(draw(SIZES)):
                invited.append(
                    Person(
                        id=len(invited),
                        department=department,
                        level=level.id,
                        verified=True,
                        fake=False,
                        required=draw(st.integers(1, 2)),
                        optional=draw(st.none() | st.integers(1, 5)),
                        comment=draw(st.booleans()),
                    )
                )
    # Stretches of events, each ending in a build more often than not: most histories
    # publish several versions with people arriving between them.
    events = []
    for stretch in draw(st.lists(st.lists(EVENTS, min_size=1, max_size=6), min_size=1, max_size=6)):
        events += stretch
        if draw(st.integers(0, 3)):
            events.append(("build",))
    round_ = Round(parents, levels, threshold, comment_threshold, invited)
    return round_, [*events, ("close",), ("build",)]


def disclosed(round_: Round, events: list[tuple]) -> list[str]:
    seen, threshold, comment_threshold = play(round_, events)
    fakes = {p for p in round_.participants if p.fake}
    verified = list(round_.invited)
    found = []
    for kind, rows in seen.items():
        limit = comment_threshold if kind == "texts" else threshold
        real_rows = [row - fakes for row in rows]
        for recovered in recoverable(real_rows, verified, limit):
            who = sorted(p.id for p in recovered.people)
            found.append(f"{kind}: people {who} ({recovered.verified} verified) solved for")
    return found


def known(
    parents: dict[int, int | None],
    people: dict[tuple[int, int], int],
    threshold: int,
    events: list[tuple],
    levels: int = 1,
) -> tuple[Round, list[tuple]]:
    """A history written out by hand: `people` per (department, level); everyone answers
    Yes to the required item, the optional one with 3, and writes a comment."""
    cells = [cell for cell, n in sorted(people.items()) for _ in range(n)]
    invited = [Person(i, d, lv, True, False, 1, 3, True) for i, (d, lv) in enumerate(cells)]
    return Round(parents, LEVELS[:levels], threshold, threshold, invited), events


# One version of a tree: D2's own person, D4's one person and D5's three (below D2)
# answer. Chains of partitions leave D2's own person and D4 hidden; only an exact look at
# the whole table sees that the two can still be solved for together.
ONE_TABLE = known(
    {1: None, 2: None, 3: None, 4: None, 5: 2},
    {(1, 1): 1, (2, 1): 1, (3, 1): 1, (4, 1): 1, (5, 1): 3},
    3,
    [("these", {1, 3, 4, 5, 6}), ("close",), ("build",)],
)
# Two versions: D1's one person is hidden in the first beside three others; once three
# more of D1 answer, D1 shown in the second gives away the first one.
TWO_VERSIONS = known(
    {1: None, 2: None, 3: None, 4: None},
    {(1, 1): 8, (2, 1): 1, (3, 1): 1, (4, 1): 1},
    3,
    [("these", {0, 8, 9, 10}), ("build",), ("these", {1, 2, 3}), ("close",), ("build",)],
)


@settings(
    max_examples=int(os.environ.get("HISTORIES", HISTORIES)),
    deadline=None,
    # The same histories on every run: CI's verdict never depends on luck.
    derandomize=os.environ.get("HISTORIES_SEED") is None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@example(ONE_TABLE)
@example(TWO_VERSIONS)
@given(rounds())
def test_no_history_of_versions_lets_an_attacker_solve_for_fewer_than_the_threshold(history):
    round_, events = history
    assert disclosed(round_, events) == []
