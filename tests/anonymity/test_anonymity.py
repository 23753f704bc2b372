"""The anonymity gate: small groups and anything that would uncover them by subtraction."""

from collections.abc import Hashable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.anonymity import (
    ORGANISATION,
    OrganisationShape,
    Partition,
    cell_key,
    department_key,
    direct_key,
    level_key,
    suppressed_groups,
)
from tests.support.disclosure import disclosures, equations, group_sizes

EXEC, MANAGER, FRONT = 1, 2, 3


def test_a_group_below_the_threshold_is_suppressed_and_an_empty_one_is_not():
    hidden = suppressed_groups({"a": 4, "b": 5, "c": 0}, [], threshold=5)
    assert hidden == {"a"}


def test_a_threshold_below_three_is_refused():
    with pytest.raises(ValueError):
        suppressed_groups({"a": 4}, [], threshold=2)


def test_a_department_of_four_beside_one_of_forty_takes_the_forty_down_with_it():
    sizes = {"org": 44, "big": 40, "small": 4}
    hidden = suppressed_groups(sizes, [Partition("org", ("big", "small"))], threshold=5)
    assert hidden == {"small", "big"}


def test_two_small_siblings_that_together_reach_the_threshold_need_no_third():
    sizes = {"org": 50, "a": 40, "b": 4, "c": 6, "d": 3}
    hidden = suppressed_groups(sizes, [Partition("org", ("a", "b", "c", "d"))], threshold=5)
    # b + d = 7 people: only their sum can be worked out, never either group.
    assert hidden == {"b", "d"}


def test_complementary_suppression_ripples_through_overlapping_partitions():
    sizes = {"p": 20, "x": 3, "y": 17, "q": 30, "x2": 9, "y2": 21}
    partitions = [Partition("p", ("x", "y")), Partition("q", ("x2", "y2"))]
    hidden = suppressed_groups(sizes, partitions, threshold=5)
    assert hidden == {"x", "y"}


def leak_trap() -> OrganisationShape:
    """Sales 40 and Legal 4 at the top; Operations 12 = Logistics 9 + Yard 3; two
    executives in the whole organisation."""
    parents = {10: None, 20: None, 30: None, 31: 30, 32: 30}
    counts = {
        (10, EXEC): 1,
        (10, MANAGER): 5,
        (10, FRONT): 34,
        (20, MANAGER): 1,
        (20, FRONT): 3,
        (31, EXEC): 1,
        (31, FRONT): 8,
        (32, FRONT): 3,
    }
    return OrganisationShape(parents=parents, levels=[EXEC, MANAGER, FRONT], counts=counts)


def test_the_leak_trap_organisation_shows_no_group_that_could_be_worked_out():
    sizes, hidden = leak_trap().suppressed(threshold=5)
    assert sizes[ORGANISATION] == 56
    assert sizes[department_key(30)] == 12
    assert ORGANISATION not in hidden
    departments = {d for d in (10, 20, 30, 31, 32) if department_key(d) in hidden}
    # Legal (4) is too small, so the smallest department beside it (Operations, 12) goes
    # too: 56 − 40 leaves Legal and Operations together. Yard (3) is too small; with
    # Operations hidden, Logistics (9) gives nothing away.
    assert departments == {20, 30, 32}
    # Two executives: the level is hidden, and so is a second level.
    assert level_key(EXEC) in hidden
    assert sum(level_key(lv) in hidden for lv in (MANAGER, FRONT)) == 1


def test_direct_members_of_a_parent_are_never_shown_and_force_a_sibling_down():
    parents = {1: None, 2: 1, 3: 1}
    counts = {(1, FRONT): 2, (2, FRONT): 10, (3, FRONT): 20}
    shape = OrganisationShape(parents=parents, levels=[FRONT], counts=counts)
    sizes, hidden = shape.suppressed(threshold=5)
    assert sizes[department_key(1)] == 32
    assert direct_key(1) in hidden
    # Parent 32 − 20 − 10 would give the two direct members away: one child goes too.
    assert department_key(2) in hidden
    assert department_key(3) not in hidden
    assert cell_key(department_key(3), FRONT) not in hidden


def outsider_name(key: Hashable) -> tuple:
    """The gate's name for a group → tests/support/disclosure.py's."""
    if key == ORGANISATION:
        return ("org",)
    if key[0] == "cell":
        return (outsider_name(key[1]), key[2])
    return ("rest" if key[0] == "direct" else "dept", key[1])


def shown_groups(shape: OrganisationShape, threshold: int) -> set[tuple]:
    sizes, hidden = shape.suppressed(threshold)
    return {outsider_name(g) for g, n in sizes.items() if n > 0 and g not in hidden}


def test_a_department_hidden_beside_a_small_one_cannot_be_rebuilt_from_its_levels():
    """Sales 40 and Legal 4 beside Operations 27 = Yard 2 + Logistics 25. Legal takes
    Operations down with it; if both levels of Operations stayed shown, they would add up
    to Operations, and Operations less Logistics would give the two people of Yard away."""
    exe, front = EXEC, FRONT
    parents = {1: None, 2: None, 3: None, 31: 3, 32: 3}
    counts = {(1, exe): 34, (1, front): 6, (2, front): 4, (31, front): 2}
    counts |= {(32, exe): 10, (32, front): 15}
    shape = OrganisationShape(parents=parents, levels=[exe, front], counts=counts)
    _, hidden = shape.suppressed(threshold=5)
    assert department_key(3) in hidden
    assert department_key(31) in hidden
    assert department_key(32) not in hidden
    assert not (
        cell_key(department_key(3), exe) not in hidden
        and cell_key(department_key(3), front) not in hidden
    )
    outsider = shown_groups(shape, 5)
    assert (
        disclosures(
            outsider,
            group_sizes(parents, [exe, front], counts),
            equations(parents, [exe, front]),
            5,
        )
        == []
    )


def test_the_leak_trap_organisation_gives_nothing_away_to_an_outsider():
    shape = leak_trap()
    levels = [EXEC, MANAGER, FRONT]
    outsider = shown_groups(shape, 5)
    sizes = group_sizes(shape.parents, levels, shape.counts)
    assert disclosures(outsider, sizes, equations(shape.parents, levels), 5) == []


@st.composite
def organisations(draw) -> tuple[dict[int, int | None], list[int], dict, int]:
    departments = draw(st.integers(min_value=1, max_value=7))
    parents: dict[int, int | None] = {}
    for department in range(1, departments + 1):
        parents[department] = draw(st.sampled_from([None, *range(1, department)]))
    levels = list(range(1, draw(st.integers(min_value=1, max_value=3)) + 1))
    # Mostly small groups: those are the ones that leak.
    sizes = st.sampled_from([0, 0, 0, 1, 2, 3, 4, 5, 7, 9, 15, 30])
    counts = {(d, lv): draw(sizes) for d in parents for lv in levels}
    threshold = draw(st.integers(min_value=3, max_value=6))
    return parents, levels, counts, threshold


@settings(max_examples=400, deadline=None)
@given(organisations())
def test_no_organisation_shows_a_group_that_subtraction_can_work_out(organisation):
    parents, levels, counts, threshold = organisation
    shape = OrganisationShape(parents=parents, levels=levels, counts=counts)
    outsider = shown_groups(shape, threshold)
    sizes = group_sizes(parents, levels, counts)
    assert disclosures(outsider, sizes, equations(parents, levels), threshold) == []
