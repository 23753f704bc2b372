"""The anonymity gate: small groups and anything that would uncover them by subtraction."""

import pytest

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
